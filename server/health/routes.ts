import { HealthResult } from '../../shared/schemas/health.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, json } from '../http/router.ts';
import { checkHealth, healthStatusCode } from './health.ts';

const health = defineRoute('public', {
	method: 'get',
	path: '/health',
	tags: ['health'],
	summary: 'Storage, database and LiveKit status, from background probes',
	responses: {
		200: json(HealthResult, 'The hall works (status ok, or degraded: video down or low space)'),
		503: json(HealthResult, 'Storage cannot write; the body says which part failed')
	}
});

export function healthRoutes() {
	return createRouter().openapi(health, async (c) => {
		const result = await checkHealth(c.var.deps);
		return c.json(result, healthStatusCode(result));
	});
}

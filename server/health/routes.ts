import { HealthResult } from '../../shared/schemas/health.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, json } from '../http/router.ts';
import { checkHealth } from './health.ts';

const health = defineRoute('public', {
	method: 'get',
	path: '/health',
	tags: ['health'],
	summary: 'Database and LiveKit status',
	responses: {
		200: json(HealthResult, 'Everything answers'),
		503: json(HealthResult, 'A dependency is down; the body says which')
	}
});

export function healthRoutes() {
	return createRouter().openapi(health, async (c) => {
		const result = await checkHealth(c.var.deps);
		return c.json(result, result.database.ok ? 200 : 503);
	});
}

import { DeviceCheckToken } from '../../shared/schemas/health.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json } from '../http/router.ts';
import { issueDeviceCheckToken } from './device-check.ts';

const deviceCheckToken = defineRoute('signed-in', {
	method: 'post',
	path: '/device-check/token',
	tags: ['video'],
	summary: 'Token for a private LiveKit test room (设备检测)',
	responses: {
		200: json(DeviceCheckToken, 'Connect with livekit-client and publish'),
		503: errorJson('No LiveKit server is configured')
	}
});

export function videoRoutes() {
	return createRouter().openapi(deviceCheckToken, async (c) =>
		c.json(await issueDeviceCheckToken(c.var.deps, c.var.user!), 200)
	);
}

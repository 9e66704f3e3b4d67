import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveKitGateway } from '../../server/video/livekit.ts';
import { createHarness, type Harness } from './harness.ts';

describe('without LiveKit', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness({ livekit: null });
	});
	afterAll(() => h.close());

	it('health reports the database ok and video unavailable', async () => {
		const res = await h.request('GET', '/api/health');
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body).toMatchObject({
			status: 'degraded',
			database: { ok: true, schemaVersion: expect.any(Number) },
			livekit: { configured: false, ok: false }
		});
		expect(body.time).toBe('2026-11-26T09:00:00.000+08:00');
	});

	it('the device check says clearly that video is unavailable', async () => {
		const token = await h.loginAs('citizen');
		const res = await h.request('POST', '/api/device-check/token', { token });
		expect(res.status).toBe(503);
		expect((await res.json()).error.code).toBe('video_unavailable');
	});
});

describe('with a LiveKit that does not answer', () => {
	const livekit = createLiveKitGateway({
		url: 'ws://127.0.0.1:9',
		apiKey: 'devkey',
		apiSecret: 'secret'
	});
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness({
			livekit,
			env: {
				LIVEKIT_URL: 'ws://127.0.0.1:9',
				LIVEKIT_API_KEY: 'devkey',
				LIVEKIT_API_SECRET: 'secret'
			}
		});
	});
	afterAll(() => h.close());

	it('health says LiveKit is down', async () => {
		const body = await (await h.request('GET', '/api/health')).json();
		expect(body.status).toBe('degraded');
		expect(body.livekit).toMatchObject({ configured: true, ok: false, error: expect.any(String) });
	});

	it('refuses a device-check token like a session token: video_unavailable', async () => {
		const token = await h.loginAs('citizen');
		const res = await h.request('POST', '/api/device-check/token', { token });
		expect(res.status).toBe(503);
		expect((await res.json()).error.code).toBe('video_unavailable');
	});
});

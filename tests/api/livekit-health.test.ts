// Health and video tokens against a real livekit-server that is stopped and started again:
// health never waits long, a stopped server is seen within seconds, a restarted one at once,
// and no token (device check or session) is handed out while LiveKit does not answer.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import { createHarness, type Harness } from './harness.ts';
import { createLiveKitGateway } from '../../server/video/livekit.ts';
import { LIVEKIT_PROBE_EVERY_MS, watchLiveKit } from '../../server/video/reachability.ts';
import {
	findLiveKitBinary,
	freeTcpPort,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

function binary(): string {
	const found = findLiveKitBinary(false);
	if (!found) throw new Error('livekit-server is needed: run `npm run livekit`');
	return found;
}

async function liveKit(port?: number): Promise<LiveKitProcess> {
	const lk = await startLiveKit(binary(), { port });
	cleanups.push(() => lk.stop());
	return lk;
}

async function hallWith(url: string): Promise<Harness> {
	const livekit = createLiveKitGateway({ url, apiKey: 'devkey', apiSecret: 'secret' });
	const h = await createHarness({
		livekit,
		env: { LIVEKIT_URL: url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }
	});
	cleanups.push(() => h.close());
	return h;
}

async function timedHealth(h: Harness) {
	const t = performance.now();
	const res = await h.request('GET', '/api/health');
	return { ms: performance.now() - t, status: res.status, body: await res.json() };
}

describe('LiveKit in health and tokens', () => {
	it('issues a device-check token limited to one private room, camera and microphone, short-lived', async () => {
		const lk = await liveKit();
		const h = await hallWith(lk.url);
		const token = await h.loginAs('citizen');
		const me = (await (await h.request('GET', '/api/me', { token })).json()).user;
		const res = await h.request('POST', '/api/device-check/token', { token });
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.url).toBe(lk.url);
		expect(body.room).toMatch(/^device-check-[a-z2-7]{24}$/);
		const claims = await new TokenVerifier('devkey', 'secret').verify(body.token);
		expect(claims.sub).toBe(me.id);
		expect(claims.video).toMatchObject({
			room: body.room,
			roomJoin: true,
			canPublish: true,
			canPublishData: false,
			roomAdmin: false,
			canPublishSources: ['camera', 'microphone']
		});
		expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(300);
		const second = await (await h.request('POST', '/api/device-check/token', { token })).json();
		expect(second.room).not.toBe(body.room);
	});

	it('sees a stopped LiveKit within seconds (degraded, 200, device check refused) and a restarted one at once', async () => {
		const port = await freeTcpPort();
		const lk = await liveKit(port);
		const h = await hallWith(lk.url);
		watchLiveKit(h.deps.livekit!);
		const token = await h.loginAs('citizen');
		await vi.waitFor(async () => expect((await timedHealth(h)).body.livekit.ok).toBe(true), {
			timeout: 5000
		});
		const up = await timedHealth(h);
		expect(up).toMatchObject({ status: 200, body: { status: 'ok' } });

		await lk.stop();
		const stoppedAt = performance.now();
		await vi.waitFor(async () => expect((await timedHealth(h)).body.livekit.ok).toBe(false), {
			timeout: 3 * LIVEKIT_PROBE_EVERY_MS,
			interval: 100
		});
		expect(performance.now() - stoppedAt).toBeLessThan(3 * LIVEKIT_PROBE_EVERY_MS);
		const down = await timedHealth(h);
		expect(down.status).toBe(200);
		expect(down.body).toMatchObject({ status: 'degraded', database: { ok: true } });
		expect(down.ms).toBeLessThan(1000);
		const refused = await h.request('POST', '/api/device-check/token', { token });
		expect(refused.status).toBe(503);
		expect((await refused.json()).error.code).toBe('video_unavailable');

		await liveKit(port);
		// the first health check after the restart already says so: a "down" is asked again at once
		const back = await timedHealth(h);
		expect(back.body.livekit.ok).toBe(true);
		expect(back.body.status).toBe('ok');
		expect((await h.request('POST', '/api/device-check/token', { token })).status).toBe(200);
	});

	it('answers health within half a second when LiveKit accepts connections but never answers', async () => {
		// a black hole: the TCP handshake succeeds, no HTTP answer ever comes
		const sockets: net.Socket[] = [];
		const hole = net.createServer((s) => sockets.push(s));
		await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
		cleanups.push(
			() =>
				new Promise<void>((r) => {
					sockets.forEach((s) => s.destroy());
					hole.close(() => r());
				})
		);
		const port = (hole.address() as net.AddressInfo).port;
		const h = await hallWith(`ws://127.0.0.1:${port}`);
		for (let i = 0; i < 3; i++) {
			const { ms, status, body } = await timedHealth(h);
			expect(status).toBe(200);
			expect(body.livekit.ok).toBe(false);
			// 0.4 s budget for LiveKit plus the request itself, on a busy 2-core machine
			expect(ms).toBeLessThan(900);
		}
	});
});

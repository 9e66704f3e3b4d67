// 代办 in a video session (issue 23 item 1): a proxy acting for the grantor takes a video number
// for them and joins the call in their place, under the proxy's own name, with a token that says
// for whom (real livekit-server --dev, as tests/api/video.test.ts).
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLiveKitGateway, type LiveKitGateway } from '../../server/video/livekit.ts';
import {
	findLiveKitBinary,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { confirmedGrant, openDesk, openVideoSession, startActing } from './builders.ts';

let lk: LiveKitProcess;
let gateway: LiveKitGateway;
let env: Record<string, string>;
let h: Harness;

beforeAll(async () => {
	const binary = findLiveKitBinary(false);
	if (!binary)
		throw new Error('livekit-server is needed for the video API tests: run `npm run livekit`');
	lk = await startLiveKit(binary);
	env = { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
	gateway = createLiveKitGateway({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
}, 60_000);
afterAll(async () => {
	await lk?.stop();
}, 30_000);

beforeEach(async () => {
	h = await createHarness({ env, livekit: gateway });
});
afterEach(() => h?.close());

describe('a proxy in the video session', () => {
	it('joins the grantor’s session in their place, named as themself, the token saying for whom', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		const grantId = await confirmedGrant(h, proxy, grantor);
		await startActing(h, proxy, grantId);

		const agent = await h.loginAs('agent');
		const deskId = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		// the proxy, acting, takes the number: the ticket and the session are the grantor's
		const { session } = await openVideoSession(h, agent, deskId, { citizen: proxy });
		const seen = await (
			await h.request('GET', `/api/video-sessions/${session.id}`, { token: agent })
		).json();
		expect(
			(seen.session.participants as { userId: string; kind: string }[]).find(
				(p) => p.kind === 'citizen'
			)?.userId
		).toBe(grantor.id);
		expect(
			(await h.request('POST', `/api/video-sessions/${session.id}/admit`, { token: agent })).status
		).toBe(200);
		const res = await h.request('POST', `/api/video-sessions/${session.id}/token`, {
			token: proxy.token
		});
		expect(res.status).toBe(200);
		const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(
			(await res.json()).token
		);
		expect(claims.sub).toBe(grantor.id);
		expect(claims.name).toBe('李建国');
		expect(JSON.parse(claims.metadata!)).toMatchObject({
			kind: 'citizen',
			actedAs: 'proxy',
			actedBy: proxy.id,
			actingFor: '王秀兰'
		});

		// the grantor themself joins under their own name
		const own = await h.request('POST', `/api/video-sessions/${session.id}/token`, {
			token: grantor.token
		});
		const ownClaims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(
			(await own.json()).token
		);
		expect(ownClaims.name).toBe('王秀兰');
		expect(JSON.parse(ownClaims.metadata!).actedAs).toBeUndefined();
	});
});

// 入户办 in the video room (issue 23 item 2), on a real livekit-server --dev (as
// tests/api/video.test.ts): the grid worker who started the resident's video ticket gets a token
// to that session's room only, under their own id and name, the metadata saying they act as the
// resident's grid worker, with the resident's media permissions and no admin grants; the token
// really joins the room (a WebRTC participant of @livekit/rtc-node, seen by RoomService); a grid
// worker of another community is refused.
import { Room as RtcRoom, dispose } from '@livekit/rtc-node';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addOrgUnit } from '../../server/accounts/accounts.ts';
import { newId } from '../../server/ids.ts';
import { createLiveKitGateway, type LiveKitGateway } from '../../server/video/livekit.ts';
import {
	findLiveKitBinary,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, callNext, newStaff, openDesk } from './builders.ts';
import { answer } from './two-nodes.ts';

/** ParticipantInfo_State.ACTIVE: the participant's media connection is up */
const PARTICIPANT_ACTIVE = 2;

let lk: LiveKitProcess;
let gateway: LiveKitGateway;
let env: Record<string, string>;
let h: Harness;
const joined: RtcRoom[] = [];

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
	await dispose();
}, 30_000);

beforeEach(async () => {
	h = await createHarness({ env, livekit: gateway });
});
afterEach(async () => {
	await Promise.all(joined.splice(0).map((r) => r.disconnect().catch(() => {})));
	await h?.close();
});

const post = async (token: string, path: string, body?: unknown) =>
	answer(await h.request('POST', path, { token, ...(body === undefined ? {} : { body }) }));

/**
 * The demo grid worker (赵秀梅, 郑州路社区) takes a resident's 入户办 request, records consent
 * and starts her video ticket; the agent calls it, opens the session and lets the resident in
 * (and so the grid worker beside her).
 */
async function homeVisitSession() {
	const resident = await newCitizen(h, '王秀英');
	const license = await serviceByCode(h, LICENSE);
	const community = (await h.store.get<{ id: string }>(
		"SELECT id FROM org_units WHERE code = '370281001001'"
	))!.id;
	const grid = await h.loginAs('grid');
	const agent = await h.loginAs('agent');
	const desk = await openDesk(h, agent);
	const asked = await post(resident.token, '/api/home-visits', {
		serviceId: license.id,
		communityId: community,
		address: '胶州市阜安街道郑州路 88 号 2 单元 301',
		reason: 'elderly'
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(201);
	const visitId = (asked.body.visit as { id: string }).id;
	expect((await post(grid, `/api/home-visits/${visitId}/accept`)).status).toBe(200);
	const at = new Date(h.clock.now + 60 * 60_000).toISOString();
	expect((await post(grid, `/api/home-visits/${visitId}/schedule`, { at })).status).toBe(200);
	expect(
		(await post(grid, `/api/home-visits/${visitId}/consent`, { method: 'verbal' })).status
	).toBe(200);
	expect((await post(grid, `/api/home-visits/${visitId}/start-ticket`)).status).toBe(201);
	const called = await callNext(h, agent, desk.id);
	const opened = await post(agent, '/api/video-sessions', { ticketId: called!.id });
	expect(opened.status, JSON.stringify(opened.body)).toBe(201);
	const sessionId = (opened.body.session as { id: string }).id;
	expect((await post(agent, `/api/video-sessions/${sessionId}/admit`)).status).toBe(200);
	const me = await answer(await h.request('GET', '/api/me', { token: grid }));
	const gridUser = me.body.user as { id: string; name: string };
	return { resident, grid, gridUser, agent, sessionId };
}

describe("the grid worker's token", () => {
	it('is for the session’s room only, names the grid worker, says they act as the resident’s grid worker, and joins the room', async () => {
		const { resident, grid, gridUser, sessionId } = await homeVisitSession();

		const res = await post(grid, `/api/video-sessions/${sessionId}/token`);
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		const { token, url, room } = res.body as { token: string; url: string; room: string };
		expect([url, room]).toEqual([lk.url, sessionId]);
		const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(token);
		expect(claims.sub).toBe(gridUser.id);
		expect(claims.name).toBe(gridUser.name);
		expect(JSON.parse(claims.metadata!)).toEqual({
			role: 'grid',
			kind: 'grid',
			actedAs: 'grid',
			actedBy: gridUser.id
		});
		// the room of this session only; media and data as any participant, no administration
		expect(claims.video).toMatchObject({
			room: sessionId,
			roomJoin: true,
			canPublish: true,
			canSubscribe: true,
			canPublishData: true
		});
		for (const admin of ['roomAdmin', 'roomCreate', 'roomList', 'roomRecord'] as const)
			expect(claims.video?.[admin], admin).toBeFalsy();

		// the token really connects: a WebRTC participant joins, and LiveKit lists it by the id
		const tablet = new RtcRoom();
		joined.push(tablet);
		await tablet.connect(lk.url, token, { autoSubscribe: false, dynacast: false });
		expect(tablet.isConnected).toBe(true);
		const deadline = Date.now() + 10_000;
		let listed: { identity: string; name: string; metadata: string }[] = [];
		while (Date.now() < deadline) {
			listed = (await gateway.listParticipants(sessionId)).filter(
				(p) => p.state === PARTICIPANT_ACTIVE
			);
			if (listed.some((p) => p.identity === gridUser.id)) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		const inRoom = listed.find((p) => p.identity === gridUser.id);
		expect(inRoom, 'the grid worker is in the room').toBeDefined();
		expect(inRoom!.name).toBe(gridUser.name);
		expect(JSON.parse(inRoom!.metadata)).toMatchObject({ kind: 'grid', actedAs: 'grid' });

		// the resident beside them joins under her own id; the two are distinct participants
		const own = await post(resident.token, `/api/video-sessions/${sessionId}/token`);
		expect(own.status).toBe(200);
		const ownClaims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(
			(own.body as { token: string }).token
		);
		expect(ownClaims.sub).toBe(resident.id);
		expect(JSON.parse(ownClaims.metadata!)).toEqual({ role: 'citizen', kind: 'citizen' });
	});

	it('is refused (403) to a grid worker of another community', async () => {
		const { sessionId } = await homeVisitSession();
		const township = (await h.store.get<{ id: string }>(
			"SELECT id FROM org_units WHERE code = '370281002'"
		))!.id;
		const id = newId();
		await addOrgUnit(h.deps, {
			id,
			parentId: township,
			level: 'community',
			code: `370281002${String(Math.floor(Math.random() * 900) + 100)}`,
			name: '九龙社区'
		});
		const outsider = await newStaff(h, {
			username: `grid-${id.slice(0, 6)}`,
			role: 'grid',
			orgUnitId: id,
			name: '孙网格'
		});
		const res = await post(outsider, `/api/video-sessions/${sessionId}/token`);
		expect(res.status, JSON.stringify(res.body)).toBe(403);
		expect(
			(await post(outsider, `/api/video-sessions/${sessionId}/chat`, { text: '你好' })).status
		).toBe(403);
		// and no one of that name ever reached the room
		expect(
			(await gateway.listParticipants(sessionId).catch(() => [])).map((p) => p.name)
		).not.toContain('孙网格');
	});
});

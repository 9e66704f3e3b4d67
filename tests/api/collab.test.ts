// 全域通办 · 上下联动 through the API: township accepts and forwards, the district reviews,
// the result is handed out at the township; the remote-guidance pool; who may do what.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { escalateWaitingGuidance } from '../../server/collab/guidance.ts';
import { openEngine } from '../../server/engine.ts';
import {
	findLiveKitBinary,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { createLiveKitGateway, type LiveKitGateway } from '../../server/video/livekit.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	LICENSE,
	handInMaterials,
	openDesk,
	openVideoSession,
	SIGNATURE_PNG as PNG
} from './builders.ts';

const complete = {
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '阜安街道郑州路',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};

let lk: LiveKitProcess;
let gateway: LiveKitGateway;
let env: Record<string, string>;
let h: Harness;
let township: string;
let agent: string;
let orgs: { id: string; code: string }[];
const org = (code: string) => orgs.find((o) => o.code === code)!.id;

async function staff(username: string, role: string, orgCode: string) {
	const admin = await h.loginAs('admin');
	await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: { username, name: username, role, orgUnitId: org(orgCode), password: 'Staff#2026' }
	});
	return (
		await (
			await h.request('POST', '/api/auth/login', {
				body: { login: username, password: 'Staff#2026' }
			})
		).json()
	).token as string;
}

/** A citizen in a township video session with a submitted case. */
async function townshipCaseInSession() {
	const citizen = await newCitizen(h, '镇街群众');
	const item = await serviceByCode(h, LICENSE);
	const desk = await openDesk(h, township, '阜安街道便民服务窗口');
	const { ticket, session } = await openVideoSession(h, township, desk.id, {
		citizen,
		hallId: org('370281001')
	});
	const kase = (
		await (
			await h.request('POST', '/api/cases', {
				token: township,
				body: { serviceId: item.id, sessionId: session.id }
			})
		).json()
	).case;
	for (const [key, value] of Object.entries(complete))
		await h.request('PUT', `/api/cases/${kase.id}/fields/${key}`, {
			token: citizen.token,
			body: { value, revision: 0 }
		});
	await handInMaterials(h, citizen.token, kase.id);
	await h.request('POST', `/api/cases/${kase.id}/signature`, {
		token: citizen.token,
		body: { image: PNG }
	});
	expect(
		(await h.request('POST', `/api/cases/${kase.id}/submit`, { token: citizen.token })).status
	).toBe(200);
	return { citizen, kase, session, ticket, desk };
}

beforeAll(async () => {
	// one livekit-server for the file; every test's sessions are rooms of their own
	const binary = findLiveKitBinary(false);
	if (!binary) throw new Error('livekit-server is needed: run `npm run livekit`');
	lk = await startLiveKit(binary);
	env = { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
	gateway = createLiveKitGateway({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
}, 60_000); // livekit-server gets 20 s to answer; more for a slow, busy machine
afterAll(async () => {
	await lk?.stop();
}, 30_000);

// Every test on a fresh hall: no desk open, no case, no guidance request.
beforeEach(async () => {
	h = await createHarness({ env, livekit: gateway });
	township = await h.loginAs('township');
	agent = await h.loginAs('agent');
	orgs = (await (await h.request('GET', '/api/org-units', { token: agent })).json()).orgUnits;
});
afterEach(() => h?.close());

const post = (token: string, id: string, step: string, body?: unknown) =>
	h.request('POST', `/api/cases/${id}/${step}`, { token, body });

/**
 * A second node of the hall on the harness's database, as another process would run it: on
 * PostgreSQL its own engine (its own pool, whose connections really run in parallel with the
 * harness's) and its own app. On SQLite the second app shares the harness's connection: a second
 * connection in this one process would block the event loop in its busy wait while the first
 * holds the write lock; the store's gate serialises them, as the write lock does between
 * processes.
 */
function secondNode() {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const deps = { ...h.deps, engine, store: engine.store };
	const app = createApp(deps);
	return {
		deps,
		request: (method: string, url: string, o: { token: string; body?: unknown }) =>
			Promise.resolve(
				app.request(
					url,
					{
						method,
						headers: {
							authorization: `Bearer ${o.token}`,
							...(o.body === undefined ? {} : { 'content-type': 'application/json' })
						},
						body: o.body === undefined ? undefined : JSON.stringify(o.body)
					},
					{ ip: '203.0.113.8' }
				)
			),
		close: async () => {
			if (own) await engine.close();
		}
	};
}

describe('the full path', () => {
	it('township accepts, forwards; district returns; citizen corrects; forwarded again; approved; completed at the township', async () => {
		const { citizen, kase, ticket, desk } = await townshipCaseInSession();
		expect((await post(township, kase.id, 'accept')).status).toBe(200);
		const forwarded = (
			await (await post(township, kase.id, 'forward', { note: '材料齐全，请审核' })).json()
		).case;
		expect(forwarded).toMatchObject({
			status: 'in_review',
			acceptedOrgUnitId: org('370281001'),
			reviewOrgUnitId: org('370281')
		});
		const queue = (await (await h.request('GET', '/api/staff/cases', { token: agent })).json())
			.cases;
		expect(queue.find((c: { id: string }) => c.id === kase.id)).toMatchObject({ forReview: true });

		const returned = await post(agent, kase.id, 'return', {
			comments: { address: '请写到门牌号' },
			note: '地址不完整'
		});
		expect((await returned.json()).case).toMatchObject({
			status: 'returned',
			reviewComments: { address: '请写到门牌号' }
		});
		const seen = (
			await (await h.request('GET', `/api/cases/${kase.id}`, { token: citizen.token })).json()
		).case;
		expect(seen.reviewComments).toEqual({ address: '请写到门牌号' });
		const rev = seen.fields.find((f: { key: string }) => f.key === 'address').revision;
		expect(
			(
				await h.request('PUT', `/api/cases/${kase.id}/fields/address`, {
					token: citizen.token,
					body: { value: '阜安街道郑州路 88 号', revision: rev }
				})
			).status
		).toBe(200);
		await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: citizen.token,
			body: { image: PNG }
		});
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/submit`, { token: citizen.token })).status
		).toBe(200);

		expect((await post(township, kase.id, 'forward')).status).toBe(200);
		expect((await post(agent, kase.id, 'approve')).status).toBe(200);
		expect((await post(agent, kase.id, 'complete')).status).toBe(403); // handed out where accepted
		const done = (await (await post(township, kase.id, 'complete', { delivery: 'nearby' })).json())
			.case;
		expect(done).toMatchObject({ status: 'completed', delivery: 'nearby' });
		const steps = done.timeline
			.map((e: { type: string }) => e.type)
			.filter((t: string) => t.startsWith('case.'));
		expect(steps).toEqual([
			'case.created',
			'case.signed',
			'case.submitted',
			'case.accepted',
			'case.forwarded',
			'case.returned',
			'case.signed',
			'case.submitted',
			'case.forwarded',
			'case.approved',
			'case.completed'
		]);
		expect(
			done.timeline.find((e: { type: string }) => e.type === 'case.returned').payload
		).toMatchObject({ orgUnitName: '胶州市', comments: { address: '请写到门牌号' } });
		const kinds = (
			await (await h.request('GET', '/api/notifications', { token: citizen.token })).json()
		).notifications.map((n: { kind: string }) => n.kind);
		expect(kinds).toEqual(
			expect.arrayContaining(['case_accepted', 'case_returned', 'case_approved', 'case_completed'])
		);
		await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: township });
		await h.request('POST', `/api/desks/${desk.id}/close`, { token: township });
	});
});

describe('permissions by role and org-unit relation', () => {
	it('answers each role at each relation as expected', async () => {
		const { kase, ticket, desk } = await townshipCaseInSession();
		const otherTownship = await staff('jl.township', 'township', '370281002');
		const otherDistrict = await staff('lc.agent', 'agent', '370213');
		const parentSupervisor = await h.loginAs('supervisor');
		const read = (token: string) =>
			h.request('GET', `/api/cases/${kase.id}`, { token }).then((r) => r.status);
		expect(await read(township)).toBe(200); // own township
		expect(await read(agent)).toBe(200); // parent district
		expect(await read(parentSupervisor)).toBe(200);
		expect(await read(otherTownship)).toBe(404);
		expect(await read(otherDistrict)).toBe(404);
		expect((await post(otherTownship, kase.id, 'accept')).status).toBe(404);
		expect((await post(otherDistrict, kase.id, 'accept')).status).toBe(404);
		expect((await post(agent, kase.id, 'approve')).status).toBe(409); // not in review yet
		expect((await post(township, kase.id, 'accept')).status).toBe(200);
		expect((await post(agent, kase.id, 'forward')).status).toBe(200); // the district is above the accepting township
		expect((await post(township, kase.id, 'approve')).status).toBe(403); // township role may not approve
		expect((await post(otherDistrict, kase.id, 'approve')).status).toBe(404);
		expect((await post(parentSupervisor, kase.id, 'approve')).status).toBe(200);
		await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: township });
		await h.request('POST', `/api/desks/${desk.id}/close`, { token: township });
	});
});

describe('remote guidance pool', () => {
	it('two experts accept the same request at once: exactly one wins and joins the session; slow requests escalate', async () => {
		const { session, ticket, desk } = await townshipCaseInSession();
		const res = await h.request('POST', `/api/video-sessions/${session.id}/guidance`, {
			token: township
		});
		expect(res.status).toBe(201);
		const request = (await res.json()).request;
		expect(
			(await h.request('POST', `/api/video-sessions/${session.id}/guidance`, { token: township }))
				.status
		).toBe(409);
		const expert2 = await staff('jz.expert', 'agent', '370281');
		const pool = (await (await h.request('GET', '/api/guidance', { token: expert2 })).json())
			.requests;
		expect(pool.map((r: { id: string }) => r.id)).toContain(request.id);
		const [a, b] = await Promise.all([
			h.request('POST', `/api/guidance/${request.id}/accept`, { token: agent }),
			h.request('POST', `/api/guidance/${request.id}/accept`, { token: expert2 })
		]);
		expect([a.status, b.status].sort()).toEqual([200, 409]);
		const winner = a.status === 200 ? agent : expert2;
		expect(
			(await h.request('POST', `/api/video-sessions/${session.id}/token`, { token: winner })).status
		).toBe(200);
		const loser = a.status === 200 ? expert2 : agent;
		expect(
			(await h.request('POST', `/api/video-sessions/${session.id}/token`, { token: loser })).status
		).toBe(403);

		// a second session's request waits too long: the district supervisor is alerted once
		await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: township });
		await h.request('POST', `/api/desks/${desk.id}/close`, { token: township });
		const second = await townshipCaseInSession();
		await h.request('POST', `/api/video-sessions/${second.session.id}/guidance`, {
			token: township
		});
		h.clock.advance(4 * 60_000);
		expect(await escalateWaitingGuidance(h.deps)).toBe(1);
		expect(await escalateWaitingGuidance(h.deps)).toBe(0);
		const supervisor = await h.loginAs('supervisor');
		const notices = (
			await (await h.request('GET', '/api/notifications', { token: supervisor })).json()
		).notifications;
		expect(notices.map((n: { kind: string }) => n.kind)).toContain('guidance_waiting');
		const stats = (
			await (await h.request('GET', '/api/guidance/stats', { token: supervisor })).json()
		).stats;
		expect(stats.find((s: { orgUnitName: string }) => s.orgUnitName === '阜安街道')).toMatchObject({
			count: 1
		});
		h.clock.advance(-4 * 60_000);
	});
});

describe('two nodes on one database', () => {
	it('one request per session, the first expert wins, one decision per case, one escalation per request', async () => {
		const node = secondNode();
		try {
			const { kase, session, ticket, desk } = await townshipCaseInSession();
			// two requests for one session at once: one is opened, the other answers 409
			const [r1, r2] = await Promise.all([
				h.request('POST', `/api/video-sessions/${session.id}/guidance`, { token: township }),
				node.request('POST', `/api/video-sessions/${session.id}/guidance`, { token: township })
			]);
			expect([r1.status, r2.status].sort()).toEqual([201, 409]);
			expect((await (r1.status === 409 ? r1 : r2).json()).error.code).toBe('already_requested');
			expect(await count(h.store, `guidance_requests WHERE session_id = '${session.id}'`)).toBe(1);
			const request = (await (r1.status === 201 ? r1 : r2).json()).request;

			// two experts accept it on two nodes: exactly one wins
			const expert2 = await staff('jz.expert2', 'agent', '370281');
			const [a, b] = await Promise.all([
				h.request('POST', `/api/guidance/${request.id}/accept`, { token: agent }),
				node.request('POST', `/api/guidance/${request.id}/accept`, { token: expert2 })
			]);
			expect([a.status, b.status].sort()).toEqual([200, 409]);
			expect((await (a.status === 409 ? a : b).json()).error.code).toBe('already_taken');

			// two reviewers decide the case on two nodes: exactly one decision lands
			expect((await post(township, kase.id, 'accept')).status).toBe(200);
			expect((await post(township, kase.id, 'forward')).status).toBe(200);
			const [approve, reject] = await Promise.all([
				post(agent, kase.id, 'approve'),
				node.request('POST', `/api/cases/${kase.id}/reject`, { token: expert2, body: {} })
			]);
			expect([approve.status, reject.status].sort()).toEqual([200, 409]);
			expect((await (approve.status === 409 ? approve : reject).json()).error.code).toBe(
				'wrong_state'
			);
			expect(
				await count(
					h.store,
					`audit_log WHERE target_id = '${kase.id}' AND action IN ('case.approved', 'case.rejected')`
				)
			).toBe(1);

			// a second session's request waits too long: two nodes sweeping at once alert once
			await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: township });
			await h.request('POST', `/api/desks/${desk.id}/close`, { token: township });
			const second = await townshipCaseInSession();
			await h.request('POST', `/api/video-sessions/${second.session.id}/guidance`, {
				token: township
			});
			h.clock.advance(4 * 60_000);
			const swept = await Promise.all([
				escalateWaitingGuidance(h.deps),
				escalateWaitingGuidance(node.deps)
			]);
			expect(swept[0] + swept[1]).toBe(1);
			const supervisors = await count(
				h.store,
				"notifications WHERE kind = 'guidance_waiting' AND channel = 'in_app'"
			);
			expect(supervisors).toBeGreaterThan(0);
			expect(await escalateWaitingGuidance(node.deps)).toBe(0);
			expect(
				await count(h.store, "notifications WHERE kind = 'guidance_waiting' AND channel = 'in_app'")
			).toBe(supervisors);
		} finally {
			h.clock.advance(-4 * 60_000);
			await node.close();
		}
	});
});

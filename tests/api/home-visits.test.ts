// 入户办 (issue 23 item 2): a resident (or their family acting for them) asks the community's grid
// workers for a home visit; the first grid worker to accept takes it, schedules it, records the
// resident's consent and starts a video ticket the desk sees as 入户办 · 网格员 · 居民. Runs on
// SQLite and PostgreSQL; the accept race runs across two nodes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addOrgUnit } from '../../server/accounts/accounts.ts';
import { newId } from '../../server/ids.ts';
import { localDate } from '../../shared/dates.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, SIGNATURE_PNG, callNext, newStaff, openDesk, type Citizen } from './builders.ts';
import { answer, byRound, withSecondNode } from './two-nodes.ts';

let h: Harness;
let license: { id: string; name: string };
let community: string;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
	community = (await h.store.get<{ id: string }>(
		"SELECT id FROM org_units WHERE code = '370281001001'"
	))!.id;
});
afterEach(() => h.close());

const json = async (res: Response | Promise<Response>) => answer(await res);
const inAnHour = () => new Date(h.clock.now + 60 * 60_000).toISOString();

type Visit = {
	id: string;
	status: string;
	resident: { id: string; name: string };
	requestedBy: { id: string; as: string };
	gridWorker: { id: string; name: string } | null;
	consent: { method: string; signed: boolean; recordedBy: { id: string } } | null;
	ticketId: string | null;
	events?: {
		type: string;
		actor: { id: string };
		actedAs: string;
		actedFor: { id: string } | null;
		payload: Record<string, unknown>;
	}[];
};

/** The resident asks for a visit about the licence item; returns the open visit. */
async function requestVisit(token: string, body: Record<string, unknown> = {}): Promise<Visit> {
	const res = await json(
		h.request('POST', '/api/home-visits', {
			token,
			body: {
				serviceId: license.id,
				communityId: community,
				address: '胶州市阜安街道郑州路 88 号 2 单元 301',
				reason: 'elderly',
				...body
			}
		})
	);
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body.visit as Visit;
}

const post = (token: string, path: string, body?: unknown) =>
	json(h.request('POST', path, { token, ...(body === undefined ? {} : { body }) }));

/** A visit taken by the demo grid worker and scheduled (and consented to verbally, unless not). */
async function readyVisit(resident: Citizen, grid: string, o = { consent: true }) {
	const visit = await requestVisit(resident.token);
	expect((await post(grid, `/api/home-visits/${visit.id}/accept`)).status).toBe(200);
	expect(
		(await post(grid, `/api/home-visits/${visit.id}/schedule`, { at: inAnHour() })).status
	).toBe(200);
	if (o.consent)
		expect(
			(await post(grid, `/api/home-visits/${visit.id}/consent`, { method: 'verbal' })).status
		).toBe(200);
	return visit;
}

/** Another community (under 九龙街道) with a grid worker of its own; returns the worker's token. */
async function otherCommunityGridWorker() {
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
	return newStaff(h, {
		username: `grid-${id.slice(0, 6)}`,
		role: 'grid',
		orgUnitId: id,
		name: '孙网格'
	});
}

describe('入户办: the whole path', () => {
	it('resident asks, grid worker takes, schedules (resident told), consents, starts the video ticket the desk sees as 入户办', async () => {
		const resident = await newCitizen(h, '王秀英');
		const grid = await h.loginAs('grid');

		const communities = await json(h.request('GET', '/api/communities', { token: resident.token }));
		expect(communities.status).toBe(200);
		expect(communities.body.communities).toContainEqual(
			expect.objectContaining({ id: community, name: '郑州路社区' })
		);

		const visit = await requestVisit(resident.token);
		expect(visit).toMatchObject({
			status: 'open',
			resident: { id: resident.id, name: '王秀英' },
			requestedBy: { id: resident.id, as: 'self' },
			gridWorker: null
		});

		const open = await json(h.request('GET', '/api/home-visits?status=open', { token: grid }));
		expect(open.status).toBe(200);
		expect((open.body.visits as Visit[]).map((v) => v.id)).toContain(visit.id);

		const accepted = await post(grid, `/api/home-visits/${visit.id}/accept`);
		expect(accepted.status).toBe(200);
		expect((accepted.body.visit as Visit).gridWorker?.name).toBe('赵秀梅');
		const stillOpen = await json(h.request('GET', '/api/home-visits?status=open', { token: grid }));
		expect((stillOpen.body.visits as Visit[]).map((v) => v.id)).not.toContain(visit.id);

		const smsBefore = h.sms.sent.length;
		const scheduled = await post(grid, `/api/home-visits/${visit.id}/schedule`, { at: inAnHour() });
		expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
		expect((scheduled.body.visit as Visit).status).toBe('scheduled');
		const notices = await json(h.request('GET', '/api/notifications', { token: resident.token }));
		expect(notices.body.notifications).toContainEqual(
			expect.objectContaining({
				kind: 'home_visit_scheduled',
				params: expect.objectContaining({ gridWorkerName: '赵秀梅', serviceName: license.name })
			})
		);
		const { deliverDueNotifications } = await import('../../server/notify/outbox.ts');
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.slice(smsBefore).map((m) => [m.phone, m.text])).toContainEqual([
			resident.phone,
			expect.stringContaining('社区网格员赵秀梅')
		]);

		const consented = await post(grid, `/api/home-visits/${visit.id}/consent`, {
			method: 'signature',
			signature: SIGNATURE_PNG
		});
		expect(consented.status, JSON.stringify(consented.body)).toBe(200);
		const gridId = (consented.body.visit as Visit).gridWorker!.id;
		expect((consented.body.visit as Visit).consent).toMatchObject({
			method: 'signature',
			signed: true,
			recordedBy: { id: gridId }
		});

		const agent = await h.loginAs('agent');
		const desk = await openDesk(h, agent);
		const started = await post(grid, `/api/home-visits/${visit.id}/start-ticket`);
		expect(started.status, JSON.stringify(started.body)).toBe(201);
		const ticket = started.body.ticket as {
			id: string;
			channel: string;
			actedBy: unknown;
			homeVisit: unknown;
		};
		expect(ticket).toMatchObject({
			channel: 'video',
			actedBy: { id: gridId, as: 'grid' },
			homeVisit: { id: visit.id, gridWorkerName: '赵秀梅', residentName: '王秀英' }
		});
		expect(started.body.visit as Visit).toMatchObject({ status: 'started', ticketId: ticket.id });
		// the ticket is the resident's: it is in their list, and the desk calls it as 入户办
		const row = await h.store.get<{ citizen_id: string; acted_by: string; acted_as: string }>(
			'SELECT citizen_id, acted_by, acted_as FROM tickets WHERE id = ?',
			[ticket.id]
		);
		expect(row).toEqual({ citizen_id: resident.id, acted_by: gridId, acted_as: 'grid' });
		const mine = await json(h.request('GET', '/api/queue/tickets', { token: resident.token }));
		expect((mine.body.tickets as { id: string }[]).map((t) => t.id)).toContain(ticket.id);
		const called = await callNext(h, agent, desk.id);
		expect(called).toMatchObject({
			id: ticket.id,
			homeVisit: { id: visit.id, gridWorkerName: '赵秀梅', residentName: '王秀英' }
		});

		// who did what: the resident asked for themself; the grid worker acted for the resident
		const seen = await json(
			h.request('GET', `/api/home-visits/${visit.id}`, { token: resident.token })
		);
		expect(
			(seen.body.visit as Visit).events!.map((e) => [
				e.type,
				e.actor.id,
				e.actedAs,
				e.actedFor?.id ?? null
			])
		).toEqual([
			['home_visit.requested', resident.id, 'self', null],
			['home_visit.accepted', gridId, 'grid', resident.id],
			['home_visit.scheduled', gridId, 'grid', resident.id],
			['home_visit.consented', gridId, 'grid', resident.id],
			['home_visit.ticket_started', gridId, 'grid', resident.id]
		]);
		expect((seen.body.visit as Visit).events![3].payload).toMatchObject({
			signedOnDeviceOf: gridId
		});
		const audit = await h.store.all<{ action: string; actor_id: string; target_id: string }>(
			"SELECT action, actor_id, target_id FROM audit_log WHERE action LIKE 'home_visit.%' ORDER BY seq"
		);
		expect(audit.map((a) => [a.action, a.actor_id, a.target_id])).toEqual([
			['home_visit.accepted', gridId, visit.id],
			['home_visit.scheduled', gridId, visit.id],
			['home_visit.consented', gridId, visit.id],
			['home_visit.ticket_started', gridId, visit.id]
		]);
	});

	it("a proxy acting for the resident asks for the visit: the request is the resident's, made by the proxy", async () => {
		const resident = await newCitizen(h, '王秀兰');
		const son = await newCitizen(h, '李国强');
		const asked = await json(
			h.request('POST', '/api/proxy/grants', {
				token: son.token,
				body: { grantorPhone: resident.phone, items: 'all', validUntil: '2026-12-26' }
			})
		);
		expect(asked.status).toBe(202);
		const { lastSmsCode } = await import('./harness.ts');
		const code = lastSmsCode(h.deps.config.dataDir, resident.phone);
		expect(
			(await post(son.token, `/api/proxy/grants/${asked.body.grantId}/confirm`, { code })).status
		).toBe(200);
		expect(
			(await post(son.token, '/api/proxy/acting', { grantId: asked.body.grantId })).status
		).toBe(200);

		const visit = await requestVisit(son.token, { reason: 'sick' });
		expect(visit).toMatchObject({
			resident: { id: resident.id },
			requestedBy: { id: son.id, as: 'proxy' }
		});
		const seen = await json(
			h.request('GET', `/api/home-visits/${visit.id}`, { token: resident.token })
		);
		expect((seen.body.visit as Visit).events![0]).toMatchObject({
			type: 'home_visit.requested',
			actor: { id: son.id },
			actedAs: 'proxy',
			actedFor: { id: resident.id }
		});
	});
});

describe('入户办: rules', () => {
	it("the ticket needs the resident's consent first (409 consent_required), and a visit starts one ticket", async () => {
		const resident = await newCitizen(h);
		const grid = await h.loginAs('grid');
		const visit = await requestVisit(resident.token);
		expect((await post(grid, `/api/home-visits/${visit.id}/accept`)).status).toBe(200);
		const early = await post(grid, `/api/home-visits/${visit.id}/start-ticket`);
		expect([early.status, early.code]).toEqual([409, 'consent_required']);
		expect(
			await h.store.get('SELECT id FROM tickets WHERE citizen_id = ?', [resident.id])
		).toBeUndefined();
		const noSignature = await post(grid, `/api/home-visits/${visit.id}/consent`, {
			method: 'signature'
		});
		expect(noSignature.status).toBe(400);
		expect(
			(await post(grid, `/api/home-visits/${visit.id}/consent`, { method: 'verbal' })).status
		).toBe(200);
		const started = await post(grid, `/api/home-visits/${visit.id}/start-ticket`);
		expect(started.status).toBe(201);
		const again = await post(grid, `/api/home-visits/${visit.id}/start-ticket`);
		expect([again.status, again.code]).toEqual([409, 'visit_started']);
		// the tablet follows the ticket it started (after a reload too); nobody else's
		const ticketId = (started.body.ticket as { id: string }).id;
		const followed = await json(
			h.request('GET', `/api/queue/tickets/${ticketId}`, { token: grid })
		);
		expect(followed.status).toBe(200);
		expect(followed.body.ticket).toMatchObject({ id: ticketId, status: 'waiting' });
		const outsider = await otherCommunityGridWorker();
		expect(
			(await json(h.request('GET', `/api/queue/tickets/${ticketId}`, { token: outsider }))).status
		).toBe(404);
	});

	it('a grid worker of another community neither sees nor takes the visit; a second worker of the same community may not act on a taken one', async () => {
		const resident = await newCitizen(h);
		const visit = await requestVisit(resident.token);
		const outsider = await otherCommunityGridWorker();
		const theirs = await json(
			h.request('GET', '/api/home-visits?status=open', { token: outsider })
		);
		expect(theirs.status).toBe(200);
		expect(theirs.body.visits).toEqual([]);
		expect(
			(await json(h.request('GET', `/api/home-visits/${visit.id}`, { token: outsider }))).status
		).toBe(404);
		expect((await post(outsider, `/api/home-visits/${visit.id}/accept`)).status).toBe(404);

		const grid = await h.loginAs('grid');
		const colleague = await newStaff(h, {
			username: 'grid-colleague',
			role: 'grid',
			orgUnitId: community
		});
		expect((await post(grid, `/api/home-visits/${visit.id}/accept`)).status).toBe(200);
		const late = await post(colleague, `/api/home-visits/${visit.id}/accept`);
		expect([late.status, late.code]).toEqual([409, 'visit_taken']);
		expect(
			(await post(colleague, `/api/home-visits/${visit.id}/schedule`, { at: inAnHour() })).status
		).toBe(403);
		expect(
			(await post(colleague, `/api/home-visits/${visit.id}/consent`, { method: 'verbal' })).status
		).toBe(403);
		// another resident never sees it
		const stranger = await newCitizen(h);
		expect(
			(await json(h.request('GET', `/api/home-visits/${visit.id}`, { token: stranger.token })))
				.status
		).toBe(404);
	});

	it('a grid worker belongs to a community: the admin cannot attach one to a township', async () => {
		const admin = await h.loginAs('admin');
		const township = (await h.store.get<{ id: string }>(
			"SELECT id FROM org_units WHERE code = '370281001'"
		))!.id;
		const res = await json(
			h.request('POST', '/api/admin/staff', {
				token: admin,
				body: {
					username: 'grid-x',
					name: '网格',
					role: 'grid',
					orgUnitId: township,
					password: 'Staff#2026'
				}
			})
		);
		expect(res.status).toBe(400);
		expect(res.body.error).toMatchObject({
			fields: { orgUnitId: expect.stringContaining('community') }
		});
	});

	it("no session 401; other roles 403 on the grid worker's routes", async () => {
		const resident = await newCitizen(h);
		const visit = await requestVisit(resident.token);
		expect((await json(h.request('POST', `/api/home-visits/${visit.id}/accept`))).status).toBe(401);
		for (const role of ['agent', 'township', 'supervisor', 'admin'] as const) {
			const token = await h.loginAs(role);
			expect((await post(token, `/api/home-visits/${visit.id}/accept`)).status, role).toBe(403);
			expect((await json(h.request('GET', '/api/home-visits', { token }))).status, role).toBe(403);
		}
		expect((await post(resident.token, `/api/home-visits/${visit.id}/accept`)).status).toBe(403);
		expect((await post(await h.loginAs('grid'), '/api/home-visits', {})).status).toBe(403);
	});
});

describe('入户办: the video session', () => {
	it('the grid worker who started the ticket takes part with the resident: let in when the resident is, not session staff; another grid worker is not in it', async () => {
		const resident = await newCitizen(h, '王秀英');
		const grid = await h.loginAs('grid');
		const visit = await readyVisit(resident, grid);
		const agent = await h.loginAs('agent');
		const desk = await openDesk(h, agent);
		expect((await post(grid, `/api/home-visits/${visit.id}/start-ticket`)).status).toBe(201);
		const called = await callNext(h, agent, desk.id);
		const opened = await post(agent, '/api/video-sessions', { ticketId: called!.id });
		expect(opened.status).toBe(201);
		const sessionId = (opened.body.session as { id: string }).id;

		const seen = await json(h.request('GET', `/api/video-sessions/${sessionId}`, { token: grid }));
		expect(seen.status, JSON.stringify(seen.body)).toBe(200);
		expect(seen.body.session).toMatchObject({
			me: { kind: 'grid', admitted: false, removed: false },
			// not session staff: no timeline
			timeline: []
		});
		const early = await post(grid, `/api/video-sessions/${sessionId}/token`);
		expect([early.status, early.code]).toEqual([409, 'not_admitted']);
		expect((await post(agent, `/api/video-sessions/${sessionId}/admit`)).status).toBe(200);
		// the agent's people panel lists the grid worker beside the resident, in with her
		const gridWorker = (await json(h.request('GET', '/api/me', { token: grid }))).body.user as {
			id: string;
			name: string;
		};
		const listed = async () =>
			(
				(await json(h.request('GET', `/api/video-sessions/${sessionId}`, { token: agent }))).body
					.session as { participants: { userId: string; kind: string }[] }
			).participants;
		const kinds = (await listed()).map((p) => `${p.kind} ${p.userId}`);
		expect(kinds.indexOf(`grid ${gridWorker.id}`)).toBe(
			kinds.indexOf(`citizen ${resident.id}`) + 1
		);
		expect((await listed()).find((p) => p.kind === 'grid')).toMatchObject({
			name: gridWorker.name,
			role: 'grid',
			admitted: true,
			removed: false
		});
		// let in with the resident: past every access check, to the video itself (no LiveKit here)
		const token = await post(grid, `/api/video-sessions/${sessionId}/token`);
		expect([token.status, token.code]).toEqual([503, 'video_unavailable']);
		expect(
			(await post(grid, `/api/video-sessions/${sessionId}/chat`, { text: '居民已就位' })).status
		).toBe(201);

		const colleague = await newStaff(h, {
			username: 'grid-video',
			role: 'grid',
			orgUnitId: community
		});
		expect(
			(await json(h.request('GET', `/api/video-sessions/${sessionId}`, { token: colleague })))
				.status
		).toBe(403);
		expect((await post(colleague, `/api/video-sessions/${sessionId}/token`)).status).toBe(403);

		// removing the resident removes the tablet too
		expect(
			(await post(agent, `/api/video-sessions/${sessionId}/remove`, { userId: resident.id })).status
		).toBe(200);
		const after = await post(grid, `/api/video-sessions/${sessionId}/token`);
		expect(after.status).toBe(403);
		expect((await listed()).find((p) => p.kind === 'grid')).toMatchObject({ removed: true });
	});
});

describe('入户办: two nodes', () => {
	it('two grid workers accepting on two nodes at once: one takes it, the other gets 409', async () => {
		const grid = await h.loginAs('grid');
		const colleague = await newStaff(h, {
			username: 'grid-race',
			role: 'grid',
			orgUnitId: community
		});
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < 4; round++) {
				const resident = await newCitizen(h);
				const visit = await requestVisit(resident.token);
				const [a, b] = byRound(round, first, second);
				const answers = await Promise.all([
					a.request('POST', `/api/home-visits/${visit.id}/accept`, { token: grid }).then(answer),
					b
						.request('POST', `/api/home-visits/${visit.id}/accept`, { token: colleague })
						.then(answer)
				]);
				expect(answers.map((x) => x.status).sort(), `round ${round}`).toEqual([200, 409]);
				expect(answers.find((x) => x.status === 409)!.code).toBe('visit_taken');
				const events = await h.store.all<{ type: string }>(
					"SELECT type FROM home_visit_events WHERE visit_id = ? AND type = 'home_visit.accepted'",
					[visit.id]
				);
				expect(events).toHaveLength(1);
			}
		});
	});
});

describe("入户办: supervisors' figures", () => {
	it('per community: requests, accepted, visited, median wait from request to visit, tickets started; the same as CSV', async () => {
		const day = localDate(h.clock.now, h.deps.config.timeZone);
		const [a, b, c] = [await newCitizen(h), await newCitizen(h), await newCitizen(h)];
		// two taken and scheduled at 09:00, one left open
		const first = await readyVisit(a, await h.loginAs('grid'), { consent: false });
		const second = await readyVisit(b, await h.loginAs('grid'), { consent: false });
		await requestVisit(c.token);
		// the first visited after 30 minutes (its ticket started), the second after 90 (no ticket)
		h.clock.advance(30 * 60_000);
		let grid = await h.loginAs('grid');
		expect(
			(await post(grid, `/api/home-visits/${first.id}/consent`, { method: 'verbal' })).status
		).toBe(200);
		expect((await post(grid, `/api/home-visits/${first.id}/start-ticket`)).status).toBe(201);
		h.clock.advance(60 * 60_000);
		grid = await h.loginAs('grid');
		expect(
			(await post(grid, `/api/home-visits/${second.id}/consent`, { method: 'verbal' })).status
		).toBe(200);

		const supervisor = await h.loginAs('supervisor');
		const res = await json(
			h.request('GET', `/api/stats/home-visits?from=${day}&to=${day}`, { token: supervisor })
		);
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body.homeVisits).toEqual([
			{
				communityId: community,
				communityName: '郑州路社区',
				requests: 3,
				accepted: 2,
				visited: 2,
				// nearest-rank median of 30 and 90 minutes
				medianWaitMinutes: 30,
				ticketsStarted: 1
			}
		]);
		// a range without requests counts none
		const before = await json(
			h.request('GET', '/api/stats/home-visits?from=2026-11-01&to=2026-11-25', {
				token: supervisor
			})
		);
		expect(before.body.homeVisits).toEqual([
			expect.objectContaining({ requests: 0, visited: 0, medianWaitMinutes: null })
		]);

		const csv = await h.request('GET', `/api/stats/home-visits.csv?from=${day}&to=${day}`, {
			token: supervisor
		});
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
		// the bytes (Response.text() would drop the byte order mark)
		expect(Buffer.from(await csv.arrayBuffer()).toString('utf8')).toBe(
			'\uFEFFcommunity_id,community_name,requests,accepted,visited,median_wait_minutes,tickets_started\r\n' +
				`${community},郑州路社区,3,2,2,30,1\r\n`
		);
		const exported = await h.store.get<{ n: number }>(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'export.csv' AND target_id = 'homeVisits'"
		);
		expect(Number(exported!.n)).toBe(1);
	});
});

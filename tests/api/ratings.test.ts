// 好差评 and 回访整改 through the API: a citizen rates an ended video session or a completed
// case once (changeable for 24 hours); a bad rating opens a follow-up for the serving org unit,
// due 15 working days later; supervisors of that org unit (or above) contact the citizen and
// resolve it; admins keep the working-day calendar. Sessions and cases are driven through the
// real queue, video and case routes (no LiveKit needed: ending a session only asks it politely).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { count, createHarness, START, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { desksOf, take } from './queue-helpers.ts';
import { handInMaterials, signInNewStaff, SIGNATURE_PNG as PNG } from './builders.ts';

const FORM = {
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '阜安街道郑州路',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};
const HOUR = 3_600_000;

type Citizen = { id: string; token: string; phone: string };
let h: Harness;
let agent: string;
let township: string;
let supervisor: string;
let admin: string;
let demoCitizen: string;
let item: { id: string; name: string };
let deskId: string;
let orgs: { id: string; code: string }[];
const org = (code: string) => orgs.find((o) => o.code === code)!.id;
const userId = async (username: string) =>
	(await h.store.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [username]))!.id;

async function body(res: Response | Promise<Response>) {
	return (await res).json();
}

async function staff(username: string, role: string, orgCode: string) {
	const res = await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: { username, name: username, role, orgUnitId: org(orgCode), password: 'Staff#2026' }
	});
	expect(res.status).toBe(201);
	return signInNewStaff(h, username, 'Staff#2026');
}

/** A citizen's video session at the district desk, called and opened by the agent (still open). */
async function openSession(citizen: Citizen) {
	const ticket = (await body(take(h, citizen.token, { serviceId: item.id, channel: 'video' })))
		.ticket;
	expect((await h.request('POST', `/api/desks/${deskId}/call-next`, { token: agent })).status).toBe(
		200
	);
	const res = await h.request('POST', '/api/video-sessions', {
		token: agent,
		body: { ticketId: ticket.id }
	});
	expect(res.status).toBe(201);
	const session = (await res.json()).session as { id: string };
	return {
		session,
		/** The agent finishes the ticket, which ends its session. */
		end: async () =>
			expect(
				(await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent })).status
			).toBe(200)
	};
}

async function endedSession(citizen: Citizen) {
	const { session, end } = await openSession(citizen);
	await end();
	return session;
}

async function fillSignSubmit(citizen: Citizen, caseId: string) {
	for (const [key, value] of Object.entries(FORM))
		expect(
			(
				await h.request('PUT', `/api/cases/${caseId}/fields/${key}`, {
					token: citizen.token,
					body: { value, revision: 0 }
				})
			).status
		).toBe(200);
	await handInMaterials(h, citizen.token, caseId);
	await h.request('POST', `/api/cases/${caseId}/signature`, {
		token: citizen.token,
		body: { image: PNG }
	});
	expect(
		(await h.request('POST', `/api/cases/${caseId}/submit`, { token: citizen.token })).status
	).toBe(200);
}

const step = (token: string, caseId: string, name: string, payload?: unknown) =>
	h.request('POST', `/api/cases/${caseId}/${name}`, { token, body: payload });

/** An online case accepted, reviewed and completed by the district agent. */
async function districtCase(citizen: Citizen, completeIt = true) {
	const kase = (
		await body(
			h.request('POST', '/api/cases', { token: citizen.token, body: { serviceId: item.id } })
		)
	).case as { id: string };
	await fillSignSubmit(citizen, kase.id);
	if (completeIt) await finishCase(kase.id, agent, agent);
	return kase;
}

async function finishCase(caseId: string, accepting: string, reviewing: string) {
	for (const [token, name] of [
		[accepting, 'accept'],
		[accepting, 'forward'],
		[reviewing, 'approve'],
		[accepting, 'complete']
	] as const)
		expect((await step(token, caseId, name)).status, name).toBe(200);
}

/** A township video session with a case filled in it; the township completes the case and ends the session. */
async function townshipSessionAndCase(citizen: Citizen) {
	const desk = (await desksOf(h, township)).find((d) => d.name === '阜安街道便民服务窗口')!;
	await h.request('POST', `/api/desks/${desk.id}/open`, {
		token: township,
		body: { categories: ['A'] }
	});
	const ticket = (
		await body(
			take(h, citizen.token, { serviceId: item.id, channel: 'video', hallId: org('370281001') })
		)
	).ticket;
	await h.request('POST', `/api/desks/${desk.id}/call-next`, { token: township });
	const session = (
		await body(
			h.request('POST', '/api/video-sessions', { token: township, body: { ticketId: ticket.id } })
		)
	).session as { id: string };
	const kase = (
		await body(
			h.request('POST', '/api/cases', {
				token: township,
				body: { serviceId: item.id, sessionId: session.id }
			})
		)
	).case as { id: string };
	await fillSignSubmit(citizen, kase.id);
	await finishCase(kase.id, township, agent);
	await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: township });
	await h.request('POST', `/api/desks/${desk.id}/close`, { token: township });
	return { session, kase };
}

const rate = (token: string, payload: unknown) =>
	h.request('POST', '/api/ratings', { token, body: payload });
const change = (token: string, id: string, payload: unknown) =>
	h.request('PUT', `/api/ratings/${id}`, { token, body: payload });
const myRatings = async (token: string) =>
	(await body(h.request('GET', '/api/ratings', { token }))).ratings as {
		id: string;
		subjectId: string;
		followUp: Record<string, unknown> | null;
	}[];
const pending = async (token: string) =>
	(await body(h.request('GET', '/api/ratings/pending', { token }))).pending as {
		subjectType: string;
		subjectId: string;
	}[];
const followUps = async (token: string, query = '') =>
	(await body(h.request('GET', `/api/rating-followups${query}`, { token }))).followUps as {
		id: string;
		ratingId: string;
		status: string;
		dueDay: string;
		overdue: boolean;
	}[];
const followUpOf = (ratingId: string) =>
	h.store.get<{ id: string; status: string; due_day: string; org_unit_id: string }>(
		'SELECT * FROM rating_followups WHERE rating_id = ?',
		[ratingId]
	);

/** A bad rating of a new session whose follow-up the supervisor has contacted and resolved. */
async function resolvedFollowUp() {
	const citizen = await newCitizen(h);
	const session = await endedSession(citizen);
	const rating = (
		await body(rate(citizen.token, { subjectType: 'session', subjectId: session.id, score: 1 }))
	).rating;
	const id = (await followUpOf(rating.id))!.id;
	for (const [name, payload] of [
		['contact', { note: '已电话联系' }],
		['resolve', { resolution: '已整改' }]
	] as const)
		expect(
			(
				await h.request('POST', `/api/rating-followups/${id}/${name}`, {
					token: supervisor,
					body: payload
				})
			).status,
			name
		).toBe(200);
	return id;
}

// Every test on a fresh hall where the agent has 1号窗口 open and nobody waits; no ratings yet.
beforeEach(async () => {
	h = await createHarness();
	agent = await h.loginAs('agent');
	township = await h.loginAs('township');
	supervisor = await h.loginAs('supervisor');
	admin = await h.loginAs('admin');
	demoCitizen = await h.loginAs('citizen');
	item = await serviceByCode(h, '370281-XZSP-001');
	orgs = (await body(h.request('GET', '/api/org-units', { token: agent }))).orgUnits;
	deskId = (await desksOf(h, agent)).find((d) => d.name === '1号窗口')!.id;
	await h.request('POST', `/api/desks/${deskId}/open`, {
		token: agent,
		body: { categories: ['A', 'B'] }
	});
});
afterEach(() => h?.close());

describe('rating a video session', () => {
	it('is for its citizen only, once the session has ended, once', async () => {
		const citizen = await newCitizen(h, '评价群众');
		const { session, end } = await openSession(citizen);
		const open = await rate(citizen.token, {
			subjectType: 'session',
			subjectId: session.id,
			score: 5
		});
		expect(open.status).toBe(409);
		expect((await open.json()).error.code).toBe('session_not_ended');
		expect(await pending(citizen.token)).toEqual([]);

		await end();
		expect(await pending(citizen.token)).toEqual([
			{
				subjectType: 'session',
				subjectId: session.id,
				serviceId: item.id,
				serviceName: '个体工商户设立登记',
				orgUnitName: '胶州市',
				finishedAt: '2026-11-26T09:00:00.000+08:00'
			}
		]);

		// someone else's session, or none at all: not found, nothing revealed
		for (const [token, subjectId] of [
			[demoCitizen, session.id],
			[citizen.token, 'no-such-session']
		]) {
			const res = await rate(token, { subjectType: 'session', subjectId, score: 5 });
			expect(res.status).toBe(404);
			expect((await res.json()).error.code).toBe('not_found');
		}
		// a session id is not a case id
		expect(
			(await rate(citizen.token, { subjectType: 'case', subjectId: session.id, score: 5 })).status
		).toBe(404);

		const res = await rate(citizen.token, {
			subjectType: 'session',
			subjectId: session.id,
			score: 5,
			tags: ['patient', 'efficient'],
			comment: '  讲解很耐心 '
		});
		expect(res.status).toBe(201);
		const rating = (await res.json()).rating;
		expect(rating).toMatchObject({
			subjectType: 'session',
			subjectId: session.id,
			serviceName: '个体工商户设立登记',
			orgUnitId: org('370281'),
			orgUnitName: '胶州市',
			staffName: '李静',
			score: 5,
			tags: ['patient', 'efficient'],
			comment: '讲解很耐心',
			createdAt: '2026-11-26T09:00:00.000+08:00',
			changeableUntil: '2026-11-27T09:00:00.000+08:00',
			changeable: true,
			followUp: null
		});
		const row = await h.store.get<{
			staff_id: string;
			citizen_id: string;
			org_unit_id: string;
			tags: string;
		}>('SELECT * FROM ratings WHERE id = ?', [rating.id]);
		expect(row).toMatchObject({
			staff_id: await userId('agent'),
			citizen_id: citizen.id,
			org_unit_id: org('370281'),
			tags: '["patient","efficient"]'
		});
		expect(await followUpOf(rating.id)).toBeUndefined();

		const again = await rate(citizen.token, {
			subjectType: 'session',
			subjectId: session.id,
			score: 1
		});
		expect(again.status).toBe(409);
		expect((await again.json()).error).toMatchObject({
			code: 'already_rated',
			ratingId: rating.id,
			changeable: true,
			changeableUntil: '2026-11-27T09:00:00.000+08:00'
		});
		expect(await pending(citizen.token)).toEqual([]);
		expect((await myRatings(citizen.token)).map((r) => r.id)).toEqual([rating.id]);
		expect((await myRatings(demoCitizen)).map((r) => r.id)).not.toContain(rating.id);
	});

	it('validates every field and changes nothing on bad input', async () => {
		const citizen = await newCitizen(h);
		const session = await endedSession(citizen);
		const base = { subjectType: 'session', subjectId: session.id };
		const before = [await count(h.store, 'ratings'), await count(h.store, 'rating_followups')];
		const cases: [Record<string, unknown>, string][] = [
			[{ ...base, score: 0 }, 'score'],
			[{ ...base, score: 6 }, 'score'],
			[{ ...base, score: 2.5 }, 'score'],
			[{ ...base, score: '5' }, 'score'],
			[{ ...base }, 'score'],
			[{ ...base, score: 4, tags: ['nope'] }, 'tags.0'],
			[{ ...base, score: 4, tags: 'patient' }, 'tags'],
			[{ ...base, score: 4, tags: ['patient', 'patient'] }, 'tags'],
			[{ ...base, score: 1, tags: ['long_wait', 'patient'] }, 'tags'],
			[{ ...base, score: 5, tags: ['system_lag'] }, 'tags'],
			[{ ...base, score: 4, comment: '好'.repeat(501) }, 'comment'],
			[{ ...base, score: 4, comment: 5 }, 'comment'],
			[{ ...base, subjectType: 'ticket', score: 4 }, 'subjectType'],
			[{ subjectType: 'session', subjectId: '', score: 4 }, 'subjectId']
		];
		for (const [payload, field] of cases) {
			const res = await rate(citizen.token, payload);
			expect(res.status, JSON.stringify(payload)).toBe(400);
			const error = (await res.json()).error;
			expect(error.code).toBe('validation_failed');
			expect(Object.keys(error.fields), JSON.stringify(payload)).toContain(field);
		}
		expect([await count(h.store, 'ratings'), await count(h.store, 'rating_followups')]).toEqual(
			before
		);

		// 3 基本满意 may carry a bad and a good reason; 500 characters of comment are fine
		const ok = await rate(citizen.token, {
			...base,
			score: 3,
			tags: ['long_wait', 'clear_explanation'],
			comment: '好'.repeat(500)
		});
		expect(ok.status).toBe(201);
		expect(await followUpOf((await ok.json()).rating.id)).toBeUndefined();
	});
});

describe('bad ratings and the change window', () => {
	it('opens a follow-up due 15 working days later; a change cancels or reopens it; locked after 24 hours', async () => {
		const citizen = await newCitizen(h);
		const session = await endedSession(citizen);
		const res = await rate(citizen.token, {
			subjectType: 'session',
			subjectId: session.id,
			score: 1,
			tags: ['long_wait', 'bad_attitude'],
			comment: '等了很久'
		});
		expect(res.status).toBe(201);
		const rating = (await res.json()).rating;
		expect(rating.followUp).toEqual({
			status: 'open',
			dueDay: '2026-12-17', // Thursday 2026-11-26 + 15 working days
			overdue: false,
			contactedAt: null,
			resolution: null,
			resolvedAt: null
		});
		expect(await followUpOf(rating.id)).toMatchObject({
			status: 'open',
			org_unit_id: org('370281')
		});

		// not yours: not found; bad input: nothing changes
		expect((await change(demoCitizen, rating.id, { score: 5 })).status).toBe(404);
		expect((await change(citizen.token, 'no-such-rating', { score: 5 })).status).toBe(404);
		const bad = await change(citizen.token, rating.id, { score: 9 });
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.fields).toHaveProperty('score');
		const misfit = await change(citizen.token, rating.id, { score: 5, tags: ['long_wait'] });
		expect((await misfit.json()).error.fields).toHaveProperty('tags');
		expect((await myRatings(citizen.token))[0]).toMatchObject({ score: 1, comment: '等了很久' });

		try {
			h.clock.advance(2 * HOUR);
			const raised = await change(citizen.token, rating.id, { score: 4, tags: ['efficient'] });
			expect(raised.status).toBe(200);
			expect((await raised.json()).rating).toMatchObject({
				score: 4,
				tags: ['efficient'],
				comment: '', // a change replaces tags and comment
				createdAt: '2026-11-26T09:00:00.000+08:00',
				updatedAt: '2026-11-26T11:00:00.000+08:00',
				followUp: null
			});
			expect((await followUpOf(rating.id))!.status).toBe('cancelled');

			// lowered again the next morning (still inside 24 hours): a new round, counted from today
			h.clock.advance(18 * HOUR);
			const lowered = await change(citizen.token, rating.id, {
				score: 2,
				tags: ['unfamiliar'],
				comment: '还是没说清楚'
			});
			expect(lowered.status).toBe(200);
			expect((await lowered.json()).rating.followUp).toMatchObject({
				status: 'open',
				dueDay: '2026-12-18'
			});
			expect(
				await h.store.get('SELECT count(*) AS n FROM rating_followups WHERE rating_id = ?', [
					rating.id
				])
			).toEqual({ n: 1 });

			h.clock.advance(4 * HOUR); // exactly 24 hours after the rating
			const locked = await change(citizen.token, rating.id, { score: 5 });
			expect(locked.status).toBe(409);
			expect((await locked.json()).error.code).toBe('rating_locked');
			expect((await myRatings(citizen.token))[0]).toMatchObject({
				score: 2,
				changeable: false,
				followUp: { status: 'open' }
			});
			const again = await rate(citizen.token, {
				subjectType: 'session',
				subjectId: session.id,
				score: 5
			});
			expect((await again.json()).error).toMatchObject({
				code: 'already_rated',
				changeable: false
			});
		} finally {
			h.clock.now = START;
		}
	});
});

describe('rating a case', () => {
	it('waits for completion and names the org unit and staff member who completed it', async () => {
		const citizen = await newCitizen(h);
		const kase = await districtCase(citizen, false);
		const early = await rate(citizen.token, { subjectType: 'case', subjectId: kase.id, score: 2 });
		expect(early.status).toBe(409);
		expect((await early.json()).error.code).toBe('case_not_completed');

		await finishCase(kase.id, agent, agent);
		expect(await pending(citizen.token)).toEqual([
			expect.objectContaining({ subjectType: 'case', subjectId: kase.id, orgUnitName: '胶州市' })
		]);
		expect(
			(await rate(demoCitizen, { subjectType: 'case', subjectId: kase.id, score: 2 })).status
		).toBe(404);
		const res = await rate(citizen.token, {
			subjectType: 'case',
			subjectId: kase.id,
			score: 2,
			tags: ['not_done_at_once', 'unclear_materials']
		});
		expect(res.status).toBe(201);
		expect((await res.json()).rating).toMatchObject({
			subjectType: 'case',
			orgUnitName: '胶州市',
			staffName: '李静',
			followUp: { status: 'open', dueDay: '2026-12-17' }
		});
		expect(await pending(citizen.token)).toEqual([]);
	});

	it('rates a township session and its case against the township and its staff member', async () => {
		const citizen = await newCitizen(h, '镇街群众');
		const { session, kase } = await townshipSessionAndCase(citizen);
		expect((await pending(citizen.token)).map((p) => p.subjectType).sort()).toEqual([
			'case',
			'session'
		]);
		const bySession = (
			await body(rate(citizen.token, { subjectType: 'session', subjectId: session.id, score: 1 }))
		).rating;
		const byCase = (
			await body(rate(citizen.token, { subjectType: 'case', subjectId: kase.id, score: 2 }))
		).rating;
		for (const r of [bySession, byCase])
			expect(r).toMatchObject({
				orgUnitId: org('370281001'),
				orgUnitName: '阜安街道',
				staffName: '赵磊'
			});
		const rows = await h.store.all<{ staff_id: string }>(
			'SELECT staff_id FROM ratings WHERE id IN (?, ?)',
			[bySession.id, byCase.id]
		);
		const townshipId = await userId('township');
		expect(rows.map((r) => r.staff_id)).toEqual([townshipId, townshipId]);

		// follow-ups: the township's supervisors and those above see them; another branch does not
		const townSupervisor = await staff('fa.supervisor', 'supervisor', '370281001');
		const otherBranch = await staff('lc.supervisor', 'supervisor', '370213');
		const ids = [bySession.id, byCase.id];
		const seenBy = async (token: string) =>
			(await followUps(token)).filter((f) => ids.includes(f.ratingId)).length;
		expect(await seenBy(supervisor)).toBe(2);
		expect(await seenBy(townSupervisor)).toBe(2);
		expect(await seenBy(otherBranch)).toBe(0);
		expect(await followUps(otherBranch)).toEqual([]);
		// the township supervisor does not see the district's own follow-ups
		expect((await followUps(townSupervisor)).every((f) => ids.includes(f.ratingId))).toBe(true);
		const id = (await followUpOf(bySession.id))!.id;
		for (const [method, path, payload] of [
			['GET', `/api/rating-followups/${id}`, undefined],
			['POST', `/api/rating-followups/${id}/reveal-phone`, undefined],
			['POST', `/api/rating-followups/${id}/contact`, { note: '已电话联系' }],
			['POST', `/api/rating-followups/${id}/resolve`, { resolution: '已整改' }]
		] as const) {
			const res = await h.request(method, path, { token: otherBranch, body: payload });
			expect(res.status, path).toBe(404);
			expect((await res.json()).error.code).toBe('not_found');
		}
		expect((await followUpOf(bySession.id))!.status).toBe('open');
	});
});

describe('follow-up by supervisors', () => {
	it('records the contact, then the fix; the citizen sees the outcome and is notified in-app and by SMS', async () => {
		const citizen = await newCitizen(h, '回访群众');
		const session = await endedSession(citizen);
		const rating = (
			await body(
				rate(citizen.token, {
					subjectType: 'session',
					subjectId: session.id,
					score: 1,
					tags: ['system_lag'],
					comment: '视频一直卡'
				})
			)
		).rating;
		const listed = (await followUps(supervisor)).find((f) => f.ratingId === rating.id)!;
		expect(listed).toMatchObject({
			status: 'open',
			dueDay: '2026-12-17',
			overdue: false,
			orgUnitName: '胶州市',
			contactNote: null,
			rating: {
				subjectType: 'session',
				subjectId: session.id,
				serviceName: '个体工商户设立登记',
				score: 1,
				tags: ['system_lag'],
				comment: '视频一直卡',
				staffName: '李静',
				citizenName: '回访群众'
			}
		});
		expect(
			(listed as unknown as { rating: { citizenPhone: string } }).rating.citizenPhone
		).not.toBe(citizen.phone);
		const url = `/api/rating-followups/${listed.id}`;
		const one = (await body(h.request('GET', url, { token: supervisor }))).followUp;
		expect(one.rating.citizenPhone).not.toBe(citizen.phone); // masked in every ordinary read
		// 查看完整号码: the full number for the call, as an explicit action in the audit log
		const audited = async () =>
			(await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'pii.revealed' AND target_id = ?",
				[listed.id]
			))!.n;
		expect(await audited()).toBe(0);
		expect(await body(h.request('POST', `${url}/reveal-phone`, { token: supervisor }))).toEqual({
			phone: citizen.phone
		});
		expect(await audited()).toBe(1);

		const early = await h.request('POST', `${url}/resolve`, {
			token: supervisor,
			body: { resolution: '已优化网络' }
		});
		expect(early.status).toBe(409);
		expect((await early.json()).error.code).toBe('not_contacted');
		for (const note of ['', '   ', '话'.repeat(501)]) {
			const res = await h.request('POST', `${url}/contact`, { token: supervisor, body: { note } });
			expect(res.status).toBe(400);
			expect((await res.json()).error.fields).toHaveProperty('note');
		}
		expect((await followUpOf(rating.id))!.status).toBe('open');

		h.clock.advance(HOUR);
		supervisor = await h.loginAs('supervisor'); // an hour later: signed in again
		const contacted = await h.request('POST', `${url}/contact`, {
			token: supervisor,
			body: { note: '已电话联系群众，了解卡顿情况' }
		});
		expect(contacted.status).toBe(200);
		expect((await contacted.json()).followUp).toMatchObject({
			status: 'contacted',
			contactNote: '已电话联系群众，了解卡顿情况',
			contactedAt: '2026-11-26T10:00:00.000+08:00',
			handledByName: '陈敏'
		});
		const twice = await h.request('POST', `${url}/contact`, {
			token: supervisor,
			body: { note: '再次联系' }
		});
		expect((await twice.json()).error.code).toBe('wrong_state');
		expect((await myRatings(citizen.token))[0].followUp).toMatchObject({
			status: 'contacted',
			contactedAt: '2026-11-26T10:00:00.000+08:00',
			resolution: null
		});
		expect((await myRatings(citizen.token))[0].followUp).not.toHaveProperty('contactNote');

		const empty = await h.request('POST', `${url}/resolve`, {
			token: supervisor,
			body: { resolution: ' ' }
		});
		expect((await empty.json()).error.fields).toHaveProperty('resolution');
		h.clock.advance(HOUR);
		supervisor = await h.loginAs('supervisor'); // an hour later: signed in again
		const resolved = await h.request('POST', `${url}/resolve`, {
			token: supervisor,
			body: { resolution: '已为窗口升级网络带宽，并向群众致歉' }
		});
		expect(resolved.status).toBe(200);
		expect((await resolved.json()).followUp).toMatchObject({
			status: 'resolved',
			resolution: '已为窗口升级网络带宽，并向群众致歉',
			resolvedAt: '2026-11-26T11:00:00.000+08:00',
			overdue: false
		});
		expect((await myRatings(citizen.token))[0].followUp).toEqual({
			status: 'resolved',
			dueDay: '2026-12-17',
			overdue: false,
			contactedAt: '2026-11-26T10:00:00.000+08:00',
			resolution: '已为窗口升级网络带宽，并向群众致歉',
			resolvedAt: '2026-11-26T11:00:00.000+08:00'
		});
		const again = await h.request('POST', `${url}/resolve`, {
			token: supervisor,
			body: { resolution: '再次整改' }
		});
		expect((await again.json()).error.code).toBe('wrong_state');

		const notices = (await body(h.request('GET', '/api/notifications', { token: citizen.token })))
			.notifications as { kind: string; params: Record<string, string>; link: string }[];
		expect(notices.filter((n) => n.kind === 'rating_followup_resolved')).toEqual([
			expect.objectContaining({
				params: { serviceName: '个体工商户设立登记', orgUnitName: '胶州市' },
				link: '/my/ratings'
			})
		]);
		h.sms.sent.length = 0;
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((s) => s.phone === citizen.phone)).toHaveLength(1);

		expect((await followUps(supervisor, '?status=resolved')).map((f) => f.ratingId)).toContain(
			rating.id
		);
		expect((await followUps(supervisor, '?status=open')).map((f) => f.ratingId)).not.toContain(
			rating.id
		);
		const badQuery = await h.request('GET', '/api/rating-followups?status=done&overdue=maybe', {
			token: supervisor
		});
		expect(Object.keys((await badQuery.json()).error.fields).sort()).toEqual(['overdue', 'status']);
		h.clock.now = START;
	});

	it('marks unresolved follow-ups overdue once their due day has passed', async () => {
		const citizen = await newCitizen(h);
		const session = await endedSession(citizen);
		const rating = (
			await body(rate(citizen.token, { subjectType: 'session', subjectId: session.id, score: 2 }))
		).rating;
		const id = (await followUpOf(rating.id))!.id;
		const view = async () => (await followUps(supervisor)).find((f) => f.id === id)!;
		try {
			h.clock.now = Date.parse('2026-12-17T15:59:00Z'); // 23:59 on the due day in Shanghai
			supervisor = await h.loginAs('supervisor'); // weeks later: signed in again
			expect((await view()).overdue).toBe(false);
			h.clock.now = Date.parse('2026-12-17T16:00:00Z'); // the next day has begun
			supervisor = await h.loginAs('supervisor'); // weeks later: signed in again
			expect((await view()).overdue).toBe(true);
			expect((await followUps(supervisor, '?overdue=true')).map((f) => f.id)).toContain(id);
			expect((await followUps(supervisor, '?overdue=false')).map((f) => f.id)).not.toContain(id);
			expect(
				(await myRatings(citizen.token)).find((r) => r.id === rating.id)!.followUp
			).toMatchObject({ overdue: true });
			// resolved ones are never overdue
			expect((await followUps(supervisor, '?status=resolved')).every((f) => !f.overdue)).toBe(true);
		} finally {
			h.clock.now = START;
		}
	});
});

describe('the working-day calendar', () => {
	const put = (day: string, payload: unknown, token = admin) =>
		h.request('PUT', `/api/calendar-days/${day}`, { token, body: payload });

	it('is seeded with the official 2026 holidays and weekend workdays, and nothing for 2027', async () => {
		const days = (await body(h.request('GET', '/api/calendar-days?year=2026', { token: admin })))
			.days as { day: string; kind: string; name: string; weekday: number }[];
		expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(33);
		expect(days.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual([
			'2026-01-04',
			'2026-02-14',
			'2026-02-28',
			'2026-05-09',
			'2026-09-20',
			'2026-10-10'
		]);
		expect(days).toContainEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节', weekday: 4 });
		expect(days).toContainEqual({
			day: '2026-10-10',
			kind: 'workday',
			name: '国庆节调休上班',
			weekday: 6
		});
		expect(
			(await body(h.request('GET', '/api/calendar-days?year=2027', { token: admin }))).days
		).toEqual([]);
		const bad = await h.request('GET', '/api/calendar-days?year=26', { token: admin });
		expect((await bad.json()).error.fields).toHaveProperty('year');
	});

	it('lets admins add and remove days, validated; unresolved follow-ups move with it', async () => {
		const before = await count(h.store, 'calendar_days');
		for (const [day, payload, field] of [
			['2026-02-30', { kind: 'holiday' }, 'day'],
			['20261201', { kind: 'holiday' }, 'day'],
			['2026-12-01', { kind: 'vacation' }, 'kind'],
			['2026-12-01', {}, 'kind'],
			['2026-12-01', { kind: 'workday' }, 'kind'], // a Tuesday is a working day anyway
			['2026-12-01', { kind: 'holiday', name: '假'.repeat(51) }, 'name']
		] as const) {
			const res = await put(day, payload);
			expect(res.status, `${day} ${JSON.stringify(payload)}`).toBe(400);
			expect((await res.json()).error.fields).toHaveProperty(field);
		}
		expect(await count(h.store, 'calendar_days')).toBe(before);

		const citizen = await newCitizen(h);
		const session = await endedSession(citizen);
		const rating = (
			await body(rate(citizen.token, { subjectType: 'session', subjectId: session.id, score: 1 }))
		).rating;
		expect(rating.followUp.dueDay).toBe('2026-12-17');

		const added = await put('2026-12-01', { kind: 'holiday', name: ' 临时停办 ' });
		expect(added.status).toBe(200);
		const result = await added.json();
		expect(result.day).toEqual({
			day: '2026-12-01',
			kind: 'holiday',
			name: '临时停办',
			weekday: 2
		});
		expect(result.rescheduledFollowUps).toBeGreaterThanOrEqual(1);
		expect((await followUpOf(rating.id))!.due_day).toBe('2026-12-18');
		// a Saturday worked brings it back a day
		expect((await put('2026-12-05', { kind: 'workday', name: '调休上班' })).status).toBe(200);
		expect((await followUpOf(rating.id))!.due_day).toBe('2026-12-17');
		// a PUT on a day already set changes it
		expect((await put('2026-12-05', { kind: 'holiday' })).status).toBe(200);
		expect((await followUpOf(rating.id))!.due_day).toBe('2026-12-18');

		for (const day of ['2026-12-01', '2026-12-05'])
			expect(
				(await h.request('DELETE', `/api/calendar-days/${day}`, { token: admin })).status
			).toBe(204);
		expect((await followUpOf(rating.id))!.due_day).toBe('2026-12-17');
		const gone = await h.request('DELETE', '/api/calendar-days/2026-12-01', { token: admin });
		expect(gone.status).toBe(404);
		expect(await count(h.store, 'calendar_days')).toBe(before);
		// resolved follow-ups keep their due day
		await resolvedFollowUp();
		const resolved = await h.store.all<{ id: string; due_day: string }>(
			"SELECT id, due_day FROM rating_followups WHERE status = 'resolved'"
		);
		expect(resolved.length).toBeGreaterThan(0);
		await put('2026-12-02', { kind: 'holiday' });
		for (const r of resolved)
			expect(
				(await h.store.get<{ due_day: string }>(
					'SELECT due_day FROM rating_followups WHERE id = ?',
					[r.id]
				))!.due_day
			).toBe(r.due_day);
		await h.request('DELETE', '/api/calendar-days/2026-12-02', { token: admin });
	});
});

// 数据看板 through the API: a data set inserted with SQL whose answers are known in advance
// (20 called tickets, 3 no-shows, p50 wait 7 minutes, a known rating distribution, guidance and
// assistant rows), two supervisors of different districts, the CSV export, the live snapshot and
// its event stream, an agent's day, and hall-local day boundaries.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zonedTime } from '../../shared/dates.ts';
import { percentile } from '../../server/stats/figures.ts';
import { normaliseQuestion } from '../../server/stats/history.ts';
import { toCsv } from '../../server/http/csv.ts';
import { createHarness, type Harness } from './harness.ts';
import { signInNewStaff } from './builders.ts';

const TZ = 'Asia/Shanghai';
const D1 = '2026-11-24'; // the main day (Tuesday); the harness clock is 2026-11-26 09:00 local
const D2 = '2026-11-25';
const TODAY = '2026-11-26';
const RANGE = 'from=2026-11-20&to=2026-11-26';
const MIN = 60_000;
const at = (day: string, hhmm: string) => zonedTime(day, hhmm, TZ);

let h: Harness;
let supervisor: string;
let lcSupervisor: string;
let agentToken: string;
let admin: string;
const org: Record<string, string> = {};
const user: Record<string, string> = {};
let license: string;
let schedule: string;
let n = 0;
const id = (prefix: string) => `${prefix}-${++n}`;

async function ticket(o: {
	hall: string;
	created: number;
	channel?: 'video' | 'onsite';
	status: 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled';
	category?: string;
	calledAt?: number;
	serviceMinutes?: number;
	calledBy?: string;
	deskId?: string;
	appointmentId?: string;
	slotStart?: number;
}) {
	const tid = id('t');
	const day = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(o.created);
	const started = o.serviceMinutes !== undefined ? o.calledAt! + MIN : null;
	const number = ++n;
	const category = o.category ?? 'A';
	await h.store.run(
		`INSERT INTO tickets (id, hall_id, day, category, number, code, service_item_id, channel, appointment_id,
			   slot_start, status, order_key, desk_id, called_by, called_at, started_at, finished_at, no_show_at, created_at)
			 VALUES (@id, @hall, @day, @category, @number, @code, @item, @channel, @appointment, @slot, @status, @created,
			   @desk, @calledBy, @calledAt, @started, @finished, @noShow, @created)`,
		{
			id: tid,
			hall: o.hall,
			day,
			category,
			number,
			code: `${category}${String(number).padStart(3, '0')}`,
			item: license,
			channel: o.channel ?? 'onsite',
			appointment: o.appointmentId ?? null,
			slot: o.slotStart ?? null,
			status: o.status,
			created: o.created,
			desk: o.deskId ?? null,
			calledBy: o.calledAt !== undefined ? (o.calledBy ?? user.agent) : null,
			calledAt: o.calledAt ?? null,
			started,
			finished: started !== null ? started + o.serviceMinutes! * MIN : null,
			noShow: o.status === 'no_show' ? o.calledAt! + 5 * MIN : null
		}
	);
	return tid;
}

async function appointment(day: string, hhmm: string, status: string) {
	const aid = id('a');
	const start = at(day, hhmm);
	await h.store.run(
		`INSERT INTO appointments (id, citizen_id, service_item_id, schedule_id, org_unit_id, channel, start_at, end_at,
			   local_date, status, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, 'video', ?, ?, ?, ?, ?, ?)`,
		[
			aid,
			user.citizen,
			license,
			schedule,
			org['370281'],
			start,
			start + 30 * MIN,
			day,
			status,
			start - 86_400_000,
			start
		]
	);
	return aid;
}

async function session(o: { org: string; by: string; created: number; ended?: number }) {
	const sid = id('s');
	await h.store.run(
		`INSERT INTO video_sessions (id, citizen_id, created_by, org_unit_id, service_item_id, status, created_at, ended_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		[
			sid,
			user.citizen,
			o.by,
			o.org,
			license,
			o.ended ? 'ended' : 'open',
			o.created,
			o.ended ?? null
		]
	);
	return sid;
}

async function guidance(o: {
	session: string;
	requesting: string;
	expert: string;
	status: 'waiting' | 'accepted' | 'cancelled';
	created: number;
	accepted?: number;
	finished?: number;
}) {
	await h.store.run(
		`INSERT INTO guidance_requests (id, session_id, service_item_id, requested_by, requesting_org_id, expert_org_id,
			   status, accepted_by, created_at, accepted_at, finished_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		[
			id('g'),
			o.session,
			license,
			user.township,
			o.requesting,
			o.expert,
			o.status,
			o.accepted ? user.agent : null,
			o.created,
			o.accepted ?? null,
			o.finished ?? null
		]
	);
}

async function rating(o: {
	org: string;
	score: number;
	created: number;
	followUp?: [string, string];
}) {
	const rid = id('r');
	await h.store.run(
		`INSERT INTO ratings (id, subject_type, subject_id, citizen_id, org_unit_id, staff_id, service_item_id, score,
			   created_at, updated_at) VALUES (?, 'session', ?, ?, ?, ?, ?, ?, ?, ?)`,
		[rid, id('subject'), user.citizen, o.org, user.agent, license, o.score, o.created, o.created]
	);
	if (o.followUp)
		await h.store.run(
			`INSERT INTO rating_followups (id, rating_id, org_unit_id, status, due_day, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`,
			[id('f'), rid, o.org, o.followUp[0], o.followUp[1], o.created, o.created]
		);
}

async function conversation(handoff?: { at: number; ticket: string }) {
	const cid = id('c');
	await h.store.run(
		`INSERT INTO assistant_conversations (id, user_id, handoff_ticket_id, handoff_at, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, ?)`,
		[
			cid,
			user.citizen,
			handoff?.ticket ?? null,
			handoff?.at ?? null,
			handoff?.at ?? at(D1, '08:00'),
			handoff?.at ?? at(D1, '08:00')
		]
	);
	return cid;
}

async function question(
	conv: string,
	text: string,
	orgUnit: string | null,
	answered: boolean,
	when: number
) {
	await h.store.run(
		`INSERT INTO assistant_questions (conversation_id, question, org_unit_id, confidence, answered, created_at)
			 VALUES (?, ?, ?, ?, ?, ?)`,
		[conv, text, orgUnit, answered ? 0.9 : 0.1, answered ? 1 : 0, when]
	);
}

async function get(path: string, token?: string) {
	const res = await h.request('GET', path, { token });
	return { status: res.status, body: await res.json() };
}

/** Waits (minutes) of the 20 called tickets of 胶州市 on D1: nearest-rank p50 = 7, p90 = 15. */
const WAITS = [1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 31];

// The data set is built once (on `base`); every test then gets its own copy of that database
// (createHarness({ from })), so a test that adds tickets or signs someone out changes nothing
// for the others.
let base: Harness;
let nAfterBase: number;
beforeAll(async () => {
	h = base = await createHarness();
	for (const o of await h.store.all<{ id: string; code: string }>('SELECT id, code FROM org_units'))
		org[o.code] = o.id;
	license = (await h.store.get<{ id: string }>(
		"SELECT id FROM service_items WHERE code = '370281-XZSP-001'"
	))!.id;
	schedule = (await h.store.get<{ id: string }>(
		"SELECT id FROM schedules WHERE service_item_id = ? AND channel = 'video'",
		[license]
	))!.id;
	supervisor = await h.loginAs('supervisor');
	agentToken = await h.loginAs('agent');
	admin = await h.loginAs('admin');
	const created = await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username: 'lc-supervisor',
			name: '李沧主管',
			role: 'supervisor',
			orgUnitId: org['370213'],
			password: 'Staff#2026'
		}
	});
	expect(created.status).toBe(201);
	lcSupervisor = await signInNewStaff(h, 'lc-supervisor', 'Staff#2026');
	for (const u of await h.store.all<{ id: string; login: string }>(
		"SELECT id, coalesce(username, 'citizen') AS login FROM users"
	))
		user[u.login] = u.id;

	// 胶州市 on D1: 20 called tickets (8 video), the 7th an appointment check-in 10 minutes early
	const jz = org['370281'];
	const checkIn = await appointment(D1, '09:30', 'completed');
	await appointment(D1, '10:00', 'booked');
	await appointment(D1, '10:30', 'cancelled');
	const d1Tickets: string[] = [];
	for (const [i, wait] of WAITS.entries()) {
		const isCheckIn = i === 6;
		const created = isCheckIn ? at(D1, '09:20') : at(D1, '09:00') + i * 5 * MIN;
		const waitFrom = isCheckIn ? at(D1, '09:30') : created;
		const noShow = i >= 17;
		d1Tickets.push(
			await ticket({
				hall: jz,
				created,
				channel: i < 8 ? 'video' : 'onsite',
				status: noShow ? 'no_show' : 'done',
				calledAt: waitFrom + wait * MIN,
				serviceMinutes: noShow ? undefined : i + 1, // 1..17: average and p50 9
				appointmentId: isCheckIn ? checkIn : undefined,
				slotStart: isCheckIn ? at(D1, '09:30') : undefined
			})
		);
	}
	await ticket({ hall: jz, created: at(D1, '10:00'), status: 'cancelled' });
	await ticket({ hall: jz, created: at(D1, '10:05'), status: 'cancelled' });
	// 阜安街道 (below 胶州市) on D2
	for (let i = 0; i < 4; i++)
		await ticket({
			hall: org['370281001'],
			created: at(D2, '10:00') + i * MIN,
			status: 'cancelled'
		});
	// 李沧区 on D1: 5 tickets, 2 called after 100 minutes, one of them a no-show
	const lc = org['370213'];
	const lcTicket = await ticket({
		hall: lc,
		created: at(D1, '09:00'),
		status: 'done',
		calledAt: at(D1, '10:40'),
		serviceMinutes: 50,
		calledBy: user['lc-supervisor']
	});
	await ticket({
		hall: lc,
		created: at(D1, '09:01'),
		status: 'no_show',
		calledAt: at(D1, '10:41'),
		calledBy: user['lc-supervisor']
	});
	for (let i = 0; i < 3; i++)
		await ticket({ hall: lc, created: at(D1, '11:00') + i * MIN, status: 'cancelled' });
	// day boundaries: 23:30 local stays on its day; 00:30 local (16:30 UTC the day before) is the next
	await ticket({
		hall: jz,
		created: at('2026-11-22', '23:30'),
		channel: 'video',
		status: 'cancelled'
	});
	await ticket({
		hall: jz,
		created: at('2026-11-23', '00:30'),
		channel: 'video',
		status: 'cancelled'
	});

	// ratings of 胶州市: D1 5×5, 4×2, 3×1, 1×1; D2 one 2 → 10 ratings, 7 satisfied
	for (const score of [5, 5, 5, 5, 5, 4, 4])
		await rating({ org: jz, score, created: at(D1, '12:00') });
	await rating({
		org: jz,
		score: 3,
		created: at(D1, '12:00'),
		followUp: ['resolved', '2026-12-15']
	});
	await rating({ org: jz, score: 1, created: at(D1, '12:00'), followUp: ['open', D2] }); // overdue
	await rating({
		org: jz,
		score: 2,
		created: at(D2, '12:00'),
		followUp: ['contacted', '2026-12-16']
	});
	await rating({ org: lc, score: 1, created: at(D1, '12:00'), followUp: ['open', D2] });

	// guidance asked by 阜安街道 of 胶州市's experts: 15 + 10 minutes, waits 2 and 4, one cancelled
	const fa = org['370281001'];
	const s1 = await session({
		org: fa,
		by: user.township,
		created: at(D1, '09:55'),
		ended: at(D1, '10:20')
	});
	const s2 = await session({
		org: fa,
		by: user.township,
		created: at(D1, '10:55'),
		ended: at(D1, '11:14')
	});
	const s3 = await session({
		org: fa,
		by: user.township,
		created: at(D1, '13:55'),
		ended: at(D1, '14:30')
	});
	await guidance({
		session: s1,
		requesting: fa,
		expert: jz,
		status: 'accepted',
		created: at(D1, '10:00'),
		accepted: at(D1, '10:02'),
		finished: at(D1, '10:17')
	});
	await guidance({
		session: s2,
		requesting: fa,
		expert: jz,
		status: 'accepted',
		created: at(D1, '11:00'),
		accepted: at(D1, '11:04')
	});
	await guidance({
		session: s3,
		requesting: fa,
		expert: jz,
		status: 'cancelled',
		created: at(D1, '14:00')
	});
	const s4 = await session({
		org: lc,
		by: user.admin,
		created: at(D1, '09:00'),
		ended: at(D1, '10:00')
	});
	await guidance({
		session: s4,
		requesting: org['370213004'],
		expert: lc,
		status: 'accepted',
		created: at(D1, '09:10'),
		accepted: at(D1, '09:11')
	});
	// two sessions the agent hosted on D1
	await session({ org: jz, by: user.agent, created: at(D1, '09:10'), ended: at(D1, '09:30') });
	await session({ org: jz, by: user.agent, created: at(D1, '15:10'), ended: at(D1, '15:30') });

	// assistant on D1
	const c1 = await conversation();
	const q = (text: string, unit: string | null, answered = false) =>
		question(c1, text, unit, answered, at(D1, '10:00'));
	await q('怎么办理营业执照？', jz, true);
	await q('  公积金能贷多少？ ', null);
	await q('公积金能贷多少?', null);
	await q('公积金能贷多少', null);
	await q('老年证在哪里办！', jz);
	await q('老年证在哪里办', jz);
	await q('"营业执照",多少钱', null);
	for (let i = 0; i < 4; i++) await q('李沧区的问题？', lc);
	await conversation({ at: at(D1, '10:30'), ticket: d1Tickets[0] });
	await conversation({ at: at(D1, '10:31'), ticket: lcTicket });
	nAfterBase = n;
});
afterAll(() => base?.close());
beforeEach(async () => {
	h = await createHarness({ from: base });
	n = nAfterBase;
});
afterEach(() => h.close());

describe('history', () => {
	it('counts volumes per day and channel, hall-local, for my subtree only', async () => {
		const { status, body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		expect(status).toBe(200);
		expect(body).toMatchObject({
			orgUnit: { id: org['370281'], code: '370281', name: '胶州市' },
			from: '2026-11-20',
			to: '2026-11-26',
			timeZone: TZ
		});
		expect(body.volumes.map((v: { day: string }) => v.day)).toEqual([
			'2026-11-20',
			'2026-11-21',
			'2026-11-22',
			'2026-11-23',
			D1,
			D2,
			TODAY
		]);
		const byDay = Object.fromEntries(body.volumes.map((v: { day: string }) => [v.day, v]));
		// 22 tickets of 胶州市 (李沧区's 5 are another branch); appointments: 2 not cancelled
		expect(byDay[D1]).toEqual({
			day: D1,
			video: 8,
			onsite: 14,
			total: 22,
			checkIns: 1,
			appointments: 2
		});
		expect(byDay[D2]).toMatchObject({ total: 4, onsite: 4 }); // 阜安街道, below 胶州市
		expect(byDay['2026-11-20']).toMatchObject({ total: 0, appointments: 0 });
	});

	it('puts a ticket issued at 23:30 local on that day and one at 00:30 local on the next', async () => {
		const { body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		const byDay = Object.fromEntries(body.volumes.map((v: { day: string }) => [v.day, v]));
		// in UTC both are on 2026-11-22 (15:30Z and 16:30Z)
		expect(byDay['2026-11-22']).toMatchObject({ video: 1, total: 1 });
		expect(byDay['2026-11-23']).toMatchObject({ video: 1, total: 1 });
		const one = await get(`/api/stats/history?from=2026-11-23&to=2026-11-23`, supervisor);
		expect(one.body.volumes).toEqual([
			{ day: '2026-11-23', video: 1, onsite: 0, total: 1, checkIns: 0, appointments: 0 }
		]);
	});

	it('computes nearest-rank wait percentiles, service minutes and the no-show rate', async () => {
		const { body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		const day = (table: { day: string }[]) => table.find((r) => r.day === D1);
		// the check-in waited 7 minutes from its slot (09:30), not 17 from checking in at 09:20
		expect(day(body.waits)).toEqual({
			day: D1,
			count: 20,
			p50Minutes: 7,
			p90Minutes: 15,
			averageMinutes: 9.4
		});
		expect(day(body.service)).toEqual({ day: D1, count: 17, averageMinutes: 9, p50Minutes: 9 });
		expect(day(body.noShows)).toEqual({ day: D1, called: 20, noShows: 3, rate: 0.15 });
		expect(body.waits.find((r: { day: string }) => r.day === D2)).toEqual({
			day: D2,
			count: 0,
			p50Minutes: null,
			p90Minutes: null,
			averageMinutes: null
		});
		expect(body.noShows.find((r: { day: string }) => r.day === D2).rate).toBeNull();
	});

	it('gives the rating distribution, satisfaction rate and follow-ups', async () => {
		const { body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		expect(body.ratings).toEqual([
			{ score: 1, count: 1, share: 0.1 },
			{ score: 2, count: 1, share: 0.1 },
			{ score: 3, count: 1, share: 0.1 },
			{ score: 4, count: 2, share: 0.2 },
			{ score: 5, count: 5, share: 0.5 }
		]);
		expect(body.ratingSummary).toEqual({
			count: 10,
			average: 3.9,
			satisfied: 7,
			satisfactionRate: 0.7,
			followUpsOpen: 2,
			followUpsOverdue: 1,
			followUpsResolved: 1,
			followUpsCancelled: 0
		});
	});

	it('gives guidance per expert org unit with minutes and waits', async () => {
		const { body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		expect(body.guidance).toEqual([
			{
				orgUnitId: org['370281'],
				orgUnitName: '胶州市',
				requests: 3,
				accepted: 2,
				cancelled: 1,
				waiting: 0,
				finished: 2,
				totalMinutes: 25,
				averageMinutes: 12.5,
				averageWaitMinutes: 3,
				longestWaitMinutes: 4
			}
		]);
	});

	it('counts assistant questions and hand-offs, and the most frequent unanswered questions', async () => {
		const { body } = await get(`/api/stats/history?${RANGE}`, supervisor);
		expect(body.assistant.find((r: { day: string }) => r.day === D1)).toEqual({
			day: D1,
			questions: 7,
			answered: 1,
			unanswered: 6,
			offTopic: 0,
			handoffs: 1
		});
		expect(
			body.topUnanswered.map((r: { question: string; count: number }) => [r.question, r.count])
		).toEqual([
			['公积金能贷多少', 3],
			['老年证在哪里办', 2],
			['"营业执照",多少钱', 1]
		]);
		expect(body.topUnanswered[0].lastAskedAt).toBe('2026-11-24T10:00:00.000+08:00');
	});

	it('shows each supervisor only its own branch; unmatched questions are shared', async () => {
		const { status, body } = await get(`/api/stats/history?${RANGE}`, lcSupervisor);
		expect(status).toBe(200);
		expect(body.orgUnit.code).toBe('370213');
		const d1 = (table: { day: string }[]) => table.find((r) => r.day === D1);
		expect(d1(body.volumes)).toMatchObject({ total: 5, video: 0, onsite: 5, appointments: 0 });
		expect(body.volumes.find((r: { day: string }) => r.day === D2).total).toBe(0);
		expect(d1(body.noShows)).toEqual({ day: D1, called: 2, noShows: 1, rate: 0.5 });
		expect(d1(body.waits)).toMatchObject({ count: 2, p50Minutes: 100, p90Minutes: 100 });
		expect(body.ratingSummary).toMatchObject({ count: 1, followUpsOpen: 1, followUpsOverdue: 1 });
		expect(body.guidance).toEqual([
			expect.objectContaining({ orgUnitName: '李沧区', requests: 1, totalMinutes: 49 })
		]);
		expect(d1(body.assistant)).toEqual({
			day: D1,
			questions: 8,
			answered: 0,
			unanswered: 8,
			offTopic: 0,
			handoffs: 1
		});
		expect(
			body.topUnanswered.map((r: { question: string; count: number }) => [r.question, r.count])
		).toEqual([
			['李沧区的问题', 4],
			['公积金能贷多少', 3],
			['"营业执照",多少钱', 1]
		]);

		// the other branch's org unit does not exist for either of them
		expect((await get(`/api/stats/history?${RANGE}&orgUnit=370213`, supervisor)).status).toBe(404);
		expect(
			(await get(`/api/stats/history?${RANGE}&orgUnit=${org['370213004']}`, supervisor)).status
		).toBe(404);
		expect((await get(`/api/stats/history?${RANGE}&orgUnit=370281`, lcSupervisor)).status).toBe(
			404
		);
		expect((await get(`/api/stats/history?${RANGE}&orgUnit=nope`, supervisor)).status).toBe(404);
	});

	it('narrows to a unit of my subtree; the admin sees the whole city', async () => {
		const town = await get(`/api/stats/history?${RANGE}&orgUnit=${org['370281001']}`, supervisor);
		expect(town.status).toBe(200);
		expect(town.body.orgUnit.name).toBe('阜安街道');
		// the picker offers my own unit and everything below it, nothing of another branch
		const names = town.body.scopes.map((o: { name: string }) => o.name).sort();
		expect(names).toEqual(['九龙街道', '胶州市', '郑州路社区', '阜安街道'].sort());
		const byDay = Object.fromEntries(town.body.volumes.map((v: { day: string }) => [v.day, v]));
		expect(byDay[D1].total).toBe(0);
		expect(byDay[D2].total).toBe(4);
		// guidance asked by 阜安街道 of 胶州市's experts is still shown
		expect(town.body.guidance).toEqual([expect.objectContaining({ orgUnitName: '胶州市' })]);

		const city = await get(`/api/stats/history?${RANGE}`, admin);
		expect(city.status).toBe(200);
		expect(city.body.volumes.find((v: { day: string }) => v.day === D1).total).toBe(27);
		expect(city.body.ratingSummary.count).toBe(11);
	});

	it('validates the range with field errors', async () => {
		const bad = async (query: string) => {
			const r = await get(`/api/stats/history?${query}`, supervisor);
			expect(r.status, query).toBe(400);
			expect(r.body.error.code).toBe('validation_failed');
			return r.body.error.fields as Record<string, string>;
		};
		expect(Object.keys(await bad(''))).toEqual(expect.arrayContaining(['from', 'to']));
		expect(await bad('from=2026-11-26&to=2026-11-20')).toEqual({ to: 'is before from' });
		expect((await bad('from=2026-01-01&to=2026-04-03')).to).toMatch(/92 days/); // 93 days
		expect((await bad('from=2026-02-30&to=2026-03-01')).from).toBe('is not a calendar date');
		expect((await bad('from=26-11-01&to=2026-11-02')).from).toMatch(/YYYY-MM-DD/);
		expect((await get('/api/stats/history?from=2026-01-01&to=2026-04-02', supervisor)).status).toBe(
			200
		);
	});

	it('is for supervisors and admins only', async () => {
		const citizen = await h.loginAs('citizen');
		const township = await h.loginAs('township');
		for (const token of [agentToken, citizen, township])
			expect((await get(`/api/stats/history?${RANGE}`, token)).status).toBe(403);
		expect((await get(`/api/stats/history?${RANGE}`)).status).toBe(401);
		expect((await get(`/api/stats/live`, agentToken)).status).toBe(403);
		const csv = await h.request('GET', `/api/stats/history.csv?table=waits&${RANGE}`, {
			token: agentToken
		});
		expect(csv.status).toBe(403);
	});
});

describe('CSV export', () => {
	async function csv(table: string, token = supervisor) {
		const res = await h.request('GET', `/api/stats/history.csv?table=${table}&${RANGE}`, { token });
		expect(res.status).toBe(200);
		const bytes = new Uint8Array(await res.arrayBuffer());
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		return { res, bytes, text, lines: text.slice(1).split('\r\n') };
	}

	it('exports one table with a BOM, CRLF and a snake_case header', async () => {
		const { res, bytes, text, lines } = await csv('waits');
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(
			'attachment; filename="waits-2026-11-20-2026-11-26.csv"'
		);
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.slice(1).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		expect(lines[0]).toBe('day,count,p50_minutes,p90_minutes,average_minutes');
		expect(lines).toContain('2026-11-24,20,7,15,9.4');
		expect(lines).toContain('2026-11-20,0,,,');
		expect(lines).toHaveLength(1 + 7 + 1); // header, 7 days, the empty string after the last CRLF
	});

	it('quotes fields per RFC 4180 and keeps Chinese readable', async () => {
		const { lines } = await csv('topUnanswered');
		expect(lines[0]).toBe('question,count,last_asked_at');
		expect(lines[1]).toBe('公积金能贷多少,3,2026-11-24T10:00:00.000+08:00');
		expect(lines[3]).toBe('"""营业执照"",多少钱",1,2026-11-24T10:00:00.000+08:00');
		const summary = await csv('ratingSummary');
		expect(summary.lines.slice(0, 2)).toEqual([
			'count,average,satisfied,satisfaction_rate,follow_ups_open,follow_ups_overdue,follow_ups_resolved,follow_ups_cancelled',
			'10,3.9,7,0.7,2,1,1,0'
		]);
		const guidance = await csv('guidance');
		expect(guidance.lines[1]).toBe(`${org['370281']},胶州市,3,2,1,0,2,25,12.5,3,4`);
	});

	it('refuses an unknown table and another branch', async () => {
		const res = await h.request('GET', `/api/stats/history.csv?table=users&${RANGE}`, {
			token: supervisor
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error.fields.table).toMatch(/must be one of/);
		const other = await h.request(
			'GET',
			`/api/stats/history.csv?table=waits&${RANGE}&orgUnit=370213`,
			{ token: supervisor }
		);
		expect(other.status).toBe(404);
	});
});

describe('my day', () => {
	it('shows the agent its own served tickets, sessions, guidance and ratings', async () => {
		// ratings and guidance follow the person (ratings.staff_id, accepted_by), whichever branch
		const { status, body } = await get(`/api/stats/my-day?day=${D1}`, agentToken);
		expect(status).toBe(200);
		expect(body.myDay).toEqual({
			day: D1,
			ticketsServed: 17,
			averageServiceMinutes: 9,
			noShows: 3,
			sessionsHosted: 2,
			guidanceGiven: 3,
			ratings: {
				count: 10,
				average: 3.8,
				distribution: [
					{ score: 1, count: 2, share: 0.2 },
					{ score: 2, count: 0, share: 0 },
					{ score: 3, count: 1, share: 0.1 },
					{ score: 4, count: 2, share: 0.2 },
					{ score: 5, count: 5, share: 0.5 }
				]
			}
		});
	});

	it('defaults to today and is only ever the caller’s own', async () => {
		const today = await get('/api/stats/my-day', agentToken);
		expect(today.body.myDay).toMatchObject({ day: TODAY, ticketsServed: 0, sessionsHosted: 0 });
		const mine = await get(`/api/stats/my-day?day=${D1}`, lcSupervisor);
		expect(mine.body.myDay).toMatchObject({
			ticketsServed: 1,
			noShows: 1,
			averageServiceMinutes: 50
		});
		expect((await get(`/api/stats/my-day?day=${D1}`, supervisor)).body.myDay.ticketsServed).toBe(0);
		expect((await get(`/api/stats/my-day?day=2026-13-01`, agentToken)).status).toBe(400);
		expect((await get('/api/stats/my-day', admin)).status).toBe(403);
	});
});

describe('live', () => {
	// today's hall on top of the data set: people waiting, 1号窗口 open and calling, sessions
	beforeEach(async () => {
		const jz = org['370281'];
		await ticket({ hall: jz, created: at(TODAY, '08:40'), status: 'waiting' });
		await ticket({ hall: jz, created: at(TODAY, '08:55'), status: 'waiting' });
		await ticket({ hall: jz, created: at(TODAY, '08:58'), status: 'waiting', category: 'B' });
		await ticket({
			hall: org['370281001'],
			created: at(TODAY, '08:30'),
			status: 'waiting',
			category: 'C'
		});
		await ticket({ hall: org['370213'], created: at(TODAY, '08:00'), status: 'waiting' });
		const desk = (await h.store.get<{ id: string }>(
			"SELECT id FROM desks WHERE name = '1号窗口' AND org_unit_id = ?",
			[jz]
		))!;
		await h.store.run(
			"UPDATE desks SET served_by = ?, opened_at = ?, categories = 'A,B' WHERE id = ?",
			[user.agent, at(TODAY, '08:30'), desk.id]
		);
		await ticket({
			hall: jz,
			created: at(TODAY, '08:35'),
			status: 'called',
			calledAt: at(TODAY, '08:59'),
			deskId: desk.id
		});
		const open = await session({ org: jz, by: user.agent, created: at(TODAY, '08:45') });
		await session({ org: org['370213'], by: user.admin, created: at(TODAY, '08:45') });
		await guidance({
			session: open,
			requesting: org['370281001'],
			expert: jz,
			status: 'waiting',
			created: at(TODAY, '08:50')
		});
	});

	it('gives waiting per category, open desks, sessions in progress and waiting guidance', async () => {
		const { status, body } = await get('/api/stats/live', supervisor);
		expect(status).toBe(200);
		const live = body.live;
		expect(live.orgUnit.code).toBe('370281');
		expect(live.at).toBe('2026-11-26T09:00:00.000+08:00');
		expect(live.waiting).toEqual([
			{ category: 'A', categoryName: '商事登记', count: 2, longestWaitMinutes: 20 },
			{ category: 'B', categoryName: '社会保障', count: 1, longestWaitMinutes: 2 },
			{ category: 'C', categoryName: '民政服务', count: 1, longestWaitMinutes: 30 }
		]);
		expect(live.waitingTotal).toBe(4);
		expect(live.desks.open).toBe(1);
		expect(live.desks.total).toBe(3);
		expect(live.desks.list[0]).toMatchObject({
			name: '1号窗口',
			categories: ['A', 'B'],
			servedBy: { id: user.agent, name: '李静' },
			openedAt: '2026-11-26T08:30:00.000+08:00',
			currentTicket: expect.stringMatching(/^A\d{3}$/)
		});
		expect(live.video).toEqual({ inProgress: 1 });
		expect(live.guidance).toEqual({ waiting: 1, longestWaitMinutes: 10 });

		const other = (await get('/api/stats/live', lcSupervisor)).body.live;
		expect(other.waiting).toEqual([
			{ category: 'A', categoryName: '商事登记', count: 1, longestWaitMinutes: 60 }
		]);
		expect(other.desks).toEqual({ open: 0, total: 0, list: [] });
		expect(other.video).toEqual({ inProgress: 1 });
		expect(other.guidance).toEqual({ waiting: 0, longestWaitMinutes: null });

		const town = (await get(`/api/stats/live?orgUnit=370281001`, supervisor)).body.live;
		expect(town.waitingTotal).toBe(1);
		expect((await get('/api/stats/live?orgUnit=370213', supervisor)).status).toBe(404);
	});

	it('streams a new snapshot when something changes, with the version as the event id', async () => {
		const decoder = new TextDecoder();
		async function open(lastEventId?: string, token = supervisor) {
			const controller = new AbortController();
			const res = await h.app.request('/api/stats/live/events', {
				headers: {
					authorization: `Bearer ${token}`,
					...(lastEventId ? { 'last-event-id': lastEventId } : {})
				},
				signal: controller.signal
			});
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
			const reader = res.body!.getReader();
			let buffer = '';
			return {
				/** The next snapshot event, or null when none comes within ms. */
				async next(ms = 4000): Promise<{ id: string; data: { waitingTotal: number } } | null> {
					const deadline = Date.now() + ms;
					for (;;) {
						const m = /event: snapshot\ndata: (.*)\nid: (.*)\n\n/.exec(buffer);
						if (m) {
							buffer = buffer.slice(m.index + m[0].length);
							return { id: m[2], data: JSON.parse(m[1]) };
						}
						const left = deadline - Date.now();
						if (left <= 0) return null;
						const chunk = await Promise.race([
							reader.read(),
							new Promise<null>((r) => setTimeout(() => r(null), left))
						]);
						if (chunk === null) return null;
						if (chunk.done) throw new Error('stream ended');
						buffer += decoder.decode(chunk.value);
					}
				},
				async close() {
					controller.abort();
					await reader.cancel().catch(() => {});
				}
			};
		}

		const first = await open();
		const a = (await first.next())!;
		expect(a.data.waitingTotal).toBe(4);
		expect(a.id).toMatch(/^[\w-]{16}$/);
		await ticket({ hall: org['370281'], created: at(TODAY, '08:59'), status: 'waiting' });
		// the builder writes the row only; the queue's rules would also announce it on the bus
		h.deps.engine.events.publish(`hall:${org['370281']}`, 0);
		const b = (await first.next())!;
		expect(b.data.waitingTotal).toBe(5);
		expect(b.id).not.toBe(a.id);
		// a ticket issued by the queue's own rule: its event is published from inside the
		// issuing transaction, and the snapshot is recomputed outside it (not refused as nested)
		const agent = await h.loginAs('agent');
		const services = (await get('/api/services', agent)).body.items as {
			id: string;
			code: string;
		}[];
		const license = services.find((i) => i.code === '370281-XZSP-001')!;
		const taken = await h.request('POST', '/api/queue/kiosk-tickets', {
			token: agent,
			body: { serviceId: license.id, hallId: org['370281'] }
		});
		expect(taken.status).toBe(201);
		const issued = (await first.next())!;
		expect(issued.data.waitingTotal).toBe(6);
		await first.close();

		// a client that already has the current snapshot gets nothing until it changes
		const again = await open(issued.id);
		expect(await again.next(1500)).toBeNull();
		await again.close();
		const stale = await open(a.id);
		expect((await stale.next())!.id).toBe(issued.id);
		await stale.close();

		// signing out ends the stream
		const other = await h.loginAs('supervisor');
		const ending = await open(undefined, other);
		expect(await ending.next()).not.toBeNull();
		await h.request('POST', '/api/auth/logout', { token: other });
		await expect(ending.next()).rejects.toThrow('stream ended');
		await ending.close();
	});
});

describe('rules', () => {
	it('percentiles are nearest-rank', () => {
		expect(percentile([], 50)).toBeNull();
		expect(percentile([5], 90)).toBe(5);
		expect(percentile([1, 2, 3, 4], 50)).toBe(2);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100)).toBe(10);
	});

	it('normalises questions and escapes CSV', () => {
		expect(normaliseQuestion('  ＡＢＣ  社保   怎么交？？ ')).toBe('ABC 社保 怎么交');
		expect(normaliseQuestion('公积金...')).toBe('公积金');
		expect(toCsv(['a', 'bC'], [{ a: '=1+2', bC: 'x\r\ny' }])).toBe(
			'\uFEFFa,b_c\r\n\'=1+2,"x\r\ny"\r\n'
		);
	});
});

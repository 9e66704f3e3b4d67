// 数据看板: what the supervisor's dashboard and an agent's day view show. Definitions:
// - Scope: the caller's org unit and everything below it (org_units.parent_id); `orgUnit`
//   narrows it to a unit inside that subtree, anything else is 404.
// - Days are hall-local (config.timeZone). Every ticket figure counts on the day the ticket
//   was issued (created_at).
// - Channels: `video` and `onsite` are tickets issued on that channel (walk-ins, kiosk and
//   appointment check-ins alike; `checkIns` says how many were check-ins); `appointments` is a
//   third series: appointments whose slot is on that day and that were not cancelled.
// - Wait: called_at − created_at of every ticket that was called; for an appointment check-in
//   the wait starts at the later of check-in and the slot's start (checking in early is not
//   waiting). Service: finished_at − started_at of finished tickets.
// - No-show rate: tickets whose final status is no_show ÷ tickets called.
// - Ratings: given in the range to the subtree (ratings.org_unit_id); satisfaction = scores
//   4 and 5 ÷ all; follow-ups are those of these ratings, open = open or contacted, overdue =
//   open with due_day before today.
// - Guidance: per expert org unit, requests made in the range that the subtree asked or was
//   asked; minutes from accept to finished_at, or to the session's end when no finish was
//   recorded (as GET /api/guidance/stats); wait from request to accept.
// - Assistant: questions by created_at; those matched to no item (org_unit_id NULL) are gaps of
//   the shared knowledge base and count in every scope. A hand-off belongs to its ticket's hall.
// - Percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the sorted list.
// - Minutes are rounded to one decimal, average scores to two, rates and shares to four.
import { toCsv } from '../http/csv.ts';
import { recordAudit } from '../audit/audit.ts';
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import { addDays, localDate, zonedTime } from '../../shared/dates.ts';
import type { OrgUnit, User } from '../../shared/schemas/auth.ts';
import {
	eachDay,
	type LiveSnapshot,
	type MyDay,
	type StatsHistory,
	type StatsTable
} from '../../shared/schemas/stats.ts';
import { getOrgUnit, listOrgUnits } from '../accounts/accounts.ts';
import { orgSubtreeOf } from '../access/org-units.ts';
import { createStatsRepo, type TicketFactRow } from './repo.ts';

const MINUTE = 60_000;
const SCORES = [1, 2, 3, 4, 5] as const;

// ---- small pure helpers (exported for tests and the bench) ----

/** Nearest-rank percentile of an ascending list; null for an empty list. */
export function percentile(sorted: number[], p: number): number | null {
	if (!sorted.length) return null;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1];
}

const round = (x: number, digits: number) => {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
};
const minutes = (ms: number | null) => (ms === null ? null : round(ms / MINUTE, 1));
const ratio = (part: number, whole: number) => (whole ? round(part / whole, 4) : null);
const average = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

const TRAILING_PUNCTUATION = /[\s\p{P}~]+$/u;

/** How unanswered questions are grouped: NFKC, trimmed, inner spaces collapsed, no trailing punctuation. */
export function normaliseQuestion(q: string): string {
	return q.normalize('NFKC').trim().replace(/\s+/g, ' ').replace(TRAILING_PUNCTUATION, '');
}

/** Hall-local day boundaries: starts[i] is the first instant of days[i]; starts[n] ends the last. */
function dayGrid(from: string, to: string, timeZone: string) {
	const days = eachDay(from, to);
	const starts = [...days, addDays(to, 1)].map((d) => zonedTime(d, '00:00', timeZone));
	/** Index of the day an instant falls on, or -1 outside the range. */
	const indexOf = (ms: number) => {
		if (ms < starts[0] || ms >= starts[days.length]) return -1;
		let lo = 0;
		let hi = days.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid] <= ms) lo = mid;
			else hi = mid - 1;
		}
		return lo;
	};
	return { days, starts, range: { start: starts[0], end: starts[days.length] }, indexOf };
}

// ---- scope ----

function orgScope(deps: Deps, user: User, orgUnit: string | undefined) {
	const mine = orgSubtreeOf(deps, user.orgUnitId!);
	let unit: OrgUnit | undefined;
	if (orgUnit === undefined) unit = getOrgUnit(deps, user.orgUnitId!);
	else {
		unit = getOrgUnit(deps, orgUnit) ?? listOrgUnits(deps).find((o) => o.code === orgUnit);
		// another branch's unit is answered as if it did not exist
		if (!unit || !mine.includes(unit.id)) throw AppError.notFound('Org unit');
	}
	const ref = (o: OrgUnit) => ({ id: o.id, code: o.code, name: o.name });
	return {
		unit: ref(unit!),
		units: unit!.id === user.orgUnitId ? mine : orgSubtreeOf(deps, unit!.id),
		/** what the caller may narrow to: its own org unit and everything below */
		scopes: listOrgUnits(deps)
			.filter((o) => mine.includes(o.id))
			.map(ref)
	};
}

// ---- live ----

export function liveSnapshot(deps: Deps, user: User, orgUnit?: string): LiveSnapshot {
	const { unit, units } = orgScope(deps, user, orgUnit);
	const repo = createStatsRepo(deps.db);
	const now = deps.now();
	const tz = deps.config.timeZone;
	const since = (ms: number) => Math.max(0, Math.floor((now - ms) / MINUTE));
	const waiting = repo.waiting(units, localDate(now, tz)).map((w) => ({
		category: w.category,
		categoryName: w.name,
		count: w.count,
		longestWaitMinutes: since(w.since)
	}));
	const open = repo.openDesks(units);
	const guidance = repo.waitingGuidance(units);
	return {
		orgUnit: unit,
		at: toIso(now, tz),
		waiting,
		waitingTotal: waiting.reduce((n, w) => n + w.count, 0),
		desks: {
			open: open.length,
			total: repo.deskCount(units),
			list: open.map((d) => ({
				id: d.id,
				name: d.name,
				orgUnitId: d.org_unit_id,
				orgUnitName: d.org_name,
				categories: d.categories ? d.categories.split(',') : [],
				servedBy: { id: d.served_by, name: d.server_name },
				openedAt: d.opened_at === null ? null : toIso(d.opened_at, tz),
				currentTicket: d.current_code
			}))
		},
		video: { inProgress: repo.openSessions(units) },
		guidance: {
			waiting: guidance.n,
			longestWaitMinutes: guidance.since === null ? null : since(guidance.since)
		}
	};
}

/** The SSE event id of a snapshot: a digest of everything but its timestamp. */
export function snapshotVersion(snapshot: LiveSnapshot): string {
	const { at: _at, ...content } = snapshot;
	return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 16);
}

// ---- history ----

type Tables = Omit<StatsHistory, 'orgUnit' | 'scopes' | 'from' | 'to' | 'timeZone'>;

/** Wait of a called ticket: from issue (or the booked slot's start, if later) to the call. */
function waitMs(t: TicketFactRow): number {
	const start =
		t.check_in && t.slot_start !== null ? Math.max(t.created_at, t.slot_start) : t.created_at;
	return Math.max(0, t.called_at! - start);
}

function historyTables(
	deps: Deps,
	units: string[],
	from: string,
	to: string,
	only?: StatsTable
): Partial<Tables> {
	const repo = createStatsRepo(deps.db);
	const grid = dayGrid(from, to, deps.config.timeZone);
	const want = (...tables: StatsTable[]) => !only || tables.includes(only);
	const out: Partial<Tables> = {};

	if (want('volumes', 'waits', 'service', 'noShows')) {
		const n = grid.days.length;
		const video = new Array<number>(n).fill(0);
		const onsite = new Array<number>(n).fill(0);
		const checkIns = new Array<number>(n).fill(0);
		const called = new Array<number>(n).fill(0);
		const noShows = new Array<number>(n).fill(0);
		const waits: number[][] = grid.days.map(() => []);
		const services: number[][] = grid.days.map(() => []);
		for (const t of repo.tickets(units, grid.range)) {
			const i = grid.indexOf(t.created_at);
			if (i < 0) continue;
			if (t.channel === 'video') video[i]++;
			else onsite[i]++;
			if (t.check_in) checkIns[i]++;
			if (t.called_at !== null) {
				called[i]++;
				waits[i].push(waitMs(t));
			}
			if (t.status === 'no_show') noShows[i]++;
			if (t.status === 'done' && t.started_at !== null && t.finished_at !== null)
				services[i].push(Math.max(0, t.finished_at - t.started_at));
		}
		const booked = new Map(repo.appointments(units, from, to).map((a) => [a.day, a.n]));
		out.volumes = grid.days.map((day, i) => ({
			day,
			video: video[i],
			onsite: onsite[i],
			total: video[i] + onsite[i],
			checkIns: checkIns[i],
			appointments: booked.get(day) ?? 0
		}));
		out.waits = grid.days.map((day, i) => {
			const sorted = waits[i].sort((a, b) => a - b);
			return {
				day,
				count: sorted.length,
				p50Minutes: minutes(percentile(sorted, 50)),
				p90Minutes: minutes(percentile(sorted, 90)),
				averageMinutes: minutes(average(sorted))
			};
		});
		out.service = grid.days.map((day, i) => {
			const sorted = services[i].sort((a, b) => a - b);
			return {
				day,
				count: sorted.length,
				averageMinutes: minutes(average(sorted)),
				p50Minutes: minutes(percentile(sorted, 50))
			};
		});
		out.noShows = grid.days.map((day, i) => ({
			day,
			called: called[i],
			noShows: noShows[i],
			rate: ratio(noShows[i], called[i])
		}));
	}

	if (want('ratings', 'ratingSummary')) {
		const byScore = new Map(repo.ratingScores(units, grid.range).map((r) => [r.score, r.n]));
		const count = SCORES.reduce((n, s) => n + (byScore.get(s) ?? 0), 0);
		const sum = SCORES.reduce((n, s) => n + s * (byScore.get(s) ?? 0), 0);
		const satisfied = (byScore.get(4) ?? 0) + (byScore.get(5) ?? 0);
		out.ratings = SCORES.map((score) => ({
			score,
			count: byScore.get(score) ?? 0,
			share: ratio(byScore.get(score) ?? 0, count)
		}));
		const today = localDate(deps.now(), deps.config.timeZone);
		const f = { open: 0, overdue: 0, resolved: 0, cancelled: 0 };
		for (const r of repo.followUps(units, grid.range, today)) {
			if (r.status === 'open' || r.status === 'contacted') {
				f.open += r.n;
				if (r.overdue) f.overdue += r.n;
			} else if (r.status === 'resolved') f.resolved += r.n;
			else if (r.status === 'cancelled') f.cancelled += r.n;
		}
		out.ratingSummary = {
			count,
			average: count ? round(sum / count, 2) : null,
			satisfied,
			satisfactionRate: ratio(satisfied, count),
			followUpsOpen: f.open,
			followUpsOverdue: f.overdue,
			followUpsResolved: f.resolved,
			followUpsCancelled: f.cancelled
		};
	}

	if (want('guidance'))
		out.guidance = repo.guidance(units, grid.range).map((g) => ({
			orgUnitId: g.org_unit_id,
			orgUnitName: g.org_name,
			requests: g.requests,
			accepted: g.accepted,
			cancelled: g.cancelled,
			waiting: g.waiting,
			finished: g.finished,
			totalMinutes: minutes(g.total_ms)!,
			averageMinutes: g.finished ? minutes(g.total_ms / g.finished) : null,
			averageWaitMinutes: minutes(g.avg_wait_ms),
			longestWaitMinutes: minutes(g.max_wait_ms)
		}));

	if (want('assistant', 'topUnanswered')) {
		const n = grid.days.length;
		const asked = new Array<number>(n).fill(0);
		const answered = new Array<number>(n).fill(0);
		const handoffs = new Array<number>(n).fill(0);
		const gaps = new Map<string, { count: number; last: number }>();
		for (const q of repo.questions(units, grid.range)) {
			const i = grid.indexOf(q.created_at);
			if (i < 0) continue;
			asked[i]++;
			if (q.answered) answered[i]++;
			else {
				const key = normaliseQuestion(q.question ?? '');
				if (!key) continue;
				const g = gaps.get(key);
				if (g) {
					g.count++;
					g.last = Math.max(g.last, q.created_at);
				} else gaps.set(key, { count: 1, last: q.created_at });
			}
		}
		for (const at of repo.handoffs(units, grid.range)) {
			const i = grid.indexOf(at);
			if (i >= 0) handoffs[i]++;
		}
		out.assistant = grid.days.map((day, i) => ({
			day,
			questions: asked[i],
			answered: answered[i],
			unanswered: asked[i] - answered[i],
			handoffs: handoffs[i]
		}));
		out.topUnanswered = [...gaps]
			.sort(
				([qa, a], [qb, b]) =>
					b.count - a.count || b.last - a.last || (qa < qb ? -1 : qa > qb ? 1 : 0)
			)
			.slice(0, 20)
			.map(([question, g]) => ({
				question,
				count: g.count,
				lastAskedAt: toIso(g.last, deps.config.timeZone)
			}));
	}
	return out;
}

export function statsHistory(
	deps: Deps,
	user: User,
	q: { from: string; to: string; orgUnit?: string }
): StatsHistory {
	const { unit, units, scopes } = orgScope(deps, user, q.orgUnit);
	return {
		orgUnit: unit,
		scopes,
		from: q.from,
		to: q.to,
		timeZone: deps.config.timeZone,
		...(historyTables(deps, units, q.from, q.to) as Tables)
	};
}

// ---- CSV ----

/** Columns of each table, in order; the CSV header is their snake_case form. */
const COLUMNS: { [T in StatsTable]: string[] } = {
	volumes: ['day', 'video', 'onsite', 'total', 'checkIns', 'appointments'],
	waits: ['day', 'count', 'p50Minutes', 'p90Minutes', 'averageMinutes'],
	service: ['day', 'count', 'averageMinutes', 'p50Minutes'],
	noShows: ['day', 'called', 'noShows', 'rate'],
	ratings: ['score', 'count', 'share'],
	ratingSummary: [
		'count',
		'average',
		'satisfied',
		'satisfactionRate',
		'followUpsOpen',
		'followUpsOverdue',
		'followUpsResolved',
		'followUpsCancelled'
	],
	guidance: [
		'orgUnitId',
		'orgUnitName',
		'requests',
		'accepted',
		'cancelled',
		'waiting',
		'finished',
		'totalMinutes',
		'averageMinutes',
		'averageWaitMinutes',
		'longestWaitMinutes'
	],
	assistant: ['day', 'questions', 'answered', 'unanswered', 'handoffs'],
	topUnanswered: ['question', 'count', 'lastAskedAt']
};

export function statsCsv(
	deps: Deps,
	user: User,
	q: { table: StatsTable; from: string; to: string; orgUnit?: string }
): { filename: string; body: string } {
	const { units } = orgScope(deps, user, q.orgUnit);
	const data = historyTables(deps, units, q.from, q.to, q.table)[q.table]!;
	const rows = (Array.isArray(data) ? data : [data]) as Record<string, unknown>[];
	recordAudit(deps, {
		action: 'export.csv',
		target: { type: 'stats', id: q.table },
		detail: { from: q.from, to: q.to, orgUnits: units.length, rows: rows.length }
	});
	return { filename: `${q.table}-${q.from}-${q.to}.csv`, body: toCsv(COLUMNS[q.table], rows) };
}

// ---- my day ----

/**
 * The caller's own day. Who served a ticket is tickets.called_by (desks.served_by is only who
 * serves the desk now; finishing requires serving the ticket's desk, so normally the caller).
 * Counted on when it happened: tickets by finish (no-shows by when they were marked), sessions
 * by when they were opened, ratings by when they were given.
 */
export function myDay(deps: Deps, user: User, day?: string): MyDay {
	const tz = deps.config.timeZone;
	const d = day ?? localDate(deps.now(), tz);
	const range = { start: zonedTime(d, '00:00', tz), end: zonedTime(addDays(d, 1), '00:00', tz) };
	const repo = createStatsRepo(deps.db);
	const served = repo.served(user.id, range);
	const byScore = new Map(repo.myRatings(user.id, range).map((r) => [r.score, r.n]));
	const count = SCORES.reduce((n, s) => n + (byScore.get(s) ?? 0), 0);
	const sum = SCORES.reduce((n, s) => n + s * (byScore.get(s) ?? 0), 0);
	return {
		day: d,
		ticketsServed: served.n,
		averageServiceMinutes: minutes(served.avg_ms),
		noShows: repo.missed(user.id, range),
		sessionsHosted: repo.hosted(user.id, range),
		guidanceGiven: repo.guided(user.id, range),
		ratings: {
			count,
			average: count ? round(sum / count, 2) : null,
			distribution: SCORES.map((score) => ({
				score,
				count: byScore.get(score) ?? 0,
				share: ratio(byScore.get(score) ?? 0, count)
			}))
		}
	};
}

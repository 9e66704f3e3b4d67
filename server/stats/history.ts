// 数据看板, a chosen range: what the supervisor's charts and tables show. Definitions:
// - Scope: see scope.ts (the caller's org unit and below, or a unit inside it).
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
import type { Deps } from '../deps.ts';
import { toIso } from '../time.ts';
import { addDays, localDate, zonedTime } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { eachDay, type StatsHistory, type StatsTable } from '../../shared/schemas/stats.ts';
import { average, minutes, percentile, ratingFigures, ratio } from './figures.ts';
import { createStatsRepo, type TicketFactRow } from './repo.ts';
import { normaliseQuestion } from '../../shared/question-key.ts';
import { orgScope } from './scope.ts';

/** How unanswered questions are grouped (shared with the assistant's learning queue). */
export { normaliseQuestion };

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

export type Tables = Omit<StatsHistory, 'orgUnit' | 'scopes' | 'from' | 'to' | 'timeZone'>;

/** Wait of a called ticket: from issue (or the booked slot's start, if later) to the call. */
function waitMs(t: TicketFactRow): number {
	const start =
		t.check_in && t.slot_start !== null ? Math.max(t.created_at, t.slot_start) : t.created_at;
	return Math.max(0, t.called_at! - start);
}

export async function historyTables(
	deps: Deps,
	units: string[],
	from: string,
	to: string,
	only?: StatsTable
): Promise<Partial<Tables>> {
	const repo = createStatsRepo(deps.store);
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
		for (const t of await repo.tickets(units, grid.range)) {
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
		const booked = new Map((await repo.appointments(units, from, to)).map((a) => [a.day, a.n]));
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
		const rated = ratingFigures(
			new Map((await repo.ratingScores(units, grid.range)).map((r) => [r.score, r.n]))
		);
		out.ratings = rated.distribution;
		const today = localDate(deps.now(), deps.config.timeZone);
		const f = { open: 0, overdue: 0, resolved: 0, cancelled: 0 };
		for (const r of await repo.followUps(units, grid.range, today)) {
			if (r.status === 'open' || r.status === 'contacted') {
				f.open += r.n;
				if (r.overdue) f.overdue += r.n;
			} else if (r.status === 'resolved') f.resolved += r.n;
			else if (r.status === 'cancelled') f.cancelled += r.n;
		}
		out.ratingSummary = {
			count: rated.count,
			average: rated.average,
			satisfied: rated.satisfied,
			satisfactionRate: ratio(rated.satisfied, rated.count),
			followUpsOpen: f.open,
			followUpsOverdue: f.overdue,
			followUpsResolved: f.resolved,
			followUpsCancelled: f.cancelled
		};
	}

	if (want('guidance'))
		out.guidance = (await repo.guidance(units, grid.range)).map((g) => ({
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
		const offTopic = new Array<number>(n).fill(0);
		const handoffs = new Array<number>(n).fill(0);
		const gaps = new Map<string, { count: number; last: number }>();
		for (const q of await repo.questions(units, grid.range)) {
			const i = grid.indexOf(q.created_at);
			if (i < 0) continue;
			asked[i]++;
			if (q.answered) answered[i]++;
			// not the hall's business: counted apart, never a knowledge-base gap
			else if (q.off_topic) offTopic[i]++;
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
		for (const at of await repo.handoffs(units, grid.range)) {
			const i = grid.indexOf(at);
			if (i >= 0) handoffs[i]++;
		}
		out.assistant = grid.days.map((day, i) => ({
			day,
			questions: asked[i],
			answered: answered[i],
			unanswered: asked[i] - answered[i] - offTopic[i],
			offTopic: offTopic[i],
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

export async function statsHistory(
	deps: Deps,
	user: User,
	q: { from: string; to: string; orgUnit?: string }
): Promise<StatsHistory> {
	const { unit, units, scopes } = await orgScope(deps, user, q.orgUnit);
	return {
		orgUnit: unit,
		scopes,
		from: q.from,
		to: q.to,
		timeZone: deps.config.timeZone,
		...((await historyTables(deps, units, q.from, q.to)) as Tables)
	};
}

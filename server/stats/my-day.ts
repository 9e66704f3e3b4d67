// 我的一天: the figures of a staff member's own day (/staff/my-day).
import type { Deps } from '../deps.ts';
import { addDays, localDate, zonedTime } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { MyDay } from '../../shared/schemas/stats.ts';
import { minutes, ratingFigures } from './figures.ts';
import { createStatsRepo } from './repo.ts';

/**
 * The caller's own day. Who served a ticket is tickets.called_by (desks.served_by is only who
 * serves the desk now; finishing requires serving the ticket's desk, so normally the caller).
 * Counted on when it happened: tickets by finish (no-shows by when they were marked), sessions
 * by when they were opened, ratings by when they were given.
 */
export async function myDay(deps: Deps, user: User, day?: string): Promise<MyDay> {
	const tz = deps.config.timeZone;
	const d = day ?? localDate(deps.now(), tz);
	const range = { start: zonedTime(d, '00:00', tz), end: zonedTime(addDays(d, 1), '00:00', tz) };
	const repo = createStatsRepo(deps.store);
	const [served, ratings, noShows, sessionsHosted, guidanceGiven] = await Promise.all([
		repo.served(user.id, range),
		repo.myRatings(user.id, range),
		repo.missed(user.id, range),
		repo.hosted(user.id, range),
		repo.guided(user.id, range)
	]);
	const rated = ratingFigures(new Map(ratings.map((r) => [r.score, r.n])));
	return {
		day: d,
		ticketsServed: served.n,
		averageServiceMinutes: minutes(served.avg_ms),
		noShows,
		sessionsHosted,
		guidanceGiven,
		ratings: { count: rated.count, average: rated.average, distribution: rated.distribution }
	};
}

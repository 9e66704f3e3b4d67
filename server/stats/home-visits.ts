// 入户办 figures per community (issue 23 item 4): requests made in the range, how many a grid
// worker took, how many were visited (the resident's consent recorded at the home), the median
// wait from the request to the visit, and the video tickets started at the home. The range is
// of hall-local days; the scope is the caller's org unit and below (orgScope).
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { HomeVisitStatsRow } from '../../shared/schemas/home-visits.ts';
import { addDays, zonedTime } from '../../shared/dates.ts';
import { toCsv } from '../http/csv.ts';
import { recordAudit } from '../audit/audit.ts';
import { minutes, percentile } from './figures.ts';
import { createHomeVisitStatsRepo } from './repo.ts';
import { orgScope } from './scope.ts';

type Range = { from: string; to: string; orgUnit?: string };

export async function homeVisitFigures(
	deps: Deps,
	user: User,
	q: Range
): Promise<HomeVisitStatsRow[]> {
	const { units } = await orgScope(deps, user, q.orgUnit);
	const tz = deps.config.timeZone;
	const repo = createHomeVisitStatsRepo(deps.store);
	const communities = await repo.communities(units);
	const facts = await repo.requests(
		communities.map((c) => c.id),
		zonedTime(q.from, '00:00', tz),
		zonedTime(addDays(q.to, 1), '00:00', tz)
	);
	return communities.map((c) => {
		const mine = facts.filter((f) => f.community_id === c.id);
		const waits = mine
			.filter((f) => f.consented_at !== null)
			.map((f) => f.consented_at! - f.created_at)
			.sort((a, b) => a - b);
		return {
			communityId: c.id,
			communityName: c.name,
			requests: mine.length,
			accepted: mine.filter((f) => f.accepted_at !== null).length,
			visited: waits.length,
			medianWaitMinutes: minutes(percentile(waits, 50)),
			ticketsStarted: mine.filter((f) => f.started_at !== null).length
		};
	});
}

const COLUMNS = [
	'communityId',
	'communityName',
	'requests',
	'accepted',
	'visited',
	'medianWaitMinutes',
	'ticketsStarted'
];

/** The same rows as CSV; every export is audited, as the other figures' are. */
export async function homeVisitCsv(deps: Deps, user: User, q: Range) {
	const rows = await homeVisitFigures(deps, user, q);
	await recordAudit(deps, {
		action: 'export.csv',
		target: { type: 'stats', id: 'homeVisits' },
		detail: { from: q.from, to: q.to, rows: rows.length }
	});
	return {
		filename: `home-visits-${q.from}-${q.to}.csv`,
		body: toCsv(COLUMNS, rows as unknown as Record<string, unknown>[])
	};
}

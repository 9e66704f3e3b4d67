// 数据看板, now: waiting tickets per category, open desks, video sessions in progress and
// waiting guidance requests of the scope, pushed to the dashboard when they change.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { toIso } from '../time.ts';
import { localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { LiveSnapshot } from '../../shared/schemas/stats.ts';
import { MINUTE } from './figures.ts';
import { createStatsRepo } from './repo.ts';
import { orgScope } from './scope.ts';

export async function liveSnapshot(
	deps: Deps,
	user: User,
	orgUnit?: string
): Promise<LiveSnapshot> {
	return snapshotOfScope(deps, await orgScope(deps, user, orgUnit));
}

export interface LiveScope {
	unit: LiveSnapshot['orgUnit'];
	units: string[];
}

/** The snapshot of one scope: the same for every viewer of it (see ./live-feed.ts). */
export async function snapshotOfScope(
	deps: Deps,
	{ unit, units }: LiveScope
): Promise<LiveSnapshot> {
	const repo = createStatsRepo(deps.store);
	const now = deps.now();
	const tz = deps.config.timeZone;
	const since = (ms: number) => Math.max(0, Math.floor((now - ms) / MINUTE));
	const [rows, open, guidance, total, inProgress] = await Promise.all([
		repo.waiting(units, localDate(now, tz)),
		repo.openDesks(units),
		repo.waitingGuidance(units),
		repo.deskCount(units),
		repo.openSessions(units)
	]);
	const waiting = rows.map((w) => ({
		category: w.category,
		categoryName: w.name,
		count: w.count,
		longestWaitMinutes: since(w.since)
	}));
	return {
		orgUnit: unit,
		at: toIso(now, tz),
		waiting,
		waitingTotal: waiting.reduce((n, w) => n + w.count, 0),
		desks: {
			open: open.length,
			total,
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
		video: { inProgress },
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

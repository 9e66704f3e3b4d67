// 入户办 (issue 23 item 2): who may see and act on a home visit. The resident (or a proxy acting
// for them, server/access/acting.ts) sees their own; a grid worker sees and takes the visits of
// their own community only (a grid worker belongs to exactly one community org unit); a grid
// worker of another community is answered as if the visit did not exist.
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';

/** What of a visit decides who may see it. */
export interface HomeVisitParties {
	citizen_id: string;
	community_id: string;
	grid_worker_id: string | null;
}

/** The caller's relation to a visit; 404 to anyone who may not see it. */
export function homeVisitAccess(user: User, v: HomeVisitParties): 'resident' | 'grid' {
	if (user.role === 'citizen' && v.citizen_id === user.id) return 'resident';
	if (user.role === 'grid' && user.orgUnitId === v.community_id) return 'grid';
	throw AppError.notFound('Home visit');
}

/**
 * Only the grid worker who took the visit schedules it, records consent and starts its ticket:
 * 404 to who may not see it, 403 to another grid worker of the same community.
 */
export function requireVisitHolder(user: User, v: HomeVisitParties): void {
	if (homeVisitAccess(user, v) !== 'grid' || v.grid_worker_id !== user.id)
		throw AppError.forbidden('Only the grid worker who took this visit may do this');
}

/** The community whose requests a grid worker sees: their own org unit. */
export function gridWorkerCommunity(user: User): string {
	if (user.role !== 'grid' || !user.orgUnitId)
		throw AppError.forbidden('Only a community grid worker sees its requests');
	return user.orgUnitId;
}

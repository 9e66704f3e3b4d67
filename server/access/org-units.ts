// Staff see and act on their own org unit and everything below it, never a sibling branch.
// Every "may this staff member see this hall, desk, ticket, appointment, case, follow-up or
// figure" starts here; the features answer 404 when it says no.
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { createAccessRepo } from './repo.ts';

/** The org unit and everything below it. */
export function orgSubtreeOf(deps: Deps, orgUnitId: string): Promise<string[]> {
	return createAccessRepo(deps.store).orgSubtreeIds(orgUnitId);
}

/** What a staff member works on: their org unit and everything below it (nothing without one). */
export async function staffOrgUnits(deps: Deps, staff: User): Promise<string[]> {
	return staff.orgUnitId ? orgSubtreeOf(deps, staff.orgUnitId) : [];
}

/** Is the org unit the staff member's own or below it? */
export async function staffSeesOrgUnit(
	deps: Deps,
	staff: User,
	orgUnitId: string | null | undefined
): Promise<boolean> {
	return (
		!!orgUnitId &&
		!!staff.orgUnitId &&
		(await createAccessRepo(deps.store).isWithin(orgUnitId, staff.orgUnitId))
	);
}

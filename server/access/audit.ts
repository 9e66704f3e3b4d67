import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { createAccessRepo } from './repo.ts';

/**
 * The trail covers the whole city (sign-ins, decisions and reads of every org unit), so only
 * admins of the top org unit read it; a district admin gets 403.
 */
export async function mayReadAudit(deps: Deps, user: User): Promise<boolean> {
	const org = user.orgUnitId
		? await createAccessRepo(deps.store).findOrgUnit(user.orgUnitId)
		: undefined;
	return user.role === 'admin' && !!org && org.parent_id === null;
}

export async function requireAuditReader(deps: Deps, user: User): Promise<void> {
	if (!(await mayReadAudit(deps, user)))
		throw AppError.forbidden('Only city-level admins read the audit log');
}

// 部门 (issue 24 item 6): a staff member may work in one department of their org unit (the
// 市场监管 desk, the 人社 desk). Such staff handle only their department's items: of a life event
// they see their part, never the application as a whole. Staff without one (综合窗口) handle
// all of their area's cases, as before.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { staffSeesOrgUnit } from '../access/org-units.ts';
import { createAccountsRepo } from './repo.ts';

/** The department a staff member works in, or null. */
export function departmentOfStaff(deps: Deps, user: User): Promise<string | null> {
	if (user.role === 'citizen') return Promise.resolve(null);
	return createAccountsRepo(deps.store).departmentOf(user.id);
}

/**
 * An admin (null: the command line and the demo seed) puts a staff member of their area into a
 * department of the member's own org unit, or takes them out of it (null).
 */
export async function assignStaffDepartment(
	deps: Deps,
	admin: User | null,
	userId: string,
	departmentId: string | null
): Promise<{ userId: string; departmentId: string | null }> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAccountsRepo(tx);
		const row = await repo.lockUser(userId);
		if (
			!row ||
			row.role === 'citizen' ||
			(admin && !(await staffSeesOrgUnit(txDeps, admin, row.org_unit_id)))
		)
			throw AppError.notFound('Staff account');
		if (departmentId) {
			const department = await repo.findDepartment(departmentId);
			if (!department) throw AppError.validation({ departmentId: 'no such department' });
			if (department.org_unit_id !== row.org_unit_id)
				throw AppError.validation({
					departmentId: 'belongs to another org unit than the staff member'
				});
		}
		const before = await repo.departmentOf(userId);
		if (before !== departmentId) {
			await repo.setDepartment(userId, departmentId);
			await recordAudit(txDeps, {
				action: 'account.department_set',
				target: { type: 'user', id: userId },
				detail: { from: before, to: departmentId }
			});
		}
		return { userId, departmentId };
	});
}

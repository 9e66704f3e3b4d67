import type { Deps } from '../deps.ts';
import { immediate } from '../db/index.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../auth/password.ts';
import { createAccountsRepo } from '../accounts/repo.ts';
import {
	DEMO_PASSWORD,
	demoAccounts,
	demoDepartments,
	demoDesks,
	demoOrgUnits,
	demoServiceItems
} from './hall.ts';
import { createDemoRepo } from './repo.ts';

/**
 * Writes the demo hall in one transaction when the database has no org units yet.
 * Returns false (and writes nothing) when it already has some: seeding never touches real data.
 */
export async function seedDemoIfEmpty(deps: Deps): Promise<boolean> {
	const demo = createDemoRepo(deps.db);
	if (demo.countOrgUnits() > 0) return false;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const accounts = createAccountsRepo(deps.db);
	const now = deps.now();
	return immediate(deps.db, () => {
		if (demo.countOrgUnits() > 0) return false; // another process seeded meanwhile
		const org = new Map<string, string>();
		for (const u of demoOrgUnits) {
			const id = newId();
			org.set(u.code, id);
			accounts.insertOrgUnit({
				id,
				parent_id: u.parent ? org.get(u.parent)! : null,
				level: u.level,
				code: u.code,
				name: u.name,
				created_at: now
			});
		}
		for (const a of demoAccounts) {
			accounts.insertUser({
				id: newId(),
				role: a.role,
				phone: a.role === 'citizen' ? a.login : null,
				username: a.role === 'citizen' ? null : a.login,
				name: a.name,
				password_hash: passwordHash,
				org_unit_id: a.orgUnit ? org.get(a.orgUnit)! : null,
				created_at: now
			});
		}
		const dept = new Map<string, string>();
		for (const d of demoDepartments) {
			const id = newId();
			dept.set(d.code, id);
			demo.insertDepartment({ id, org_unit_id: org.get(d.orgUnit)!, code: d.code, name: d.name });
		}
		for (const s of demoServiceItems) {
			const id = newId();
			demo.insertServiceItem({
				id,
				code: s.code,
				name: s.name,
				department_id: dept.get(s.department)!,
				description: s.description,
				fee_fen: s.feeFen,
				time_limit_days: s.timeLimitDays,
				channel_video: s.video ? 1 : 0,
				channel_onsite: s.onsite ? 1 : 0,
				accept_levels: s.acceptLevels.join(','),
				approve_level: s.approveLevel,
				created_at: now
			});
			s.materials.forEach((m, i) =>
				demo.insertMaterial({
					id: newId(),
					service_item_id: id,
					position: i + 1,
					name: m.name,
					description: m.description ?? '',
					required: m.required === false ? 0 : 1
				})
			);
		}
		for (const d of demoDesks)
			demo.insertDesk({
				id: newId(),
				org_unit_id: org.get(d.orgUnit)!,
				name: d.name,
				created_at: now
			});
		return true;
	});
}

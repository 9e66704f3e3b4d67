import type { Deps } from '../deps.ts';
import { newId } from '../ids.ts';
import { lockKey } from '../db/dialect.ts';
import { hashPassword } from '../auth/password.ts';
import { addAccount, addOrgUnit } from '../accounts/accounts.ts';
import { enrolWithSecret } from '../auth/two-factor.ts';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import {
	DEMO_PASSWORD,
	DEMO_TOTP_SECRET,
	WEEKDAY_HOURS,
	demoAccounts,
	demoBundles,
	demoCategories,
	demoDepartments,
	demoDesks,
	demoOrgUnitContacts,
	demoOrgUnits,
	demoSchedules,
	demoServiceItems
} from './hall.ts';
import { importCatalog } from '../catalog/import.ts';
import { serviceIdByCode } from '../catalog/catalog.ts';
import { publishTemplate } from '../cases/templates.ts';
import { demoFormTemplates } from './forms.ts';
import { THEME_CODE, lifeEventForms, restaurantLifeEvent } from './life-events.ts';
import { publishLifeEvent } from '../life-events/definitions.ts';
import { assignStaffDepartment } from '../accounts/departments.ts';
import { createDemoRepo } from './repo.ts';
import { seedPublicHolidays } from '../ratings/calendar.ts';
import { importFaqs } from '../assistant/faqs.ts';
import { formatKbJsonl } from '../../shared/schemas/kb.ts';
import { demoFaqs } from './faqs.ts';

/**
 * Writes the demo hall in one transaction when the database has no org units yet.
 * Returns false (and writes nothing) when it already has some: seeding never touches real data.
 */
export async function seedDemoIfEmpty(deps: Deps): Promise<boolean> {
	if ((await createDemoRepo(deps.store).countOrgUnits()) > 0) return false;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const now = deps.now();
	return deps.store.transaction(async (tx) => {
		const demo = createDemoRepo(tx);
		const txDeps: Deps = { ...deps, store: tx };
		// the demo-seed lock, then count again (there is no row to lock): two processes starting
		// together seed once (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises them)
		await lockKey(tx, 'demo-seed');
		if ((await demo.countOrgUnits()) > 0) return false; // another process seeded meanwhile
		const org = new Map<string, string>();
		for (const u of demoOrgUnits) {
			const id = newId();
			org.set(u.code, id);
			await addOrgUnit(
				txDeps,
				{
					id,
					parentId: u.parent ? org.get(u.parent)! : null,
					level: u.level,
					code: u.code,
					name: u.name
				},
				demoOrgUnitContacts[u.code]
			);
		}
		const dept = new Map<string, string>();
		for (const d of demoDepartments) {
			const id = newId();
			dept.set(d.code, id);
			await demo.insertDepartment({
				id,
				org_unit_id: org.get(d.orgUnit)!,
				code: d.code,
				name: d.name,
				name_en: d.nameEn
			});
		}
		for (const a of demoAccounts) {
			const id = newId();
			await addAccount(
				txDeps,
				{
					id,
					role: a.role,
					phone: a.role === 'citizen' ? a.login : null,
					username: a.role === 'citizen' ? null : a.login,
					name: a.name,
					orgUnitId: a.orgUnit ? org.get(a.orgUnit)! : null
				},
				passwordHash
			);
			if (a.department) await assignStaffDepartment(txDeps, null, id, dept.get(a.department)!);
			// the demo and the e2e tests sign staff in with real codes of the documented secret
			if (a.role !== 'citizen')
				await enrolWithSecret(txDeps, id, decodeBase32IgnorePadding(DEMO_TOTP_SECRET));
		}
		for (const c of demoCategories) await demo.upsertCategory(c);
		for (const b of demoBundles) await demo.insertBundle({ id: newId(), ...b });
		await importCatalog(txDeps, {
			format: 'jsonl',
			content: demoServiceItems.map((row) => JSON.stringify(row)).join('\n'),
			mode: 'all-or-nothing'
		});
		for (const sc of demoSchedules)
			await demo.insertSchedule({
				id: newId(),
				org_unit_id: org.get(sc.orgUnit)!,
				service_item_id: (await serviceIdByCode(txDeps, sc.item))!,
				channel: sc.channel,
				slot_minutes: sc.slotMinutes,
				capacity: sc.capacity,
				cutoff_minutes: 60,
				hours: JSON.stringify(WEEKDAY_HOURS),
				created_at: now
			});
		for (const [code, definition] of Object.entries({ ...demoFormTemplates, ...lifeEventForms }))
			await publishTemplate(txDeps, null, (await serviceIdByCode(txDeps, code))!, definition);
		const ids = new Map<string, string>();
		for (const row of demoServiceItems) {
			const code = row.code as string;
			ids.set(code, (await serviceIdByCode(txDeps, code))!);
		}
		await publishLifeEvent(
			txDeps,
			null,
			ids.get(THEME_CODE)!,
			restaurantLifeEvent((code) => ids.get(code)!)
		);
		for (const d of demoDesks)
			await demo.insertDesk({
				id: newId(),
				org_unit_id: org.get(d.orgUnit)!,
				name: d.name,
				categories: d.categories,
				created_at: now
			});
		await seedPublicHolidays(txDeps);
		const faqs = await importFaqs(txDeps, null, formatKbJsonl(demoFaqs));
		if (!faqs.applied) throw new Error(`demo FAQs rejected: ${JSON.stringify(faqs.rejected)}`);
		return true;
	});
}

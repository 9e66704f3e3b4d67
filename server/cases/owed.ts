// 容缺受理: with an agent in the live session, a required material that is not a key material
// (不可容缺) may be accepted as owed on the citizen's written promise to hand it in by a working
// day. The case shows it as owed, the submit lets it pass, and the citizen is reminded (in the
// app and by SMS, through the notification outbox) on the working day before it is due.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { addDays, isDateString, localDate, zonedTime } from '../../shared/dates.ts';
import { isWorkingDay } from '../../shared/workdays.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case, OwedMaterial, OwedMaterialInput } from '../../shared/schemas/cases.ts';
import { listServiceMaterials } from '../catalog/catalog.ts';
import { loadCalendar } from '../ratings/calendar.ts';
import { requireOwedMaterialRecorder } from '../access/cases.ts';
import { recordAudit } from '../audit/audit.ts';
import { cancelNotices, enqueueNotice } from '../notify/outbox.ts';
import { toCase } from './cases.ts';
import { appendCaseEvent, createCasesRepo, type CaseRow, type DocumentRow } from './repo.ts';

/** How far ahead a promised day may lie. */
export const MAX_OWED_DAYS = 90;
/** The reminder goes out at this hall-local time on the working day before the due day. */
const REMINDER_TIME = '09:00';

const reminderKey = (caseId: string, material: string) => `owed_material:${caseId}:${material}:`;

/** The owed materials of a case; handed in once a document for it came after the promise. */
export async function owedMaterialsOf(
	deps: Deps,
	caseId: string,
	documents: readonly Pick<DocumentRow, 'material' | 'created_at'>[]
): Promise<OwedMaterial[]> {
	return (await createCasesRepo(deps.store).owedMaterials(caseId)).map((o) => ({
		material: o.material,
		promise: o.promise,
		dueDay: o.due_day,
		recordedBy: { id: o.recorded_by, name: o.recorder_name },
		recordedAt: toIso(o.recorded_at, deps.config.timeZone),
		handedIn: documents.some((d) => d.material === o.material && d.created_at >= o.recorded_at)
	}));
}

/** The working day before `day` (the reminder's day). */
function previousWorkingDay(
	day: string,
	calendar: Awaited<ReturnType<typeof loadCalendar>>
): string {
	let d = addDays(day, -1);
	for (let i = 0; i < 60 && !isWorkingDay(d, calendar); i++) d = addDays(d, -1);
	return d;
}

export async function recordOwedMaterial(
	deps: Deps,
	staff: User,
	caseId: string,
	input: OwedMaterialInput
): Promise<Case> {
	const tz = deps.config.timeZone;
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		await repo.lockCase(caseId); // serialises it with uploadDocument and submitCase
		const row = await repo.findCase(caseId);
		if (!row) throw AppError.notFound('Case');
		await requireOwedMaterialRecorder(txDeps, staff, row);
		if (row.status !== 'draft' && row.status !== 'returned')
			throw AppError.conflict('case_locked', 'This case can no longer be changed');
		// a material owed by a life event's application would have to follow it into each part
		// that needs it, with its reminder and its late upload: not built yet, so said plainly
		if (row.is_application)
			throw AppError.conflict(
				'owed_not_for_applications',
				'容缺受理 is not available for a life event application yet: hand the material in now'
			);
		const material = (await listServiceMaterials(txDeps, row.service_item_id)).find(
			(m) => m.name === input.material
		);
		if (!material) throw AppError.validation({ material: 'is not a material of this item' });
		if (!material.required)
			throw AppError.validation({ material: 'is optional; nothing needs to be owed' });
		if (material.key)
			throw AppError.validation({
				material: 'is a key material (不可容缺) and cannot be handed in later'
			});
		if ((await repo.documents(caseId)).some((d) => d.material === material.name))
			throw AppError.validation({ material: 'has been handed in already' });
		const now = deps.now();
		const today = localDate(now, tz);
		const calendar = await loadCalendar(txDeps);
		if (!isDateString(input.dueDay))
			throw AppError.validation({ dueDay: 'must be a date YYYY-MM-DD' });
		if (input.dueDay <= today) throw AppError.validation({ dueDay: 'must be after today' });
		if (input.dueDay > addDays(today, MAX_OWED_DAYS))
			throw AppError.validation({ dueDay: `must be within ${MAX_OWED_DAYS} days` });
		if (!isWorkingDay(input.dueDay, calendar))
			throw AppError.validation({ dueDay: 'must be a working day' });

		await repo.upsertOwedMaterial({
			case_id: caseId,
			material: material.name,
			promise: input.promise,
			due_day: input.dueDay,
			recorded_by: staff.id,
			session_id: row.session_id,
			recorded_at: now
		});
		await repo.touch(caseId, now);
		await appendCaseEvent(
			txDeps,
			caseId,
			'material.owed',
			staff.id,
			{ material: material.name, dueDay: input.dueDay },
			now
		);
		// a new promise replaces the reminder of an earlier one
		await cancelNotices(txDeps, reminderKey(caseId, material.name));
		const remindDay = previousWorkingDay(input.dueDay, calendar);
		await enqueueNotice(txDeps, {
			userId: row.citizen_id,
			kind: 'owed_material_reminder',
			params: { serviceName: row.service_name, material: material.name, dueDay: input.dueDay },
			link: `/cases/${caseId}`,
			dueAt: Math.max(now, zonedTime(remindDay, REMINDER_TIME, tz)),
			key: `${reminderKey(caseId, material.name)}${newId()}`,
			channels: ['in_app', 'sms']
		});
		await recordAudit(txDeps, {
			action: 'case.material_owed',
			target: { type: 'case', id: caseId },
			detail: { material: material.name, dueDay: input.dueDay }
		});
		return toCase(txDeps, staff, (await repo.findCase(caseId))!);
	});
}

/**
 * Whether a material may still be handed in after submission: it is owed, not yet handed in,
 * and the case is still being handled (not decided).
 */
export async function isOwedAndOpen(
	deps: Deps,
	caseId: string,
	status: CaseRow['status'],
	material: string
): Promise<boolean> {
	if (!['submitted', 'accepted', 'in_review', 'approved'].includes(status)) return false;
	const repo = createCasesRepo(deps.store);
	return (await owedMaterialsOf(deps, caseId, await repo.documents(caseId))).some(
		(o) => o.material === material && !o.handedIn
	);
}

/** A rejected case owes nothing any more: its reminders are cancelled. */
export async function cancelOwedReminders(deps: Deps, caseId: string): Promise<void> {
	await cancelNotices(deps, `owed_material:${caseId}:`);
}

/** A document for an owed material came in: its reminder is no longer needed. */
export async function cancelOwedReminder(
	deps: Deps,
	caseId: string,
	material: string
): Promise<void> {
	await cancelNotices(deps, reminderKey(caseId, material));
}

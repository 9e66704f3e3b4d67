// The documents a hall hands over for a case, built from what is recorded (nothing is stored
// twice): the 申请回执 once the case is submitted, the 受理通知书 once an org unit accepted it.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case } from '../../shared/schemas/cases.ts';
import type { AcceptanceNotice, ApplicationReceipt } from '../../shared/schemas/issued.ts';
import { allFields } from '../../shared/forms/template.ts';
import { maskIdNumber } from '../../shared/forms/validators.ts';
import { localDate } from '../../shared/dates.ts';
import { addWorkingDays } from '../../shared/workdays.ts';
import { toIso } from '../time.ts';
import { requireIssuedDocumentReader } from '../access/cases.ts';
import { getOrgUnitContact } from '../accounts/accounts.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { loadCalendar } from '../ratings/calendar.ts';
import { toCase } from './cases.ts';
import { createCasesRepo, type CaseRow } from './repo.ts';

async function readableCase(
	deps: Deps,
	user: User,
	id: string
): Promise<{ row: CaseRow; kase: Case }> {
	const row = await createCasesRepo(deps.store).findCase(id);
	if (!row) throw AppError.notFound('Case');
	await requireIssuedDocumentReader(deps, user, row);
	return { row, kase: await toCase(deps, user, row) };
}

/** The applicant's ID number from the form (its first ID-number field), always masked. */
function maskedIdNumber(kase: Case): string | null {
	const key = allFields(kase.template.definition).find((f) => f.kind === 'id_number')?.key;
	const value = kase.fields.find((f) => f.key === key)?.value;
	return typeof value === 'string' && value ? maskIdNumber(value) : null;
}

/** 容缺: what the citizen promised to hand in later (none on a case without promises). */
function owedMaterials(kase: Case) {
	return kase.owedMaterials.map((o) => ({
		material: o.material,
		dueDay: o.dueDay,
		handedIn: o.handedIn
	}));
}

/** The last acceptance on the case's timeline: when and by whom. */
async function acceptance(deps: Deps, row: CaseRow) {
	const accepted = (await createCasesRepo(deps.store).eventsAfter(row.id, 0, 100_000))
		.filter((e) => e.type === 'case.accepted')
		.at(-1);
	return row.accepted_org_unit_id ? accepted : undefined;
}

export async function applicationReceipt(
	deps: Deps,
	user: User,
	id: string
): Promise<ApplicationReceipt> {
	const { row, kase } = await readableCase(deps, user, id);
	if (!row.receipt_no || !row.submitted_at)
		throw new AppError(409, 'not_submitted', 'The case has not been submitted: no receipt yet');
	const item = (await findServiceSummary(deps, row.service_item_id))!;
	const received = new Map<string, string[]>();
	for (const d of kase.documents) {
		if (d.review?.verdict === 'reupload') continue; // asked for again: not received
		received.set(d.material, [...(received.get(d.material) ?? []), d.filename]);
	}
	const accepted = await acceptance(deps, row);
	// the last submission on the timeline: the applicant's own, or a proxy's or the grid
	// worker's for them
	const submitted = kase.timeline.filter((e) => e.type === 'case.submitted').at(-1);
	return {
		caseId: row.id,
		receiptNo: row.receipt_no,
		status: row.status,
		submittedBy: submitted?.actedFor
			? {
					id: submitted.actorId,
					name: submitted.actorName ?? '',
					as: submitted.actedAs === 'grid' ? 'grid' : 'proxy'
				}
			: { id: row.citizen_id, name: row.citizen_name, as: 'self' },
		service: { code: item.code, name: item.name, timeLimitDays: item.timeLimitDays },
		applicant: { name: row.citizen_name, idNumber: maskedIdNumber(kase) },
		submittedAt: toIso(row.submitted_at, deps.config.timeZone),
		materialsReceived: [...received].map(([material, files]) => ({ material, files })),
		materialsOwed: owedMaterials(kase),
		acceptedAt: accepted ? toIso(accepted.created_at, deps.config.timeZone) : null,
		casePath: `/cases/${row.id}`,
		lifeEvent: kase.application && {
			dueDate: kase.application.dueDate,
			items: kase.application.parts.map((p) => ({
				itemName: p.itemName,
				departmentName: p.departmentName,
				receiptNo: p.receiptNo,
				timeLimitDays: p.timeLimitDays,
				expectedDay: p.dueDate,
				waitsFor: p.waitsFor
			}))
		}
	};
}

export async function acceptanceNotice(
	deps: Deps,
	user: User,
	id: string
): Promise<AcceptanceNotice> {
	const { row, kase } = await readableCase(deps, user, id);
	const accepted = await acceptance(deps, row);
	if (!accepted || !row.receipt_no)
		throw new AppError(409, 'not_accepted', 'The case has not been accepted: no notice yet');
	const item = (await findServiceSummary(deps, row.service_item_id))!;
	const org = (await getOrgUnitContact(deps, row.accepted_org_unit_id!))!;
	const fromDay = localDate(accepted.created_at, deps.config.timeZone);
	const method = row.delivery ?? 'nearby';
	const calendar = await loadCalendar(deps);
	return {
		caseId: row.id,
		receiptNo: row.receipt_no,
		service: { code: item.code, name: item.name },
		applicant: { name: row.citizen_name, idNumber: maskedIdNumber(kase) },
		acceptedAt: toIso(accepted.created_at, deps.config.timeZone),
		acceptingOrgUnit: org,
		agent: { id: accepted.actor_id ?? '', name: accepted.actor_name ?? '' },
		timeLimit: {
			workingDays: item.timeLimitDays,
			fromDay,
			expectedCompletionDay: addWorkingDays(fromDay, item.timeLimitDays, calendar)
		},
		// 就近通办: the result is handed out where the case was accepted
		delivery: { method, place: method === 'nearby' ? org : null },
		contactPhone: org.phone,
		materialsOwed: owedMaterials(kase)
	};
}

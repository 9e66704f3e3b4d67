// 全域通办 · 上下联动: a case accepted at one org unit (often a township, 多点受理) is forwarded to
// the approving department's org unit, reviewed there (approve, return for correction with
// field comments, reject) and completed where it was accepted (就近通办) or electronically.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case } from '../../shared/schemas/cases.ts';
import { getOrgUnit } from '../accounts/accounts.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { allFields } from '../../shared/forms/template.ts';
import { templateOf, toCase } from './cases.ts';
import { cancelOwedReminders } from './owed.ts';
import { caseAccess } from '../access/cases.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { departmentOfStaff } from '../accounts/departments.ts';
import {
	applicationDelivered,
	partAdvanced,
	refuseApplicationStep
} from '../life-events/applications.ts';
import { appendCaseEvent, createCasesRepo, type CaseRow } from './repo.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { recordAudit, type AuditAction } from '../audit/audit.ts';

type Step = 'accept' | 'forward' | 'approve' | 'return' | 'reject' | 'complete';
const EVENT: Record<Step, AuditAction & `case.${string}`> = {
	accept: 'case.accepted',
	forward: 'case.forwarded',
	approve: 'case.approved',
	return: 'case.returned',
	reject: 'case.rejected',
	complete: 'case.completed'
};

async function notifyCitizen(
	deps: Deps,
	row: CaseRow,
	kind: string,
	extra: Record<string, string> = {}
): Promise<void> {
	await enqueueNotice(deps, {
		userId: row.citizen_id,
		kind,
		params: { serviceName: row.service_name, receiptNo: row.receipt_no ?? '', ...extra },
		link: `/cases/${row.id}`,
		dueAt: deps.now(),
		key: `${kind}:${row.id}:${deps.now()}`,
		channels: ['in_app', 'sms']
	});
}

export async function advanceCase(
	deps: Deps,
	staff: User,
	caseId: string,
	step: Step,
	input: {
		note?: string;
		comments?: Record<string, string>;
		delivery?: 'nearby' | 'electronic';
		resultNo?: string;
	} = {}
): Promise<Case> {
	const row = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		// a life event's part: its application first, the order every write to the application
		// takes (the citizen's resubmission, another department's step), so none can deadlock
		const part = await repo.findCase(caseId);
		if (part?.application_id) await repo.lockCase(part.application_id);
		await repo.lockCase(caseId); // two reviewers never both decide
		const c = await repo.findCase(caseId);
		if (!c) throw AppError.notFound('Case');
		await caseAccess(txDeps, staff, c); // 404 to staff who may not even see the case
		refuseApplicationStep(c, step);
		const item = (await findServiceSummary(txDeps, c.service_item_id))!;
		const next = {
			id: c.id,
			status: c.status,
			accepted_org_unit_id: c.accepted_org_unit_id,
			review_org_unit_id: c.review_org_unit_id,
			review_comments: c.review_comments,
			delivery: c.delivery,
			now: deps.now()
		};
		const wrong = () =>
			AppError.conflict(
				'wrong_state',
				`A ${c.status} case cannot be ${step === 'return' ? 'returned' : step + 'ed'}`
			);
		const myOrg = staff.orgUnitId ? await getOrgUnit(txDeps, staff.orgUnitId) : undefined;
		switch (step) {
			case 'accept': {
				// multi-point acceptance: any staff whose org level the item allows, for a case of their area
				if (c.status !== 'submitted' || c.accepted_org_unit_id) throw wrong();
				if (!myOrg || !item.acceptLevels.includes(myOrg.level))
					throw AppError.forbidden(
						`This item is not accepted at the ${myOrg?.level ?? 'unknown'} level`
					);
				if (!(await staffSeesOrgUnit(txDeps, staff, c.org_unit_id)))
					throw AppError.forbidden('This case belongs to another area');
				next.status = 'accepted';
				next.accepted_org_unit_id = myOrg.id;
				break;
			}
			case 'forward': {
				const resubmitted = c.status === 'submitted' && c.accepted_org_unit_id;
				if (c.status !== 'accepted' && !resubmitted) throw wrong();
				if (!(await staffSeesOrgUnit(txDeps, staff, c.accepted_org_unit_id)))
					throw AppError.forbidden('Only the accepting org unit forwards this case');
				next.status = 'in_review';
				next.review_org_unit_id = item.department.orgUnitId; // the approving department's org unit
				next.review_comments = '{}';
				break;
			}
			case 'approve':
			case 'reject':
			case 'return': {
				if (c.status !== 'in_review') throw wrong();
				if (!(await staffSeesOrgUnit(txDeps, staff, c.review_org_unit_id)))
					throw AppError.forbidden('Only the reviewing org unit decides');
				if (step === 'return') {
					const keys = new Set(
						allFields(await templateOf(txDeps, c.template_id)).map((f) => f.key)
					);
					const comments = input.comments ?? {};
					const unknown = Object.keys(comments).filter((k) => !keys.has(k));
					if (!Object.keys(comments).length)
						throw AppError.validation({ comments: 'name at least one field to correct' });
					if (unknown.length)
						throw AppError.validation({ comments: `unknown fields: ${unknown.join(', ')}` });
					next.review_comments = JSON.stringify(comments);
				}
				next.status = step === 'approve' ? 'approved' : step === 'reject' ? 'rejected' : 'returned';
				break;
			}
			case 'complete': {
				if (c.status !== 'approved') throw wrong();
				// 就近通办: handed out by the org unit that accepted the case
				if (staff.orgUnitId !== (c.accepted_org_unit_id ?? c.org_unit_id))
					throw AppError.forbidden('The result is handed out where the case was accepted');
				next.status = 'completed';
				next.delivery = input.delivery ?? 'nearby';
				break;
			}
		}
		await repo.setWorkflow(next);
		await appendCaseEvent(
			txDeps,
			c.id,
			EVENT[step],
			staff.id,
			{
				orgUnitId: staff.orgUnitId,
				orgUnitName: myOrg?.name ?? null,
				note: input.note ?? null,
				...(step === 'return' ? { comments: input.comments } : {}),
				...(step === 'complete' ? { delivery: next.delivery } : {})
			},
			deps.now()
		);
		// EVENT's names are the audit's actions for case decisions
		await recordAudit(txDeps, {
			action: EVENT[step],
			target: { type: 'case', id: c.id },
			detail: { from: c.status, to: next.status, orgUnitId: staff.orgUnitId }
		});
		// 一件事: a part's step moves its application (and may start a part waiting for it)
		if (c.application_id)
			await partAdvanced(
				txDeps,
				staff,
				(await repo.findCase(c.id))!,
				(await repo.findCase(c.application_id))!,
				step,
				input.resultNo
			);
		if (step === 'complete')
			await applicationDelivered(txDeps, c, next.delivery ?? 'nearby', staff.id);
		const updated = (await repo.findCase(c.id))!;
		const notice = {
			accept: 'case_accepted',
			return: 'case_returned',
			approve: 'case_approved',
			complete: 'case_completed',
			reject: 'case_rejected',
			forward: null
		}[step];
		// a part's other news is the application's (its returns, its completion: partAdvanced)
		if (notice && (!c.application_id || step === 'accept'))
			await notifyCitizen(txDeps, updated, notice);
		if (next.status === 'rejected') await cancelOwedReminders(txDeps, c.id);
		return updated;
	});
	return toCase(deps, staff, row);
}

/** Cases a staff member works on: of their area, accepted there, or sent there for review. */
export async function casesForStaff(deps: Deps, staff: User) {
	const units = await staffOrgUnits(deps, staff);
	const department = await departmentOfStaff(deps, staff);
	return (await createCasesRepo(deps.store).casesForOrgUnits(units, department)).map((r) => ({
		id: r.id,
		serviceName: r.service_name,
		citizenName: r.citizen_name,
		status: r.status,
		receiptNo: r.receipt_no,
		forReview:
			!!r.review_org_unit_id && units.includes(r.review_org_unit_id) && r.status === 'in_review'
	}));
}

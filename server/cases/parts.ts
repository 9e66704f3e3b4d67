// The parts of a life event's application (一件事一次办, issue 24): each a case of its own item,
// filed from the application the citizen filled and signed once. The life event rules
// (server/life-events/applications.ts) decide which parts, when and with which values; these
// rules write the part cases the way every case is written.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { FieldValue } from '../../shared/forms/template.ts';
import { contentHash } from './cases.ts';
import {
	appendCaseEvent,
	createCasesRepo,
	type CaseRow,
	type ReviewedDocumentRow
} from './repo.ts';

export type { CaseRow } from './repo.ts';

/** A part is changed only through its application: the citizen corrects once, in one place. */
export function refuseApplicationPart(row: Pick<CaseRow, 'application_id'>): void {
	if (row.application_id)
		throw AppError.conflict(
			'part_of_application',
			'This case is part of a life event application: correct it in the application'
		);
}

/** What the application holds: its values, who typed each, its documents. */
export async function applicationContent(deps: Deps, applicationId: string) {
	const repo = createCasesRepo(deps.store);
	const fields = await repo.fields(applicationId);
	return {
		values: Object.fromEntries(
			fields.map((f) => [f.key, JSON.parse(f.value) as FieldValue])
		) as Record<string, FieldValue>,
		typedBy: Object.fromEntries(fields.map((f) => [f.key, f.updated_by])) as Record<string, string>,
		documents: await repo.documents(applicationId)
	};
}

export interface PartContent {
	/** the item's field values (its own keys) and who typed each (the application's field) */
	values: Record<string, { value: FieldValue; typedBy: string }>;
	/** the application's documents, each under the item's own material name */
	documents: { material: string; document: ReviewedDocumentRow }[];
}

async function copyDocuments(
	deps: Deps,
	caseId: string,
	documents: PartContent['documents'],
	now: number
): Promise<number> {
	const repo = createCasesRepo(deps.store);
	const have = await repo.documents(caseId);
	let copied = 0;
	for (const { material, document: d } of documents) {
		// the same file under the same material is attached once
		if (have.some((h) => h.material === material && h.sha256 === d.sha256)) continue;
		const id = newId();
		await repo.insertDocument({
			id,
			case_id: caseId,
			material,
			filename: d.filename,
			mime: d.mime,
			size: d.size,
			sha256: d.sha256,
			uploaded_by: d.uploaded_by,
			created_at: d.created_at
		});
		// the agent checked it once, in the application: the verdict holds for every part
		if (d.review_verdict && d.reviewed_by && d.reviewed_at)
			await repo.reviewDocument({
				id,
				verdict: d.review_verdict,
				reason: d.review_reason,
				reviewed_by: d.reviewed_by,
				reviewed_at: d.reviewed_at
			});
		await appendCaseEvent(
			deps,
			caseId,
			'document.uploaded',
			d.uploaded_by,
			{ documentId: id, material, fromApplication: true },
			now
		);
		copied++;
	}
	return copied;
}

async function writeValues(
	deps: Deps,
	caseId: string,
	values: PartContent['values'],
	now: number
): Promise<string[]> {
	const repo = createCasesRepo(deps.store);
	const changed: string[] = [];
	for (const [key, { value, typedBy }] of Object.entries(values)) {
		const current = await repo.field(caseId, key);
		const json = JSON.stringify(value);
		if (current && current.value === json) continue;
		await repo.upsertField({
			case_id: caseId,
			key,
			value: json,
			revision: (current?.revision ?? 0) + 1,
			// the applicant confirmed every value when signing the application
			source: 'citizen',
			updated_by: typedBy,
			updated_at: now,
			confirmed_at: now
		});
		changed.push(key);
	}
	return changed;
}

/**
 * The signature of the application stands for every part: the part records the same image and
 * the hash of its own content as filed, so a later change to the part shows as unsigned.
 */
async function carrySignature(deps: Deps, application: CaseRow, caseId: string, now: number) {
	const repo = createCasesRepo(deps.store);
	await repo.setSignature({
		id: caseId,
		signature_sha256: application.signature_sha256,
		signature_file: application.signature_file,
		signed_content_sha256: await contentHash(deps, (await repo.findCase(caseId))!),
		signed_at: application.signed_at,
		now
	});
}

/** Files one part: a submitted case of its item, with the application's values, files and signature. */
export async function fileApplicationPart(
	deps: Deps,
	application: CaseRow,
	part: {
		itemId: string;
		templateId: string;
		orgUnitId: string;
		receiptNo: string;
		position: number;
	},
	content: PartContent
): Promise<string> {
	const repo = createCasesRepo(deps.store);
	const now = deps.now();
	const id = newId();
	await repo.insertCase({
		id,
		service_item_id: part.itemId,
		template_id: part.templateId,
		citizen_id: application.citizen_id,
		org_unit_id: part.orgUnitId,
		session_id: null,
		now
	});
	await writeValues(deps, id, content.values, now);
	await copyDocuments(deps, id, content.documents, now);
	await carrySignature(deps, application, id, now);
	await repo.setStatus({
		id,
		status: 'submitted',
		receipt_no: part.receiptNo,
		submitted_at: now,
		now
	});
	await appendCaseEvent(
		deps,
		id,
		'case.submitted',
		application.citizen_id,
		{ receiptNo: part.receiptNo, applicationId: application.id, position: part.position },
		now
	);
	return id;
}

/**
 * After the citizen corrected and signed the application again: a part whose values or files
 * changed, or that its department returned, goes back to its department (submitted again, its
 * acceptance kept); a part the correction did not touch keeps its state and its approval.
 */
export async function refileApplicationPart(
	deps: Deps,
	application: CaseRow,
	caseId: string,
	content: PartContent
): Promise<boolean> {
	const repo = createCasesRepo(deps.store);
	await repo.lockCase(caseId);
	const row = (await repo.findCase(caseId))!;
	if (['rejected', 'completed'].includes(row.status)) return false;
	const now = deps.now();
	const changed = await writeValues(deps, caseId, content.values, now);
	const copied = await copyDocuments(deps, caseId, content.documents, now);
	if (!changed.length && !copied && row.status !== 'returned') return false;
	await carrySignature(deps, application, caseId, now);
	await repo.setWorkflow({
		id: caseId,
		status: 'submitted',
		accepted_org_unit_id: row.accepted_org_unit_id,
		review_org_unit_id: row.review_org_unit_id,
		review_comments: '{}',
		delivery: row.delivery,
		now
	});
	await appendCaseEvent(
		deps,
		caseId,
		'case.resubmitted',
		application.citizen_id,
		{ applicationId: application.id, changedFields: changed, newDocuments: copied },
		now
	);
	return true;
}

/** 统一出件: the part's result is delivered with the application's. */
export async function completeApplicationPart(
	deps: Deps,
	caseId: string,
	delivery: 'nearby' | 'electronic',
	actorId: string | null
): Promise<void> {
	const repo = createCasesRepo(deps.store);
	const row = (await repo.findCase(caseId))!;
	if (row.status !== 'approved') return;
	const now = deps.now();
	await repo.setWorkflow({
		id: caseId,
		status: 'completed',
		accepted_org_unit_id: row.accepted_org_unit_id,
		review_org_unit_id: row.review_org_unit_id,
		review_comments: row.review_comments,
		delivery,
		now
	});
	await appendCaseEvent(
		deps,
		caseId,
		'case.completed',
		actorId,
		{ delivery, withApplication: true },
		now
	);
}

/** Sets the application's own state as its parts decide it (it is never decided by itself). */
export async function setApplicationState(
	deps: Deps,
	application: CaseRow,
	state: {
		status: CaseRow['status'];
		comments?: Record<string, string>;
		delivery?: 'nearby' | 'electronic';
	},
	actorId: string | null,
	payload: Record<string, unknown> = {}
): Promise<boolean> {
	const comments = JSON.stringify(state.comments ?? {});
	if (application.status === state.status && application.review_comments === comments) return false;
	await createCasesRepo(deps.store).setWorkflow({
		id: application.id,
		status: state.status,
		accepted_org_unit_id: application.accepted_org_unit_id,
		review_org_unit_id: application.review_org_unit_id,
		review_comments: comments,
		delivery: state.delivery ?? application.delivery,
		now: deps.now()
	});
	await appendCaseEvent(
		deps,
		application.id,
		`application.${state.status}`,
		actorId,
		payload,
		deps.now()
	);
	return true;
}

/** Tells the application's page that one of its parts moved (its own state may not change). */
export async function notePartMoved(
	deps: Deps,
	applicationId: string,
	actorId: string,
	payload: { itemId: string; step: string }
): Promise<void> {
	await appendCaseEvent(
		deps,
		applicationId,
		'application.part_moved',
		actorId,
		payload,
		deps.now()
	);
}

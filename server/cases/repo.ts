import { perConnection, type Db } from '../db/index.ts';
import { eventBusOf } from '../realtime/bus.ts';

export interface TemplateRow {
	id: string;
	service_item_id: string;
	version: number;
	definition: string;
	published_at: number;
}

export interface CaseRow {
	id: string;
	service_item_id: string;
	template_id: string;
	citizen_id: string;
	org_unit_id: string;
	session_id: string | null;
	status:
		| 'draft'
		| 'submitted'
		| 'accepted'
		| 'in_review'
		| 'approved'
		| 'returned'
		| 'rejected'
		| 'completed';
	receipt_no: string | null;
	signature_sha256: string | null;
	signature_file: string | null;
	signed_content_sha256: string | null;
	signed_at: number | null;
	submitted_at: number | null;
	created_at: number;
	updated_at: number;
	accepted_org_unit_id: string | null;
	review_org_unit_id: string | null;
	review_comments: string;
	delivery: 'nearby' | 'electronic' | null;
	service_name: string;
	citizen_name: string;
}

export interface FieldRow {
	case_id: string;
	key: string;
	value: string;
	revision: number;
	source: 'citizen' | 'staff';
	updated_by: string;
	updated_at: number;
	confirmed_at: number | null;
	updated_by_name: string;
}

export interface DocumentRow {
	id: string;
	case_id: string;
	material: string;
	filename: string;
	mime: string;
	size: number;
	sha256: string;
	uploaded_by: string;
	created_at: number;
}

/** A document with its current review (columns of migration 0014) and the reviewer's name. */
export interface ReviewedDocumentRow extends DocumentRow {
	review_verdict: 'accepted' | 'reupload' | null;
	review_reason: string | null;
	reviewed_by: string | null;
	reviewed_at: number | null;
	reviewer_name: string | null;
}

/** 容缺受理 (migration 0015): a material owed on the citizen's promise, with the recorder's name. */
export interface OwedMaterialRow {
	case_id: string;
	material: string;
	promise: string;
	due_day: string;
	recorded_by: string;
	session_id: string | null;
	recorded_at: number;
	recorder_name: string;
}

export interface CaseEventRow {
	id: number;
	case_id: string;
	type: string;
	actor_id: string | null;
	payload: string;
	created_at: number;
	actor_name: string | null;
}

const CASE = `SELECT c.*, i.name AS service_name, u.name AS citizen_name FROM cases c
	JOIN service_items i ON i.id = c.service_item_id JOIN users u ON u.id = c.citizen_id`;

export const createCasesRepo = perConnection((db: Db) => {
	const latestTemplate = db.prepare<[string], TemplateRow>(
		'SELECT * FROM form_templates WHERE service_item_id = ? ORDER BY version DESC LIMIT 1'
	);
	const template = db.prepare<[string], TemplateRow>('SELECT * FROM form_templates WHERE id = ?');
	const insertTemplate = db.prepare(
		`INSERT INTO form_templates (id, service_item_id, version, definition, published_by, published_at)
		 VALUES (@id, @service_item_id, @version, @definition, @published_by, @published_at)`
	);
	const insertCase = db.prepare(
		`INSERT INTO cases (id, service_item_id, template_id, citizen_id, org_unit_id, session_id, status, created_at, updated_at)
		 VALUES (@id, @service_item_id, @template_id, @citizen_id, @org_unit_id, @session_id, 'draft', @now, @now)`
	);
	const byId = db.prepare<[string], CaseRow>(`${CASE} WHERE c.id = ?`);
	const bySession = db.prepare<[string], CaseRow>(`${CASE} WHERE c.session_id = ?`);
	const ofCitizen = db.prepare<[string], CaseRow>(
		`${CASE} WHERE c.citizen_id = ? ORDER BY c.created_at DESC LIMIT 50`
	);
	const fields = db.prepare<[string], FieldRow>(
		`SELECT f.*, u.name AS updated_by_name FROM case_fields f JOIN users u ON u.id = f.updated_by WHERE f.case_id = ?`
	);
	const field = db.prepare<[string, string], FieldRow>(
		`SELECT f.*, u.name AS updated_by_name FROM case_fields f JOIN users u ON u.id = f.updated_by WHERE f.case_id = ? AND f.key = ?`
	);
	const upsertField = db.prepare(
		`INSERT INTO case_fields (case_id, key, value, revision, source, updated_by, updated_at, confirmed_at)
		 VALUES (@case_id, @key, @value, @revision, @source, @updated_by, @updated_at, @confirmed_at)
		 ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value, revision = excluded.revision,
		   source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
		   confirmed_at = excluded.confirmed_at`
	);
	const confirm = db.prepare(
		'UPDATE case_fields SET confirmed_at = ? WHERE case_id = ? AND key = ? AND confirmed_at IS NULL'
	);
	const setSignature = db.prepare(
		`UPDATE cases SET signature_sha256 = @signature_sha256, signature_file = @signature_file,
		   signed_content_sha256 = @signed_content_sha256, signed_at = @signed_at, updated_at = @now WHERE id = @id`
	);
	const setStatus = db.prepare(
		'UPDATE cases SET status = @status, receipt_no = coalesce(@receipt_no, receipt_no), submitted_at = coalesce(@submitted_at, submitted_at), updated_at = @now WHERE id = @id'
	);
	const touch = db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?');
	const workflow = db.prepare(
		`UPDATE cases SET status = @status, accepted_org_unit_id = @accepted_org_unit_id, review_org_unit_id = @review_org_unit_id,
		   review_comments = @review_comments, delivery = @delivery, updated_at = @now WHERE id = @id`
	);
	const forOrgs = db.prepare<[{ units: string }], CaseRow>(
		`${CASE} WHERE c.status <> 'draft' AND (c.org_unit_id IN (SELECT value FROM json_each(@units))
		   OR c.accepted_org_unit_id IN (SELECT value FROM json_each(@units))
		   OR c.review_org_unit_id IN (SELECT value FROM json_each(@units)))
		 ORDER BY c.updated_at DESC LIMIT 200`
	);
	// rowid breaks ties: uploads in the same millisecond stay in the order they were made
	const documents = db.prepare<[string], ReviewedDocumentRow>(
		`SELECT d.*, r.name AS reviewer_name FROM case_documents d LEFT JOIN users r ON r.id = d.reviewed_by
		 WHERE d.case_id = ? ORDER BY d.created_at, d.rowid`
	);
	const document = db.prepare<[string, string], ReviewedDocumentRow>(
		`SELECT d.*, r.name AS reviewer_name FROM case_documents d LEFT JOIN users r ON r.id = d.reviewed_by
		 WHERE d.id = ? AND d.case_id = ?`
	);
	const reviewDocument = db.prepare(
		`UPDATE case_documents SET review_verdict = @verdict, review_reason = @reason, reviewed_by = @reviewed_by,
		   reviewed_at = @reviewed_at WHERE id = @id`
	);
	const insertDocument = db.prepare(
		`INSERT INTO case_documents (id, case_id, material, filename, mime, size, sha256, uploaded_by, created_at)
		 VALUES (@id, @case_id, @material, @filename, @mime, @size, @sha256, @uploaded_by, @created_at)`
	);
	const owed = db.prepare<[string], OwedMaterialRow>(
		`SELECT o.*, u.name AS recorder_name FROM case_owed_materials o JOIN users u ON u.id = o.recorded_by
		 WHERE o.case_id = ? ORDER BY o.recorded_at, o.rowid`
	);
	const insertOwed = db.prepare(
		`INSERT INTO case_owed_materials (case_id, material, promise, due_day, recorded_by, session_id, recorded_at)
		 VALUES (@case_id, @material, @promise, @due_day, @recorded_by, @session_id, @recorded_at)
		 ON CONFLICT (case_id, material) DO UPDATE SET promise = excluded.promise, due_day = excluded.due_day,
		   recorded_by = excluded.recorded_by, session_id = excluded.session_id, recorded_at = excluded.recorded_at`
	);
	const appendEvent = db.prepare(
		'INSERT INTO case_events (case_id, type, actor_id, payload, created_at) VALUES (?, ?, ?, ?, ?)'
	);
	const events = db.prepare<[string, number, number], CaseEventRow>(
		`SELECT e.*, u.name AS actor_name FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
		 WHERE e.case_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`
	);
	const lastEvent = db.prepare<[string], { id: number | null }>(
		'SELECT max(id) AS id FROM case_events WHERE case_id = ?'
	);
	return {
		latestTemplate: (serviceId: string) => latestTemplate.get(serviceId),
		findTemplate: (id: string) => template.get(id),
		insertTemplate: (row: Record<string, unknown>) => void insertTemplate.run(row),
		insertCase: (row: Record<string, unknown>) => void insertCase.run(row),
		findCase: (id: string) => byId.get(id),
		findBySession: (sessionId: string) => bySession.get(sessionId),
		casesOf: (citizenId: string) => ofCitizen.all(citizenId),
		fields: (caseId: string) => fields.all(caseId),
		field: (caseId: string, key: string) => field.get(caseId, key),
		upsertField: (row: Omit<FieldRow, 'updated_by_name'>) => void upsertField.run(row),
		confirmField: (caseId: string, key: string, now: number) =>
			confirm.run(now, caseId, key).changes === 1,
		setSignature: (row: Record<string, unknown>) => void setSignature.run(row),
		setStatus: (row: {
			id: string;
			status: CaseRow['status'];
			receipt_no: string | null;
			submitted_at: number | null;
			now: number;
		}) => void setStatus.run(row),
		touch: (id: string, now: number) => void touch.run(now, id),
		setWorkflow: (row: {
			id: string;
			status: CaseRow['status'];
			accepted_org_unit_id: string | null;
			review_org_unit_id: string | null;
			review_comments: string;
			delivery: CaseRow['delivery'];
			now: number;
		}) => void workflow.run(row),
		casesForOrgUnits: (orgUnitIds: string[]) => forOrgs.all({ units: JSON.stringify(orgUnitIds) }),
		documents: (caseId: string) => documents.all(caseId),
		insertDocument: (row: DocumentRow) => void insertDocument.run(row),
		/** One document of one case (undefined when the id belongs to another case). */
		findDocument: (caseId: string, documentId: string) => document.get(documentId, caseId),
		reviewDocument: (row: {
			id: string;
			verdict: 'accepted' | 'reupload';
			reason: string | null;
			reviewed_by: string;
			reviewed_at: number;
		}) => void reviewDocument.run(row),
		owedMaterials: (caseId: string) => owed.all(caseId),
		/** Records (or replaces) the promise for one material of a case. */
		upsertOwedMaterial: (row: Omit<OwedMaterialRow, 'recorder_name'>) => void insertOwed.run(row),
		appendEvent: (
			caseId: string,
			type: string,
			actorId: string | null,
			payload: unknown,
			now: number
		) => {
			const run = appendEvent.run(caseId, type, actorId, JSON.stringify(payload), now);
			eventBusOf(db).publish(`case:${caseId}`, Number(run.lastInsertRowid));
		},
		eventsAfter: (caseId: string, after: number, limit = 500) => events.all(caseId, after, limit),
		lastEventId: (caseId: string) => lastEvent.get(caseId)?.id ?? 0
	};
});

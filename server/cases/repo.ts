import type { Engine } from '../engine.ts';
import { caseEventActor } from '../access/acting.ts';
import type { Store } from '../db/store.ts';
import { forUpdate, inItems, jsonValues } from '../db/dialect.ts';

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
	department_id: string;
	/** a life event's application (issue 24): 1/true when its form is a life event's union form */
	is_application: number | boolean;
	/** the application this case is a part of (issue 24), or null */
	application_id: string | null;
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
	/** 代办: the applicant the actor (a proxy) acted for */
	acted_for: string | null;
	payload: string;
	created_at: number;
	actor_name: string | null;
	/** the actor's role: a proxy is a citizen, a grid worker 'grid' (to say in what capacity they acted) */
	actor_role: string | null;
	acted_for_name: string | null;
}

const CASE = `SELECT c.*, i.name AS service_name, i.department_id, u.name AS citizen_name,
	EXISTS (SELECT 1 FROM life_event_versions v WHERE v.template_id = c.template_id) AS is_application,
	(SELECT p.application_id FROM application_parts p WHERE p.case_id = c.id) AS application_id
	FROM cases c JOIN service_items i ON i.id = c.service_item_id JOIN users u ON u.id = c.citizen_id`;

export function createCasesRepo(db: Store) {
	return {
		latestTemplate: (serviceId: string) =>
			db.get<TemplateRow>(
				'SELECT * FROM form_templates WHERE service_item_id = ? ORDER BY version DESC LIMIT 1',
				[serviceId]
			),
		findTemplate: (id: string) =>
			db.get<TemplateRow>('SELECT * FROM form_templates WHERE id = ?', [id]),
		insertTemplate: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO form_templates (id, service_item_id, version, definition, published_by, published_at)
		 VALUES (@id, @service_item_id, @version, @definition, @published_by, @published_at)`,
				row
			);
		},
		/**
		 * Inserts a draft case; false when the session already has one (cases_one_per_session: a
		 * concurrent start won, and the caller reads that case instead).
		 */
		insertCase: async (row: Record<string, unknown>): Promise<boolean> =>
			(
				await db.all<{ id: string }>(
					`INSERT INTO cases (id, service_item_id, template_id, citizen_id, org_unit_id, session_id, status, created_at, updated_at)
		 VALUES (@id, @service_item_id, @template_id, @citizen_id, @org_unit_id, @session_id, 'draft', @now, @now)
		 ON CONFLICT (session_id) WHERE session_id IS NOT NULL DO NOTHING RETURNING id`,
					row
				)
			).length === 1,
		/**
		 * Locks the case row until commit (PostgreSQL FOR UPDATE: every case-changing transaction
		 * takes it first, so their checks and case_events ids follow one order). Nothing on SQLite,
		 * where BEGIN IMMEDIATE already holds the write lock. Returns whether the case exists.
		 */
		lockCase: async (id: string): Promise<boolean> => {
			if (db.dialect !== 'postgres') return true;
			return (
				(await db.get(`SELECT id FROM cases WHERE id = ?${forUpdate(db)}`, [id])) !== undefined
			);
		},
		/** Locks the service item against concurrent publishes (its form versions are consecutive). */
		lockServiceItem: async (id: string): Promise<void> => {
			// PostgreSQL: NO KEY UPDATE, so cases and templates referencing the item still insert;
			// SQLite's BEGIN IMMEDIATE already serialises the publishes
			if (db.dialect === 'postgres')
				await db.get('SELECT id FROM service_items WHERE id = ? FOR NO KEY UPDATE', [id]);
		},
		findCase: (id: string) => db.get<CaseRow>(`${CASE} WHERE c.id = ?`, [id]),
		findBySession: (sessionId: string) =>
			db.get<CaseRow>(`${CASE} WHERE c.session_id = ?`, [sessionId]),
		/** The citizen's latest cases, of these items only (代办: a grant of chosen items). */
		casesOf: (citizenId: string, items: 'all' | readonly string[]) => {
			const only = inItems(db, 'c.service_item_id', items);
			return db.all<CaseRow>(
				// a life event's parts are listed under their application, not beside it
				`${CASE} WHERE c.citizen_id = ?${only.sql}
		 AND NOT EXISTS (SELECT 1 FROM application_parts p WHERE p.case_id = c.id)
		 ORDER BY c.created_at DESC LIMIT 50`,
				[citizenId, ...only.params]
			);
		},
		fields: (caseId: string) =>
			db.all<FieldRow>(
				`SELECT f.*, u.name AS updated_by_name FROM case_fields f JOIN users u ON u.id = f.updated_by WHERE f.case_id = ?`,
				[caseId]
			),
		field: (caseId: string, key: string) =>
			db.get<FieldRow>(
				`SELECT f.*, u.name AS updated_by_name FROM case_fields f JOIN users u ON u.id = f.updated_by WHERE f.case_id = ? AND f.key = ?`,
				[caseId, key]
			),
		upsertField: async (row: Omit<FieldRow, 'updated_by_name'>) => {
			await db.run(
				`INSERT INTO case_fields (case_id, key, value, revision, source, updated_by, updated_at, confirmed_at)
		 VALUES (@case_id, @key, @value, @revision, @source, @updated_by, @updated_at, @confirmed_at)
		 ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value, revision = excluded.revision,
		   source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
		   confirmed_at = excluded.confirmed_at`,
				row
			);
		},
		confirmField: async (caseId: string, key: string, now: number) =>
			(
				await db.run(
					'UPDATE case_fields SET confirmed_at = ? WHERE case_id = ? AND key = ? AND confirmed_at IS NULL',
					[now, caseId, key]
				)
			).changes === 1,
		setSignature: async (row: Record<string, unknown>) => {
			await db.run(
				`UPDATE cases SET signature_sha256 = @signature_sha256, signature_file = @signature_file,
		   signed_content_sha256 = @signed_content_sha256, signed_at = @signed_at, updated_at = @now WHERE id = @id`,
				row
			);
		},
		setStatus: async (row: {
			id: string;
			status: CaseRow['status'];
			receipt_no: string | null;
			submitted_at: number | null;
			now: number;
		}) => {
			await db.run(
				'UPDATE cases SET status = @status, receipt_no = coalesce(@receipt_no, receipt_no), submitted_at = coalesce(@submitted_at, submitted_at), updated_at = @now WHERE id = @id',
				row
			);
		},
		touch: async (id: string, now: number) => {
			await db.run('UPDATE cases SET updated_at = ? WHERE id = ?', [now, id]);
		},
		setWorkflow: async (row: {
			id: string;
			status: CaseRow['status'];
			accepted_org_unit_id: string | null;
			review_org_unit_id: string | null;
			review_comments: string;
			delivery: CaseRow['delivery'];
			now: number;
		}) => {
			await db.run(
				`UPDATE cases SET status = @status, accepted_org_unit_id = @accepted_org_unit_id, review_org_unit_id = @review_org_unit_id,
		   review_comments = @review_comments, delivery = @delivery, updated_at = @now WHERE id = @id`,
				row
			);
		},
		/** Of these org units; of one department's items only, and no applications, for its staff. */
		casesForOrgUnits: (orgUnitIds: string[], departmentId: string | null = null) =>
			db.all<CaseRow>(
				`${CASE} WHERE c.status <> 'draft' AND (c.org_unit_id IN (${jsonValues(db, '@units')})
		   OR c.accepted_org_unit_id IN (${jsonValues(db, '@units')})
		   OR c.review_org_unit_id IN (${jsonValues(db, '@units')}))
		   AND (CAST(@department AS TEXT) IS NULL OR (i.department_id = @department
		     AND NOT EXISTS (SELECT 1 FROM life_event_versions v WHERE v.template_id = c.template_id)))
		 ORDER BY c.updated_at DESC LIMIT 200`,
				{ units: JSON.stringify(orgUnitIds), department: departmentId }
			),
		// uploads in the same millisecond stay in the order they were made: SQLite's rowid; PostgreSQL
		// has none, so the id of the upload's document.uploaded event (appended in the same transaction)
		documents: (caseId: string) =>
			db.all<ReviewedDocumentRow>(
				`SELECT d.*, r.name AS reviewer_name FROM case_documents d LEFT JOIN users r ON r.id = d.reviewed_by
		 WHERE d.case_id = ? ORDER BY d.created_at, ${
				db.dialect === 'postgres'
					? `(SELECT min(e.id) FROM case_events e WHERE e.case_id = d.case_id AND e.type = 'document.uploaded'
		     AND e.payload::json->>'documentId' = d.id), d.id`
					: 'd.rowid'
			}`,
				[caseId]
			),
		insertDocument: async (row: DocumentRow) => {
			await db.run(
				`INSERT INTO case_documents (id, case_id, material, filename, mime, size, sha256, uploaded_by, created_at)
		 VALUES (@id, @case_id, @material, @filename, @mime, @size, @sha256, @uploaded_by, @created_at)`,
				{ ...row }
			);
		},
		/** One document of one case (undefined when the id belongs to another case). */
		findDocument: (caseId: string, documentId: string) =>
			db.get<ReviewedDocumentRow>(
				`SELECT d.*, r.name AS reviewer_name FROM case_documents d LEFT JOIN users r ON r.id = d.reviewed_by
		 WHERE d.id = ? AND d.case_id = ?`,
				[documentId, caseId]
			),
		reviewDocument: async (row: {
			id: string;
			verdict: 'accepted' | 'reupload';
			reason: string | null;
			reviewed_by: string;
			reviewed_at: number;
		}) => {
			await db.run(
				`UPDATE case_documents SET review_verdict = @verdict, review_reason = @reason, reviewed_by = @reviewed_by,
		   reviewed_at = @reviewed_at WHERE id = @id`,
				row
			);
		},
		owedMaterials: (caseId: string) =>
			db.all<OwedMaterialRow>(
				`SELECT o.*, u.name AS recorder_name FROM case_owed_materials o JOIN users u ON u.id = o.recorded_by
		 WHERE o.case_id = ? ORDER BY o.recorded_at, ${
				// in the order first recorded: SQLite's rowid (kept by the upsert); PostgreSQL has none,
				// so the id of the material's first material.owed event
				db.dialect === 'postgres'
					? `(SELECT min(e.id) FROM case_events e WHERE e.case_id = o.case_id AND e.type = 'material.owed'
		     AND e.payload::json->>'material' = o.material), o.material`
					: 'o.rowid'
			}`,
				[caseId]
			),
		/** Records (or replaces) the promise for one material of a case. */
		upsertOwedMaterial: async (row: Omit<OwedMaterialRow, 'recorder_name'>) => {
			await db.run(
				`INSERT INTO case_owed_materials (case_id, material, promise, due_day, recorded_by, session_id, recorded_at)
		 VALUES (@case_id, @material, @promise, @due_day, @recorded_by, @session_id, @recorded_at)
		 ON CONFLICT (case_id, material) DO UPDATE SET promise = excluded.promise, due_day = excluded.due_day,
		   recorded_by = excluded.recorded_by, session_id = excluded.session_id, recorded_at = excluded.recorded_at`,
				row
			);
		},
		/**
		 * Appends an event to the case's log and returns its id (RETURNING: the Store reports no
		 * insert rowid). The caller publishes it on the bus: see appendCaseEvent.
		 */
		appendEvent: async (
			caseId: string,
			type: string,
			actorId: string | null,
			payload: unknown,
			now: number,
			actedFor: string | null = null
		): Promise<number> =>
			(await db.get<{ id: number }>(
				'INSERT INTO case_events (case_id, type, actor_id, acted_for, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
				[caseId, type, actorId, actedFor, JSON.stringify(payload), now]
			))!.id,
		eventsAfter: (caseId: string, after: number, limit = 500) =>
			db.all<CaseEventRow>(
				`SELECT e.*, u.name AS actor_name, u.role AS actor_role, af.name AS acted_for_name FROM case_events e
		 LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN users af ON af.id = e.acted_for
		 WHERE e.case_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`,
				[caseId, after, limit]
			),
		lastEventId: async (caseId: string) =>
			(
				await db.get<{ id: number | null }>(
					'SELECT max(id) AS id FROM case_events WHERE case_id = ?',
					[caseId]
				)
			)?.id ?? 0
	};
}

/**
 * Appends a case event on the deps' store (or open transaction) and tells the case's streams;
 * the bus delivers after the transaction committed. On PostgreSQL the case row is locked first
 * (in a small transaction of its own when none is open), so a case's event ids commit in id
 * order and a stream reading "after the last id" never skips one.
 */
export async function appendCaseEvent(
	deps: { engine: Engine; store: Store },
	caseId: string,
	type: string,
	actorId: string | null,
	payload: unknown,
	now: number
): Promise<void> {
	if (deps.store.dialect === 'postgres' && !deps.store.inTransaction) {
		await deps.store.transaction((tx) =>
			appendCaseEvent({ ...deps, store: tx }, caseId, type, actorId, payload, now)
		);
		return;
	}
	const repo = createCasesRepo(deps.store);
	await repo.lockCase(caseId);
	// 代办: what the rules record as the applicant's own step was done by the proxy acting for them
	const who = await caseEventActor(actorId, async () => (await repo.findCase(caseId))!.citizen_id);
	const id = await repo.appendEvent(caseId, type, who.actorId, payload, now, who.actedFor);
	deps.engine.events.publish(`case:${caseId}`, id);
}

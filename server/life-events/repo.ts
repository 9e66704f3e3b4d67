import type { Store } from '../db/store.ts';
import { forUpdate } from '../db/dialect.ts';

export interface VersionRow {
	id: string;
	service_item_id: string;
	version: number;
	/** JSON: { definition, parts, materials, template } as published */
	definition: string;
	template_id: string;
	published_by: string | null;
	published_at: number;
	theme_name: string;
	time_limit_days: number;
}

export interface PartRow {
	application_id: string;
	service_item_id: string;
	position: number;
	case_id: string | null;
	waits_for: string | null;
	created_at: number;
	started_at: number | null;
	item_name: string;
	department_name: string;
	time_limit_days: number;
	/** the part's case: its state and receipt number (null while it waits) */
	status: string | null;
	receipt_no: string | null;
	review_comments: string | null;
	waits_for_name: string | null;
}

const VERSION = `SELECT v.*, i.name AS theme_name, i.time_limit_days FROM life_event_versions v
	JOIN service_items i ON i.id = v.service_item_id`;

const PART = `SELECT p.*, i.name AS item_name, d.name AS department_name, i.time_limit_days,
	c.status, c.receipt_no, c.review_comments, w.name AS waits_for_name
	FROM application_parts p JOIN service_items i ON i.id = p.service_item_id
	JOIN departments d ON d.id = i.department_id
	LEFT JOIN cases c ON c.id = p.case_id LEFT JOIN service_items w ON w.id = p.waits_for`;

export function createLifeEventsRepo(db: Store) {
	return {
		latestVersion: (themeItemId: string) =>
			db.get<VersionRow>(`${VERSION} WHERE v.service_item_id = ? ORDER BY v.version DESC LIMIT 1`, [
				themeItemId
			]),
		versionOfTemplate: (templateId: string) =>
			db.get<VersionRow>(`${VERSION} WHERE v.template_id = ?`, [templateId]),
		/** The newest version of every life event. */
		latestVersions: () =>
			db.all<VersionRow>(
				`${VERSION} WHERE v.version = (SELECT max(x.version) FROM life_event_versions x
			   WHERE x.service_item_id = v.service_item_id) ORDER BY i.name`
			),
		insertVersion: async (row: Omit<VersionRow, 'theme_name' | 'time_limit_days'>) => {
			await db.run(
				`INSERT INTO life_event_versions (id, service_item_id, version, definition, template_id, published_by, published_at)
		 VALUES (@id, @service_item_id, @version, @definition, @template_id, @published_by, @published_at)`,
				row
			);
		},
		/** The life event version an application was filed under. */
		versionOfApplication: (applicationId: string) =>
			db.get<VersionRow>(
				`${VERSION} JOIN cases c ON c.template_id = v.template_id WHERE c.id = ?`,
				[applicationId]
			),
		parts: (applicationId: string) =>
			db.all<PartRow>(`${PART} WHERE p.application_id = ? ORDER BY p.position`, [applicationId]),
		/** Locks the application's part rows (PostgreSQL) while a part's step decides the whole. */
		lockParts: async (applicationId: string) => {
			if (db.dialect === 'postgres')
				await db.all(
					`SELECT application_id FROM application_parts WHERE application_id = ?${forUpdate(db)}`,
					[applicationId]
				);
		},
		insertPart: async (row: {
			application_id: string;
			service_item_id: string;
			position: number;
			waits_for: string | null;
			created_at: number;
		}) => {
			await db.run(
				`INSERT INTO application_parts (application_id, service_item_id, position, waits_for, created_at)
		 VALUES (@application_id, @service_item_id, @position, @waits_for, @created_at)`,
				row
			);
		},
		/** Records the part's case once; false if it has one already (a concurrent start won). */
		startPart: async (applicationId: string, itemId: string, caseId: string, now: number) =>
			(
				await db.run(
					`UPDATE application_parts SET case_id = ?, started_at = ?
			 WHERE application_id = ? AND service_item_id = ? AND case_id IS NULL`,
					[caseId, now, applicationId, itemId]
				)
			).changes === 1
	};
}

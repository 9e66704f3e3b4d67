// SQL of the 一件事一次办 figures (issue 24 item 7). An application is a case whose form is a life
// event's union form (life_event_versions.template_id); it is counted where it was filed (its
// org_unit_id), in the range it was created. One SQL text for both engines: booleans come back
// as CASE … 1 ELSE 0, only the scope's JSON array is read per dialect (jsonValues).
import type { Store } from '../db/store.ts';
import { jsonValues } from '../db/dialect.ts';

/** One application: what became of it and when. */
export interface ApplicationFactRow {
	id: string;
	theme_item_id: string;
	status: string;
	/** the first submission (a correction submits again; the clock runs from the first) */
	submitted_at: number | null;
	/** when it was completed (electronically with its last part, or handed out at the hall) */
	completed_at: number | null;
	returned: 0 | 1;
}

/** One part of an application: its department, when its case was filed and approved. */
export interface PartFactRow {
	theme_item_id: string;
	department_id: string;
	department_name: string;
	started_at: number | null;
	/** the last approval (a part is approved once, unless it was reopened) */
	approved_at: number | null;
}

export function createLifeEventStatsRepo(db: Store) {
	// the applications of the scope created in [start, end)
	const IN_RANGE = `a.template_id IN (SELECT v.template_id FROM life_event_versions v)
		   AND a.org_unit_id IN (${jsonValues(db, '@units')})
		   AND a.created_at >= @start AND a.created_at < @end`;
	const params = (units: readonly string[], start: number, end: number) => ({
		units: JSON.stringify(units),
		start,
		end
	});
	return {
		/** Every published life event (its theme item), so one without applications shows zeros. */
		lifeEvents: () =>
			db.all<{ id: string; name: string; time_limit_days: number }>(
				`SELECT i.id, i.name, i.time_limit_days FROM service_items i
		 WHERE EXISTS (SELECT 1 FROM life_event_versions v WHERE v.service_item_id = i.id)
		 ORDER BY i.code`
			),
		applications: (units: readonly string[], start: number, end: number) =>
			db.all<ApplicationFactRow>(
				`SELECT a.id, a.service_item_id AS theme_item_id, a.status,
		   (SELECT min(e.created_at) FROM case_events e
		     WHERE e.case_id = a.id AND e.type = 'case.submitted') AS submitted_at,
		   CASE WHEN a.status = 'completed' THEN (SELECT max(e.created_at) FROM case_events e
		     WHERE e.case_id = a.id AND e.type IN ('application.completed', 'case.completed')) END AS completed_at,
		   CASE WHEN EXISTS (SELECT 1 FROM case_events e
		     WHERE e.case_id = a.id AND e.type = 'application.returned') THEN 1 ELSE 0 END AS returned
		 FROM cases a WHERE ${IN_RANGE}`,
				params(units, start, end)
			),
		/** The parts filed to a department (a part still waiting for another has no case yet). */
		parts: (units: readonly string[], start: number, end: number) =>
			db.all<PartFactRow>(
				`SELECT a.service_item_id AS theme_item_id, d.id AS department_id, d.name AS department_name,
		   p.started_at,
		   (SELECT max(e.created_at) FROM case_events e
		     WHERE e.case_id = p.case_id AND e.type = 'case.approved') AS approved_at
		 FROM application_parts p JOIN cases a ON a.id = p.application_id
		   JOIN service_items i ON i.id = p.service_item_id JOIN departments d ON d.id = i.department_id
		 WHERE p.case_id IS NOT NULL AND ${IN_RANGE}`,
				params(units, start, end)
			)
	};
}

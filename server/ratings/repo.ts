import { forUpdate, jsonValues } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';
import type { CalendarKind } from '../../shared/workdays.ts';
import type { FollowUpStatus, RatingSubjectType } from '../../shared/schemas/ratings.ts';

/** What was served: a video session or a case, with who served it and where. */
export interface SubjectRow {
	id: string;
	citizen_id: string;
	status: string;
	org_unit_id: string;
	staff_id: string | null;
	service_item_id: string;
}

export interface RatingRow {
	id: string;
	subject_type: RatingSubjectType;
	subject_id: string;
	citizen_id: string;
	org_unit_id: string;
	staff_id: string | null;
	service_item_id: string;
	score: number;
	tags: string;
	comment: string;
	created_at: number;
	updated_at: number;
	service_name: string;
	org_unit_name: string;
	staff_name: string | null;
	followup_id: string | null;
	followup_status: FollowUpStatus | null;
	followup_due_day: string | null;
	followup_contacted_at: number | null;
	followup_resolution: string | null;
	followup_resolved_at: number | null;
}

export interface FollowUpRow {
	id: string;
	rating_id: string;
	org_unit_id: string;
	status: FollowUpStatus;
	due_day: string;
	contact_note: string | null;
	contacted_at: number | null;
	resolution: string | null;
	resolved_at: number | null;
	handled_by: string | null;
	created_at: number;
	updated_at: number;
	org_unit_name: string;
	handled_by_name: string | null;
	subject_type: RatingSubjectType;
	subject_id: string;
	score: number;
	tags: string;
	comment: string;
	rating_created_at: number;
	staff_id: string | null;
	staff_name: string | null;
	citizen_id: string;
	citizen_name: string;
	citizen_phone: string | null;
	service_name: string;
}

export interface PendingRow {
	subject_type: RatingSubjectType;
	subject_id: string;
	service_item_id: string;
	service_name: string;
	org_unit_name: string;
	finished_at: number;
}

export interface CalendarRow {
	day: string;
	kind: CalendarKind;
	name: string;
}

const RATING = `SELECT r.*, i.name AS service_name, o.name AS org_unit_name, s.name AS staff_name,
	  f.id AS followup_id, f.status AS followup_status, f.due_day AS followup_due_day,
	  f.contacted_at AS followup_contacted_at, f.resolution AS followup_resolution, f.resolved_at AS followup_resolved_at
	FROM ratings r JOIN service_items i ON i.id = r.service_item_id JOIN org_units o ON o.id = r.org_unit_id
	LEFT JOIN users s ON s.id = r.staff_id LEFT JOIN rating_followups f ON f.rating_id = r.id`;

const FOLLOWUP = `SELECT f.*, o.name AS org_unit_name, h.name AS handled_by_name,
	  r.subject_type, r.subject_id, r.score, r.tags, r.comment, r.created_at AS rating_created_at,
	  r.staff_id, s.name AS staff_name, r.citizen_id, c.name AS citizen_name, c.phone AS citizen_phone,
	  i.name AS service_name
	FROM rating_followups f JOIN ratings r ON r.id = f.rating_id JOIN org_units o ON o.id = f.org_unit_id
	JOIN users c ON c.id = r.citizen_id JOIN service_items i ON i.id = r.service_item_id
	LEFT JOIN users h ON h.id = f.handled_by LEFT JOIN users s ON s.id = r.staff_id`;

// the staff member who completed a case: the actor of its last case.completed event
const COMPLETED_BY = `(SELECT e.actor_id FROM case_events e WHERE e.case_id = c.id AND e.type = 'case.completed' ORDER BY e.id DESC LIMIT 1)`;
const COMPLETED_AT = `coalesce((SELECT max(e.created_at) FROM case_events e WHERE e.case_id = c.id AND e.type = 'case.completed'), c.updated_at)`;

export function createRatingsRepo(db: Store) {
	return {
		sessionSubject: (id: string) =>
			db.get<SubjectRow>(
				`SELECT s.id, s.citizen_id, s.status, s.org_unit_id, s.service_item_id,
		   coalesce((SELECT p.user_id FROM session_participants p WHERE p.session_id = s.id AND p.kind = 'host'
		             ORDER BY p.created_at LIMIT 1), s.created_by) AS staff_id
		 FROM video_sessions s WHERE s.id = ?`,
				[id]
			),
		caseSubject: (id: string) =>
			db.get<SubjectRow>(
				`SELECT c.id, c.citizen_id, c.status, coalesce(c.accepted_org_unit_id, c.org_unit_id) AS org_unit_id,
		   c.service_item_id, ${COMPLETED_BY} AS staff_id
		 FROM cases c WHERE c.id = ?`,
				[id]
			),
		/**
		 * The rating, unless the service has one already (UNIQUE (subject_type, subject_id)): true
		 * when this one was written. ON CONFLICT instead of catching the violation, which would
		 * abort a PostgreSQL transaction; there it waits for a concurrent first rating to commit.
		 */
		insertRating: async (row: {
			id: string;
			subject_type: RatingSubjectType;
			subject_id: string;
			citizen_id: string;
			org_unit_id: string;
			staff_id: string | null;
			service_item_id: string;
			score: number;
			tags: string;
			comment: string;
			now: number;
		}) => {
			return (
				(
					await db.run(
						`INSERT INTO ratings (id, subject_type, subject_id, citizen_id, org_unit_id, staff_id, service_item_id, score, tags, comment, created_at, updated_at)
		 VALUES (@id, @subject_type, @subject_id, @citizen_id, @org_unit_id, @staff_id, @service_item_id, @score, @tags, @comment, @now, @now)
		 ON CONFLICT (subject_type, subject_id) DO NOTHING`,
						row
					)
				).changes === 1
			);
		},
		/** Locks the rating's row until commit (PostgreSQL; SQLite's write lock already holds). */
		lockRating: async (id: string) => {
			await db.get(`SELECT id FROM ratings WHERE id = ?${forUpdate(db)}`, [id]);
		},
		updateRating: async (row: {
			id: string;
			score: number;
			tags: string;
			comment: string;
			now: number;
		}) => {
			await db.run(
				'UPDATE ratings SET score = @score, tags = @tags, comment = @comment, updated_at = @now WHERE id = @id',
				row
			);
		},
		findRating: (id: string) => db.get<RatingRow>(`${RATING} WHERE r.id = ?`, [id]),
		findBySubject: (type: RatingSubjectType, id: string) =>
			db.get<RatingRow>(`${RATING} WHERE r.subject_type = ? AND r.subject_id = ?`, [type, id]),
		ratingsOf: (citizenId: string) =>
			db.all<RatingRow>(`${RATING} WHERE r.citizen_id = ? ORDER BY r.created_at DESC`, [citizenId]),
		pendingOf: (citizenId: string) =>
			db.all<PendingRow>(
				`SELECT 'session' AS subject_type, s.id AS subject_id, s.service_item_id, i.name AS service_name,
		   o.name AS org_unit_name, s.ended_at AS finished_at
		 FROM video_sessions s JOIN service_items i ON i.id = s.service_item_id JOIN org_units o ON o.id = s.org_unit_id
		 WHERE s.citizen_id = @citizen AND s.status = 'ended'
		   AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.subject_type = 'session' AND r.subject_id = s.id)
		 UNION ALL
		 SELECT 'case', c.id, c.service_item_id, i.name, coalesce(d.name, o.name), ${COMPLETED_AT}
		 FROM cases c JOIN service_items i ON i.id = c.service_item_id
		   JOIN org_units o ON o.id = coalesce(c.accepted_org_unit_id, c.org_unit_id)
		   -- a life event's part is rated as its department's work (issue 24), beside the whole
		   LEFT JOIN departments d ON d.id = i.department_id
		     AND EXISTS (SELECT 1 FROM application_parts p WHERE p.case_id = c.id)
		 WHERE c.citizen_id = @citizen AND c.status = 'completed'
		   AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.subject_type = 'case' AND r.subject_id = c.id)
		 ORDER BY finished_at DESC`,
				{ citizen: citizenId }
			),

		insertFollowUp: async (row: {
			id: string;
			rating_id: string;
			org_unit_id: string;
			due_day: string;
			now: number;
		}) => {
			await db.run(
				`INSERT INTO rating_followups (id, rating_id, org_unit_id, status, due_day, created_at, updated_at)
		 VALUES (@id, @rating_id, @org_unit_id, 'open', @due_day, @now, @now)`,
				row
			);
		},
		findFollowUp: (id: string) => db.get<FollowUpRow>(`${FOLLOWUP} WHERE f.id = ?`, [id]),
		followUpOfRating: (ratingId: string) =>
			db.get<FollowUpRow>(`${FOLLOWUP} WHERE f.rating_id = ?`, [ratingId]),
		followUpsFor: (orgUnitIds: string[], status: FollowUpStatus | null) =>
			db.all<FollowUpRow>(
				`${FOLLOWUP} WHERE f.org_unit_id IN (${jsonValues(db, '@units')})
		   AND (CAST(@status AS TEXT) IS NULL OR f.status = @status)
		 ORDER BY f.due_day, f.created_at`,
				{ units: JSON.stringify(orgUnitIds), status }
			),
		cancelFollowUp: async (id: string, now: number) =>
			(
				await db.run(
					`UPDATE rating_followups SET status = 'cancelled', updated_at = ? WHERE id = ? AND status IN ('open', 'contacted')`,
					[now, id]
				)
			).changes === 1,
		// a cancelled follow-up opened again (the citizen lowered the rating again): a new round
		reopenFollowUp: async (id: string, dueDay: string, now: number) =>
			(
				await db.run(
					`UPDATE rating_followups SET status = 'open', due_day = @due_day, contact_note = NULL, contacted_at = NULL,
		   resolution = NULL, resolved_at = NULL, handled_by = NULL, created_at = @now, updated_at = @now
		 WHERE id = @id AND status = 'cancelled'`,
					{ id, due_day: dueDay, now }
				)
			).changes === 1,
		markContacted: async (id: string, note: string, by: string, now: number) =>
			(
				await db.run(
					`UPDATE rating_followups SET status = 'contacted', contact_note = @note, contacted_at = @now, handled_by = @by, updated_at = @now
		 WHERE id = @id AND status = 'open'`,
					{ id, note, by, now }
				)
			).changes === 1,
		markResolved: async (id: string, resolution: string, by: string, now: number) =>
			(
				await db.run(
					`UPDATE rating_followups SET status = 'resolved', resolution = @resolution, resolved_at = @now, handled_by = @by, updated_at = @now
		 WHERE id = @id AND status = 'contacted'`,
					{ id, resolution, by, now }
				)
			).changes === 1,
		unresolvedFollowUps: () =>
			db.all<{ id: string; due_day: string; created_at: number }>(
				`SELECT id, due_day, created_at FROM rating_followups WHERE status IN ('open', 'contacted')`
			),
		setDueDay: async (id: string, dueDay: string, now: number) => {
			await db.run('UPDATE rating_followups SET due_day = ?, updated_at = ? WHERE id = ?', [
				dueDay,
				now,
				id
			]);
		},

		calendarDays: () =>
			db.all<CalendarRow>('SELECT day, kind, name FROM calendar_days ORDER BY day'),
		calendarDaysOf: (year: string) =>
			db.all<CalendarRow>(
				"SELECT day, kind, name FROM calendar_days WHERE day LIKE CAST(? AS TEXT) || '-%' ORDER BY day",
				[year]
			),
		upsertCalendarDay: async (row: CalendarRow) => {
			await db.run(
				`INSERT INTO calendar_days (day, kind, name) VALUES (@day, @kind, @name)
		 ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`,
				{ ...row }
			);
		},
		insertCalendarDayIfAbsent: async (row: CalendarRow) =>
			(
				await db.run(
					'INSERT INTO calendar_days (day, kind, name) VALUES (@day, @kind, @name) ON CONFLICT (day) DO NOTHING',
					{ ...row }
				)
			).changes === 1,
		deleteCalendarDay: async (day: string) =>
			(await db.run('DELETE FROM calendar_days WHERE day = ?', [day])).changes === 1
	};
}

// SQL of the statistics (数据看板). Scopes are lists of org unit ids passed as one JSON array;
// time ranges are [start, end) in epoch ms. Day bucketing, percentiles and rates happen in
// server/stats/history.ts (SQLite has no percentile, and days are hall-local). One SQL text for
// both engines: booleans are summed and returned as CASE … 1 ELSE 0 (PostgreSQL has no
// sum(boolean) and would return true/false), every selected column is grouped or aggregated;
// only the JSON array of the scope is read per dialect (jsonValues).
import type { Dialect, Store } from '../db/store.ts';
import { jsonValues } from '../db/dialect.ts';

export interface TicketFactRow {
	created_at: number;
	channel: 'video' | 'onsite';
	check_in: 0 | 1;
	slot_start: number | null;
	status: string;
	called_at: number | null;
	started_at: number | null;
	finished_at: number | null;
}

export interface QuestionFactRow {
	created_at: number;
	answered: 0 | 1;
	/** Only for unanswered questions (the answered ones' text is not needed). */
	question: string | null;
	/** an unanswered question that is not the hall's business (as asked, or as staff marked it) */
	off_topic: 0 | 1;
}

export interface GuidanceAggRow {
	org_unit_id: string;
	org_name: string;
	requests: number;
	accepted: number;
	cancelled: number;
	waiting: number;
	finished: number;
	total_ms: number;
	avg_wait_ms: number | null;
	max_wait_ms: number | null;
}

export interface LiveDeskRow {
	id: string;
	name: string;
	org_unit_id: string;
	org_name: string;
	categories: string;
	served_by: string;
	server_name: string;
	opened_at: number | null;
	current_code: string | null;
}

type Range = { start: number; end: number };

/** The statements of a dialect: they differ only in how the scope's JSON array is read. */
function statementsOf(dialect: Dialect) {
	const IN_UNITS = `IN (${jsonValues(dialect, '@units')})`;
	return {
		// ---- live ----
		WAITING_SQL: `SELECT t.category, coalesce(c.name, t.category) AS name, count(*) AS count,
		   min(CASE WHEN t.slot_start > t.created_at THEN t.slot_start ELSE t.created_at END) AS since
		 FROM tickets t LEFT JOIN service_categories c ON c.code = t.category
		 WHERE t.hall_id ${IN_UNITS} AND t.day = @day AND t.status = 'waiting'
		 GROUP BY t.category, c.name ORDER BY t.category`,
		DESKS_SQL: `SELECT d.id, d.name, d.org_unit_id, o.name AS org_name, d.categories, d.served_by,
		   coalesce(u.name, '') AS server_name, d.opened_at,
		   (SELECT t.code FROM tickets t WHERE t.hall_id = d.org_unit_id AND t.status IN ('called', 'serving')
		      AND t.desk_id = d.id ORDER BY t.called_at DESC LIMIT 1) AS current_code
		 FROM desks d JOIN org_units o ON o.id = d.org_unit_id LEFT JOIN users u ON u.id = d.served_by
		 WHERE d.org_unit_id ${IN_UNITS} AND d.served_by IS NOT NULL ORDER BY o.code, d.name`,
		DESKCOUNT_SQL: `SELECT count(*) AS n FROM desks WHERE org_unit_id ${IN_UNITS}`,
		OPENSESSIONS_SQL: `SELECT count(*) AS n FROM video_sessions WHERE status = 'open' AND org_unit_id ${IN_UNITS}`,
		WAITINGGUIDANCE_SQL: `SELECT count(*) AS n, min(created_at) AS since FROM guidance_requests
		 WHERE status = 'waiting' AND expert_org_id ${IN_UNITS}`,
		// ---- history ----
		TICKETS_SQL: `SELECT created_at, channel, CASE WHEN appointment_id IS NOT NULL THEN 1 ELSE 0 END AS check_in, slot_start, status,
		   called_at, started_at, finished_at
		 FROM tickets WHERE hall_id ${IN_UNITS} AND created_at >= @start AND created_at < @end`,
		APPOINTMENTS_SQL: `SELECT local_date AS day, count(*) AS n FROM appointments
		 WHERE org_unit_id ${IN_UNITS} AND local_date BETWEEN @from AND @to AND status <> 'cancelled'
		 GROUP BY local_date`,
		RATINGSCORES_SQL: `SELECT score, count(*) AS n FROM ratings
		 WHERE org_unit_id ${IN_UNITS} AND created_at >= @start AND created_at < @end GROUP BY score`,
		FOLLOWUPS_SQL: `SELECT f.status, CASE WHEN f.status IN ('open', 'contacted') AND f.due_day < @today THEN 1 ELSE 0 END AS overdue, count(*) AS n
		 FROM rating_followups f JOIN ratings r ON r.id = f.rating_id
		 WHERE f.org_unit_id ${IN_UNITS} AND r.created_at >= @start AND r.created_at < @end
		 GROUP BY 1, 2`,
		// minutes run from accept to the request's finish, or to the session's end when the finish
		// was not recorded (as GET /api/guidance/stats counts them)
		GUIDANCE_SQL: `SELECT g.expert_org_id AS org_unit_id, o.name AS org_name, count(*) AS requests,
		   sum(CASE WHEN g.status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
		   sum(CASE WHEN g.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
		   sum(CASE WHEN g.status = 'waiting' THEN 1 ELSE 0 END) AS waiting,
		   sum(CASE WHEN g.accepted_at IS NOT NULL AND coalesce(g.finished_at, s.ended_at) IS NOT NULL
		     THEN 1 ELSE 0 END) AS finished,
		   coalesce(sum(CASE WHEN g.accepted_at IS NOT NULL
		     THEN coalesce(g.finished_at, s.ended_at) - g.accepted_at END), 0) AS total_ms,
		   avg(g.accepted_at - g.created_at) AS avg_wait_ms, max(g.accepted_at - g.created_at) AS max_wait_ms
		 FROM guidance_requests g JOIN org_units o ON o.id = g.expert_org_id
		   JOIN video_sessions s ON s.id = g.session_id
		 WHERE g.created_at >= @start AND g.created_at < @end
		   AND (g.expert_org_id ${IN_UNITS} OR g.requesting_org_id ${IN_UNITS})
		 GROUP BY g.expert_org_id, o.name, o.code ORDER BY o.code`,
		// questions not matched to any item (org_unit_id NULL) are gaps of the shared knowledge base:
		// every supervisor sees them
		QUESTIONS_SQL: `SELECT created_at, answered, CASE WHEN answered = 0 THEN question END AS question,
		   CASE WHEN answered = 0 AND (review = 'off_topic' OR (review IS NULL AND unanswered = 'off_topic'))
		     THEN 1 ELSE 0 END AS off_topic
		 FROM assistant_questions
		 WHERE created_at >= @start AND created_at < @end AND (org_unit_id IS NULL OR org_unit_id ${IN_UNITS})`,
		// a hand-off belongs to the hall of its ticket, else to the department of the conversation's
		// item; with neither it is shared like an unmatched question
		HANDOFFS_SQL: `SELECT c.handoff_at AS at FROM assistant_conversations c
		   LEFT JOIN tickets t ON t.id = c.handoff_ticket_id
		   LEFT JOIN service_items i ON i.id = c.service_item_id
		   LEFT JOIN departments d ON d.id = i.department_id
		 WHERE c.handoff_at IS NOT NULL AND c.handoff_at >= @start AND c.handoff_at < @end
		   AND (coalesce(t.hall_id, d.org_unit_id) IS NULL OR coalesce(t.hall_id, d.org_unit_id) ${IN_UNITS})`,
		// ---- my day ----
		SERVED_SQL: `SELECT count(*) AS n, avg(finished_at - started_at) AS avg_ms FROM tickets
		 WHERE called_by = @user AND status = 'done' AND finished_at >= @start AND finished_at < @end`,
		MISSED_SQL: `SELECT count(*) AS n FROM tickets
		 WHERE called_by = @user AND status = 'no_show' AND no_show_at >= @start AND no_show_at < @end`,
		HOSTED_SQL: `SELECT count(*) AS n FROM video_sessions
		 WHERE created_by = @user AND created_at >= @start AND created_at < @end`,
		GUIDED_SQL: `SELECT count(*) AS n FROM guidance_requests
		 WHERE accepted_by = @user AND accepted_at >= @start AND accepted_at < @end`,
		MYRATINGS_SQL: `SELECT score, count(*) AS n FROM ratings
		 WHERE staff_id = @user AND created_at >= @start AND created_at < @end GROUP BY score`
	};
}

const statements = { sqlite: statementsOf('sqlite'), postgres: statementsOf('postgres') };

export function createStatsRepo(db: Store) {
	const {
		WAITING_SQL,
		DESKS_SQL,
		DESKCOUNT_SQL,
		OPENSESSIONS_SQL,
		WAITINGGUIDANCE_SQL,
		TICKETS_SQL,
		APPOINTMENTS_SQL,
		RATINGSCORES_SQL,
		FOLLOWUPS_SQL,
		GUIDANCE_SQL,
		QUESTIONS_SQL,
		HANDOFFS_SQL,
		SERVED_SQL,
		MISSED_SQL,
		HOSTED_SQL,
		GUIDED_SQL,
		MYRATINGS_SQL
	} = statements[db.dialect];
	const scope = (units: string[]) => ({ units: JSON.stringify(units) });
	const count = async (sql: string, params: Record<string, unknown>) =>
		(await db.get<{ n: number }>(sql, params))!.n;
	return {
		waiting: (units: string[], day: string) =>
			db.all<{ category: string; name: string; count: number; since: number }>(WAITING_SQL, {
				...scope(units),
				day
			}),
		openDesks: (units: string[]) => db.all<LiveDeskRow>(DESKS_SQL, scope(units)),
		deskCount: (units: string[]) => count(DESKCOUNT_SQL, scope(units)),
		openSessions: (units: string[]) => count(OPENSESSIONS_SQL, scope(units)),
		waitingGuidance: async (units: string[]) =>
			(await db.get<{ n: number; since: number | null }>(WAITINGGUIDANCE_SQL, scope(units)))!,

		tickets: (units: string[], range: Range) =>
			db.all<TicketFactRow>(TICKETS_SQL, { ...scope(units), ...range }),
		appointments: (units: string[], from: string, to: string) =>
			db.all<{ day: string; n: number }>(APPOINTMENTS_SQL, { ...scope(units), from, to }),
		ratingScores: (units: string[], range: Range) =>
			db.all<{ score: number; n: number }>(RATINGSCORES_SQL, { ...scope(units), ...range }),
		followUps: (units: string[], range: Range, today: string) =>
			db.all<{ status: string; overdue: 0 | 1; n: number }>(FOLLOWUPS_SQL, {
				...scope(units),
				...range,
				today
			}),
		guidance: (units: string[], range: Range) =>
			db.all<GuidanceAggRow>(GUIDANCE_SQL, { ...scope(units), ...range }),
		questions: (units: string[], range: Range) =>
			db.all<QuestionFactRow>(QUESTIONS_SQL, { ...scope(units), ...range }),
		handoffs: async (units: string[], range: Range) =>
			(await db.all<{ at: number }>(HANDOFFS_SQL, { ...scope(units), ...range })).map((r) => r.at),

		served: async (user: string, range: Range) =>
			(await db.get<{ n: number; avg_ms: number | null }>(SERVED_SQL, { user, ...range }))!,
		missed: (user: string, range: Range) => count(MISSED_SQL, { user, ...range }),
		hosted: (user: string, range: Range) => count(HOSTED_SQL, { user, ...range }),
		guided: (user: string, range: Range) => count(GUIDED_SQL, { user, ...range }),
		myRatings: (user: string, range: Range) =>
			db.all<{ score: number; n: number }>(MYRATINGS_SQL, { user, ...range })
	};
}

/** One 入户办 request of a community, with when it was taken, visited and its ticket started. */
export interface HomeVisitFactRow {
	community_id: string;
	created_at: number;
	accepted_at: number | null;
	consented_at: number | null;
	started_at: number | null;
}

/** 入户办 figures (issue 23 item 4): the requests made in [from, to) to the communities in scope. */
export function createHomeVisitStatsRepo(db: Store) {
	return {
		communities: (units: readonly string[]) =>
			db.all<{ id: string; name: string }>(
				`SELECT id, name FROM org_units WHERE level = 'community' AND id IN (${jsonValues(db)})
		 ORDER BY code`,
				[JSON.stringify(units)]
			),
		requests: (units: readonly string[], from: number, to: number) =>
			db.all<HomeVisitFactRow>(
				`SELECT community_id, created_at, accepted_at, consented_at, started_at FROM home_visits
		 WHERE community_id IN (${jsonValues(db)}) AND created_at >= ? AND created_at < ?`,
				[JSON.stringify(units), from, to]
			)
	};
}

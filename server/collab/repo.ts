import { perConnection, type Db } from '../db/index.ts';

export interface GuidanceRow {
	id: string;
	session_id: string;
	case_id: string | null;
	service_item_id: string;
	requested_by: string;
	requesting_org_id: string;
	expert_org_id: string;
	status: 'waiting' | 'accepted' | 'cancelled';
	accepted_by: string | null;
	created_at: number;
	accepted_at: number | null;
	escalated_at: number | null;
	service_name: string;
	requester_name: string;
	requesting_org_name: string;
}

const GUIDANCE = `SELECT g.*, i.name AS service_name, u.name AS requester_name, o.name AS requesting_org_name
	FROM guidance_requests g JOIN service_items i ON i.id = g.service_item_id JOIN users u ON u.id = g.requested_by
	JOIN org_units o ON o.id = g.requesting_org_id`;

export const createCollabRepo = perConnection((db: Db) => {
	const insert = db.prepare(
		`INSERT INTO guidance_requests (id, session_id, case_id, service_item_id, requested_by, requesting_org_id, expert_org_id, status, created_at)
		 VALUES (@id, @session_id, @case_id, @service_item_id, @requested_by, @requesting_org_id, @expert_org_id, 'waiting', @created_at)`
	);
	const byId = db.prepare<[string], GuidanceRow>(`${GUIDANCE} WHERE g.id = ?`);
	const waitingFor = db.prepare<[string], GuidanceRow>(
		`${GUIDANCE} WHERE g.status = 'waiting' AND g.expert_org_id IN (SELECT value FROM json_each(?)) ORDER BY g.created_at`
	);
	const claim = db.prepare(
		"UPDATE guidance_requests SET status = 'accepted', accepted_by = ?, accepted_at = ? WHERE id = ? AND status = 'waiting'"
	);
	const overdue = db.prepare<[number], GuidanceRow>(
		`${GUIDANCE} WHERE g.status = 'waiting' AND g.escalated_at IS NULL AND g.created_at <= ?`
	);
	const escalated = db.prepare('UPDATE guidance_requests SET escalated_at = ? WHERE id = ?');
	const supervisorsOver = db.prepare<[string], { id: string }>(
		`WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_units WHERE id = ?
		   UNION ALL SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
		 SELECT u.id FROM users u WHERE u.role = 'supervisor' AND u.disabled_at IS NULL AND u.org_unit_id IN (SELECT id FROM up)`
	);
	const stats = db.prepare<
		[string],
		{ org_unit_id: string; org_name: string; count: number; minutes: number }
	>(
		`SELECT g.requesting_org_id AS org_unit_id, o.name AS org_name, count(*) AS count,
		   coalesce(sum((coalesce(s.ended_at, g.accepted_at) - g.accepted_at) / 60000.0), 0) AS minutes
		 FROM guidance_requests g JOIN org_units o ON o.id = g.requesting_org_id JOIN video_sessions s ON s.id = g.session_id
		 WHERE g.status = 'accepted' AND g.requesting_org_id IN (SELECT value FROM json_each(?))
		 GROUP BY g.requesting_org_id ORDER BY o.code`
	);
	return {
		insert: (row: Record<string, unknown>) => void insert.run(row),
		find: (id: string) => byId.get(id),
		waitingFor: (orgUnitIds: string[]) => waitingFor.all(JSON.stringify(orgUnitIds)),
		claim: (id: string, userId: string, now: number) => claim.run(userId, now, id).changes === 1,
		overdue: (createdBefore: number) => overdue.all(createdBefore),
		markEscalated: (id: string, now: number) => void escalated.run(now, id),
		supervisorsOver: (orgUnitId: string) => supervisorsOver.all(orgUnitId).map((r) => r.id),
		stats: (orgUnitIds: string[]) => stats.all(JSON.stringify(orgUnitIds))
	};
});

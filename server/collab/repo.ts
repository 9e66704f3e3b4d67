import type { Store } from '../db/store.ts';
import { jsonValues } from '../db/dialect.ts';

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

export function createCollabRepo(db: Store) {
	return {
		/** Throws a unique violation (guidance_one_open) when the session has an open request. */
		insert: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO guidance_requests (id, session_id, case_id, service_item_id, requested_by, requesting_org_id, expert_org_id, status, created_at)
		 VALUES (@id, @session_id, @case_id, @service_item_id, @requested_by, @requesting_org_id, @expert_org_id, 'waiting', @created_at)`,
				row
			);
		},
		find: (id: string) => db.get<GuidanceRow>(`${GUIDANCE} WHERE g.id = ?`, [id]),
		waitingFor: (orgUnitIds: string[]) =>
			db.all<GuidanceRow>(
				`${GUIDANCE} WHERE g.status = 'waiting' AND g.expert_org_id IN (${jsonValues(db)}) ORDER BY g.created_at`,
				[JSON.stringify(orgUnitIds)]
			),
		claim: async (id: string, userId: string, now: number) =>
			(
				await db.run(
					"UPDATE guidance_requests SET status = 'accepted', accepted_by = ?, accepted_at = ? WHERE id = ? AND status = 'waiting'",
					[userId, now, id]
				)
			).changes === 1,
		overdue: (createdBefore: number) =>
			db.all<GuidanceRow>(
				`${GUIDANCE} WHERE g.status = 'waiting' AND g.escalated_at IS NULL AND g.created_at <= ?`,
				[createdBefore]
			),
		/** Claims a waiting request's escalation: true for the one caller that marked it (it alerts). */
		markEscalated: async (id: string, now: number) =>
			(
				await db.run(
					"UPDATE guidance_requests SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL AND status = 'waiting'",
					[now, id]
				)
			).changes === 1,
		supervisorsOver: async (orgUnitId: string) =>
			(
				await db.all<{ id: string }>(
					`WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_units WHERE id = ?
		   UNION ALL SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
		 SELECT u.id FROM users u WHERE u.role = 'supervisor' AND u.disabled_at IS NULL AND u.org_unit_id IN (SELECT id FROM up)`,
					[orgUnitId]
				)
			).map((r) => r.id),
		stats: (orgUnitIds: string[]) =>
			db.all<{ org_unit_id: string; org_name: string; count: number; minutes: number }>(
				`SELECT g.requesting_org_id AS org_unit_id, o.name AS org_name, count(*) AS count,
		   coalesce(sum((coalesce(s.ended_at, g.accepted_at) - g.accepted_at) / 60000.0), 0) AS minutes
		 FROM guidance_requests g JOIN org_units o ON o.id = g.requesting_org_id JOIN video_sessions s ON s.id = g.session_id
		 WHERE g.status = 'accepted' AND g.requesting_org_id IN (${jsonValues(db)})
		 GROUP BY g.requesting_org_id, o.name, o.code ORDER BY o.code`,
				[JSON.stringify(orgUnitIds)]
			)
	};
}

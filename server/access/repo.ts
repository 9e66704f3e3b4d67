import type { Store } from '../db/store.ts';

/** A user's place in a video session, with the session's state. */
export interface ParticipationRow {
	kind: 'citizen' | 'host' | 'guest';
	admitted_at: number | null;
	removed_at: number | null;
	session_status: 'open' | 'ended';
}

/** A proxy grant as the acting check reads it (the tables belong to server/proxy). */
export interface ActingGrantRow {
	id: string;
	grantor_id: string | null;
	proxy_id: string;
	all_items: number;
	valid_until: string;
	status: 'pending' | 'active' | 'revoked';
	grantor_name: string | null;
	grantor_account_phone: string | null;
	grantor_disabled_at: number | null;
	/** the granted service item ids, comma-separated (empty for an all-items grant) */
	item_ids: string | null;
}

/** The records a proxy reaches by id, and the table that says which service item each is for. */
export type ItemRecord = 'appointments' | 'tickets' | 'cases' | 'video_sessions' | 'home_visits';

/**
 * The relations access is decided on, read only: where an org unit sits in the tree, whether a
 * session exists and who takes part in it, the grant a proxy acts under and the service item of
 * the record they reach. The tables belong to accounts, video, proxy and the record's feature.
 */
export function createAccessRepo(db: Store) {
	return {
		/** The org unit and everything below it. */
		orgSubtreeIds: async (id: string) =>
			(
				await db.all<{ id: string }>(
					`WITH RECURSIVE t(id) AS (SELECT id FROM org_units WHERE id = ?
		   UNION ALL SELECT o.id FROM org_units o JOIN t ON o.parent_id = t.id)
		 SELECT id FROM t`,
					[id]
				)
			).map((r) => r.id),
		/**
		 * Whether the org unit is `ancestorId` or below it: a walk up from the unit, as many rows as
		 * it is deep (city, district, township, community), rather than the ancestor's whole
		 * subtree, which for a city's staff is every unit of the city. UNION: a cycle ends the walk.
		 */
		isWithin: async (id: string, ancestorId: string) =>
			(await db.get<{ found: number }>(
				`WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_units WHERE id = ?
		   UNION SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
		 SELECT 1 AS found FROM up WHERE id = ?`,
				[id, ancestorId]
			)) !== undefined,
		findOrgUnit: (id: string) =>
			db.get<{ parent_id: string | null }>('SELECT parent_id FROM org_units WHERE id = ?', [id]),
		actingGrant: (id: string) =>
			db.get<ActingGrantRow>(
				`SELECT g.id, g.grantor_id, g.proxy_id, g.all_items, g.valid_until, g.status,
		        u.name AS grantor_name, u.phone AS grantor_account_phone, u.disabled_at AS grantor_disabled_at,
		        (SELECT ${db.dialect === 'postgres' ? "string_agg(i.service_item_id, ',')" : "group_concat(i.service_item_id, ',')"}
		           FROM proxy_grant_items i WHERE i.grant_id = g.id) AS item_ids
		 FROM proxy_grants g LEFT JOIN users u ON u.id = g.grantor_id WHERE g.id = ?`,
				[id]
			),
		/** The service item a record is for (and whose it is); undefined when there is none. */
		serviceItemOf: (table: ItemRecord, id: string) =>
			db.get<{ service_item_id: string; citizen_id: string | null }>(
				`SELECT service_item_id, citizen_id FROM ${table} WHERE id = ?`,
				[id]
			),
		sessionExists: async (id: string) =>
			(await db.get<{ status: 'open' | 'ended' }>(
				'SELECT status FROM video_sessions WHERE id = ?',
				[id]
			)) !== undefined,
		/**
		 * 入户办: a grid worker's place in the session of the video ticket they started for a
		 * resident (tickets.acted_as 'grid'): the resident's, whose device is the grid worker's tablet.
		 */
		gridParticipation: (sessionId: string, userId: string) =>
			db.get<Omit<ParticipationRow, 'kind'>>(
				`SELECT p.admitted_at, p.removed_at, s.status AS session_status
		 FROM video_sessions s JOIN tickets t ON t.id = s.ticket_id
		 JOIN session_participants p ON p.session_id = s.id AND p.user_id = s.citizen_id
		 WHERE s.id = ? AND t.acted_by = ? AND t.acted_as = 'grid'`,
				[sessionId, userId]
			),
		participation: (sessionId: string, userId: string) =>
			db.get<ParticipationRow>(
				`SELECT p.kind, p.admitted_at, p.removed_at, s.status AS session_status
		 FROM session_participants p JOIN video_sessions s ON s.id = p.session_id
		 WHERE p.session_id = ? AND p.user_id = ?`,
				[sessionId, userId]
			)
	};
}

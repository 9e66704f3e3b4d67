import type { Store } from '../db/store.ts';

/** A user's place in a video session, with the session's state. */
export interface ParticipationRow {
	kind: 'citizen' | 'host' | 'guest';
	admitted_at: number | null;
	removed_at: number | null;
	session_status: 'open' | 'ended';
}

/**
 * The relations access is decided on, read only: where an org unit sits in the tree, whether a
 * session exists and who takes part in it. The tables belong to accounts and video.
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
		findOrgUnit: (id: string) =>
			db.get<{ parent_id: string | null }>('SELECT parent_id FROM org_units WHERE id = ?', [id]),
		sessionExists: async (id: string) =>
			(await db.get<{ status: 'open' | 'ended' }>(
				'SELECT status FROM video_sessions WHERE id = ?',
				[id]
			)) !== undefined,
		participation: (sessionId: string, userId: string) =>
			db.get<ParticipationRow>(
				`SELECT p.kind, p.admitted_at, p.removed_at, s.status AS session_status
		 FROM session_participants p JOIN video_sessions s ON s.id = p.session_id
		 WHERE p.session_id = ? AND p.user_id = ?`,
				[sessionId, userId]
			)
	};
}

import type { Store } from '../db/store.ts';

export interface SessionRow {
	id: string;
	ticket_id: string | null;
	citizen_id: string;
	created_by: string;
	org_unit_id: string;
	service_item_id: string;
	status: 'open' | 'ended';
	created_at: number;
	ended_at: number | null;
	service_name: string;
	ticket_code: string | null;
}

export interface ParticipantRow {
	session_id: string;
	user_id: string;
	kind: 'citizen' | 'host' | 'guest';
	invited_by: string | null;
	admitted_at: number | null;
	removed_at: number | null;
	name: string;
	role: string;
}

/** 入户办: the grid worker taking part with the resident (no participant row of their own). */
export type GridWorkerRow = Pick<
	ParticipantRow,
	'user_id' | 'name' | 'role' | 'admitted_at' | 'removed_at'
>;

export interface SessionEventRow {
	id: number;
	session_id: string;
	type: string;
	actor_id: string | null;
	payload: string;
	source_id: string | null;
	created_at: number;
	actor_name: string | null;
}

const SESSION = `SELECT s.*, i.name AS service_name, t.code AS ticket_code FROM video_sessions s
	JOIN service_items i ON i.id = s.service_item_id LEFT JOIN tickets t ON t.id = s.ticket_id`;

const APPEND_EVENT = `INSERT INTO session_events (session_id, type, actor_id, payload, source_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING RETURNING id`;

/**
 * The video tables, on the whole store or an open transaction. Appending an event only writes
 * it and returns its id: the caller tells the session's streams (the event bus) about it.
 */
export function createVideoRepo(db: Store) {
	return {
		// In a call now: a participant of an open session whose last LiveKit word about them is
		// "joined" (the webhooks keep the timeline), so a session left open in a closed tab is not.
		inLiveCall: async (userId: string) =>
			(await db.get<{ found: number }>(
				`SELECT 1 AS found FROM video_sessions s
		 JOIN session_participants p ON p.session_id = s.id AND p.user_id = ? AND p.removed_at IS NULL
		 WHERE s.status = 'open'
		   AND (SELECT e.type FROM session_events e
		        WHERE e.session_id = s.id AND e.actor_id = ?
		          AND e.type IN ('livekit.participant_joined', 'livekit.participant_left')
		        ORDER BY e.id DESC LIMIT 1) = 'livekit.participant_joined'
		 LIMIT 1`,
				[userId, userId]
			)) !== undefined,
		/** The hall of a ticket (its `hall:` lock is taken before the ticket is read), if any. */
		hallOfTicket: async (ticketId: string) =>
			(await db.get<{ hall_id: string }>('SELECT hall_id FROM tickets WHERE id = ?', [ticketId]))
				?.hall_id,
		/**
		 * Inserts an open session; false (and nothing written) when the ticket already has one:
		 * the unique ticket_id is the backstop of "one session per ticket".
		 */
		insertSession: async (row: Record<string, unknown>) =>
			(
				await db.run(
					`INSERT INTO video_sessions (id, ticket_id, citizen_id, created_by, org_unit_id, service_item_id, status, created_at)
		 VALUES (@id, @ticket_id, @citizen_id, @created_by, @org_unit_id, @service_item_id, 'open', @created_at)
		 ON CONFLICT (ticket_id) DO NOTHING`,
					row
				)
			).changes === 1,
		findSession: (id: string) => db.get<SessionRow>(`${SESSION} WHERE s.id = ?`, [id]),
		findByTicket: (ticketId: string) =>
			db.get<SessionRow>(`${SESSION} WHERE s.ticket_id = ?`, [ticketId]),
		endSession: async (id: string, now: number) =>
			(
				await db.run(
					"UPDATE video_sessions SET status = 'ended', ended_at = ? WHERE id = ? AND status = 'open'",
					[now, id]
				)
			).changes === 1,
		addParticipant: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO session_participants (session_id, user_id, kind, invited_by, admitted_at, created_at)
		 VALUES (@session_id, @user_id, @kind, @invited_by, @admitted_at, @created_at)
		 ON CONFLICT (session_id, user_id) DO UPDATE SET removed_at = NULL, invited_by = excluded.invited_by`,
				row
			);
		},
		participants: (sessionId: string) =>
			db.all<ParticipantRow>(
				`SELECT p.*, u.name, u.role FROM session_participants p JOIN users u ON u.id = p.user_id
		 WHERE p.session_id = ?
		 ORDER BY p.created_at, CASE p.kind WHEN 'host' THEN 0 WHEN 'citizen' THEN 1 ELSE 2 END, p.user_id`,
				[sessionId]
			),
		/**
		 * 入户办: the grid worker who started the session's video ticket at the resident's home. They
		 * have no participant row of their own: they are in when the resident is, out when she is
		 * removed, so they take her admitted and removed times.
		 */
		gridWorker: (sessionId: string) =>
			db.get<GridWorkerRow>(
				`SELECT u.id AS user_id, u.name, u.role, p.admitted_at, p.removed_at
		 FROM video_sessions s JOIN tickets t ON t.id = s.ticket_id
		 JOIN users u ON u.id = t.acted_by
		 JOIN session_participants p ON p.session_id = s.id AND p.user_id = s.citizen_id
		 WHERE s.id = ? AND t.acted_as = 'grid'`,
				[sessionId]
			),
		participant: (sessionId: string, userId: string) =>
			db.get<ParticipantRow>(
				`SELECT p.*, u.name, u.role FROM session_participants p JOIN users u ON u.id = p.user_id
		 WHERE p.session_id = ? AND p.user_id = ?`,
				[sessionId, userId]
			),
		admit: async (sessionId: string, userId: string, now: number) =>
			(
				await db.run(
					'UPDATE session_participants SET admitted_at = ? WHERE session_id = ? AND user_id = ? AND admitted_at IS NULL',
					[now, sessionId, userId]
				)
			).changes === 1,
		remove: async (sessionId: string, userId: string, now: number) => {
			await db.run(
				'UPDATE session_participants SET removed_at = ? WHERE session_id = ? AND user_id = ?',
				[now, sessionId, userId]
			);
		},
		/** The new event's id, or null when an event with this source id is already recorded. */
		appendEvent: async (
			sessionId: string,
			type: string,
			actorId: string | null,
			payload: unknown,
			now: number,
			sourceId: string | null = null
		): Promise<number | null> =>
			(
				await db.get<{ id: number }>(APPEND_EVENT, [
					sessionId,
					type,
					actorId,
					JSON.stringify(payload),
					sourceId,
					now
				])
			)?.id ?? null,
		/** A chat message; its id. */
		appendChat: async (sessionId: string, actorId: string, text: string, now: number) =>
			(await db.get<{ id: number }>(APPEND_EVENT, [
				sessionId,
				'chat',
				actorId,
				JSON.stringify({ text }),
				null,
				now
			]))!.id,
		eventsAfter: (sessionId: string, after: number, limit = 500) =>
			db.all<SessionEventRow>(
				`SELECT e.*, u.name AS actor_name FROM session_events e LEFT JOIN users u ON u.id = e.actor_id
		 WHERE e.session_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`,
				[sessionId, after, limit]
			),
		lastEventId: async (sessionId: string) =>
			(
				await db.get<{ id: number | null }>(
					'SELECT max(id) AS id FROM session_events WHERE session_id = ?',
					[sessionId]
				)
			)?.id ?? 0,
		chat: (sessionId: string) =>
			db.all<SessionEventRow>(
				`SELECT e.*, u.name AS actor_name FROM session_events e LEFT JOIN users u ON u.id = e.actor_id
		 WHERE e.session_id = ? AND e.type = 'chat' ORDER BY e.id`,
				[sessionId]
			),
		invitable: (sessionId: string) =>
			db.all<{ id: string; name: string; role: string; org_unit_name: string }>(
				`SELECT u.id, u.name, u.role, o.name AS org_unit_name FROM users u JOIN org_units o ON o.id = u.org_unit_id
		 WHERE u.role IN ('agent', 'township', 'supervisor') AND u.disabled_at IS NULL
		 AND u.id NOT IN (SELECT user_id FROM session_participants WHERE session_id = ? AND removed_at IS NULL)
		 ORDER BY o.code, u.role, u.name, u.id`,
				[sessionId]
			)
	};
}

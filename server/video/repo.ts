import { perConnection, type Db } from '../db/index.ts';
import { eventBusOf } from '../realtime/bus.ts';

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

export const createVideoRepo = perConnection((db: Db) => {
	const insert = db.prepare(
		`INSERT INTO video_sessions (id, ticket_id, citizen_id, created_by, org_unit_id, service_item_id, status, created_at)
		 VALUES (@id, @ticket_id, @citizen_id, @created_by, @org_unit_id, @service_item_id, 'open', @created_at)`
	);
	const byId = db.prepare<[string], SessionRow>(`${SESSION} WHERE s.id = ?`);
	const byTicket = db.prepare<[string], SessionRow>(`${SESSION} WHERE s.ticket_id = ?`);
	const end = db.prepare(
		"UPDATE video_sessions SET status = 'ended', ended_at = ? WHERE id = ? AND status = 'open'"
	);
	const addParticipant = db.prepare(
		`INSERT INTO session_participants (session_id, user_id, kind, invited_by, admitted_at, created_at)
		 VALUES (@session_id, @user_id, @kind, @invited_by, @admitted_at, @created_at)
		 ON CONFLICT (session_id, user_id) DO UPDATE SET removed_at = NULL, invited_by = excluded.invited_by`
	);
	const participants = db.prepare<[string], ParticipantRow>(
		`SELECT p.*, u.name, u.role FROM session_participants p JOIN users u ON u.id = p.user_id
		 WHERE p.session_id = ? ORDER BY p.created_at`
	);
	const participant = db.prepare<[string, string], ParticipantRow>(
		`SELECT p.*, u.name, u.role FROM session_participants p JOIN users u ON u.id = p.user_id
		 WHERE p.session_id = ? AND p.user_id = ?`
	);
	const admit = db.prepare(
		'UPDATE session_participants SET admitted_at = ? WHERE session_id = ? AND user_id = ? AND admitted_at IS NULL'
	);
	const remove = db.prepare(
		'UPDATE session_participants SET removed_at = ? WHERE session_id = ? AND user_id = ?'
	);
	const appendEvent = db.prepare(
		`INSERT INTO session_events (session_id, type, actor_id, payload, source_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`
	);
	const events = db.prepare<[string, number, number], SessionEventRow>(
		`SELECT e.*, u.name AS actor_name FROM session_events e LEFT JOIN users u ON u.id = e.actor_id
		 WHERE e.session_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`
	);
	const lastEvent = db.prepare<[string], { id: number | null }>(
		'SELECT max(id) AS id FROM session_events WHERE session_id = ?'
	);
	const chat = db.prepare<[string], SessionEventRow>(
		`SELECT e.*, u.name AS actor_name FROM session_events e LEFT JOIN users u ON u.id = e.actor_id
		 WHERE e.session_id = ? AND e.type = 'chat' ORDER BY e.id`
	);
	const invitable = db.prepare<
		[string],
		{ id: string; name: string; role: string; org_unit_name: string }
	>(
		`SELECT u.id, u.name, u.role, o.name AS org_unit_name FROM users u JOIN org_units o ON o.id = u.org_unit_id
		 WHERE u.role IN ('agent', 'township', 'supervisor') AND u.disabled_at IS NULL
		 AND u.id NOT IN (SELECT user_id FROM session_participants WHERE session_id = ? AND removed_at IS NULL)
		 ORDER BY o.code, u.role, u.name`
	);
	// In a call now: a participant of an open session whose last LiveKit word about them is
	// "joined" (the webhooks keep the timeline), so a session left open in a closed tab is not.
	const inLiveCall = db.prepare<[string, string], { found: number }>(
		`SELECT 1 AS found FROM video_sessions s
		 JOIN session_participants p ON p.session_id = s.id AND p.user_id = ? AND p.removed_at IS NULL
		 WHERE s.status = 'open'
		   AND (SELECT e.type FROM session_events e
		        WHERE e.session_id = s.id AND e.actor_id = ?
		          AND e.type IN ('livekit.participant_joined', 'livekit.participant_left')
		        ORDER BY e.id DESC LIMIT 1) = 'livekit.participant_joined'
		 LIMIT 1`
	);
	return {
		inLiveCall: (userId: string) => inLiveCall.get(userId, userId) !== undefined,
		insertSession: (row: Record<string, unknown>) => void insert.run(row),
		findSession: (id: string) => byId.get(id),
		findByTicket: (ticketId: string) => byTicket.get(ticketId),
		endSession: (id: string, now: number) => end.run(now, id).changes === 1,
		addParticipant: (row: Record<string, unknown>) => void addParticipant.run(row),
		participants: (sessionId: string) => participants.all(sessionId),
		participant: (sessionId: string, userId: string) => participant.get(sessionId, userId),
		admit: (sessionId: string, userId: string, now: number) =>
			admit.run(now, sessionId, userId).changes === 1,
		remove: (sessionId: string, userId: string, now: number) =>
			void remove.run(now, sessionId, userId),
		appendEvent: (
			sessionId: string,
			type: string,
			actorId: string | null,
			payload: unknown,
			now: number,
			sourceId: string | null = null
		) => {
			const run = appendEvent.run(sessionId, type, actorId, JSON.stringify(payload), sourceId, now);
			if (run.changes !== 1) return false;
			eventBusOf(db).publish(`session:${sessionId}`, Number(run.lastInsertRowid));
			return true;
		},
		appendChat: (sessionId: string, actorId: string, text: string, now: number) => {
			const id = Number(
				appendEvent.run(sessionId, 'chat', actorId, JSON.stringify({ text }), null, now)
					.lastInsertRowid
			);
			eventBusOf(db).publish(`session:${sessionId}`, id);
			return id;
		},
		eventsAfter: (sessionId: string, after: number, limit = 500) =>
			events.all(sessionId, after, limit),
		lastEventId: (sessionId: string) => lastEvent.get(sessionId)?.id ?? 0,
		chat: (sessionId: string) => chat.all(sessionId),
		invitable: (sessionId: string) => invitable.all(sessionId)
	};
});

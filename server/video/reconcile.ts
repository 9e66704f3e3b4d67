// LiveKit's webhooks are not guaranteed (a node restarted with events queued, the hall's node
// down while LiveKit gave up retrying). This pass compares the hall's open video sessions with
// what LiveKit says now (listRooms, then listParticipants of each listed room; both answer for
// rooms on any node of a cluster) and records on each session's timeline what the webhooks
// missed: a participant who left, a room that finished, and also a join or a room start that
// never arrived. It records through recordLiveKitEvent, the webhook's own function, under the
// same keys (the connection's or the room run's sid), so running it twice, on two app nodes at
// once, or before the late webhook arrives, records each fact once.
import type { ParticipantInfo, Room } from 'livekit-server-sdk';
import type { Deps } from '../deps.ts';
import { createVideoRepo } from './repo.ts';
import { recordLiveKitEvent } from './webhook.ts';

/** ParticipantInfo.State.ACTIVE: LiveKit calls a participant joined only once media connects. */
const ACTIVE = 2;

export interface ReconcileResult {
	/** open sessions compared with LiveKit */
	sessions: number;
	/** events this pass recorded (0 when nothing was missed, or on a second run) */
	recorded: number;
	/** rooms of ended sessions LiveKit still kept, closed now */
	roomsClosed: number;
	/**
	 * sessions skipped, or leftover rooms not closed, because LiveKit did not answer for the room
	 * (its node is away); the next pass tries again
	 */
	failed: number;
}

interface LastWord {
	/** the event's id on the timeline */
	id: number;
	type: string;
	actorId: string | null;
	payload: { name?: string | null; participantSid?: string; roomSid?: string };
}

const PARTICIPANT_WORDS = ['livekit.participant_joined', 'livekit.participant_left'];
const ROOM_WORDS = ['livekit.room_started', 'livekit.room_finished'];

/** Per actor (or for the room: actor null), the newest of the given event types. */
async function lastWords(deps: Deps, sessionId: string, types: string[]): Promise<LastWord[]> {
	const marks = types.map(() => '?').join(', ');
	const rows = await deps.store.all<{
		id: number;
		type: string;
		actor_id: string | null;
		payload: string;
	}>(
		`SELECT e.id, e.type, e.actor_id, e.payload FROM session_events e
		 WHERE e.session_id = ? AND e.type IN (${marks})
		   AND e.id = (SELECT max(e2.id) FROM session_events e2
		               WHERE e2.session_id = e.session_id AND e2.type IN (${marks})
		                 AND (e2.actor_id = e.actor_id OR (e2.actor_id IS NULL AND e.actor_id IS NULL)))
		 ORDER BY e.id`,
		[sessionId, ...types, ...types]
	);
	return rows.map((r) => ({
		id: r.id,
		type: r.type,
		actorId: r.actor_id,
		payload: JSON.parse(r.payload) as LastWord['payload']
	}));
}

/** What the timeline says of a session's room and people, read before LiveKit is asked. */
interface Recorded {
	participants: LastWord[];
	room: LastWord | undefined;
}

async function recordedState(deps: Deps, sessionId: string): Promise<Recorded> {
	return {
		participants: await lastWords(deps, sessionId, PARTICIPANT_WORDS),
		room: (await lastWords(deps, sessionId, ROOM_WORDS)).find((w) => w.actorId === null)
	};
}

/** One reconciliation pass over every open session; safe to run on every node, any time. */
export async function reconcileVideoSessions(deps: Deps): Promise<ReconcileResult> {
	const result: ReconcileResult = { sessions: 0, recorded: 0, roomsClosed: 0, failed: 0 };
	const lk = deps.livekit;
	if (!lk) return result;
	// The record first, then LiveKit: someone recorded in the call and then missing from LiveKit
	// has really left (read the other way round, a join recorded in between would look like a
	// leave). Someone in LiveKit but not recorded may be a join whose webhook lands meanwhile:
	// the connection's sid keys that fact, so it is recorded once either way.
	const open = await deps.store.all<{ id: string }>(
		"SELECT id FROM video_sessions WHERE status = 'open' ORDER BY created_at, id"
	);
	const recorded = new Map<string, Recorded>();
	for (const { id } of open) recorded.set(id, await recordedState(deps, id));
	const rooms = new Map<string, Room>((await lk.listRooms()).map((r) => [r.name, r]));
	for (const { id } of open) {
		result.sessions++;
		const room = rooms.get(id);
		let live: ParticipantInfo[] = [];
		if (room) {
			try {
				live = (await lk.listParticipants(id)).filter((p) => p.state === ACTIVE);
			} catch (err) {
				// the hosting node is away: nothing is known of who is there, so nothing is recorded
				result.failed++;
				deps.log('video reconcile failed', { session: id, error: String(err) });
				continue;
			}
		}
		result.recorded += await reconcileSession(deps, id, recorded.get(id)!, room, live);
	}
	// An ended session's room LiveKit still holds (its close failed while LiveKit was away):
	// nobody may be in it any more, so it is closed now.
	for (const name of rooms.keys()) {
		const session = await deps.store.get<{ status: string }>(
			'SELECT status FROM video_sessions WHERE id = ?',
			[name]
		);
		if (session?.status !== 'ended') continue;
		try {
			await lk.deleteRoom(name);
			result.roomsClosed++;
		} catch (err) {
			// e.g. its node died: LiveKit keeps such a room listed and answers 503; next pass retries
			result.failed++;
			deps.log('video reconcile failed', { session: name, error: String(err) });
		}
	}
	if (result.recorded || result.roomsClosed || result.failed)
		deps.log('video reconciled', { ...result });
	return result;
}

async function reconcileSession(
	deps: Deps,
	sessionId: string,
	{ participants, room: roomWord }: Recorded,
	room: Room | undefined,
	live: ParticipantInfo[]
): Promise<number> {
	let recorded = 0;
	const record = async (...args: Parameters<typeof recordLiveKitEvent>) => {
		if (await recordLiveKitEvent(...args)) recorded++;
	};
	const liveBySid = new Map(live.map((p) => [p.sid, p]));

	// Left without a word: recorded in the call, but that connection is not in the room now.
	for (const word of participants) {
		if (word.type !== 'livekit.participant_joined' || !word.actorId) continue;
		const sid = word.payload.participantSid;
		const stillThere = sid ? liveBySid.has(sid) : live.some((p) => p.identity === word.actorId);
		if (stillThere) continue;
		await record(deps, {
			event: 'participant_left',
			room: sessionId,
			participant: { identity: word.actorId, name: word.payload.name ?? '', sid },
			sourceId: `reconcile:participant_left:${word.id}`,
			reconciled: true
		});
	}

	// The room's run as recorded: finished if LiveKit no longer has it (or runs another one).
	const recordedRun =
		roomWord?.type === 'livekit.room_started' ? (roomWord.payload.roomSid ?? '') : null;
	const runOver =
		recordedRun !== null && (!room || (recordedRun !== '' && recordedRun !== room.sid));
	if (roomWord && runOver)
		await record(deps, {
			event: 'room_finished',
			room: sessionId,
			roomSid: recordedRun || undefined,
			sourceId: `reconcile:room_finished:${roomWord.id}`,
			reconciled: true
		});
	if (room && (recordedRun === null || runOver))
		await record(deps, {
			event: 'room_started',
			room: sessionId,
			roomSid: room.sid,
			sourceId: `reconcile:room_started:${room.sid}`,
			reconciled: true
		});

	// Joined without a word: in the room now, but this connection's join is not the last word.
	const lastSidOf = new Map(
		participants
			.filter((w) => w.type === 'livekit.participant_joined' && w.actorId)
			.map((w) => [w.actorId!, w.payload.participantSid])
	);
	const repo = createVideoRepo(deps.store);
	for (const p of live) {
		if (lastSidOf.has(p.identity) && (lastSidOf.get(p.identity) ?? p.sid) === p.sid) continue;
		// only the session's own people are recorded (a token is only ever issued to them)
		if (!(await repo.participant(sessionId, p.identity))) continue;
		await record(deps, {
			event: 'participant_joined',
			room: sessionId,
			participant: { identity: p.identity, name: p.name, sid: p.sid },
			sourceId: `reconcile:participant_joined:${p.sid}`,
			reconciled: true
		});
	}
	return recorded;
}

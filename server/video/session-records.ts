// A session's record as the features around video change it: the queue ends a ticket's session
// when the ticket is finished or missed, a case started in a session announces itself there, an
// expert joins as a guest. Ending a session has one home here, for the host's 结束 too.
import type { Deps } from '../deps.ts';
import { lockKey } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';
import { createVideoRepo } from './repo.ts';

/** What other features need to know of a session. */
export interface SessionFacts {
	id: string;
	status: 'open' | 'ended';
	citizenId: string;
	orgUnitId: string;
	serviceId: string;
}

export async function findSessionFacts(deps: Deps, id: string): Promise<SessionFacts | undefined> {
	const s = await createVideoRepo(deps.store).findSession(id);
	return (
		s && {
			id: s.id,
			status: s.status,
			citizenId: s.citizen_id,
			orgUnitId: s.org_unit_id,
			serviceId: s.service_item_id
		}
	);
}

/** The id of the ticket's session while it is open (the citizen's page offers to join it). */
export async function openSessionIdOfTicket(deps: Deps, ticketId: string): Promise<string | null> {
	const session = await createVideoRepo(deps.store).findByTicket(ticketId);
	return session?.status === 'open' ? session.id : null;
}

/**
 * Appends to the session's timeline once (an event with a source id already recorded is not
 * written again: false), and wakes the session's event streams (after the commit, when called
 * inside a transaction).
 */
export async function appendSessionEvent(
	deps: Deps,
	sessionId: string,
	type: string,
	actorId: string | null,
	payload: unknown = {},
	sourceId: string | null = null
): Promise<boolean> {
	const id = await onSessionTimeline(deps, sessionId, (store) =>
		createVideoRepo(store).appendEvent(sessionId, type, actorId, payload, deps.now(), sourceId)
	);
	if (id === null) return false;
	publishSessionEvent(deps, sessionId, id);
	return true;
}

/**
 * Runs an append to the session's timeline under the `session:<id>` lock, so its event ids
 * commit in id order (a stream replays `id > Last-Event-ID` and must never skip one): inside the
 * open transaction, or on PostgreSQL in a small one of its own. On SQLite one writer at a time
 * already gives that order, so an append outside a transaction stays a single statement.
 * Lock order: a transaction that also takes a `hall:` lock takes it before this one.
 */
export async function onSessionTimeline<T>(
	deps: Deps,
	sessionId: string,
	append: (store: Store) => Promise<T>
): Promise<T> {
	const locked = async (tx: Store) => {
		await lockKey(tx, `session:${sessionId}`);
		return append(tx);
	};
	if (deps.store.inTransaction) return locked(deps.store);
	if (deps.store.dialect === 'postgres') return deps.store.transaction(locked);
	return append(deps.store);
}

/** Wakes the session's event streams: its log has grown up to `eventId`. */
export function publishSessionEvent(deps: Deps, sessionId: string, eventId: number): void {
	deps.engine.events.publish(`session:${sessionId}`, eventId);
}

/** Appends to the session's timeline; its pages hear it on the session's event stream. */
export async function recordSessionEvent(
	deps: Deps,
	sessionId: string,
	type: string,
	actorId: string | null,
	payload: unknown = {}
): Promise<void> {
	await appendSessionEvent(deps, sessionId, type, actorId, payload);
}

/** Staff joining the session beside the host, let in at once (a colleague, an expert). */
export async function addGuest(
	deps: Deps,
	sessionId: string,
	userId: string,
	invitedBy: string
): Promise<void> {
	const now = deps.now();
	await createVideoRepo(deps.store).addParticipant({
		session_id: sessionId,
		user_id: userId,
		kind: 'guest',
		invited_by: invitedBy,
		admitted_at: now,
		created_at: now
	});
}

/**
 * Inside a transaction: ends an open session and records who ended it, once; true when this
 * call ended it. No participant gets a token for it afterwards.
 */
export async function closeSession(
	deps: Deps,
	sessionId: string,
	actorId: string,
	payload: Record<string, unknown> = {}
): Promise<boolean> {
	if (!(await createVideoRepo(deps.store).endSession(sessionId, deps.now()))) return false;
	await appendSessionEvent(deps, sessionId, 'session.ended', actorId, payload);
	return true;
}

/**
 * Inside a transaction: a finished or missed ticket ends its video session. Returns the room to
 * close in LiveKit once the transaction has committed, or null.
 */
export async function endSessionOfTicket(
	deps: Deps,
	ticketId: string,
	actorId: string,
	reason: string
): Promise<string | null> {
	const session = await createVideoRepo(deps.store).findByTicket(ticketId);
	return session && (await closeSession(deps, session.id, actorId, { reason })) ? session.id : null;
}

/** Closes the LiveKit room of an ended session; LiveKit being away changes nothing recorded. */
export async function closeRoom(deps: Deps, room: string): Promise<void> {
	await deps.livekit?.deleteRoom(room).catch(() => {});
}

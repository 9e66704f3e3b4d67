// A session's record as the features around video change it: the queue ends a ticket's session
// when the ticket is finished or missed, a case started in a session announces itself there, an
// expert joins as a guest. Ending a session has one home here, for the host's 结束 too.
import type { Deps } from '../deps.ts';
import { createVideoRepo } from './repo.ts';

/** What other features need to know of a session. */
export interface SessionFacts {
	id: string;
	status: 'open' | 'ended';
	citizenId: string;
	orgUnitId: string;
	serviceId: string;
}

export function findSessionFacts(deps: Deps, id: string): SessionFacts | undefined {
	const s = createVideoRepo(deps.db).findSession(id);
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
export function openSessionIdOfTicket(deps: Deps, ticketId: string): string | null {
	const session = createVideoRepo(deps.db).findByTicket(ticketId);
	return session?.status === 'open' ? session.id : null;
}

/** Appends to the session's timeline; its pages hear it on the session's event stream. */
export function recordSessionEvent(
	deps: Deps,
	sessionId: string,
	type: string,
	actorId: string | null,
	payload: unknown = {}
): void {
	createVideoRepo(deps.db).appendEvent(sessionId, type, actorId, payload, deps.now());
}

/** Staff joining the session beside the host, let in at once (a colleague, an expert). */
export function addGuest(deps: Deps, sessionId: string, userId: string, invitedBy: string): void {
	const now = deps.now();
	createVideoRepo(deps.db).addParticipant({
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
export function closeSession(
	deps: Deps,
	sessionId: string,
	actorId: string,
	payload: Record<string, unknown> = {}
): boolean {
	const repo = createVideoRepo(deps.db);
	if (!repo.endSession(sessionId, deps.now())) return false;
	repo.appendEvent(sessionId, 'session.ended', actorId, payload, deps.now());
	return true;
}

/**
 * Inside a transaction: a finished or missed ticket ends its video session. Returns the room to
 * close in LiveKit once the transaction has committed, or null.
 */
export function endSessionOfTicket(
	deps: Deps,
	ticketId: string,
	actorId: string,
	reason: string
): string | null {
	const session = createVideoRepo(deps.db).findByTicket(ticketId);
	return session && closeSession(deps, session.id, actorId, { reason }) ? session.id : null;
}

/** Closes the LiveKit room of an ended session; LiveKit being away changes nothing recorded. */
export async function closeRoom(deps: Deps, room: string): Promise<void> {
	await deps.livekit?.deleteRoom(room).catch(() => {});
}

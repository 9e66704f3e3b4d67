// Who may take part in a video session. A session's participants are its citizen, the serving
// agent (host) and invited guests; someone removed keeps their row, marked, and loses access.
// 入户办 (issue 23): the grid worker who started the session's video ticket for a resident takes
// part with the resident (kind 'grid', no row of their own): let in when the resident is, out
// when the resident is removed. They are not session staff (no reviewing, no 容缺受理).
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { createAccessRepo } from './repo.ts';

export interface Participation {
	kind: 'citizen' | 'host' | 'guest' | 'grid';
	admitted: boolean;
	removed: boolean;
	sessionOpen: boolean;
}

/** The user's place in the session, or null when they have none (or there is no such session). */
export async function videoParticipation(
	deps: Deps,
	user: User,
	sessionId: string
): Promise<Participation | null> {
	const repo = createAccessRepo(deps.store);
	const p = await repo.participation(sessionId, user.id);
	if (!p && user.role === 'grid') {
		const g = await repo.gridParticipation(sessionId, user.id);
		return g
			? {
					kind: 'grid',
					admitted: g.admitted_at !== null,
					removed: g.removed_at !== null,
					sessionOpen: g.session_status === 'open'
				}
			: null;
	}
	return p
		? {
				kind: p.kind,
				admitted: p.admitted_at !== null,
				removed: p.removed_at !== null,
				sessionOpen: p.session_status === 'open'
			}
		: null;
}

/** The caller's place in the session: 404 when it does not exist, 403 to anyone not in it. */
export async function requireParticipant(
	deps: Deps,
	user: User,
	sessionId: string
): Promise<Participation> {
	if (!(await createAccessRepo(deps.store).sessionExists(sessionId)))
		throw AppError.notFound('Video session');
	const p = await videoParticipation(deps, user, sessionId);
	if (!p) throw AppError.forbidden('You are not a participant of this session');
	return p;
}

/** A participant who is still in an open session (for a token, for chat): 410 after the end, 403 once removed. */
export async function requireActiveParticipant(
	deps: Deps,
	user: User,
	sessionId: string
): Promise<Participation> {
	const p = await requireParticipant(deps, user, sessionId);
	if (!p.sessionOpen) throw new AppError(410, 'session_ended', 'The session has ended');
	if (p.removed) throw AppError.forbidden('You were removed from this session');
	return p;
}

/** The serving agent of an open session: admit, invite, remove, end, ask for a screen share. */
export async function requireHost(
	deps: Deps,
	user: User,
	sessionId: string
): Promise<Participation> {
	const p = await requireParticipant(deps, user, sessionId);
	if (p.kind !== 'host') throw AppError.forbidden('Only the serving agent may do this');
	if (!p.sessionOpen) throw new AppError(410, 'session_ended', 'The session has ended');
	return p;
}

/** May the user still follow the session's live events? Not after removal or the end. */
export async function mayFollowSession(
	deps: Deps,
	user: User,
	sessionId: string
): Promise<boolean> {
	const p = await videoParticipation(deps, user, sessionId);
	return !!p && !p.removed && p.sessionOpen;
}

/** Staff in the session's live call (host or guest, not removed, session open). */
export async function isSessionStaff(deps: Deps, user: User, sessionId: string): Promise<boolean> {
	const p = await videoParticipation(deps, user, sessionId);
	return !!p && p.kind !== 'citizen' && p.kind !== 'grid' && !p.removed && p.sessionOpen;
}

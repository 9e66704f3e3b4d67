// Sessions as the Lucia guide teaches them: the client holds a random token; the database keeps
// only SHA-256(token) as the session id, so a leaked database cannot be replayed as cookies.
import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Deps } from '../deps.ts';
import { activeUser } from '../accounts/accounts.ts';
import { sessionAndAccount } from './kept-sessions.ts';
import type { Preferences, User } from '../../shared/schemas/auth.ts';
import { createAuthRepo, type SessionRow } from './repo.ts';
import { storageFault } from '../db/faults.ts';
import { isInLiveCall } from '../video/sessions.ts';
import { signInKey, userKey } from '../realtime/bus.ts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
/** Last activity is written at most this often: one write a minute per busy staff session. */
const ACTIVITY_WRITE_MS = MINUTE;
/** A session awaiting its second factor lives this long: enough to open the authenticator app. */
const PENDING_MS = 10 * 60 * 1000;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

// node:crypto rather than @oslojs/crypto's SHA-256 (the same digest): every API request hashes
// its token, and the JavaScript one cost about 20 µs a request under load against ~10 µs
// (scripts/bench-queue.ts).
export function sessionIdFromToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** `verified` false: the session awaits its user's second factor (short-lived until given). */
export async function createSession(
	deps: Deps,
	token: string,
	userId: string,
	verified = true
): Promise<SessionRow> {
	const now = deps.now();
	const session = {
		id: sessionIdFromToken(token),
		user_id: userId,
		created_at: now,
		expires_at: now + (verified ? deps.config.session.days * DAY : PENDING_MS),
		two_factor_verified: verified ? 1 : 0,
		last_active_at: now
	};
	await createAuthRepo(deps.store).insertSession(session);
	return session;
}

export interface ValidSession {
	session: SessionRow;
	user: User;
	/** the account's preferences, read with it (the pages' hook shows the 适老化 mode) */
	preferences: Preferences;
	/** The expiry moved forward: the cookie should be sent again. */
	renewed: boolean;
	/** Staff: when the session ends unless there is activity before (null for citizens). */
	idleExpiresAt: number | null;
}

/**
 * Looks a token up. Expired sessions are deleted. Sliding expiry: a session used in the second
 * half of its life is extended to a full period again.
 */
/** Runs a write that may be skipped when storage fails; other errors are thrown as usual. */
async function bestEffortWrite(write: () => Promise<unknown>): Promise<boolean> {
	try {
		await write();
		return true;
	} catch (err) {
		if (storageFault(err)) return false;
		throw err;
	}
}

export async function validateSessionToken(
	deps: Deps,
	token: string
): Promise<ValidSession | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const repo = createAuthRepo(deps.store);
	const found = await sessionAndAccount(deps, sessionIdFromToken(token));
	if (!found) return null;
	const { session, account } = found;
	const now = deps.now();
	if (now >= session.expires_at) {
		// Tidying only: an expired session is refused whether or not its row could be deleted.
		await bestEffortWrite(() => repo.deleteSession(session.id));
		return null;
	}
	if (!account) return null;
	const { user, preferences } = account;
	let idleExpiresAt: number | null = null;
	if (user.role !== 'citizen') {
		const idleMs = deps.config.session.staffIdleMinutes * MINUTE;
		if (now - session.last_active_at >= idleMs) {
			// 等保: staff are signed out after a spell without activity, but never in the middle
			// of a call, where they may listen for a long while without touching anything.
			if (!(await isInLiveCall(deps, user.id))) {
				await bestEffortWrite(() => repo.deleteSession(session.id));
				deps.engine.events.end(signInKey(session.id));
				return null;
			}
			await noteActivity(deps, session);
		}
		idleExpiresAt = session.last_active_at + idleMs;
	}
	const period = deps.config.session.days * DAY;
	let renewed = false;
	// Sliding expiry is a convenience: with a full or read-only disk, reads still work for a
	// signed-in user and the session keeps its current expiry.
	// a session awaiting its second factor keeps its short life
	if (session.two_factor_verified && now >= session.expires_at - period / 2) {
		const extended = now + period;
		if (await bestEffortWrite(() => repo.extendSession(session.id, extended))) {
			session.expires_at = extended;
			renewed = true;
		}
	}
	return { session, user, preferences, renewed, idleExpiresAt };
}

/**
 * The user did something on this session (a change, a click the page reported, a call going
 * on): moves its last activity to now, written at most once a minute.
 */
export async function noteActivity(deps: Deps, session: SessionRow): Promise<void> {
	const now = deps.now();
	if (now - session.last_active_at < ACTIVITY_WRITE_MS) return;
	const repo = createAuthRepo(deps.store);
	if (await bestEffortWrite(() => repo.touchSession(session.id, now, now - ACTIVITY_WRITE_MS)))
		session.last_active_at = now;
}

/** The second factor was given: the session becomes a signed-in one, for a full period. */
export async function markSessionVerified(deps: Deps, session: SessionRow): Promise<void> {
	const expiresAt = deps.now() + deps.config.session.days * DAY;
	await createAuthRepo(deps.store).markSessionVerified(session.id, expiresAt);
	session.two_factor_verified = 1;
	session.expires_at = expiresAt;
}

export async function invalidateSession(deps: Deps, sessionId: string): Promise<void> {
	await createAuthRepo(deps.store).deleteSession(sessionId);
	// its open event streams (cases, video) close at once, not at their next event
	deps.engine.events.end(signInKey(sessionId));
}

/**
 * Signs the user out everywhere (an account disabled, a password reset, two-factor reset): deletes
 * every session, inside the caller's transaction (deps.store its handle); how many ended. The
 * caller then calls endStreamsOf once that transaction has committed.
 */
export function deleteSessionsOf(deps: Deps, userId: string): Promise<number> {
	return createAuthRepo(deps.store).deleteUserSessions(userId);
}

/**
 * Closes every open event stream of the user at once (not at their next event). Call it after
 * the transaction that deleted their sessions committed, outside its callback.
 */
export function endStreamsOf(deps: Deps, userId: string): void {
	deps.engine.events.end(userKey(userId));
}

/** A live stream may go on while its session exists, is unexpired and its user is enabled. */
export async function sessionStillValid(deps: Deps, sessionId: string): Promise<boolean> {
	const session = await createAuthRepo(deps.store).findSession(sessionId);
	return (
		!!session &&
		session.expires_at > deps.now() &&
		(await activeUser(deps, session.user_id)) !== null
	);
}

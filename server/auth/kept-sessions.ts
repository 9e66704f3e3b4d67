// Every API request and every page checks its session: the session's row and its account's, two
// indexed reads that were a fifth of a ticket read under load (README: Performance). Both rows
// change only by writes to `sessions` and `users`, so they are kept in memory under a stamp of
// those two tables (engine.tablesStamp): this process's writes to them (sign-out, a password
// reset, an account disabled, foreign-key cascades, raw statements: counted by TEMP triggers) and
// any commit of another process sharing the file move it, and it is taken before the read on
// every check, so a sign-out anywhere holds at the next request. PostgreSQL has no such stamp
// (another node may write at any time): there both rows are read on every check, as before.
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';
import { activeUserWithPreferences } from '../accounts/accounts.ts';
import type { Preferences, User } from '../../shared/schemas/auth.ts';
import { createAuthRepo, type SessionRow } from './repo.ts';

const TABLES = ['sessions', 'users'] as const;
/** Sessions kept between two changes (each about 1 KB): past this, the kept ones are forgotten. */
const LIMIT = 20_000;

export interface SessionAndAccount {
	session: SessionRow;
	/** null: the account is disabled (or gone) */
	account: { user: User; preferences: Preferences } | null;
}

interface Kept {
	stamp: string;
	bySession: Map<string, SessionAndAccount>;
}

const kept = new WeakMap<Engine, Kept>();

/** The session of this id and its enabled account, from memory while neither table changed. */
export async function sessionAndAccount(
	deps: Deps,
	sessionId: string
): Promise<SessionAndAccount | null> {
	// inside a transaction the engine gives no stamp: its handle reads what it wrote
	const stamp = deps.store.inTransaction ? null : deps.engine.tablesStamp(TABLES);
	if (stamp === null) return readSessionAndAccount(deps, sessionId);
	let current = kept.get(deps.engine);
	if (!current || current.stamp !== stamp || current.bySession.size >= LIMIT) {
		current = { stamp, bySession: new Map() };
		kept.set(deps.engine, current);
	}
	let found = current.bySession.get(sessionId);
	if (!found) {
		const read = await readSessionAndAccount(deps, sessionId);
		// an unknown token is not kept: a stream of made-up tokens would fill the memory
		if (!read) return null;
		// under the stamp taken before the read: a change in between only costs one more read
		current.bySession.set(sessionId, read);
		found = read;
	}
	// copies: the caller moves the session's expiry and activity after writing them
	return {
		session: { ...found.session },
		account: found.account && {
			user: { ...found.account.user },
			preferences: { ...found.account.preferences }
		}
	};
}

async function readSessionAndAccount(
	deps: Deps,
	sessionId: string
): Promise<SessionAndAccount | null> {
	const session = await createAuthRepo(deps.store).findSession(sessionId);
	if (!session) return null;
	return { session, account: await activeUserWithPreferences(deps, session.user_id) };
}

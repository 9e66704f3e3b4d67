import { perConnection, type Db } from '../db/index.ts';

export interface SessionRow {
	id: string;
	user_id: string;
	created_at: number;
	expires_at: number;
	/** 0 while the session awaits its user's second factor (server/auth/two-factor.ts). */
	two_factor_verified: number;
	/** The last activity of the user on this session (staff sessions end when it is too old). */
	last_active_at: number;
}

export interface ThrottleRow {
	key: string;
	failures: number;
	window_start: number;
	locked_until: number | null;
}

export const createAuthRepo = perConnection((db: Db) => {
	const insertSession = db.prepare(
		`INSERT INTO sessions (id, user_id, created_at, expires_at, two_factor_verified, last_active_at)
		 VALUES (@id, @user_id, @created_at, @expires_at, @two_factor_verified, @last_active_at)`
	);
	const verify = db.prepare(
		'UPDATE sessions SET two_factor_verified = 1, expires_at = ? WHERE id = ?'
	);
	const sessionById = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
	const extend = db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?');
	const deleteSession = db.prepare('DELETE FROM sessions WHERE id = ?');
	const touch = db.prepare(
		'UPDATE sessions SET last_active_at = ? WHERE id = ? AND last_active_at <= ?'
	);
	const deleteUserSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');
	const throttle = db.prepare<[string], ThrottleRow>('SELECT * FROM login_throttle WHERE key = ?');
	const upsertThrottle = db.prepare(
		`INSERT INTO login_throttle (key, failures, window_start, locked_until)
		 VALUES (@key, @failures, @window_start, @locked_until)
		 ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
		   window_start = excluded.window_start, locked_until = excluded.locked_until`
	);
	const clearThrottle = db.prepare('DELETE FROM login_throttle WHERE key = ?');

	return {
		insertSession: (row: SessionRow) => void insertSession.run(row),
		findSession: (id: string) => sessionById.get(id),
		extendSession: (id: string, expiresAt: number) => void extend.run(expiresAt, id),
		markSessionVerified: (id: string, expiresAt: number) => void verify.run(expiresAt, id),
		deleteSession: (id: string) => void deleteSession.run(id),
		/** Moves last_active_at to `at` unless it was written after `unlessAfter`. */
		touchSession: (id: string, at: number, unlessAfter: number) =>
			touch.run(at, id, unlessAfter).changes === 1,
		deleteUserSessions: (userId: string) => deleteUserSessions.run(userId).changes,
		findThrottle: (key: string) => throttle.get(key),
		saveThrottle: (row: ThrottleRow) => void upsertThrottle.run(row),
		clearThrottle: (key: string) => void clearThrottle.run(key)
	};
});

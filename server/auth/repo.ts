import type { Store } from '../db/store.ts';

export interface SessionRow {
	id: string;
	user_id: string;
	created_at: number;
	expires_at: number;
	/** 0 while the session awaits its user's second factor (server/auth/two-factor.ts). */
	two_factor_verified: number;
	/** The last activity of the user on this session (staff sessions end when it is too old). */
	last_active_at: number;
	/** The proxy grant the session acts under (代办), or null (absent before migration 0025). */
	acting_for_grant?: string | null;
}

export interface ThrottleRow {
	key: string;
	failures: number;
	window_start: number;
	locked_until: number | null;
}

export function createAuthRepo(db: Store) {
	return {
		insertSession: async (row: SessionRow) => {
			await db.run(
				`INSERT INTO sessions (id, user_id, created_at, expires_at, two_factor_verified, last_active_at)
		 VALUES (@id, @user_id, @created_at, @expires_at, @two_factor_verified, @last_active_at)`,
				{ ...row }
			);
		},
		findSession: (id: string) => db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [id]),
		extendSession: async (id: string, expiresAt: number) => {
			await db.run('UPDATE sessions SET expires_at = ? WHERE id = ?', [expiresAt, id]);
		},
		markSessionVerified: async (id: string, expiresAt: number) => {
			await db.run('UPDATE sessions SET two_factor_verified = 1, expires_at = ? WHERE id = ?', [
				expiresAt,
				id
			]);
		},
		deleteSession: async (id: string) => {
			await db.run('DELETE FROM sessions WHERE id = ?', [id]);
		},
		/** Moves last_active_at to `at` unless it was written after `unlessAfter`. */
		touchSession: async (id: string, at: number, unlessAfter: number) =>
			(
				await db.run(
					'UPDATE sessions SET last_active_at = ? WHERE id = ? AND last_active_at <= ?',
					[at, id, unlessAfter]
				)
			).changes === 1,
		deleteUserSessions: async (userId: string) =>
			(await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes,
		findThrottle: (key: string) =>
			db.get<ThrottleRow>('SELECT * FROM login_throttle WHERE key = ?', [key]),
		/**
		 * Counts one request of `key` in its window, in one statement (atomic on both engines: a
		 * read-compute-write would lose counts between processes on PostgreSQL). A window older
		 * than `windowMs` starts afresh at 1. Undefined, and nothing written, while the window
		 * already holds `limit` requests (limit >= 1).
		 */
		countThrottle: (key: string, now: number, windowMs: number, limit: number) =>
			db.get<{ failures: number; window_start: number }>(
				`INSERT INTO login_throttle (key, failures, window_start, locked_until)
		 VALUES (@key, 1, CAST(@now AS BIGINT), NULL)
		 ON CONFLICT (key) DO UPDATE SET
		   failures = CASE WHEN CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		     THEN 1 ELSE login_throttle.failures + 1 END,
		   window_start = CASE WHEN CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		     THEN CAST(@now AS BIGINT) ELSE login_throttle.window_start END,
		   locked_until = NULL
		 WHERE CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		   OR login_throttle.failures < CAST(@limit AS INTEGER)
		 RETURNING failures, window_start`,
				{ key, now, window: windowMs, limit }
			),
		/**
		 * Counts one failure of `key` in its window, in one statement (atomic, as countThrottle),
		 * and sets `locked_until` once the failures reach `maxFailures` (else clears it). The
		 * failures counted, this one included.
		 */
		recordThrottleFailure: async (
			key: string,
			now: number,
			windowMs: number,
			maxFailures: number,
			lockedUntil: number
		) =>
			(await db.get<{ failures: number }>(
				`INSERT INTO login_throttle (key, failures, window_start, locked_until)
		 VALUES (@key, 1, CAST(@now AS BIGINT),
		   CASE WHEN 1 >= CAST(@max AS INTEGER) THEN CAST(@locked_until AS BIGINT) ELSE NULL END)
		 ON CONFLICT (key) DO UPDATE SET
		   failures = CASE WHEN CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		     THEN 1 ELSE login_throttle.failures + 1 END,
		   window_start = CASE WHEN CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		     THEN CAST(@now AS BIGINT) ELSE login_throttle.window_start END,
		   -- the right-hand sides of SET read the old row: the new count is computed again here
		   locked_until = CASE WHEN (CASE WHEN CAST(@now AS BIGINT) - login_throttle.window_start >= CAST(@window AS BIGINT)
		     THEN 1 ELSE login_throttle.failures + 1 END) >= CAST(@max AS INTEGER)
		     THEN CAST(@locked_until AS BIGINT) ELSE NULL END
		 RETURNING failures`,
				{ key, now, window: windowMs, max: maxFailures, locked_until: lockedUntil }
			))!.failures,
		clearThrottle: async (key: string) => {
			await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
		}
	};
}

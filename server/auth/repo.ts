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
		saveThrottle: async (row: ThrottleRow) => {
			await db.run(
				`INSERT INTO login_throttle (key, failures, window_start, locked_until)
		 VALUES (@key, @failures, @window_start, @locked_until)
		 ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
		   window_start = excluded.window_start, locked_until = excluded.locked_until`,
				{ ...row }
			);
		},
		clearThrottle: async (key: string) => {
			await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
		}
	};
}

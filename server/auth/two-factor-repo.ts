import type { Store } from '../db/store.ts';

export interface TotpCredentialRow {
	user_id: string;
	secret: Buffer;
	created_at: number;
	/** null while enrolment waits for its first code */
	confirmed_at: number | null;
	/** the last 30-second step whose code was accepted */
	last_step: number | null;
}

export function createTwoFactorRepo(db: Store) {
	return {
		findCredential: (userId: string) =>
			db.get<TotpCredentialRow>('SELECT * FROM totp_credentials WHERE user_id = ?', [userId]),
		/** False when the user already has a confirmed credential. */
		savePendingSecret: async (userId: string, secret: Uint8Array, now: number) =>
			(
				await db.run(
					// a confirmed credential is never overwritten here: only a reset removes it
					`INSERT INTO totp_credentials (user_id, secret, created_at) VALUES (@user_id, @secret, @created_at)
		 ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
		   last_step = NULL WHERE totp_credentials.confirmed_at IS NULL`,
					{ user_id: userId, secret: Buffer.from(secret), created_at: now }
				)
			).changes > 0,
		insertConfirmedSecret: async (userId: string, secret: Uint8Array, now: number) => {
			await db.run(
				`INSERT INTO totp_credentials (user_id, secret, created_at, confirmed_at)
		 VALUES (@user_id, @secret, @now, @now)`,
				{ user_id: userId, secret: Buffer.from(secret), now }
			);
		},
		confirmCredential: async (userId: string, step: number, now: number) =>
			(
				await db.run(
					'UPDATE totp_credentials SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL',
					[now, step, userId]
				)
			).changes > 0,
		/** False when a code of this step or a later one was accepted before. */
		acceptStep: async (userId: string, step: number) =>
			(
				await db.run(
					// the step moves forward only: of two requests with one code, one wins
					`UPDATE totp_credentials SET last_step = @step
		 WHERE user_id = @user_id AND (last_step IS NULL OR last_step < @step)`,
					{ user_id: userId, step }
				)
			).changes > 0,
		deleteCredential: async (userId: string) =>
			(await db.run('DELETE FROM totp_credentials WHERE user_id = ?', [userId])).changes,
		insertRecoveryCode: async (row: {
			id: string;
			user_id: string;
			code_hash: string;
			created_at: number;
		}) => {
			await db.run(
				`INSERT INTO recovery_codes (id, user_id, code_hash, created_at)
		 VALUES (@id, @user_id, @code_hash, @created_at)`,
				row
			);
		},
		/** True when the code was there and unused (it is used now). */
		useRecoveryCode: async (userId: string, codeHash: string, now: number) =>
			(
				await db.run(
					`UPDATE recovery_codes SET used_at = @now
		 WHERE user_id = @user_id AND code_hash = @code_hash AND used_at IS NULL`,
					{ user_id: userId, code_hash: codeHash, now }
				)
			).changes > 0,
		countUnusedRecoveryCodes: async (userId: string) =>
			(await db.get<{ n: number }>(
				'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
				[userId]
			))!.n,
		deleteRecoveryCodes: async (userId: string) =>
			(await db.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId])).changes
	};
}

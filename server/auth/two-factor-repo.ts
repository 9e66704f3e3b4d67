import { perConnection, type Db } from '../db/index.ts';

export interface TotpCredentialRow {
	user_id: string;
	secret: Buffer;
	created_at: number;
	/** null while enrolment waits for its first code */
	confirmed_at: number | null;
	/** the last 30-second step whose code was accepted */
	last_step: number | null;
}

export const createTwoFactorRepo = perConnection((db: Db) => {
	const credential = db.prepare<[string], TotpCredentialRow>(
		'SELECT * FROM totp_credentials WHERE user_id = ?'
	);
	// a confirmed credential is never overwritten here: only a reset removes it
	const savePending = db.prepare(
		`INSERT INTO totp_credentials (user_id, secret, created_at) VALUES (@user_id, @secret, @created_at)
		 ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
		   last_step = NULL WHERE totp_credentials.confirmed_at IS NULL`
	);
	const insertConfirmed = db.prepare(
		`INSERT INTO totp_credentials (user_id, secret, created_at, confirmed_at)
		 VALUES (@user_id, @secret, @now, @now)`
	);
	const confirm = db.prepare(
		'UPDATE totp_credentials SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL'
	);
	// the step moves forward only: of two requests with one code, one wins
	const acceptStep = db.prepare(
		`UPDATE totp_credentials SET last_step = @step
		 WHERE user_id = @user_id AND (last_step IS NULL OR last_step < @step)`
	);
	const deleteCredential = db.prepare('DELETE FROM totp_credentials WHERE user_id = ?');
	const insertRecoveryCode = db.prepare(
		`INSERT INTO recovery_codes (id, user_id, code_hash, created_at)
		 VALUES (@id, @user_id, @code_hash, @created_at)`
	);
	const useRecoveryCode = db.prepare(
		`UPDATE recovery_codes SET used_at = @now
		 WHERE user_id = @user_id AND code_hash = @code_hash AND used_at IS NULL`
	);
	const unusedRecoveryCodes = db.prepare<[string], { n: number }>(
		'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL'
	);
	const deleteRecoveryCodes = db.prepare('DELETE FROM recovery_codes WHERE user_id = ?');

	return {
		findCredential: (userId: string) => credential.get(userId),
		/** False when the user already has a confirmed credential. */
		savePendingSecret: (userId: string, secret: Uint8Array, now: number) =>
			savePending.run({ user_id: userId, secret: Buffer.from(secret), created_at: now }).changes >
			0,
		insertConfirmedSecret: (userId: string, secret: Uint8Array, now: number) =>
			void insertConfirmed.run({ user_id: userId, secret: Buffer.from(secret), now }),
		confirmCredential: (userId: string, step: number, now: number) =>
			confirm.run(now, step, userId).changes > 0,
		/** False when a code of this step or a later one was accepted before. */
		acceptStep: (userId: string, step: number) =>
			acceptStep.run({ user_id: userId, step }).changes > 0,
		deleteCredential: (userId: string) => deleteCredential.run(userId).changes,
		insertRecoveryCode: (row: {
			id: string;
			user_id: string;
			code_hash: string;
			created_at: number;
		}) => void insertRecoveryCode.run(row),
		/** True when the code was there and unused (it is used now). */
		useRecoveryCode: (userId: string, codeHash: string, now: number) =>
			useRecoveryCode.run({ user_id: userId, code_hash: codeHash, now }).changes > 0,
		countUnusedRecoveryCodes: (userId: string) => unusedRecoveryCodes.get(userId)!.n,
		deleteRecoveryCodes: (userId: string) => deleteRecoveryCodes.run(userId).changes
	};
});

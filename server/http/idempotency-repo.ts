// The SQL of the Idempotency-Key middleware (./idempotency.ts): the table idempotency_keys.
import type { Store } from '../db/store.ts';

export interface KeyRow {
	fingerprint: string;
	status: number;
	content_type: string | null;
	body: string;
}

export function createIdempotencyRepo(db: Store) {
	return {
		find: (scope: string, key: string) =>
			db.get<KeyRow>(
				'SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND key = ?',
				[scope, key]
			),
		/** the key taken, its answer to come (a unique violation: another try holds it) */
		reserve: async (scope: string, key: string, fingerprint: string, now: number) => {
			await db.run(
				`INSERT INTO idempotency_keys (scope, key, fingerprint, status, content_type, body, created_at)
				 VALUES (?, ?, ?, 0, NULL, '', ?)`,
				[scope, key, fingerprint, now]
			);
		},
		keepAnswer: async (
			scope: string,
			key: string,
			answer: { status: number; contentType: string | null; body: string }
		) => {
			await db.run(
				'UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?',
				[answer.status, answer.contentType, answer.body, scope, key]
			);
		},
		pruneBefore: async (time: number) =>
			(await db.run('DELETE FROM idempotency_keys WHERE created_at < ?', [time])).changes
	};
}

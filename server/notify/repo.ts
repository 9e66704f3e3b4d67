import type { Store } from '../db/store.ts';

export interface NotificationRow {
	id: string;
	user_id: string;
	channel: 'in_app' | 'sms';
	kind: string;
	params: string;
	link: string | null;
	dedupe_key: string;
	due_at: number;
	sent_at: number | null;
	read_at: number | null;
	cancelled_at: number | null;
	created_at: number;
	claimed_by: string | null;
	lease_until: number | null;
	attempts: number;
	failed_at: number | null;
}

export function createNotifyRepo(db: Store) {
	return {
		insert: async (
			row: Omit<
				NotificationRow,
				| 'sent_at'
				| 'read_at'
				| 'cancelled_at'
				| 'claimed_by'
				| 'lease_until'
				| 'attempts'
				| 'failed_at'
			>
		) => {
			await db.run(
				`INSERT INTO notifications (id, user_id, channel, kind, params, link, dedupe_key, due_at, created_at)
		 VALUES (@id, @user_id, @channel, @kind, @params, @link, @dedupe_key, @due_at, @created_at)
		 ON CONFLICT (dedupe_key) DO NOTHING`,
				row
			);
		},
		/** due, not sent, not given up, and not claimed by a node whose lease still runs */
		listDue: (now: number, limit: number) =>
			db.all<NotificationRow>(
				`SELECT * FROM notifications
		 WHERE sent_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL AND due_at <= ?
		   AND (lease_until IS NULL OR lease_until <= ?)
		 ORDER BY due_at LIMIT ?`,
				[now, now, limit]
			),
		/** false when another node claimed it first (or it was sent or cancelled meanwhile) */
		claim: async (id: string, holder: string, now: number, leaseUntil: number) =>
			(
				await db.run(
					`UPDATE notifications SET claimed_by = ?, lease_until = ?, attempts = attempts + 1
		 WHERE id = ? AND sent_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL
		   AND (lease_until IS NULL OR lease_until <= ?)`,
					[holder, leaseUntil, id, now]
				)
			).changes === 1,
		markSent: async (id: string, now: number) => {
			await db.run('UPDATE notifications SET sent_at = ? WHERE id = ? AND sent_at IS NULL', [
				now,
				id
			]);
		},
		/** a send failed: tried again once retryAt has passed (the claim's lease moved there) */
		retryAt: async (id: string, holder: string, retryAt: number) => {
			await db.run(
				'UPDATE notifications SET lease_until = ? WHERE id = ? AND claimed_by = ? AND sent_at IS NULL',
				[retryAt, id, holder]
			);
		},
		markFailed: async (id: string, now: number) => {
			await db.run('UPDATE notifications SET failed_at = ? WHERE id = ? AND sent_at IS NULL', [
				now,
				id
			]);
		},
		cancelByKeyPrefix: async (prefix: string, now: number) =>
			(
				await db.run(
					`UPDATE notifications SET cancelled_at = ? WHERE dedupe_key LIKE ? ESCAPE '\\' AND sent_at IS NULL AND cancelled_at IS NULL`,
					[now, prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%']
				)
			).changes,
		listInApp: (userId: string, now: number) =>
			db.all<NotificationRow>(
				`SELECT * FROM notifications WHERE user_id = ? AND channel = 'in_app' AND cancelled_at IS NULL AND due_at <= ?
		 ORDER BY due_at DESC LIMIT 50`,
				[userId, now]
			),
		isAddressedTo: async (id: string, userId: string) =>
			(await db.get<{ one: number }>(
				"SELECT 1 AS one FROM notifications WHERE id = ? AND user_id = ? AND channel = 'in_app'",
				[id, userId]
			)) !== undefined,
		markRead: async (id: string, userId: string, now: number) =>
			(
				await db.run(
					'UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL',
					[now, id, userId]
				)
			).changes,
		phoneOf: async (userId: string) =>
			(await db.get<{ phone: string | null }>('SELECT phone FROM users WHERE id = ?', [userId]))
				?.phone ?? null
	};
}

import { perConnection, type Db } from '../db/index.ts';

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
}

export const createNotifyRepo = perConnection((db: Db) => {
	const insert = db.prepare(
		`INSERT INTO notifications (id, user_id, channel, kind, params, link, dedupe_key, due_at, created_at)
		 VALUES (@id, @user_id, @channel, @kind, @params, @link, @dedupe_key, @due_at, @created_at)
		 ON CONFLICT (dedupe_key) DO NOTHING`
	);
	const due = db.prepare<[number, number], NotificationRow>(
		`SELECT * FROM notifications WHERE sent_at IS NULL AND cancelled_at IS NULL AND due_at <= ?
		 ORDER BY due_at LIMIT ?`
	);
	const claim = db.prepare(
		'UPDATE notifications SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND cancelled_at IS NULL'
	);
	const cancelPrefix = db.prepare(
		`UPDATE notifications SET cancelled_at = ? WHERE dedupe_key LIKE ? ESCAPE '\\' AND sent_at IS NULL AND cancelled_at IS NULL`
	);
	const inApp = db.prepare<[string, number], NotificationRow>(
		`SELECT * FROM notifications WHERE user_id = ? AND channel = 'in_app' AND cancelled_at IS NULL AND due_at <= ?
		 ORDER BY due_at DESC LIMIT 50`
	);
	const markRead = db.prepare(
		'UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL'
	);
	const addressedTo = db.prepare<[string, string], { one: number }>(
		"SELECT 1 AS one FROM notifications WHERE id = ? AND user_id = ? AND channel = 'in_app'"
	);
	const phone = db.prepare<[string], { phone: string | null }>(
		'SELECT phone FROM users WHERE id = ?'
	);

	return {
		insert: (row: Omit<NotificationRow, 'sent_at' | 'read_at' | 'cancelled_at'>) =>
			void insert.run(row),
		listDue: (now: number, limit: number) => due.all(now, limit),
		claim: (id: string, now: number) => claim.run(now, id).changes === 1,
		cancelByKeyPrefix: (prefix: string, now: number) =>
			cancelPrefix.run(now, prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%').changes,
		listInApp: (userId: string, now: number) => inApp.all(userId, now),
		isAddressedTo: (id: string, userId: string) => addressedTo.get(id, userId) !== undefined,
		markRead: (id: string, userId: string, now: number) => markRead.run(now, id, userId).changes,
		phoneOf: (userId: string) => phone.get(userId)?.phone ?? null
	};
});

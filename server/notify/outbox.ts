// The notification outbox. Writers enqueue rows inside their own transaction (so a notice exists
// exactly when the change it announces does); deliverDueNotifications sends what is due, on any
// node. Each row is claimed in the database for CLAIM_MS before it is handed to a channel, so two
// nodes never send it at once; it is marked sent after the gateway took it. A node that dies in
// between leaves the claim to expire and another node sends it again: delivery is at least once,
// and the notice's id goes to the gateway as its idempotency key so the repeat is dropped there.
import { THIS_NODE } from '../jobs/leases.ts';
import { AppError } from '../http/errors.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import type { Notification } from '../../shared/schemas/booking.ts';
import { createNotifyRepo } from './repo.ts';
import { smsText } from './templates.ts';

export type NotifyChannel = 'in_app' | 'sms';

export interface NoticeInput {
	userId: string;
	kind: string;
	params: Record<string, string>;
	link?: string;
	dueAt: number;
	/** Identifies the message; the same key is never enqueued twice. Channel is appended. */
	key: string;
	channels: NotifyChannel[];
}

export async function enqueueNotice(deps: Deps, n: NoticeInput): Promise<void> {
	const repo = createNotifyRepo(deps.store);
	for (const channel of n.channels)
		await repo.insert({
			id: newId(),
			user_id: n.userId,
			channel,
			kind: n.kind,
			params: JSON.stringify(n.params),
			link: n.link ?? null,
			dedupe_key: `${n.key}:${channel}`,
			due_at: n.dueAt,
			created_at: deps.now()
		});
}

/** Cancels unsent notices whose key starts with prefix (e.g. the reminders of a cancelled booking). */
export function cancelNotices(deps: Deps, keyPrefix: string): Promise<number> {
	return createNotifyRepo(deps.store).cancelByKeyPrefix(keyPrefix, deps.now());
}

/** How long a claimed notice is this node's: far longer than a gateway call takes. */
export const CLAIM_MS = 60_000;
/** A failed send is tried again after this long, up to MAX_ATTEMPTS times in all. */
const RETRY_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

export async function deliverDueNotifications(
	deps: Deps,
	opts: { limit?: number; node?: string } = {}
): Promise<{ sms: number; inApp: number }> {
	const repo = createNotifyRepo(deps.store);
	const node = opts.node ?? THIS_NODE;
	const now = deps.now();
	const counts = { sms: 0, inApp: 0 };
	for (const row of await repo.listDue(now, opts.limit ?? 200)) {
		if (!(await repo.claim(row.id, node, now, now + CLAIM_MS))) continue; // another node's
		if (row.channel === 'in_app') {
			await repo.markSent(row.id, now);
			counts.inApp++;
			continue;
		}
		const phone = await repo.phoneOf(row.user_id);
		if (!phone) {
			await repo.markFailed(row.id, now);
			continue;
		}
		try {
			await deps.sms.send(phone, smsText(row.kind, JSON.parse(row.params)), {
				idempotencyKey: row.id
			});
		} catch (err) {
			deps.log('sms failed', { id: row.id, kind: row.kind, error: (err as Error).message });
			if (row.attempts + 1 >= MAX_ATTEMPTS) await repo.markFailed(row.id, deps.now());
			else await repo.retryAt(row.id, node, deps.now() + RETRY_MS);
			continue;
		}
		await repo.markSent(row.id, deps.now());
		counts.sms++;
	}
	return counts;
}

export async function listMyNotifications(deps: Deps, userId: string): Promise<Notification[]> {
	return (await createNotifyRepo(deps.store).listInApp(userId, deps.now())).map((r) => ({
		id: r.id,
		kind: r.kind,
		params: JSON.parse(r.params),
		link: r.link,
		at: toIso(r.due_at, deps.config.timeZone),
		read: r.read_at !== null
	}));
}

/** Only the addressee's own notices: anyone else's (or none) is 404, as if it did not exist. */
export async function markNotificationRead(deps: Deps, userId: string, id: string): Promise<void> {
	const repo = createNotifyRepo(deps.store);
	if (!(await repo.isAddressedTo(id, userId))) throw AppError.notFound('Notification');
	await repo.markRead(id, userId, deps.now());
}

// The event bus across app nodes on PostgreSQL (issue 22). The event tables stay the source of
// truth and the replay log; the bus only says "topic T grew to id N" so that streams wake.
//   - A transaction that appends events sends ONE `pg_notify` right after its COMMIT, listing
//     the newest id of each topic it touched (and the end signals it raised); a rolled-back one
//     sends nothing. Not inside the transaction: PostgreSQL serialises the commits of every
//     transaction that notified (a database-wide lock held through the commit's WAL flush), which
//     cost the hot writes a third of their throughput (README: Performance) and held the hall's
//     lock longer. A notice lost between the COMMIT and the notify (the node died there) is
//     caught by the safety-net poll below within SAFETY_POLL_MS.
//   - This node's own streams are woken right after the COMMIT, in process, without a round
//     trip through the database (and the node skips its own notifications when they come back).
//   - Each node holds one LISTEN connection. While it is down the node polls the event tables
//     itself, once per POLL_MS for all its streams, and once more when LISTEN is back; while it
//     is up, once per SAFETY_POLL_MS.
import { randomUUID } from 'node:crypto';
import type { ChannelListener, ListenHandlers } from '../db/postgres-listener.ts';
import type { PostgresStore } from '../db/postgres-store.ts';
import type { Store } from '../db/store.ts';
import { createMemoryBus, type EventBus } from './bus.ts';

export const EVENTS_CHANNEL = 'cloud_hall_events';
/** PostgreSQL refuses payloads of 8,000 bytes or more; a bigger batch goes as several. */
const MAX_PAYLOAD_BYTES = 7_900;
export const POLL_MS = 2_000;
/** While LISTEN is in force: the poll that catches a notice lost to a node dying after COMMIT. */
export const SAFETY_POLL_MS = 5_000;
/**
 * Ids come from sequences, handed out at INSERT and committed in any order across topics: a row
 * with a lower id may become visible after a higher one was read. The poll re-reads this many
 * ids below the newest it saw, and wakes a topic only for an id it has not woken it for yet.
 */
const LOOKBACK_IDS = 1_000;
const POLL_BATCH = 1_000;

const SOURCES = [
	{ table: 'queue_events', column: 'hall_id', prefix: 'hall' },
	{ table: 'session_events', column: 'session_id', prefix: 'session' },
	{ table: 'case_events', column: 'case_id', prefix: 'case' }
] as const;

/** A notification: the sending node, the newest id per topic, the end keys. */
interface Notice {
	n: string;
	p?: [string, number][];
	e?: string[];
}

interface Pending {
	topics: Map<string, number>;
	ends: Set<string>;
}

export type CrossNodeMode = 'idle' | 'listening' | 'polling';

export interface PostgresBus extends EventBus {
	/** idle: no stream open here; listening: LISTEN in force; polling: LISTEN lost, polling */
	readonly mode: CrossNodeMode;
	readonly nodeId: string;
	close(): Promise<void>;
}

/** Splits what one transaction announces into payloads under PostgreSQL's limit. */
export function noticePayloads(nodeId: string, pending: Pending): string[] {
	const payloads: string[] = [];
	let current: Notice = { n: nodeId };
	let size = JSON.stringify(current).length;
	const push = (field: 'p' | 'e', item: [string, number] | string) => {
		const cost = Buffer.byteLength(JSON.stringify(item)) + 8;
		if (size + cost > MAX_PAYLOAD_BYTES && (current.p || current.e)) {
			payloads.push(JSON.stringify(current));
			current = { n: nodeId };
			size = JSON.stringify(current).length;
		}
		if (field === 'p') (current.p ??= []).push(item as [string, number]);
		else (current.e ??= []).push(item as string);
		size += cost;
	};
	for (const [topic, id] of pending.topics) push('p', [topic, id]);
	for (const key of pending.ends) push('e', key);
	if (current.p || current.e) payloads.push(JSON.stringify(current));
	return payloads;
}

export function createPostgresBus(
	store: PostgresStore,
	opts: {
		listen(handlers: ListenHandlers): ChannelListener;
		log?: (message: string, fields?: Record<string, unknown>) => void;
		pollMs?: number;
		safetyPollMs?: number;
	}
): PostgresBus {
	const nodeId = randomUUID().slice(0, 8);
	const pollMs = opts.pollMs ?? POLL_MS;
	const log = opts.log ?? (() => {});
	let listener: ChannelListener | null = null;
	let pollTimer: NodeJS.Timeout | null = null;
	let mode: CrossNodeMode = 'idle';

	const local = createMemoryBus({
		onActive(active) {
			if (active) startListening();
			else void stopListening();
		}
	});

	const pendingKey = {};
	const send = async (on: Store, pending: Pending) => {
		for (const payload of noticePayloads(nodeId, pending))
			await on.run('SELECT pg_notify(?, ?)', [EVENTS_CHANNEL, payload]);
	};
	const announce = (add: (p: Pending) => void, deliverNow: () => void) => {
		const scope = store.commitScope();
		if (!scope) {
			// no transaction: the row this announces is committed already
			deliverNow();
			const pending: Pending = { topics: new Map(), ends: new Set() };
			add(pending);
			send(store, pending).catch((err: Error) =>
				log('event notify failed', { error: err.message })
			);
			return;
		}
		let pending = scope.data.get(pendingKey) as Pending | undefined;
		if (!pending) {
			const p: Pending = (pending = { topics: new Map(), ends: new Set() });
			scope.data.set(pendingKey, p);
			scope.afterCommit(() => {
				deliverLocally(p);
				send(store, p).catch((err: Error) => log('event notify failed', { error: err.message }));
			});
		}
		add(pending);
	};
	const deliverLocally = (p: Pending) => {
		for (const [topic, id] of p.topics) local.publish(topic, id);
		for (const key of p.ends) local.end(key);
	};

	const onMessage = (payload: string) => {
		let notice: Notice;
		try {
			notice = JSON.parse(payload) as Notice;
		} catch {
			return;
		}
		if (notice.n === nodeId) return; // woken already, right after our own commit
		for (const [topic, id] of notice.p ?? []) {
			noteWoken(topic, id);
			local.publish(topic, id);
		}
		for (const key of notice.e ?? []) local.end(key);
	};

	const newestSeen = new Map<string, number>(); // per table
	const wokenUpTo = new Map<string, number>(); // per topic, within the lookback window
	const noteWoken = (topic: string, id: number) => {
		if ((wokenUpTo.get(topic) ?? 0) < id) wokenUpTo.set(topic, id);
	};
	let polling: Promise<void> | null = null;
	const poll = () => (polling ??= pollOnce().finally(() => (polling = null)));
	async function pollOnce() {
		for (const s of SOURCES) {
			if (!newestSeen.has(s.table)) {
				// the first poll only notes where the log is: streams opened now replay on their own
				const row = await store.get<{ id: number | null }>(`SELECT max(id) AS id FROM ${s.table}`);
				newestSeen.set(s.table, row?.id ?? 0);
				continue;
			}
			let after = Math.max(0, (newestSeen.get(s.table) ?? 0) - LOOKBACK_IDS);
			for (;;) {
				const rows = await store.all<{ id: number; topic: string }>(
					`SELECT id, ${s.column} AS topic FROM ${s.table} WHERE id > ? ORDER BY id LIMIT ?`,
					[after, POLL_BATCH]
				);
				const newest = new Map<string, number>();
				for (const r of rows) newest.set(`${s.prefix}:${r.topic}`, r.id);
				for (const [topic, id] of newest)
					if ((wokenUpTo.get(topic) ?? 0) < id) {
						wokenUpTo.set(topic, id);
						local.publish(topic, id);
					}
				if (rows.length) {
					after = rows[rows.length - 1].id;
					newestSeen.set(s.table, Math.max(newestSeen.get(s.table) ?? 0, after));
				}
				if (rows.length < POLL_BATCH) break;
			}
		}
		// forget topics whose newest id fell out of the window: they cannot be re-read any more
		const floor = Math.min(...SOURCES.map((s) => newestSeen.get(s.table) ?? 0)) - LOOKBACK_IDS;
		if (wokenUpTo.size > 10_000)
			for (const [topic, id] of wokenUpTo) if (id < floor) wokenUpTo.delete(topic);
	}
	const safePoll = () =>
		poll().catch((err: Error) => log('event poll failed', { error: err.message }));

	let pollingEvery = 0;
	const pollEvery = (ms: number) => {
		if (pollTimer && pollingEvery === ms) return;
		if (pollTimer) clearInterval(pollTimer);
		pollingEvery = ms;
		pollTimer = setInterval(() => void safePoll(), ms);
		pollTimer.unref();
	};
	const startPolling = () => {
		mode = 'polling';
		pollEvery(pollMs);
	};
	const stopPolling = () => {
		if (pollTimer) clearInterval(pollTimer);
		pollTimer = null;
	};

	function startListening() {
		if (listener) return;
		// until LISTEN is in force, poll: a stream opened now must not wait for the connection
		startPolling();
		void safePoll();
		listener = opts.listen({
			message: onMessage,
			up() {
				pollEvery(opts.safetyPollMs ?? SAFETY_POLL_MS);
				mode = 'listening';
				// what committed while LISTEN was not in force (after a poll under way, which may
				// have read before those commits)
				void (polling ?? Promise.resolve()).catch(() => {}).then(safePoll);
			},
			down(err) {
				log('event bus lost its LISTEN connection; polling until it is back', {
					error: err.message
				});
				startPolling();
			}
		});
	}
	async function stopListening() {
		stopPolling();
		mode = 'idle';
		const l = listener;
		listener = null;
		await l?.stop();
	}

	return {
		get mode() {
			return mode;
		},
		nodeId,
		publish: (topic, id) =>
			announce(
				(p) => p.topics.set(topic, Math.max(p.topics.get(topic) ?? 0, id)),
				() => local.publish(topic, id)
			),
		subscribe: (topic, fn) => local.subscribe(topic, fn),
		end: (key) =>
			announce(
				(p) => p.ends.add(key),
				() => local.end(key)
			),
		onEnd: (key, fn) => local.onEnd(key, fn),
		close: () => stopListening()
	};
}

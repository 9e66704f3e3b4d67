// The event bus: wakes the streams of a topic when its event log grew. The event tables stay the
// source of truth and the replay log; the bus carries only (topic, id), so a stream woken for
// nothing (a rolled-back write, an event it already sent) reads nothing and goes back to sleep.
//   in one process: publish → subscribers at once, after the writing transaction committed;
//   across processes on one SQLite file: one watcher per process (./sqlite-watcher.ts);
//   across nodes (later): a PostgreSQL LISTEN/NOTIFY adapter implements the same interface.
// It also carries "end" signals (a user signed out, an account disabled): every stream that
// registered the key closes at once, without re-checking anything on a timer.
import { perConnection, type Db } from '../db/index.ts';
import { outsideTransaction, sqliteStore, sqliteWriteInProgress } from '../db/store.ts';
import { watchSqliteEvents } from './sqlite-watcher.ts';

export interface EventBus {
	/** The topic's log has grown up to `id`; delivered after the current transaction commits. */
	publish(topic: string, id: number): void;
	/** Called with the newest id each time the topic grows ('hall:*' hears every hall). */
	subscribe(topic: string, fn: (id: number) => void): () => void;
	/** Closes every stream registered under `key`: `user:<id>` or `auth:<session id>`. */
	end(key: string): void;
	onEnd(key: string, fn: () => void): () => void;
}

/** End keys: every stream of a user, or every stream of one sign-in (a browser, an API token). */
export const userKey = (userId: string) => `user:${userId}`;
export const signInKey = (sessionId: string) => `auth:${sessionId}`;

type Listener = (id: number) => void;

/** The in-memory part every adapter shares: subscribers by topic, end keys by key. */
export function createMemoryBus(opts: {
	/**
	 * While a write is open, a promise settled when it is over (committed or rolled back), else
	 * null: delivery waits for it, so a stream never reads before the rows it is woken for exist.
	 */
	writeInProgress?: () => Promise<void> | null;
	/** first and last subscriber of any topic: an adapter starts and stops listening */
	onActive?: (active: boolean) => void;
}): EventBus {
	const topics = new Map<string, Set<Listener>>();
	const ends = new Map<string, Set<() => void>>();
	let pending: { kind: 'publish' | 'end'; key: string; id: number }[] = [];
	let scheduled = false;
	let subscribers = 0;

	const flush = () => {
		// a transaction still open (the store's stay open across a rule's awaits): after it ends
		const open = opts.writeInProgress?.();
		if (open) {
			void open.then(deliver);
			return;
		}
		scheduled = false;
		const batch = pending;
		pending = [];
		for (const p of batch) {
			if (p.kind === 'end') {
				for (const fn of [...(ends.get(p.key) ?? [])]) fn();
				continue;
			}
			const wildcard = `${p.key.slice(0, p.key.indexOf(':'))}:*`;
			for (const fn of [...(topics.get(p.key) ?? []), ...(topics.get(wildcard) ?? [])]) fn(p.id);
		}
	};
	// a publish comes from inside the writing transaction: the subscribers (streams reading, a
	// dashboard recomputing) run outside its async context, as the separate work they are
	const deliver = () => outsideTransaction(flush);
	const schedule = (item: (typeof pending)[number]) => {
		pending.push(item);
		if (!scheduled) {
			scheduled = true;
			queueMicrotask(deliver);
		}
	};
	const add = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
		let set = map.get(key);
		if (!set) map.set(key, (set = new Set()));
		set.add(value);
		return () => {
			set.delete(value);
			if (!set.size) map.delete(key);
		};
	};

	return {
		publish: (topic, id) => schedule({ kind: 'publish', key: topic, id }),
		subscribe(topic, fn) {
			const remove = add(topics, topic, fn);
			if (subscribers++ === 0) opts.onActive?.(true);
			let removed = false;
			return () => {
				if (removed) return;
				removed = true;
				remove();
				if (--subscribers === 0) opts.onActive?.(false);
			};
		},
		end: (key) => schedule({ kind: 'end', key, id: 0 }),
		onEnd: (key, fn) => add(ends, key, fn)
	};
}

/**
 * The bus of a SQLite connection: in-memory delivery plus this process's watcher of the file. An
 * end signal also goes into stream_ends, where the other processes' watchers find it: a sign-out
 * in one process closes that sign-in's streams in every process sharing the file.
 */
export const eventBusOf: (db: Db) => EventBus = perConnection((db) => {
	let stop: (() => void) | null = null;
	// the ids of the end signals this process wrote: its watcher skips them. It reads a row only
	// once another connection has committed (its own commits do not move data_version), which may
	// be hours later, when new streams are open under the same key (a user signed in again).
	const own = new Set<number>();
	const local: EventBus = createMemoryBus({
		writeInProgress: () => (db.open ? sqliteWriteInProgress(db) : null),
		onActive(active) {
			if (active) stop = watchSqliteEvents(db, local, (id) => own.delete(id));
			else {
				stop?.();
				stop = null;
			}
		}
	});
	const written = { count: 0, own };
	return {
		...local,
		end(key) {
			local.end(key);
			// written after any transaction open now, as separate work (not one of its statements)
			outsideTransaction(() => void writeStreamEnd(db, key, written));
		}
	};
});

const HOUR = 3_600_000;

/** Appends an end signal once no transaction is open on the connection; prunes now and then. */
async function writeStreamEnd(
	db: Db,
	key: string,
	written: { count: number; own: Set<number> }
): Promise<void> {
	if (!db.open) return;
	const store = sqliteStore(db);
	try {
		const now = Date.now();
		const row = await store.get<{ id: number }>(
			'INSERT INTO stream_ends (key, created_at) VALUES (?, ?) RETURNING id',
			[key, now]
		);
		if (row) written.own.add(row.id);
		// a bound: with no other process sharing the file, no watcher ever passes them
		if (written.own.size > 10_000) written.own.delete(written.own.values().next().value!);
		if (++written.count % 100 === 1)
			await store.run('DELETE FROM stream_ends WHERE created_at < ?', [now - HOUR]);
	} catch {
		// best effort: this process's streams have ended; with a full disk or an older schema the
		// others' close when their next event arrives (a video or case stream checks its sign-in)
	}
}

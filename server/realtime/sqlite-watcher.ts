// Across processes sharing the SQLite file: one watcher per process. `PRAGMA data_version`
// changes only when another connection committed, and costs no table read; when it moved, the
// new rows of the event tables are read once (by id, from the primary key) and their topics
// published, so the streams of this process wake and read what is theirs. It is asked when the
// write-ahead log file changes (inotify through fs.watch: at once, and nothing while idle) and,
// as a safety net, every WATCH_MS (checking every 50 ms instead cost 0.3 % of a core idle).
// It also reads the end signals (a sign-out) other processes wrote to stream_ends, and ends the
// streams of this process under those keys.
import fs from 'node:fs';
import type { Db } from '../db/index.ts';
import type { EventBus } from './bus.ts';

export const WATCH_MS = 1000;

/** The event tables: each row's id is its SSE event id, the column names its topic. */
const SOURCES = [
	{ table: 'queue_events', column: 'hall_id', prefix: 'hall' },
	{ table: 'session_events', column: 'session_id', prefix: 'session' },
	{ table: 'case_events', column: 'case_id', prefix: 'case' }
] as const;
const BATCH = 1000;

/** `ownEnd(id)`: whether this process wrote that end signal itself (then it is skipped). */
export function watchSqliteEvents(
	db: Db,
	bus: EventBus,
	ownEnd: (id: number) => boolean = () => false
): () => void {
	const version = db.prepare<[], number>('PRAGMA data_version').pluck();
	const sources = SOURCES.map((s) => ({
		prefix: s.prefix,
		newest: db.prepare<[], number | null>(`SELECT max(id) FROM ${s.table}`).pluck(),
		after: db.prepare<[number, number], { id: number; topic: string }>(
			`SELECT id, ${s.column} AS topic FROM ${s.table} WHERE id > ? ORDER BY id LIMIT ?`
		),
		seen: 0
	}));
	// end signals another process raised (./bus.ts writes this process's own)
	const ends = (() => {
		try {
			return {
				newest: db.prepare<[], number | null>('SELECT max(id) FROM stream_ends').pluck(),
				after: db.prepare<[number, number], { id: number; key: string }>(
					'SELECT id, key FROM stream_ends WHERE id > ? ORDER BY id LIMIT ?'
				),
				seen: 0
			};
		} catch {
			return null; // a database from before migration 0031: no signals to follow
		}
	})();
	let seenVersion = version.get();
	for (const s of sources) s.seen = s.newest.get() ?? 0;
	if (ends) ends.seen = ends.newest.get() ?? 0;

	const check = () => {
		if (!db.open) return stop();
		const v = version.get();
		if (v === seenVersion) return;
		seenVersion = v;
		for (const s of sources) {
			const newest = new Map<string, number>();
			for (;;) {
				const rows = s.after.all(s.seen, BATCH);
				for (const r of rows) newest.set(r.topic, r.id);
				if (rows.length) s.seen = rows[rows.length - 1].id;
				if (rows.length < BATCH) break;
			}
			// this process's own writes come round again here: a stream woken twice reads nothing new
			for (const [topic, id] of newest) bus.publish(`${s.prefix}:${topic}`, id);
		}
		if (ends)
			for (;;) {
				const rows = ends.after.all(ends.seen, BATCH);
				// this process's own are skipped: it ended their streams when it wrote them
				for (const r of rows) if (!ownEnd(r.id)) bus.end(r.key);
				if (rows.length) ends.seen = rows[rows.length - 1].id;
				if (rows.length < BATCH) break;
			}
	};
	const safeCheck = () => {
		try {
			check();
		} catch {
			// a busy or closing database: the next round tries again
		}
	};
	const timer = setInterval(safeCheck, WATCH_MS);
	timer.unref();
	let walWatch: fs.FSWatcher | null = null;
	if (db.name !== ':memory:') {
		try {
			walWatch = fs.watch(`${db.name}-wal`, { persistent: false }, safeCheck);
			walWatch.on('error', () => walWatch?.close());
		} catch {
			// no log file to watch (yet): the timer alone
		}
	}
	function stop() {
		clearInterval(timer);
		walWatch?.close();
	}
	return stop;
}

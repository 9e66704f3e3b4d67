import { perConnection, type Db } from './index.ts';

// Which few tables a cache depends on, rather than the whole database: the change stamp
// (change-stamp.ts) moves with every row this connection writes, so a cache of sessions kept under
// it would be dropped by every ticket taken. Here TEMP triggers (this connection's only, never in
// the file, so no other process or tool needs the function they call) count this connection's
// writes to the named tables, foreign-key cascades and raw statements included; another
// connection's commit still moves PRAGMA data_version.

/** How often the triggers are checked for (a migration that rebuilds a table drops them). */
const RECHECK_MS = 1000;

interface Watch {
	count: number;
	checkedAt: number;
}

const watches = perConnection(() => new Map<string, Watch>());
const dataVersion = perConnection((db: Db) =>
	db.prepare<[], number>('PRAGMA data_version').pluck()
);

function install(db: Db, tables: readonly string[], key: string, watch: Watch): void {
	const fn = `hall_wrote_${key}`;
	const present = db
		.prepare<[string], number>(
			"SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE ? || '%'"
		)
		.pluck()
		.get(`${fn}_`);
	if (present === tables.length * 3) return;
	// missing (first use, or dropped with its table): whatever was written meanwhile is unknown
	watch.count++;
	db.function(fn, { deterministic: false }, () => {
		watch.count++;
		return null;
	});
	for (const table of tables)
		for (const op of ['INSERT', 'UPDATE', 'DELETE'])
			db.exec(
				`CREATE TEMP TRIGGER IF NOT EXISTS ${fn}_${table}_${op.toLowerCase()} AFTER ${op} ON main.${table} BEGIN SELECT ${fn}(); END`
			);
}

/** Checks the triggers at the next stamp: after migrations, which may have rebuilt a table. */
export function recheckTableWrites(db: Db): void {
	for (const watch of watches(db).values()) watch.checkedAt = -Infinity;
}

/**
 * A value that moves whenever one of these tables may have changed: another connection's commit
 * (any table: SQLite cannot say which) or this connection's write to one of them. Read outside a
 * write transaction: inside one, a row written and then rolled back has moved it already, which
 * only costs a cache one more read.
 */
export function tablesStamp(db: Db, tables: readonly string[], now = Date.now()): string {
	const key = tables.join('_');
	const byKey = watches(db);
	let watch = byKey.get(key);
	if (!watch) {
		watch = { count: 0, checkedAt: -Infinity };
		byKey.set(key, watch);
	}
	if (now - watch.checkedAt >= RECHECK_MS) {
		install(db, tables, key, watch);
		watch.checkedAt = now;
	}
	return `${dataVersion(db).get()}:${watch.count}`;
}

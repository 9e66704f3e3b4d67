import type { Store } from '../db/store.ts';

export function createHealthRepo(db: Store) {
	return {
		/**
		 * One small committed write: proves the database can still take one (SQLite: its file
		 * and WAL can grow; PostgreSQL: the server answers and accepts writes).
		 */
		async writeProbe(at: number, pid: number) {
			await db.run(
				`INSERT INTO health_probe (id, written_at, pid) VALUES (1, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at, pid = excluded.pid`,
				[at, pid]
			);
		}
	};
}

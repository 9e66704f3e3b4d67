import { perConnection, type Db } from '../db/index.ts';

export const createHealthRepo = perConnection((db: Db) => {
	const write = db.prepare(
		`INSERT INTO health_probe (id, written_at, pid) VALUES (1, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at, pid = excluded.pid`
	);
	return {
		/** One small committed write: proves the database file and its WAL can still grow. */
		writeProbe(at: number, pid: number) {
			write.run(at, pid);
		}
	};
});

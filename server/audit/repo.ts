import type { Store } from '../db/store.ts';

export interface AuditRow {
	seq: number;
	at: number;
	actor_id: string | null;
	actor_name: string | null;
	actor_role: string | null;
	ip: string | null;
	action: string;
	target_type: string | null;
	target_id: string | null;
	detail: string;
	prev_hash: string;
	hash: string;
}

export interface AuditAnchorRow {
	seq: number;
	hash: string;
	pruned_at: number;
}

export interface AuditFilter {
	actor: string | null;
	action: string | null;
	from: number | null;
	to: number | null;
	limit: number;
	beforeSeq: number | null;
}

export function createAuditRepo(db: Store) {
	return {
		last: async () =>
			(await db.get<Pick<AuditRow, 'seq' | 'hash'>>(
				'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'
			)) ?? null,
		anchor: async () =>
			(await db.get<AuditAnchorRow>('SELECT seq, hash, pruned_at FROM audit_anchor')) ?? null,
		append: async (row: AuditRow) => {
			await db.run(
				`INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_role, ip, action, target_type,
		   target_id, detail, prev_hash, hash)
		 VALUES (@seq, @at, @actor_id, @actor_name, @actor_role, @ip, @action, @target_type,
		   @target_id, @detail, @prev_hash, @hash)`,
				row as unknown as Record<string, unknown>
			);
		},
		/** rows after seq, in chain order, a page at a time (verification streams through them) */
		after: (seq: number) =>
			db.all<AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000', [seq]),
		/** the casts type the optional filters for PostgreSQL (a bare `? IS NULL` has none) */
		search: (filter: AuditFilter) =>
			db.all<AuditRow>(
				`SELECT * FROM audit_log
		 WHERE (CAST(@actor AS TEXT) IS NULL OR actor_id = @actor OR actor_name = @actor)
		   AND (CAST(@action AS TEXT) IS NULL OR action = @action OR action LIKE @action || '.%')
		   AND (CAST(@from AS BIGINT) IS NULL OR at >= @from)
		   AND (CAST(@to AS BIGINT) IS NULL OR at < @to)
		   AND (CAST(@beforeSeq AS BIGINT) IS NULL OR seq < @beforeSeq)
		 ORDER BY seq DESC LIMIT @limit`,
				filter as unknown as Record<string, unknown>
			),
		newestBefore: async (at: number) =>
			(await db.get<Pick<AuditRow, 'seq' | 'hash'>>(
				'SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1',
				[at]
			)) ?? null,
		async prune(upTo: { seq: number; hash: string }, now: number) {
			await db.run(
				`INSERT INTO audit_anchor (id, seq, hash, pruned_at) VALUES (1, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at`,
				[upTo.seq, upTo.hash, now]
			);
			return (await db.run('DELETE FROM audit_log WHERE seq <= ?', [upTo.seq])).changes;
		}
	};
}

import { perConnection, type Db } from '../db/index.ts';

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

export const createAuditRepo = perConnection((db: Db) => {
	const last = db.prepare<[], Pick<AuditRow, 'seq' | 'hash'>>(
		'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'
	);
	const anchor = db.prepare<[], AuditAnchorRow>('SELECT seq, hash, pruned_at FROM audit_anchor');
	const insert = db.prepare(
		`INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_role, ip, action, target_type,
		   target_id, detail, prev_hash, hash)
		 VALUES (@seq, @at, @actor_id, @actor_name, @actor_role, @ip, @action, @target_type,
		   @target_id, @detail, @prev_hash, @hash)`
	);
	const inOrder = db.prepare<[number], AuditRow>(
		'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000'
	);
	const search = db.prepare<AuditFilter, AuditRow>(
		`SELECT * FROM audit_log
		 WHERE (@actor IS NULL OR actor_id = @actor OR actor_name = @actor)
		   AND (@action IS NULL OR action = @action OR action LIKE @action || '.%')
		   AND (@from IS NULL OR at >= @from)
		   AND (@to IS NULL OR at < @to)
		   AND (@beforeSeq IS NULL OR seq < @beforeSeq)
		 ORDER BY seq DESC LIMIT @limit`
	);
	const newestBefore = db.prepare<[number], Pick<AuditRow, 'seq' | 'hash'>>(
		'SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1'
	);
	const setAnchor = db.prepare(
		`INSERT INTO audit_anchor (id, seq, hash, pruned_at) VALUES (1, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at`
	);
	const pruneUpTo = db.prepare('DELETE FROM audit_log WHERE seq <= ?');
	return {
		last: () => last.get() ?? null,
		anchor: () => anchor.get() ?? null,
		append: (row: AuditRow) => insert.run(row),
		/** rows after seq, in chain order, a page at a time (verification streams through them) */
		after: (seq: number) => inOrder.all(seq),
		search: (filter: AuditFilter) => search.all(filter),
		newestBefore: (at: number) => newestBefore.get(at) ?? null,
		prune(upTo: { seq: number; hash: string }, now: number) {
			setAnchor.run(upTo.seq, upTo.hash, now);
			return pruneUpTo.run(upTo.seq).changes;
		}
	};
});

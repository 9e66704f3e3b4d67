// The audit trail as admins read it: searched by person, action and hall-local dates, and as CSV.
import type { Deps } from '../deps.ts';
import { toCsv } from '../http/csv.ts';
import { toIso } from '../time.ts';
import { addDays, zonedTime } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { AuditEntryView, AuditPage, AuditQuery } from '../../shared/schemas/audit.ts';
import { requireAuditReader } from '../access/audit.ts';
import { AUDIT_ACTIONS, recordAudit } from './audit.ts';
import { createAuditRepo, type AuditRow } from './repo.ts';

function toView(deps: Deps, row: AuditRow): AuditEntryView {
	return {
		seq: row.seq,
		at: toIso(row.at, deps.config.timeZone),
		actorId: row.actor_id,
		actorName: row.actor_name,
		actorRole: row.actor_role,
		ip: row.ip,
		action: row.action,
		targetType: row.target_type,
		targetId: row.target_id,
		detail: JSON.parse(row.detail) as Record<string, unknown>
	};
}

function rows(deps: Deps, q: AuditQuery, limit: number): Promise<AuditRow[]> {
	const tz = deps.config.timeZone;
	return createAuditRepo(deps.store).search({
		actor: q.actor || null,
		action: q.action ?? null,
		from: q.from ? zonedTime(q.from, '00:00', tz) : null,
		to: q.to ? zonedTime(addDays(q.to, 1), '00:00', tz) : null,
		beforeSeq: q.before ?? null,
		limit
	});
}

export async function searchAudit(deps: Deps, admin: User, q: AuditQuery): Promise<AuditPage> {
	await requireAuditReader(deps, admin);
	const found = await rows(deps, q, q.limit + 1);
	const page = found.slice(0, q.limit);
	return {
		entries: page.map((r) => toView(deps, r)),
		next: found.length > q.limit ? page[page.length - 1].seq : null,
		actions: [...AUDIT_ACTIONS]
	};
}

const CSV_MAX_ROWS = 50_000;

/** The search as CSV (newest first, at most 50,000 rows); the export itself is audited. */
export async function auditCsv(
	deps: Deps,
	admin: User,
	q: AuditQuery
): Promise<{ filename: string; body: string }> {
	await requireAuditReader(deps, admin);
	const views = (await rows(deps, q, CSV_MAX_ROWS)).map((r) => {
		const v = toView(deps, r);
		return { ...v, detail: JSON.stringify(v.detail) };
	});
	await recordAudit(deps, {
		action: 'audit.exported',
		detail: {
			rows: views.length,
			actor: q.actor ?? null,
			filter: q.action ?? null,
			from: q.from ?? null,
			to: q.to ?? null
		}
	});
	return {
		filename: `audit-${q.from ?? 'start'}-${q.to ?? 'now'}.csv`,
		body: toCsv(
			[
				'seq',
				'at',
				'actorName',
				'actorRole',
				'actorId',
				'ip',
				'action',
				'targetType',
				'targetId',
				'detail'
			],
			views
		)
	};
}

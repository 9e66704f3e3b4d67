// 审计日志: who did what, when, from which address. Append-only and tamper-evident: each row's
// hash covers the previous row's hash and its own content. Details are masked before they are
// stored: never a password, token, code or full ID or phone number.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { lockKey } from '../db/dialect.ts';
import { maskIdNumber } from '../../shared/forms/validators.ts';
import { currentActor, type Actor } from './context.ts';
import { createAuditRepo, type AuditRow } from './repo.ts';

/** Every action the trail knows, so a search by action and the admin page list one vocabulary. */
export const AUDIT_ACTIONS = [
	'auth.login',
	'auth.login_failed',
	'auth.locked',
	'auth.logout',
	'auth.2fa_enrolled',
	'auth.2fa_failed',
	'auth.recovery_code_used',
	'account.registered',
	'account.staff_created',
	'account.disabled',
	'account.enabled',
	'account.password_reset',
	'account.role_changed',
	'account.2fa_reset',
	'org_unit.contact_changed',
	'pii.revealed',
	'case.accepted',
	'case.forwarded',
	'case.approved',
	'case.rejected',
	'case.returned',
	'case.completed',
	'case.material_owed',
	'document.viewed',
	'document.reviewed',
	'export.csv',
	'import.catalog',
	'import.kb',
	'backup.created',
	'backup.restored',
	'audit.exported',
	'audit.pruned',
	'proxy.granted',
	'proxy.revoked',
	'proxy.acting_started',
	'proxy.acting_ended',
	'home_visit.accepted',
	'home_visit.scheduled',
	'home_visit.consented',
	'home_visit.ticket_started',
	'account.department_set',
	'life_event.published',
	'kb.question_linked',
	'kb.faq_from_question',
	'kb.question_off_topic'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
	action: AuditAction;
	target?: { type: string; id: string | null };
	detail?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

const SECRET_KEY = /pass|token|secret|code$|otp|authorization|cookie/i;
const ID_NUMBER = /\b\d{17}[\dXx]\b/g;
const PHONE = /\b1\d{10}\b/g;

/** Details are stored only after this: secrets dropped, ID and phone numbers masked. */
export function maskDetail(detail: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(detail)) {
		if (SECRET_KEY.test(k)) continue;
		out[k] =
			typeof v === 'string'
				? v
						.replace(ID_NUMBER, (m) => maskIdNumber(m))
						.replace(PHONE, (m) => `${m.slice(0, 3)}****${m.slice(7)}`)
				: v;
	}
	return out;
}

/**
 * A proxy acting for someone (代办) is the actor; the applicant they acted for goes with the
 * entry, so the trail says both (issue 23 item 3).
 */
function withActingFor(detail: Record<string, unknown>, actor: Actor): Record<string, unknown> {
	const acting = actor.actingFor;
	if (!acting) return detail;
	return {
		...detail,
		actingFor: acting.applicant.id,
		actingForName: acting.applicant.name,
		proxyGrant: acting.grantId
	};
}

type Unsealed = Omit<AuditRow, 'hash'>;

/** The hash of one row: its predecessor's hash and every stored column, in a fixed order. */
export function hashRow(row: Unsealed): string {
	const content = JSON.stringify([
		row.seq,
		row.at,
		row.actor_id,
		row.actor_name,
		row.actor_role,
		row.ip,
		row.action,
		row.target_type,
		row.target_id,
		row.detail
	]);
	return createHash('sha256').update(`${row.prev_hash}\n${content}`).digest('hex');
}

/** The advisory lock every appender holds from reading the chain's head to its commit. */
const CHAIN_LOCK = 'audit-chain';

/**
 * Appends one entry. Runs under the write lock (nested inside the caller's transaction when
 * there is one, so a case decision and its audit row commit or roll back together). On
 * PostgreSQL the `audit-chain` lock is taken before the head is read, so two writers never both
 * extend the same row (README: PostgreSQL); callers take it last, so it is held only from the
 * append to their commit.
 */
export async function recordAudit(
	deps: Deps,
	entry: AuditEntry,
	actor: Actor = currentActor()
): Promise<void> {
	await deps.store.transaction(async (tx) => {
		await lockKey(tx, CHAIN_LOCK);
		const repo = createAuditRepo(tx);
		const last = (await repo.last()) ?? (await repo.anchor());
		const row: Unsealed = {
			seq: (last?.seq ?? 0) + 1,
			at: deps.now(),
			actor_id: actor.user?.id ?? null,
			actor_name: actor.user?.name ?? null,
			actor_role: actor.user?.role ?? (actor.user ? null : 'system'),
			ip: actor.ip,
			action: entry.action,
			target_type: entry.target?.type ?? null,
			target_id: entry.target?.id ?? null,
			detail: JSON.stringify(maskDetail(withActingFor(entry.detail ?? {}, actor))),
			prev_hash: last?.hash ?? GENESIS_HASH
		};
		await repo.append({ ...row, hash: hashRow(row) });
	});
}

export type ChainCheck =
	| { ok: true; rows: number; firstSeq: number | null; lastSeq: number | null }
	| { ok: false; rows: number; brokenAt: number; reason: string };

/** Walks the chain from the anchor (or the beginning) and names the first row that does not fit. */
export async function verifyAuditChain(deps: Deps): Promise<ChainCheck> {
	const repo = createAuditRepo(deps.store);
	const anchor = await repo.anchor();
	let prev = anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
	let rows = 0;
	let firstSeq: number | null = null;
	for (let page = await repo.after(prev.seq); page.length; page = await repo.after(prev.seq)) {
		for (const row of page) {
			const broken = (reason: string): ChainCheck => ({
				ok: false,
				rows,
				brokenAt: row.seq,
				reason
			});
			if (row.seq !== prev.seq + 1)
				return broken(`row ${prev.seq + 1} is missing (next is ${row.seq})`);
			if (row.prev_hash !== prev.hash)
				return broken(`row ${row.seq} does not follow row ${prev.seq}`);
			if (hashRow(row) !== row.hash)
				return broken(`row ${row.seq} was changed after it was written`);
			firstSeq ??= row.seq;
			prev = { seq: row.seq, hash: row.hash };
			rows++;
		}
	}
	// the rows before the anchor were pruned on purpose; the oldest kept one still links to it
	return { ok: true, rows, firstSeq, lastSeq: rows ? prev.seq : null };
}

/** Months kept (AUDIT_RETENTION_MONTHS); older rows are pruned, leaving an anchor. */
export async function pruneAudit(deps: Deps): Promise<number> {
	const months = deps.config.auditRetentionMonths;
	const cutoff = new Date(deps.now());
	cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
	return deps.store.transaction(async (tx) => {
		// first: the anchor, the deletion and the nested append (which takes it again) as one
		await lockKey(tx, CHAIN_LOCK);
		const repo = createAuditRepo(tx);
		const newestOld = await repo.newestBefore(cutoff.getTime());
		if (!newestOld) return 0;
		const pruned = await repo.prune(newestOld, deps.now());
		await recordAudit(
			{ ...deps, store: tx },
			{ action: 'audit.pruned', detail: { rows: pruned, upToSeq: newestOld.seq, months } },
			{ user: null, ip: null }
		);
		return pruned;
	});
}

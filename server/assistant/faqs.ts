// The knowledge base's standalone entries (FAQs), edited by admins one by one or imported from
// JSONL all-or-nothing (`npm run kb:import`, or the admin page).
import { recordAudit } from '../audit/audit.ts';
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { AppError } from '../http/errors.ts';
import type { KbEntry, KbEntryInput, KbImportReport } from '../../shared/schemas/assistant.ts';
import { parseKbJsonl } from '../../shared/schemas/kb.ts';
import { createAssistantRepo, type KbEntryRow } from './repo.ts';
import { rebuildKbSoon } from './kb.ts';

function toEntry(row: KbEntryRow): KbEntry {
	return {
		id: row.id,
		title: row.title,
		body: row.body,
		tags: JSON.parse(row.tags) as string[],
		serviceCode: row.service_code,
		updatedAt: row.updated_at
	};
}

function hashOf(e: { title: string; body: string; tags: string[]; serviceCode: string | null }) {
	return createHash('sha256')
		.update(
			JSON.stringify([e.title.normalize('NFC'), e.body.normalize('NFC'), e.tags, e.serviceCode])
		)
		.digest('hex');
}

export async function listFaqs(deps: Deps): Promise<KbEntry[]> {
	return (await createAssistantRepo(deps.store).listEntries()).map(toEntry);
}

type Upsert = {
	id: string;
	title: string;
	body: string;
	tags: string[];
	serviceCode: string | null;
};

/**
 * Writes one entry unless it is unchanged; 'created' | 'updated' | 'unchanged'. On the deps'
 * store, which may be an open transaction (the caller rebuilds the index after it).
 */
export async function writeFaqEntry(deps: Deps, by: string | null, e: Upsert) {
	const repo = createAssistantRepo(deps.store);
	const hash = hashOf(e);
	const existing = await repo.findEntry(e.id);
	if (existing?.content_hash === hash) return 'unchanged' as const;
	await repo.upsertEntry({
		id: e.id,
		title: e.title.normalize('NFC'),
		body: e.body.normalize('NFC'),
		tags: JSON.stringify(e.tags),
		service_code: e.serviceCode,
		content_hash: hash,
		updated_by: by,
		now: deps.now()
	});
	return existing ? ('updated' as const) : ('created' as const);
}

export async function putFaq(
	deps: Deps,
	admin: User,
	id: string,
	input: KbEntryInput
): Promise<KbEntry> {
	const entry = await deps.store.transaction(async (tx) => {
		const repo = createAssistantRepo(tx);
		const serviceCode = input.serviceCode ?? null;
		if (serviceCode && !(await repo.serviceCodes()).has(serviceCode))
			throw AppError.validation({ serviceCode: 'no service item has this code' });
		await writeFaqEntry({ ...deps, store: tx }, admin.id, { id, ...input, serviceCode });
		return toEntry((await repo.findEntry(id))!);
	});
	// after the transaction returned, not inside it
	void rebuildKbSoon(deps.store);
	return entry;
}

export async function deleteFaq(deps: Deps, id: string): Promise<void> {
	if (!(await createAssistantRepo(deps.store).deleteEntry(id)))
		throw AppError.notFound('Knowledge-base entry');
	void rebuildKbSoon(deps.store);
}

/**
 * All-or-nothing: every line is checked (JSON, fields, duplicate ids, known service codes)
 * before anything is written; one bad line and nothing is imported.
 */
export async function importFaqs(
	deps: Deps,
	by: string | null,
	content: string
): Promise<KbImportReport> {
	const parsed = parseKbJsonl(content);
	const lines = content
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.map((text, i) => ({ text, line: i + 1 }))
		.filter((l) => l.text.trim() !== '');
	return deps.store.transaction(async (tx) => {
		const codes = await createAssistantRepo(tx).serviceCodes();
		const rejected = parsed.ok ? [] : [...parsed.errors];
		// checks against the database, on every line that is an object (even in a bad file, so
		// the report is complete)
		for (const { text, line } of lines) {
			let value: unknown;
			try {
				value = JSON.parse(text);
			} catch {
				continue;
			}
			const { id, serviceCode, en, paraphrases } = (value ?? {}) as {
				id?: unknown;
				serviceCode?: unknown;
				en?: unknown;
				paraphrases?: unknown;
			};
			// linked questions come from the learning queue, not from an import
			if (paraphrases !== undefined)
				rejected.push({
					line,
					field: 'paraphrases',
					message: 'linked questions are added in the learning queue'
				});
			// an item's English comes from the catalog (its nameEn); FAQs have none yet
			if (en !== undefined)
				rejected.push({
					line,
					field: 'en',
					message: 'English text is kept for service items only'
				});
			if (typeof id === 'string' && id.startsWith('service:'))
				rejected.push({ line, field: 'id', message: 'service: is reserved for service items' });
			if (typeof serviceCode === 'string' && serviceCode && !codes.has(serviceCode))
				rejected.push({ line, field: 'serviceCode', message: 'no service item has this code' });
		}
		if (!lines.length) rejected.push({ line: 1, field: '', message: 'has no entries' });
		rejected.sort((a, b) => a.line - b.line);
		const report: KbImportReport = {
			applied: false,
			total: lines.length,
			created: 0,
			updated: 0,
			unchanged: 0,
			rejected
		};
		if (rejected.length || !parsed.ok) return report;
		for (const e of parsed.entries)
			report[
				await writeFaqEntry({ ...deps, store: tx }, by, {
					id: e.id,
					title: e.title,
					body: e.body,
					tags: e.tags ?? [],
					serviceCode: e.serviceCode ?? null
				})
			]++;
		report.applied = true;
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'import.kb',
				detail: {
					total: report.total,
					created: report.created,
					updated: report.updated,
					unchanged: report.unchanged
				}
			}
		);
		return report;
	});
}

/** The same, for the API: a rejected file is a 422 whose fields name "line N.field". */
export async function importFaqsOrReject(
	deps: Deps,
	by: string,
	content: string
): Promise<KbImportReport> {
	const report = await importFaqs(deps, by, content);
	if (report.applied) {
		void rebuildKbSoon(deps.store);
		return report;
	}
	const fields: Record<string, string> = {};
	for (const r of report.rejected) fields[`line ${r.line}.${r.field}`] ??= r.message;
	throw new AppError(
		422,
		'import_rejected',
		`${new Set(report.rejected.map((r) => r.line)).size} lines are invalid; nothing was imported`,
		{ fields }
	);
}

// The live knowledge base: every service item (name, guide, materials, fee, time limit) and
// every standalone FAQ entry, indexed in memory. The index is rebuilt when kb_version (bumped
// by triggers on the catalog and FAQ tables) moves past the version it was built from, so an
// edit made by any process reaches every process on its next question.
import type { Db } from '../db/index.ts';
import { buildIndex, normalizeText, type KbEntry, type KbIndex } from './retrieval/index.ts';
import { serviceToKbEntry } from './retrieval/service-entry.ts';
import { createAssistantRepo, type KbItemRow } from './repo.ts';

export interface LiveKb {
	version: number;
	index: KbIndex;
	/** service item by code (the entries' serviceCode) */
	items: Map<string, KbItemRow>;
	/** everything the knowledge base says about an item (its entry and FAQs), normalised */
	aboutItem: Map<string, string>;
}

const cache = new WeakMap<Db, LiveKb>();

export function itemEntry(row: KbItemRow): KbEntry {
	return serviceToKbEntry({
		code: row.code,
		name: row.name,
		description: row.description,
		keywords: row.keywords ? row.keywords.split(' ').filter(Boolean) : [],
		materials: (
			JSON.parse(row.materials) as { name: string; description: string; required: number }[]
		).map((m) => ({ name: m.name, description: m.description, required: m.required === 1 })),
		feeFen: row.fee_fen,
		timeLimitDays: row.time_limit_days,
		departmentName: row.dept_name,
		channels: [
			...(row.channel_video ? (['video'] as const) : []),
			...(row.channel_onsite ? (['onsite'] as const) : [])
		]
	});
}

/** Every entry of the hall's knowledge base, items first. */
export function kbEntries(db: Db): { entries: KbEntry[]; items: KbItemRow[] } {
	const repo = createAssistantRepo(db);
	const items = repo.kbItems();
	const faqs = repo.listEntries().map((r): KbEntry => ({
		id: r.id,
		title: r.title,
		body: r.body,
		tags: JSON.parse(r.tags) as string[],
		...(r.service_code ? { serviceCode: r.service_code } : {})
	}));
	return { entries: [...items.map(itemEntry), ...faqs], items };
}

export function liveKb(db: Db): LiveKb {
	const version = createAssistantRepo(db).version();
	const cached = cache.get(db);
	if (cached && cached.version === version) return cached;
	// read entries and version in one snapshot, so a concurrent edit is not half-seen
	const fresh = db.transaction(() => {
		const v = createAssistantRepo(db).version();
		const { entries, items } = kbEntries(db);
		const aboutItem = new Map<string, string>();
		for (const e of entries)
			if (e.serviceCode) {
				const text = normalizeText(`${e.title} ${(e.tags ?? []).join(' ')} ${e.body}`);
				aboutItem.set(e.serviceCode, `${aboutItem.get(e.serviceCode) ?? ''} ${text}`);
			}
		return {
			version: v,
			index: buildIndex(entries),
			items: new Map(items.map((i) => [i.code, i])),
			aboutItem
		};
	})();
	cache.set(db, fresh);
	return fresh;
}

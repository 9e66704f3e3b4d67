// The live knowledge base: every service item (name, guide, materials, fee, time limit) and
// every standalone FAQ entry, indexed in memory. The index is rebuilt when kb_version (bumped
// by triggers on the catalog and FAQ tables) moves past the version it was built from: in the
// background, right after an edit in this process or at the next question after an edit by
// another, and swapped in when done; questions meanwhile are answered from the previous index.
import type { Db } from '../db/index.ts';
import {
	buildIndex,
	buildIndexSteps,
	normalizeText,
	type KbEntry,
	type KbIndex
} from './retrieval/index.ts';
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

/** The knowledge base's content at one version, read in one snapshot (never half an edit). */
function readKb(db: Db) {
	return db.transaction(() => {
		const version = createAssistantRepo(db).version();
		const { entries, items } = kbEntries(db);
		const aboutItem = new Map<string, string>();
		for (const e of entries)
			if (e.serviceCode) {
				const text = normalizeText(`${e.title} ${(e.tags ?? []).join(' ')} ${e.body}`);
				aboutItem.set(e.serviceCode, `${aboutItem.get(e.serviceCode) ?? ''} ${text}`);
			}
		return { version, entries, items: new Map(items.map((i) => [i.code, i])), aboutItem };
	})();
}

/** A build in the background gives the process back after this long, so requests go on. */
const SLICE_MS = 8;

/**
 * Builds the index of the current content in slices of a few milliseconds (the process keeps
 * answering in between), then swaps it in; an edit made meanwhile starts another build.
 */
async function rebuild(db: Db): Promise<void> {
	// never on the path of the request that asked for it (an edit): it starts once that is done
	await new Promise((resolve) => setImmediate(resolve));
	if (!db.open) return;
	for (;;) {
		const { entries, ...content } = readKb(db);
		const build = buildIndexSteps(entries);
		let step = build.next();
		let sliceStart = performance.now();
		while (!step.done) {
			if (performance.now() - sliceStart >= SLICE_MS) {
				await new Promise((resolve) => setImmediate(resolve));
				if (!db.open) return;
				sliceStart = performance.now();
			}
			step = build.next();
		}
		const current = cache.get(db);
		if (!current || current.version < content.version)
			cache.set(db, { ...content, index: step.value });
		if (!db.open || createAssistantRepo(db).version() === content.version) return;
	}
}

const rebuilds = new WeakMap<Db, Promise<void>>();

/**
 * Starts a background build unless one is running (which looks at the version again when it
 * ends). Called after an edit in this process, and by a question that finds the version moved
 * (an edit by another process).
 */
export function rebuildKbSoon(db: Db): Promise<void> {
	let running = rebuilds.get(db);
	if (!running) {
		running = rebuild(db)
			// a failed build (the database closed under it) leaves the previous index; the next
			// question that finds the version moved tries again
			.catch(() => {})
			.finally(() => rebuilds.delete(db));
		rebuilds.set(db, running);
	}
	return running;
}

/** Resolves once the index answers from the current content (tests, scripts). */
export async function kbUpToDate(db: Db): Promise<void> {
	while (cache.get(db)?.version !== createAssistantRepo(db).version()) await rebuildKbSoon(db);
}

/**
 * The knowledge base to answer from. Only the very first question of a process builds the
 * index on its path; after an edit the question is answered from the previous index while the
 * new one is built in the background (a build takes seconds on a big catalog).
 */
export function liveKb(db: Db): LiveKb {
	const version = createAssistantRepo(db).version();
	const cached = cache.get(db);
	if (cached) {
		if (cached.version !== version) void rebuildKbSoon(db);
		return cached;
	}
	const { entries, ...content } = readKb(db);
	const fresh = { ...content, index: buildIndex(entries) };
	cache.set(db, fresh);
	return fresh;
}

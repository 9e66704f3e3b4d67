// The live knowledge base: every service item (name, guide, materials, fee, time limit) and
// every standalone FAQ entry, indexed in memory. The index is rebuilt when kb_version (bumped
// by triggers on the catalog and FAQ tables) moves past the version it was built from: in the
// background, right after an edit in this process or at the next question after an edit by
// another, and swapped in when done; questions meanwhile are answered from the previous index.
// The index is kept per store: liveKb, rebuildKbSoon and kbUpToDate take the whole store
// (deps.store) and are called outside any transaction, since a build started from inside one
// would run in its async context (its queries would count as nested in it).
import type { Store } from '../db/store.ts';
import {
	buildIndex,
	buildIndexSteps,
	normalizeText,
	type KbEntry,
	type KbIndex
} from './retrieval/index.ts';
import { serviceToKbEntry } from './retrieval/service-entry.ts';
import type { KbEntryInput } from '../../shared/schemas/kb.ts';
import { createAssistantRepo, type KbItemRow } from './repo.ts';

export interface LiveKb {
	version: number;
	index: KbIndex;
	/** service item by code (the entries' serviceCode) */
	items: Map<string, KbItemRow>;
	/** everything the knowledge base says about an item (its entry and FAQs), normalised */
	aboutItem: Map<string, string>;
}

const cache = new WeakMap<Store, LiveKb>();

export function itemEntry(row: KbItemRow): KbEntry {
	return serviceToKbEntry({
		code: row.code,
		name: row.name,
		nameEn: row.name_en,
		description: row.description,
		keywords: row.keywords ? row.keywords.split(' ').filter(Boolean) : [],
		materials: (
			JSON.parse(row.materials) as { name: string; description: string; required: number }[]
		).map((m) => ({ name: m.name, description: m.description, required: m.required === 1 })),
		feeFen: row.fee_fen,
		timeLimitDays: row.time_limit_days,
		departmentName: row.dept_name,
		departmentNameEn: row.dept_name_en,
		channels: [
			...(row.channel_video ? (['video'] as const) : []),
			...(row.channel_onsite ? (['onsite'] as const) : [])
		]
	});
}

/** The entries as written (items first, then FAQs) and the questions staff linked to each. */
async function kbContent(store: Store) {
	const repo = createAssistantRepo(store);
	const items = await repo.kbItems();
	const faqs = (await repo.listEntries()).map((r): KbEntry => ({
		id: r.id,
		title: r.title,
		body: r.body,
		tags: JSON.parse(r.tags) as string[],
		...(r.service_code ? { serviceCode: r.service_code } : {})
	}));
	const paraphrases = new Map<string, string[]>();
	for (const p of await repo.paraphrases())
		paraphrases.set(p.entry_id, [...(paraphrases.get(p.entry_id) ?? []), p.text]);
	return { entries: [...items.map(itemEntry), ...faqs], items, paraphrases };
}

/** Every entry of the hall's knowledge base, items first, as the index takes them. */
export async function kbEntries(store: Store): Promise<{ entries: KbEntry[]; items: KbItemRow[] }> {
	const { entries, items, paraphrases } = await kbContent(store);
	// questions staff linked to an entry (the learning queue) are indexed with it, as its tags:
	// what citizens asked in their own words finds the entry they meant
	const withParaphrases = (e: KbEntry): KbEntry =>
		paraphrases.has(e.id) ? { ...e, tags: [...(e.tags ?? []), ...paraphrases.get(e.id)!] } : e;
	return { entries: entries.map(withParaphrases), items };
}

/** The knowledge base as a KB file holds it (`npm run kb:export`): linked questions apart. */
export async function kbFileEntries(store: Store): Promise<KbEntryInput[]> {
	const { entries, paraphrases } = await kbContent(store);
	return entries.map((e) =>
		paraphrases.has(e.id) ? { ...e, paraphrases: paraphrases.get(e.id)! } : e
	);
}

/** The knowledge base's content at one version, read in one snapshot (never half an edit). */
function readKb(store: Store) {
	return store.snapshot(async (tx) => {
		const version = await createAssistantRepo(tx).version();
		const { entries, items } = await kbEntries(tx);
		const aboutItem = new Map<string, string>();
		for (const e of entries)
			if (e.serviceCode) {
				const text = normalizeText(`${e.title} ${(e.tags ?? []).join(' ')} ${e.body}`);
				aboutItem.set(e.serviceCode, `${aboutItem.get(e.serviceCode) ?? ''} ${text}`);
			}
		return { version, entries, items: new Map(items.map((i) => [i.code, i])), aboutItem };
	});
}

/** A build in the background gives the process back after this long, so requests go on. */
const SLICE_MS = 8;

/**
 * Builds the index of the current content in slices of a few milliseconds (the process keeps
 * answering in between), then swaps it in; an edit made meanwhile starts another build. Once
 * the database is closed, its next query throws and the build ends (rebuildKbSoon keeps the
 * previous index).
 */
async function rebuild(store: Store): Promise<void> {
	// never on the path of the request that asked for it (an edit): it starts once that is done
	await new Promise((resolve) => setImmediate(resolve));
	for (;;) {
		const { entries, ...content } = await readKb(store);
		const build = buildIndexSteps(entries);
		let step = build.next();
		let sliceStart = performance.now();
		while (!step.done) {
			if (performance.now() - sliceStart >= SLICE_MS) {
				await new Promise((resolve) => setImmediate(resolve));
				sliceStart = performance.now();
			}
			step = build.next();
		}
		if (held) await held.promise;
		const current = cache.get(store);
		if (!current || current.version < content.version)
			cache.set(store, { ...content, index: step.value });
		if ((await createAssistantRepo(store).version()) === content.version) return;
	}
}

const rebuilds = new WeakMap<Store, Promise<void>>();

let held: { promise: Promise<void>; release: () => void } | null = null;

/**
 * Tests: background builds finish but do not swap their index in until the returned function
 * is called, so "answered from the previous index during a rebuild" holds however fast the
 * engine reads (a PostgreSQL round trip lets a small build finish between two questions).
 */
export function holdKbRebuilds(): () => void {
	let release!: () => void;
	const promise = new Promise<void>((resolve) => (release = resolve));
	const hold = { promise, release };
	held = hold;
	return () => {
		if (held === hold) held = null;
		hold.release();
	};
}

/**
 * Starts a background build unless one is running (which looks at the version again when it
 * ends). Called after an edit in this process, and by a question that finds the version moved
 * (an edit by another process). Never from inside a transaction (the build would run in its
 * async context): call it once the transaction returned.
 */
export function rebuildKbSoon(store: Store): Promise<void> {
	let running = rebuilds.get(store);
	if (!running) {
		running = rebuild(store)
			// a failed build (the database closed under it) leaves the previous index; the next
			// question that finds the version moved tries again
			.catch(() => {})
			.finally(() => rebuilds.delete(store));
		rebuilds.set(store, running);
	}
	return running;
}

/** Resolves once the index answers from the current content (tests, scripts). */
export async function kbUpToDate(store: Store): Promise<void> {
	while (cache.get(store)?.version !== (await createAssistantRepo(store).version()))
		await rebuildKbSoon(store);
}

/** The first build of a store's index, shared by the questions that arrive while it runs. */
const firstBuilds = new WeakMap<Store, Promise<LiveKb>>();

/**
 * The knowledge base to answer from. Only the very first question of a process builds the
 * index on its path; after an edit the question is answered from the previous index while the
 * new one is built in the background (a build takes seconds on a big catalog). Takes the
 * whole store, outside any transaction (it may start a background build).
 */
export async function liveKb(store: Store): Promise<LiveKb> {
	const version = await createAssistantRepo(store).version();
	const cached = cache.get(store);
	if (cached) {
		if (cached.version !== version) void rebuildKbSoon(store);
		return cached;
	}
	let first = firstBuilds.get(store);
	if (!first) {
		first = readKb(store)
			.then(({ entries, ...content }) => {
				const fresh = { ...content, index: buildIndex(entries) };
				// a background build may have swapped in a newer one meanwhile
				const current = cache.get(store);
				if (current && current.version >= fresh.version) return current;
				cache.set(store, fresh);
				return fresh;
			})
			.finally(() => firstBuilds.delete(store));
		firstBuilds.set(store, first);
	}
	return first;
}

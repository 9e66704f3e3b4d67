// The library alternative (`kb:eval -- --engine minisearch`): MiniSearch's BM25+ with the same
// analysis (analyze.ts), the same query expansion (query.ts), the same field boosts and the
// same confidence rule, so the comparison is about the ranking. MiniSearch adds up every term
// of a query, so a concept's synonyms add up too (the default engine takes the best one).
// Figures in data/kb/README.md.
import MiniSearch from 'minisearch';
import { analyze, type Analyzed } from './analyze.ts';
import { FIELDS, idf } from './bm25.ts';
import { withAspects } from './aspects.ts';
import { confidenceOf } from './confidence.ts';
import { conceptTerms, queryConcepts, termKey } from './query.ts';
import type { KbEntry, KbIndex, Match, SearchOptions } from './types.ts';

function keys(a: Analyzed): string[] {
	return [
		...a.words.map((t) => termKey('w', t)),
		...a.bigrams.map((t) => termKey('b', t)),
		...a.unigrams.map((t) => termKey('u', t))
	];
}

export function buildMiniSearchIndex(entries: readonly KbEntry[]): KbIndex {
	const byId = new Map<string, KbEntry>();
	for (const e of entries) {
		if (byId.has(e.id)) throw new Error(`duplicate knowledge-base id: ${e.id}`);
		byId.set(e.id, e);
	}
	const ms = new MiniSearch<KbEntry>({
		fields: ['title', 'tags', 'body'],
		storeFields: [],
		extractField: (doc, field) =>
			field === 'tags' ? (doc.tags ?? []).join(' ') : String(doc[field as keyof KbEntry] ?? ''),
		tokenize: (text) => keys(analyze(text)),
		processTerm: (term) => term
	});
	ms.addAll(entries);

	// for the confidence (MiniSearch keeps these privately): each entry's terms and headline
	// terms, and document frequencies
	const n = entries.length;
	const termsOf = new Map<string, { all: Set<string>; head: Set<string> }>();
	const df = new Map<string, number>();
	for (const e of entries) {
		const head = new Set(keys(analyze(`${e.title} ${(e.tags ?? []).join(' ')}`)));
		const all = new Set([...head, ...keys(analyze(e.body))]);
		for (const k of all) df.set(k, (df.get(k) ?? 0) + 1);
		termsOf.set(e.id, { all, head });
	}
	const boost = Object.fromEntries(FIELDS.map((f) => [f.name, f.weight]));

	// the same aspect routing as the default engine (aspects.ts)
	return withAspects({
		size: n,
		get: (id) => byId.get(id),
		search(question: string, opts: SearchOptions = {}): Match[] {
			const limit = Math.max(1, opts.limit ?? 5);
			const concepts = queryConcepts(question, (key) => df.has(key));
			const weight = conceptTerms(concepts);
			if (!weight.size) return [];
			const results = ms.search([...weight.keys()].join(' '), {
				boost,
				boostTerm: (term) => weight.get(term) ?? 1,
				combineWith: 'OR',
				prefix: false,
				fuzzy: false,
				tokenize: (s) => s.split(' '),
				processTerm: (t) => t,
				filter:
					opts.serviceCode === undefined
						? undefined
						: (r) => byId.get(r.id)?.serviceCode === opts.serviceCode
			});
			return results.slice(0, limit).map((r) => {
				const t = termsOf.get(r.id)!;
				return {
					id: String(r.id),
					score: r.score,
					confidence: confidenceOf(concepts, {
						idf: (key) => {
							const f = df.get(key);
							return f === undefined ? undefined : idf(n, f);
						},
						unseenIdf: idf(n, 0),
						inEntry: (key) => t.all.has(key),
						inHeadline: (key) => t.head.has(key)
					})
				};
			});
		}
	});
}

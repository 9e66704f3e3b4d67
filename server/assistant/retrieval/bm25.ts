// The default engine: BM25F over title, tags and body, in memory. Each entry's per-term weight
// (length-normalised, saturated) does not depend on the question, so it is computed once at
// build time; a search only adds up weight × idf × query-term weight along the postings.
import { analyze, type TermKind } from './analyze.ts';
import { confidenceOf } from './confidence.ts';
import { withAspects } from './aspects.ts';
import { serviceWords } from './gov-terms.ts';
import { addUserWords } from './segment.ts';
import { conceptTerms, queryConcepts, termKey, type QueryTerm } from './query.ts';
import type { KbEntry, KbIndex, Match, SearchOptions } from './types.ts';

/** BM25F parameters: field weights (title > tags > body), length normalisation, saturation. */
export const FIELDS = [
	{ name: 'title', weight: 3, b: 0.5 },
	{ name: 'tags', weight: 2, b: 0.3 },
	{ name: 'body', weight: 1, b: 0.75 }
] as const;
const K1 = 1.2;

interface Postings {
	docs: Int32Array;
	weights: Float32Array;
	idf: number;
}

function fieldTexts(e: KbEntry): string[] {
	return [e.title, (e.tags ?? []).join(' '), e.body];
}

interface FieldTerms {
	counts: Map<string, number>;
	/** words and bigrams (characters when a field has no bigram) */
	length: number;
}

function analyzeField(text: string): FieldTerms {
	const a = analyze(text);
	const counts = new Map<string, number>();
	const add = (kind: TermKind, list: string[]) => {
		for (const t of list) {
			const key = termKey(kind, t);
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
	};
	add('w', a.words);
	add('b', a.bigrams);
	add('u', a.unigrams);
	return {
		counts,
		length: a.bigrams.length + a.words.length + (a.bigrams.length ? 0 : a.unigrams.length)
	};
}

export function idf(n: number, df: number): number {
	return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Saturated BM25 weight of a pseudo term frequency. */
export function saturate(tf: number): number {
	return (tf * (K1 + 1)) / (K1 + tf);
}

export function buildBm25Index(entries: readonly KbEntry[]): KbIndex {
	const build = buildBm25Steps(entries);
	for (;;) {
		const step = build.next();
		if (step.done) return step.value;
	}
}

/**
 * The build in steps: it yields after each entry's share of the work, so a caller may build in
 * the background in slices of a few milliseconds (server/assistant/kb.ts) while the process
 * goes on answering; draining it at once is buildBm25Index.
 */
export function* buildBm25Steps(entries: readonly KbEntry[]): Generator<void, KbIndex> {
	const n = entries.length;
	// the catalog's item names and departments stay one word (jieba's user dictionary)
	addUserWords(serviceWords(entries));
	const byId = new Map<string, number>();
	entries.forEach((e, i) => {
		if (byId.has(e.id)) throw new Error(`duplicate knowledge-base id: ${e.id}`);
		byId.set(e.id, i);
	});

	// 1. term counts per field, field lengths. Catalog bodies repeat whole lines ("办理方式：视频
	// 办理、现场办理。"), and a line break always ends a run of characters, so lines are analysed
	// once each.
	const lineCache = new Map<string, FieldTerms>();
	const fieldTerms = (text: string): FieldTerms => {
		const lines = text.split('\n');
		if (lines.length === 1) return analyzeField(text);
		const counts = new Map<string, number>();
		let length = 0;
		for (const line of lines) {
			let t = lineCache.get(line);
			if (!t) lineCache.set(line, (t = analyzeField(line)));
			length += t.length;
			for (const [key, tf] of t.counts) counts.set(key, (counts.get(key) ?? 0) + tf);
		}
		return { counts, length };
	};
	const perDoc: FieldTerms[][] = [];
	for (const e of entries) {
		perDoc.push(fieldTexts(e).map(fieldTerms));
		yield;
	}
	lineCache.clear();
	const avg = FIELDS.map((_, f) =>
		Math.max(1, perDoc.reduce((s, fields) => s + fields[f].length, 0) / Math.max(1, n))
	);

	// 2. BM25F pseudo term frequency → saturated weight, grouped by term
	const lists = new Map<string, { docs: number[]; weights: number[] }>();
	for (let d = 0; d < n; d++) {
		const pseudo = new Map<string, number>();
		perDoc[d].forEach(({ counts, length }, f) => {
			const { weight, b } = FIELDS[f];
			const norm = 1 - b + (b * length) / avg[f];
			for (const [key, tf] of counts)
				pseudo.set(key, (pseudo.get(key) ?? 0) + (weight * tf) / norm);
		});
		for (const [key, tf] of pseudo) {
			let list = lists.get(key);
			if (!list) lists.set(key, (list = { docs: [], weights: [] }));
			list.docs.push(d);
			list.weights.push(saturate(tf));
		}
		yield;
	}
	const postings = new Map<string, Postings>();
	for (const [key, list] of lists)
		postings.set(key, {
			docs: Int32Array.from(list.docs),
			weights: Float32Array.from(list.weights),
			idf: idf(n, list.docs.length)
		});
	lists.clear();

	const serviceCodes = entries.map((e) => e.serviceCode);
	// headline (title and tags) terms, for the confidence
	const heads = perDoc.map(
		([title, tags]) => new Set([...title.counts.keys(), ...tags.counts.keys()])
	);
	// the title's words and bigrams with their idf, for the title coverage of the re-ranking
	const titles = perDoc.map(([title]) => {
		const keys = [...title.counts.keys()].filter((k) => k[0] !== 'u');
		const idfs = keys.map((k) => postings.get(k)?.idf ?? 0);
		return { keys, idfs, total: idfs.reduce((x, y) => x + y, 0) };
	});
	perDoc.length = 0;
	const unseenIdf = idf(n, 0);
	// scratch space of search(), reset after each call (search is synchronous, so calls never
	// interleave)
	const scores = new Float64Array(n);
	const alt = new Float64Array(n);
	const best = new Float64Array(n);
	const touched = new Int32Array(n);
	const altTouched = new Int32Array(n);
	const bestTouched = new Int32Array(n);
	const seen = new Uint8Array(n);

	const known = (key: string) => postings.has(key);

	/** Adds weight × idf × entry weight of the terms into `into`, listing new entries in `list`. */
	function accumulate(
		terms: readonly QueryTerm[],
		into: Float64Array,
		list: Int32Array,
		count: number
	): number {
		for (const t of terms) {
			const p = postings.get(t.key);
			if (!p) continue;
			const qw = t.weight * p.idf;
			const { docs, weights } = p;
			for (let i = 0; i < docs.length; i++) {
				const d = docs[i];
				if (into[d] === 0) list[count++] = d;
				into[d] += qw * weights[i];
			}
		}
		return count;
	}

	function titleCoverage(d: number, wanted: Map<string, number>): number {
		const t = titles[d];
		if (t.total <= 0) return 0;
		let s = 0;
		for (let i = 0; i < t.keys.length; i++) if (wanted.has(t.keys[i])) s += t.idfs[i];
		return s / t.total;
	}

	// the ranking, then aspect routing (aspects.ts)
	return withAspects({
		size: n,
		get: (id) => {
			const i = byId.get(id);
			return i === undefined ? undefined : entries[i];
		},
		search(question: string, opts: SearchOptions = {}): Match[] {
			const limit = Math.max(1, opts.limit ?? 5);
			const concepts = queryConcepts(question, known);
			let touchedCount = 0;
			const mark = (d: number) => {
				if (!seen[d]) {
					seen[d] = 1;
					touched[touchedCount++] = d;
				}
			};
			for (const c of concepts) {
				if (c.alternatives.length === 1) {
					// single alternative: straight into the scores (entries listed via `seen`)
					for (const t of c.alternatives[0]) {
						const p = postings.get(t.key);
						if (!p) continue;
						const qw = t.weight * p.idf;
						const { docs, weights } = p;
						for (let i = 0; i < docs.length; i++) {
							mark(docs[i]);
							scores[docs[i]] += qw * weights[i];
						}
					}
					continue;
				}
				// several alternatives: the concept scores its best one per entry
				let bestCount = 0;
				for (const terms of c.alternatives) {
					const altCount = accumulate(terms, alt, altTouched, 0);
					for (let i = 0; i < altCount; i++) {
						const d = altTouched[i];
						if (best[d] === 0) bestTouched[bestCount++] = d;
						if (alt[d] > best[d]) best[d] = alt[d];
						alt[d] = 0;
					}
				}
				for (let i = 0; i < bestCount; i++) {
					const d = bestTouched[i];
					mark(d);
					scores[d] += best[d];
					best[d] = 0;
				}
			}

			// first pass: BM25F; then the best few re-ranked by how much of their title the
			// question covers (a generic question prefers the item's own entry to a narrow FAQ)
			const pool = Math.max(limit, RERANK_POOL);
			const top = topK(touched, touchedCount, pool, (d) =>
				opts.serviceCode !== undefined && serviceCodes[d] !== opts.serviceCode ? -1 : scores[d]
			);
			const wanted = conceptTerms(concepts);
			const final = new Map(
				top.map((d) => [d, scores[d] * (1 + TITLE_BOOST * titleCoverage(d, wanted))])
			);
			top.sort((a, b) => final.get(b)! - final.get(a)! || a - b);
			const result = top.slice(0, limit).map((d) => ({
				id: entries[d].id,
				score: final.get(d)!,
				confidence: confidenceOf(concepts, {
					idf: (key) => postings.get(key)?.idf,
					unseenIdf,
					inEntry: (key) => hasDoc(postings.get(key), d),
					inHeadline: (key) => heads[d].has(key)
				})
			}));
			for (let i = 0; i < touchedCount; i++) {
				scores[touched[i]] = 0;
				seen[touched[i]] = 0;
			}
			return result;
		}
	});
}

const RERANK_POOL = 20;

/** Whether the entry is in the term's postings (sorted by entry). */
function hasDoc(p: Postings | undefined, d: number): boolean {
	if (!p) return false;
	let lo = 0;
	let hi = p.docs.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const v = p.docs[mid];
		if (v === d) return true;
		if (v < d) lo = mid + 1;
		else hi = mid - 1;
	}
	return false;
}
const TITLE_BOOST = 0.5;

/** The k best entries by `score` (negative = excluded), best first, ties by position. */
function topK(list: Int32Array, count: number, k: number, score: (d: number) => number): number[] {
	const top: number[] = [];
	const s: number[] = [];
	for (let i = 0; i < count; i++) {
		const d = list[i];
		const v = score(d);
		if (v < 0) continue;
		if (top.length === k && !(v > s[k - 1] || (v === s[k - 1] && d < top[k - 1]))) continue;
		let j = Math.min(top.length, k - 1);
		while (j > 0 && (v > s[j - 1] || (v === s[j - 1] && d < top[j - 1]))) {
			top[j] = top[j - 1];
			s[j] = s[j - 1];
			j--;
		}
		top[j] = d;
		s[j] = v;
	}
	return top;
}

// The plain reference (`kb:eval -- --engine plain`): character-bigram BM25 with nothing of ours,
// no word segmentation, synonyms, typo corrections, asking-word intents or title re-ranking. It
// is the floor issue 25 measures the engine against: what the engine adds is what it scores above
// this. One field (title, tags and body as one text); Latin words and digits count as terms.
// Confidence: the idf-weighted share of the question's distinct terms the entry contains (a term
// the KB does not know counts as the rarest possible), judged by the same threshold.
import type { KbEntry, KbIndex, Match, SearchOptions } from './types.ts';

const K1 = 1.2;
const B = 0.75;

/** NFKC, lower case; Han runs as overlapping bigrams (a lone character as itself), other letters and digits as words. */
export function plainTerms(text: string): string[] {
	const terms: string[] = [];
	const s = text.normalize('NFKC').toLowerCase();
	for (const [run] of s.matchAll(/\p{Script=Han}+|[\p{L}\p{N}]+/gu)) {
		if (!/\p{Script=Han}/u.test(run)) terms.push(run);
		else if (run.length === 1) terms.push(run);
		else for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
	}
	return terms;
}

const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export function buildPlainBm25Index(entries: readonly KbEntry[]): KbIndex {
	const byId = new Map<string, KbEntry>();
	for (const e of entries) {
		if (byId.has(e.id)) throw new Error(`duplicate knowledge-base id: ${e.id}`);
		byId.set(e.id, e);
	}
	const n = entries.length;
	const docs = entries.map((e) => {
		const terms = plainTerms([e.title, ...(e.tags ?? []), e.body].join(' '));
		const tf = new Map<string, number>();
		for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
		return { entry: e, tf, length: terms.length };
	});
	const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / (n || 1);
	const df = new Map<string, number>();
	for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
	const idfOf = (t: string) => idf(n, df.get(t) ?? 0);

	return {
		size: n,
		get: (id) => byId.get(id),
		search(question: string, opts: SearchOptions = {}): Match[] {
			const limit = Math.max(1, opts.limit ?? 5);
			const qtf = new Map<string, number>();
			for (const t of plainTerms(question)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
			if (!qtf.size) return [];
			const totalIdf = [...qtf.keys()].reduce((sum, t) => sum + idfOf(t), 0);
			const scored: Match[] = [];
			for (const d of docs) {
				if (opts.serviceCode !== undefined && d.entry.serviceCode !== opts.serviceCode) continue;
				let score = 0;
				let covered = 0;
				for (const [t, q] of qtf) {
					const f = d.tf.get(t);
					if (!f) continue;
					const w = idfOf(t);
					covered += w;
					score += q * w * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / avgLength)));
				}
				if (score > 0)
					scored.push({ id: d.entry.id, score, confidence: totalIdf ? covered / totalIdf : 0 });
			}
			// ties by id, so the ranking does not depend on the KB's order
			scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
			return scored.slice(0, limit);
		}
	};
}

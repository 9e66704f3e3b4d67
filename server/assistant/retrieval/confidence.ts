// How sure the engine is that an entry answers the question, 0..1 (compare with
// CONFIDENCE_THRESHOLD in index.ts). The geometric mean of two shares of the question's own
// terms (idf-weighted, each synonym or typo concept counted by its best spelling):
//   covered   — those the entry contains anywhere;
//   headline  — those in the entry's title or tags.
// Out-of-domain questions leave most of their terms unknown to the KB (天气, 股票), or touch an
// entry only in passing in its body (名字 in a signature FAQ); a real question names what the
// entry is about. Engine-independent, so both engines are judged by the same rule.
import type { Concept } from './query.ts';

export interface EntryTerms {
	/** idf of a term in the index, undefined when no entry has it */
	idf(key: string): number | undefined;
	/** idf given to a term no entry has (the rarest possible) */
	unseenIdf: number;
	inEntry(key: string): boolean;
	inHeadline(key: string): boolean;
}

export function confidenceOf(concepts: readonly Concept[], terms: EntryTerms): number {
	let all = 0;
	let covered = 0;
	let headline = 0;
	for (const c of concepts) {
		if (!c.original) continue;
		// what the question typed is the measure; a synonym or typo variant can at most make it
		let possible = 0;
		for (const t of c.alternatives[0]) {
			const idf = terms.idf(t.key);
			// an unknown term weighs as the rarest one, unless it is no sign of a missing topic
			possible += t.weight * (idf ?? terms.unseenIdf * (t.ifUnknown ?? 1));
		}
		let bestAny = 0;
		let bestHead = 0;
		for (const alt of c.alternatives) {
			let any = 0;
			let head = 0;
			for (const t of alt) {
				const idf = terms.idf(t.key);
				if (idf === undefined || !terms.inEntry(t.key)) continue;
				any += t.weight * idf;
				if (terms.inHeadline(t.key)) head += t.weight * idf;
			}
			bestAny = Math.max(bestAny, any);
			bestHead = Math.max(bestHead, head);
		}
		all += possible;
		covered += Math.min(possible, bestAny);
		headline += Math.min(possible, bestHead);
	}
	if (all <= 0) return 0;
	return Math.sqrt(Math.min(1, covered / all) * Math.min(1, headline / all));
}

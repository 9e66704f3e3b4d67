// How sure the engine is that an entry answers the question, 0..1 (compare with
// CONFIDENCE_THRESHOLD in index.ts). The geometric mean of two shares of the question's topic
// terms (idf-weighted, each synonym or typo concept counted by its best spelling, a synonym only
// where the entry has it whole):
//   covered   — those the entry contains anywhere;
//   headline  — those in the entry's title or tags.
// The topic is the question without its asking phrases (多少钱, 什么时候, 在哪里, 材料:
// query.ts): they say what is asked about the topic, and an entry that happens to say them too
// (灵活就业人员的社保一个月交多少钱？) does not answer 车票多少钱. A question with no topic left
// (多少钱, 需要什么材料) gets 0; follow-ups in a conversation are the service layer's business.
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
		// what the question asks (多少钱, 什么时候) is no topic: 车票多少钱 is about 车票
		if (!c.original || c.asking) continue;
		// what the question typed is the measure; a synonym or typo variant can at most make it
		let possible = 0;
		for (const t of c.alternatives[0]) {
			const idf = terms.idf(t.key);
			// an unknown term weighs as the rarest one, unless it is no sign of a missing topic
			possible += t.weight * (idf ?? terms.unseenIdf * (t.ifUnknown ?? 1));
		}
		let bestAny = 0;
		let bestHead = 0;
		c.alternatives.forEach((alt, i) => {
			let any = 0;
			let head = 0;
			let wholeInEntry = true;
			let wholeInHead = true;
			for (const t of alt) {
				const idf = terms.idf(t.key);
				if (idf === undefined || !terms.inEntry(t.key)) {
					wholeInEntry = wholeInHead = false;
					continue;
				}
				any += t.weight * idf;
				if (terms.inHeadline(t.key)) head += t.weight * idf;
				else wholeInHead = false;
			}
			// a synonym or correction counts only whole: 居民 of 居民身份证 in a title does not
			// make 身份证 the entry's topic
			if (i > 0) {
				if (!wholeInEntry) any = 0;
				if (!wholeInHead) head = 0;
			}
			bestAny = Math.max(bestAny, any);
			bestHead = Math.max(bestHead, head);
		});
		all += possible;
		covered += Math.min(possible, bestAny);
		headline += Math.min(possible, bestHead);
	}
	if (all <= 0) return 0;
	return Math.sqrt(Math.min(1, covered / all) * Math.min(1, headline / all));
}

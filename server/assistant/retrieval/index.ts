// The assistant's retrieval engine (智能问答): a pure in-memory index over the knowledge base
// (service items as text + standalone FAQs). No database, no HTTP: the caller builds the index
// from its entries, and rebuilds it when the KB version changes.
//
//   const index = buildIndex(entries);
//   const [best] = index.search('公基金咋提取');          // { id, score, confidence }
//   if (best && best.confidence >= CONFIDENCE_THRESHOLD) excerpt(index.get(best.id)!, question);
import { buildBm25Index, buildBm25Steps } from './bm25.ts';
import { withEnglishQuestions } from './english.ts';
import type { KbEntry, KbIndex } from './types.ts';

export type { KbEntry, KbIndex, Match, SearchOptions } from './types.ts';
export { tokenize, normalizeText } from './analyze.ts';
export { excerpt } from './excerpt.ts';
export { serviceToKbEntry, serviceKbId, type ServiceKbInput } from './service-entry.ts';

/**
 * Below this confidence the assistant says it does not know (and offers a human). Chosen on the
 * development set (data/kb/README.md): every out-of-domain question (dev-unanswerable and
 * asking-word-unanswerable) falls below it, while about nine in ten correctly ranked dev
 * questions stay above.
 */
export const CONFIDENCE_THRESHOLD = 0.355;

/**
 * Builds the index of the given entries (ids must be unique). The default engine (bm25.ts),
 * asked English questions by their topic words (english.ts).
 */
export function buildIndex(entries: readonly KbEntry[]): KbIndex {
	return withEnglishQuestions(buildBm25Index(entries), entries);
}

/** The same build in steps (it yields after each entry), for a build in the background. */
export function* buildIndexSteps(entries: readonly KbEntry[]): Generator<void, KbIndex> {
	return withEnglishQuestions(yield* buildBm25Steps(entries), entries);
}

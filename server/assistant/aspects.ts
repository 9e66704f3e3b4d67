// The assistant's side of aspect questions (issue 25 item 2; the engine's routing is
// retrieval/aspects.ts): an answer from an item's own entry to a question about one of its
// aspects shows that field's line (办理时限：1个工作日。), and a question that asks only an
// aspect (那要带啥东西去, 在哪办) is a follow-up on the conversation's item.
import { normalizeColloquialQuestion } from '../../shared/lexicon.ts';
import { analyzeNormalized, normalizeText } from './retrieval/analyze.ts';
import { askedAspect, aspectLine, blankAspects } from './retrieval/aspects.ts';
import { topicText } from './retrieval/query.ts';
import { serviceKbId, type KbEntry } from './retrieval/index.ts';

/** The line of an item's own entry that answers the question's aspect, if it asks one. */
export function aspectAnswer(entry: KbEntry, question: string): string | undefined {
	if (!entry.serviceCode || entry.id !== serviceKbId(entry.serviceCode)) return undefined;
	const aspect = askedAspect(question);
	return aspect && aspectLine(entry, aspect);
}

/**
 * Whether the question asks an aspect and names nothing else (那要带啥东西去, 要钱不): it can
 * only be about the item the conversation is on. 我的快递在哪里 names 快递, so it is not.
 */
export function asksOnlyAspect(question: string): boolean {
	if (!askedAspect(question)) return false;
	const normalized = normalizeText(normalizeColloquialQuestion(question));
	const a = analyzeNormalized(topicText(blankAspects(normalized)));
	return a.words.length === 0 && a.bigrams.length === 0;
}

// The part of an entry's body that answers the question: the sentence sharing the most (and the
// rarest-looking, i.e. longest) terms with it, e.g. the "所需材料：…" line for "要带什么材料".
import { analyze, normalizeText } from './analyze.ts';
import { conceptTerms, queryConcepts } from './query.ts';
import type { KbEntry } from './types.ts';

/** How much more a term of what the question asks for counts than one of its topic. */
const ASKED_FOR_BOOST = 8;

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** A short yes/no answer that opens many FAQ bodies ("可以。", "不能。") and leads any excerpt. */
const SHORT_ANSWER = /^(可以|能|不能|不可以|会|不会|不用|需要|不需要|是|不是)[。！!]$/;

function sentences(body: string): string[] {
	const out: string[] = [];
	for (const line of body.split(/\r?\n/)) {
		const parts = line.match(/[^。！？!?]+[。！？!?]*/g) ?? [];
		for (const p of parts) if (p.trim()) out.push(p.trim());
	}
	return out;
}

/** Cuts to at most `max` characters (graphemes, never inside one), ending with "…". */
function clip(text: string, max: number): string {
	const chars = Array.from(graphemes.segment(text), (s) => s.segment);
	if (chars.length <= max) return text;
	if (max <= 1) return chars.slice(0, max).join('');
	let cut = max - 1;
	// prefer to end at a clause boundary in the second half
	for (let i = cut; i > max / 2; i--)
		if (/[，；、,;：:]/.test(chars[i - 1])) {
			cut = i - 1;
			break;
		}
	return chars.slice(0, cut).join('') + '…';
}

export function excerpt(entry: KbEntry, question: string, maxChars = 120): string {
	const parts = sentences(entry.body);
	if (!parts.length) return '';
	const own = analyze(`${entry.title} ${entry.body}`);
	const vocabulary = new Set([
		...own.words.map((w) => 'w' + w),
		...own.bigrams.map((b) => 'b' + b),
		...own.unigrams.map((u) => 'u' + u)
	]);
	const concepts = queryConcepts(question, (key) => vocabulary.has(key));
	// the question's topic found the entry; what it asks for (材料, 时限, 收费) finds the line
	const wanted = conceptTerms(concepts.filter((c) => c.original));
	for (const [key, weight] of conceptTerms(concepts.filter((c) => !c.original)))
		wanted.set(key, Math.max(wanted.get(key) ?? 0, weight * ASKED_FOR_BOOST));
	let best = 0;
	let bestScore = 0;
	parts.forEach((s, i) => {
		const a = analyze(s);
		const keys = new Set([
			...a.words.map((w) => 'w' + w),
			...a.bigrams.map((b) => 'b' + b),
			...a.unigrams.map((u) => 'u' + u)
		]);
		let score = 0;
		for (const k of keys) score += wanted.get(k) ?? 0;
		// a little less for long sentences, so a focused line wins a tie
		score /= 1 + normalizeText(s).length / 200;
		if (score > bestScore) {
			bestScore = score;
			best = i;
		}
	});
	let text = parts[best];
	if (best > 0 && SHORT_ANSWER.test(parts[0])) text = parts[0] + text;
	return clip(text, maxChars);
}

// A citizen's question → weighted search terms, grouped in concepts. A concept is scored by its
// best alternative, so a word and its synonyms count once, not once per spelling:
//  - the question's own terms (each its own concept);
//  - synonyms (server/catalog/synonyms.ts): 公积金 ≈ 住房公积金, 老婆 ≈ 配偶;
//  - homophone typos (typos.ts): 公基 ≈ 公积, for a typed term the index does not know;
//  - what the question asks for: 带啥 / 要什么 → 所需材料, 多久 → 办理时限, 要钱吗 → 收费
//    (service entries state these in fixed words, service-entry.ts); a bonus, never required.
// The asking phrases themselves (多少钱, 什么时候, 在哪, 怎么办理, 材料 — the intents' patterns
// and a few more question words) still rank, but they are no topic: the confidence measures
// only the rest of the question (车票 of 车票多少钱), see `asking` below and confidence.ts.
import { SYNONYM_GROUPS } from '../../catalog/synonyms.ts';
import { normalizeColloquialQuestion } from '../../../shared/lexicon.ts';
import { analyzeNormalized, normalizeText, type Analyzed, type TermKind } from './analyze.ts';
import { homophoneVariants } from './typos.ts';

export interface QueryTerm {
	/** kind + text, e.g. "b积金" */
	key: string;
	weight: number;
	/**
	 * How much the term counts toward the confidence's measure when the index does not know it
	 * (default 1: a topic the KB lacks, 天气). 0 for a bigram across a word's edge (去签 in
	 * 去|签到, an accident of word order); ½ across single characters (话费 in 充|话|费 may be a
	 * word the segmenter lacks, 老断 in 视频|老|断 loose talk). The asking words (几天, 多少钱)
	 * do not count at all (Concept.asking).
	 */
	ifUnknown?: number;
}

export interface Concept {
	/** scored by the best alternative; alternatives[0] is what the question typed (if original) */
	alternatives: QueryTerm[][];
	/** the question's own (the confidence measures how much of these an entry covers) */
	original: boolean;
	/**
	 * Part of the question's asking phrases (多少钱, 时候 of 什么时候, 在 of 在哪里): the
	 * question's own, but not its topic, so the confidence leaves it out. An entry that says
	 * 多少钱 in its title answers 社保交多少钱, not 车票多少钱.
	 */
	asking?: boolean;
}

/** Relative weight of each kind of term. */
export const KIND_WEIGHT: Record<TermKind, number> = { w: 0.6, b: 1, u: 0.15 };
export const SYNONYM_WEIGHT = 0.75;
export const TYPO_WEIGHT = 0.8;
export const INTENT_WEIGHT = 0.5;

const INTENTS: { pattern: RegExp; terms: string }[] = [
	{
		pattern:
			/(带|拿|准备|提供|交|要|需)(啥|什么|哪些)|(啥|什么|哪些)(材料|东西|资料|证件)|要啥|材料/,
		terms: '所需材料'
	},
	{ pattern: /多久|几天|多长时间|多少天|几个工作日|啥时候|什么时候|时限|多快/, terms: '办理时限' },
	{ pattern: /多少钱|收费|收钱|要钱|交钱|花钱|掏钱|费用|免费/, terms: '收费 免费' },
	{ pattern: /哪个部门|什么部门|哪个单位|找谁|找哪/, terms: '办理部门' },
	{
		pattern: /(怎么|咋|如何|怎样|哪里|哪儿|去哪|在哪)(办理|申请|办|弄|整|上|参保)|申请|流程/,
		terms: '办理方式 办理部门'
	}
];

/**
 * Question words that ask about any topic (how much, how many, when, where, how long), beside
 * the intents' patterns. Most asking words are stop-words (怎么, 什么, 哪里), but they leave
 * parts behind: 时候 of 什么时候, 在 of 在哪里, 多少 of 尾号是多少.
 */
const QUESTION_WORDS = /多少|几|时候|哪天|在哪|去哪|到哪|哪里|哪儿|哪家|多长|多大|多远/;
const ASKING = [...INTENTS.map((i) => i.pattern), QUESTION_WORDS].map(
	(p) => new RegExp(p.source, 'g')
);

/**
 * The normalised question with its asking phrases blanked out (same length, same positions):
 * what it is about. Every pattern marks its own matches (在哪 and 哪里办 make 在哪里办).
 */
export function topicText(normalized: string): string {
	const chars = normalized.split('');
	for (const re of ASKING)
		for (const m of normalized.matchAll(re)) chars.fill(' ', m.index, m.index + m[0].length);
	return chars.join('');
}

// Synonym words (2+ characters) and their analysis, computed once.
const synonymGroups = SYNONYM_GROUPS.map((group) =>
	group.map((w) => normalizeText(w)).filter((w) => Array.from(w).length >= 2)
);
const synonymWords = synonymGroups.flatMap((group, g) => group.map((word) => ({ word, group: g })));
// Synonym words of 3+ characters typed with one homophone wrong (公基金 → 公积金).
const misspelt = new Map<string, { word: string; group: number }>();
const known3 = new Set(synonymWords.map((s) => s.word));
for (const { word, group } of synonymWords)
	if (Array.from(word).length >= 3)
		for (const v of homophoneVariants(word)) if (!known3.has(v)) misspelt.set(v, { word, group });
const misspeltLengths = [...new Set([...misspelt.keys()].map((k) => k.length))];
const analysedWords = new Map<string, Analyzed>();
function analyseOnce(text: string): Analyzed {
	let a = analysedWords.get(text);
	if (!a) analysedWords.set(text, (a = analyzeNormalized(text)));
	return a;
}

export function termKey(kind: TermKind, text: string): string {
	return kind + text;
}

export function termsOf(a: Analyzed, weight: number): QueryTerm[] {
	const out = new Map<string, QueryTerm>();
	const add = (kind: TermKind, list: string[]) => {
		for (const text of list) {
			const key = termKey(kind, text);
			if (!out.has(key)) out.set(key, { key, weight: KIND_WEIGHT[kind] * weight });
		}
	};
	add('w', a.words);
	add('b', a.bigrams);
	add('u', a.unigrams);
	for (const [set, ifUnknown] of [
		[a.joins, 0],
		[a.looseJoins, 0.5]
	] as const)
		for (const j of set) {
			const t = out.get(termKey('b', j));
			if (t) t.ifUnknown = ifUnknown;
		}
	return [...out.values()];
}

/**
 * The concepts of a question. `known` tells whether the index has a term: typo correction only
 * proposes variants the index knows, for terms the question typed that it does not.
 */
export function queryConcepts(question: string, known: (key: string) => boolean): Concept[] {
	// how citizens say it → the catalog's words (俺→我, 啥→什么, 小卖铺→个体工商户: shared/lexicon.ts)
	const normalized = normalizeText(normalizeColloquialQuestion(question));
	const concepts: Concept[] = [];
	const claimed = new Set<string>();
	const topic = topicText(normalized);
	const topicTerms = new Set(termsOf(analyzeNormalized(topic), 1).map((t) => t.key));

	// synonym groups found in the question; a match inside a longer one (社保 in 社保卡) yields
	const found: { start: number; end: number; word: string; group: number; typo?: string }[] = [];
	for (const { word, group } of synonymWords)
		for (let at = normalized.indexOf(word); at >= 0; at = normalized.indexOf(word, at + 1))
			found.push({ start: at, end: at + word.length, word, group });
	for (const length of misspeltLengths)
		for (let at = 0; at + length <= normalized.length; at++) {
			const typed = normalized.slice(at, at + length);
			const m = misspelt.get(typed);
			if (m) found.push({ start: at, end: at + length, word: m.word, group: m.group, typo: typed });
		}
	const kept = found.filter(
		(f) =>
			!found.some(
				(o) =>
					o !== f &&
					o.group !== f.group &&
					o.start <= f.start &&
					o.end >= f.end &&
					o.end - o.start > f.end - f.start
			)
	);
	for (const group of new Set(kept.map((f) => f.group))) {
		const inGroup = kept.filter((f) => f.group === group);
		const typed = [...new Set(inGroup.map((f) => f.word))];
		const others = synonymGroups[group].filter((w) => !typed.includes(w));
		// a misspelt word counts as its correction, a little less; its own terms are dropped
		for (const f of inGroup)
			if (f.typo) for (const t of termsOf(analyzeNormalized(f.typo), 1)) claimed.add(t.key);
		const typoOnly = (w: string) => inGroup.every((f) => f.word !== w || f.typo);
		const alternatives = [
			...typed.map((w) => termsOf(analyseOnce(w), typoOnly(w) ? TYPO_WEIGHT : 1)),
			// single characters of a synonym say little (公 of 老公 is not 办公)
			...others.map((w) => termsOf(analyseOnce(w), SYNONYM_WEIGHT).filter((t) => t.key[0] !== 'u'))
		].filter((a) => a.length);
		if (!alternatives.length) continue;
		for (const alt of alternatives.slice(0, typed.length)) for (const t of alt) claimed.add(t.key);
		// asking only when wholly inside the asking phrases (几点上班 is a topic, 几点 asks)
		const asking = inGroup.every((f) => !topic.slice(f.start, f.end).trim());
		concepts.push({ alternatives, original: true, ...(asking ? { asking } : {}) });
	}

	const intents = INTENTS.filter((i) => i.pattern.test(normalized));
	const own = analyzeNormalized(normalized);
	for (const t of termsOf(own, 1)) {
		if (claimed.has(t.key)) continue;
		claimed.add(t.key);
		const alternatives = [[t]];
		// (not for single characters: one mistyped character alone is too weak a clue)
		if (!known(t.key) && t.key[0] !== 'u') {
			const kind = t.key[0] as TermKind;
			for (const v of homophoneVariants(t.key.slice(1))) {
				// a two-character word may be known only as a bigram (积金 of 公|积|金)
				const key = [termKey(kind, v), termKey('b', v)].find(known);
				if (key) alternatives.push([{ key, weight: t.weight * TYPO_WEIGHT }]);
			}
		}
		// a term only of the asking phrases, or across their edge (票多 of 车票|多少钱)
		const asking = !topicTerms.has(t.key);
		concepts.push({ alternatives, original: true, ...(asking ? { asking } : {}) });
	}

	for (const { terms: text } of intents) {
		const terms = termsOf(analyseOnce(text), INTENT_WEIGHT).filter(
			(t) => t.key[0] !== 'u' && !claimed.has(t.key)
		);
		if (terms.length) concepts.push({ alternatives: [terms], original: false });
	}
	return concepts;
}

/** Every term key of the concepts, with its highest weight (for excerpts and coverage). */
export function conceptTerms(concepts: readonly Concept[]): Map<string, number> {
	const out = new Map<string, number>();
	for (const c of concepts)
		for (const alt of c.alternatives)
			for (const t of alt) out.set(t.key, Math.max(out.get(t.key) ?? 0, t.weight));
	return out;
}

// Chinese word segmentation for the analyser (analyze.ts). Two segmenters, measured against each
// other on kb:eval (data/kb/README.md, "Segmentation"):
//   intl   Intl.Segmenter (ICU's dictionary, built into Node: nothing to load);
//   jieba  @node-rs/jieba (a native module, loaded on first use) with its default dictionary and
//          a user dictionary of the hall's words (gov-terms.ts: item names, departments, terms).
// The analyser only needs words and whether each is word-like (not space or punctuation).
import { createRequire } from 'node:module';
import { GOV_TERMS } from './gov-terms.ts';

export type SegmenterName = 'intl' | 'jieba';

export interface Segment {
	segment: string;
	isWordLike?: boolean;
}

type Segmenter = (text: string) => Iterable<Segment>;

const intl = new Intl.Segmenter('zh', { granularity: 'word' });
const intlSegmenter: Segmenter = (text) => intl.segment(text);

const WORD_LIKE = /[\p{L}\p{N}]/u;

interface Jieba {
	cut(sentence: string, hmm?: boolean): string[];
	loadDict(dict: Uint8Array): void;
}
let jieba: Jieba | null = null;
/** The user dictionary's frequency: high enough that its words win over the default cuts. */
const USER_WORD_FREQ = 100000;
const userWords = new Set<string>(GOV_TERMS);

function userDict(words: Iterable<string>): Uint8Array {
	return new TextEncoder().encode([...words].map((w) => `${w} ${USER_WORD_FREQ}`).join('\n'));
}

function loadJieba(): Jieba {
	if (jieba) return jieba;
	// loaded on first use: the native module and its dictionary take ~0.2 s, which a process
	// that never analyses Chinese text (a migration, a test of something else) does not pay
	const require = createRequire(import.meta.url);
	const mod = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): Jieba } };
	const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
	jieba = mod.Jieba.withDict(dict);
	jieba.loadDict(userDict(userWords));
	return jieba;
}

/**
 * Adds words to jieba's user dictionary (the catalog's item names and departments, at index
 * build). The dictionary only grows; intl ignores it.
 */
export function addUserWords(words: Iterable<string>): void {
	const fresh = [...words].filter((w) => /^\S+$/u.test(w) && !userWords.has(w));
	for (const w of fresh) userWords.add(w);
	if (jieba && fresh.length) jieba.loadDict(userDict(fresh));
}

const jiebaSegmenter: Segmenter = (text) =>
	// HMM off: it invents words of unknown runs (想开, 卖铺); the bigrams already cover those
	loadJieba()
		.cut(text, false)
		.map((segment) => ({ segment, isWordLike: WORD_LIKE.test(segment) }));

const SEGMENTERS: Record<SegmenterName, Segmenter> = { intl: intlSegmenter, jieba: jiebaSegmenter };

let current: SegmenterName = 'intl';

/** The segmenter in use. */
export function segmenterName(): SegmenterName {
	return current;
}

/**
 * Chooses the segmenter (kb:eval --segmenter). Call before anything is analysed: indexes and
 * cached analyses made before keep the old cuts.
 */
export function useSegmenter(name: SegmenterName): void {
	current = name;
}

export function segmentWords(text: string): Iterable<Segment> {
	return SEGMENTERS[current](text);
}

// Text → index terms. Chinese has no spaces and citizens' questions are short, colloquial and
// often mistyped, so one text yields three kinds of term:
//   w  words of the segmenter (segment.ts: Intl.Segmenter or jieba), and Latin/digit words;
//   b  character bigrams of each run of Chinese characters (robust to the segmenter splitting
//      公积金 into 公|积|金, and to partial words: 执照 matches 营业执照);
//   u  single Chinese characters (a weak signal that survives one mistyped character).
// Question words and particles (怎么, 咋, 啥, 吗, 我想…) are stop-words: they are dropped and
// also cut the character runs, so no bigram spans them.

import { segmentWords } from './segment.ts';

export type TermKind = 'w' | 'b' | 'u';

const HAN = /\p{Script=Han}/u;

/** Words that carry no topic in a citizen's question (matched as whole segmenter words). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
	// asking
	'怎么',
	'怎么样',
	'怎样',
	'样',
	'怎么办',
	'如何',
	'咋',
	'咋样',
	'咋办',
	'咋整',
	'咋弄',
	'咋搞',
	'啥',
	'啥子',
	'什么',
	'什么样',
	'哪些',
	'哪个',
	'哪里',
	'哪儿',
	'哪',
	'为啥',
	'为什么',
	'请问',
	'问',
	'问问',
	'想问',
	'问一下',
	'一下',
	'是不是',
	'能不能',
	'可不可以',
	'有没有',
	'行不行',
	'对不对',
	'的话',
	// 要办啥手续: what it takes, said of any item (the item's guide answers it, query.ts)
	'手续',
	// particles
	'吗',
	'呢',
	'吧',
	'啊',
	'呀',
	'嘛',
	'么',
	'哦',
	'哈',
	'的',
	'了',
	'得',
	'地',
	'着',
	'嗯',
	// people and wishes
	'我',
	'俺',
	'咱',
	'咱们',
	'我们',
	'你',
	'您',
	'你们',
	'他',
	'她',
	'它',
	'想',
	'想要',
	'要',
	'需要',
	'能',
	'可以',
	'是',
	'个',
	'这个',
	'那个',
	'一个',
	'就',
	'都',
	'也',
	'还',
	'又',
	'和',
	'跟',
	'与',
	'或',
	'或者',
	'还是',
	'不',
	'没',
	'把',
	'被',
	'给',
	'让',
	'您好',
	'你好',
	'谢谢',
	// directional complements (办下来, 取出来)
	'下来',
	'起来',
	'出来',
	'过来'
]);

/** A stop-word, or a word made only of one-character stop-words (我的, 都能, 还要). */
export function isStopWord(word: string): boolean {
	if (STOP_WORDS.has(word)) return true;
	const chars = Array.from(word);
	return chars.length > 1 && chars.every((c) => STOP_WORDS.has(c));
}

/** Full-width → half-width (NFKC), lower case, punctuation and symbols → space. */
export function normalizeText(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\p{P}\p{S}\s]+/gu, ' ')
		.trim();
}

export interface Analyzed {
	/** segmenter words of 2+ characters and Latin/digit words, stop-words removed */
	words: string[];
	/** character bigrams of the Chinese runs between stop-words */
	bigrams: string[];
	/** those of the bigrams that span a word of 2+ characters and its neighbour (业执 in 营业|执照,
	 * 去签 in 去|签到) */
	joins: Set<string>;
	/** those that span two single-character segments (公积 in 公|积|金, 话费 in 充|话|费): often
	 * a word the segmenter does not know, sometimes loose talk (老断 in 视频|老|断) */
	looseJoins: Set<string>;
	/** the characters of those runs */
	unigrams: string[];
}

/** Analyses already-normalised text (normalizeText). */
export function analyzeNormalized(normalized: string): Analyzed {
	const words: string[] = [];
	const bigrams: string[] = [];
	const joins = new Set<string>();
	const looseJoins = new Set<string>();
	const unigrams: string[] = [];
	let run: string[] = [];
	let starts: boolean[] = [];
	let lone: boolean[] = [];
	const flush = () => {
		for (let i = 0; i < run.length; i++) {
			unigrams.push(run[i]);
			if (i + 1 < run.length) {
				const b = run[i] + run[i + 1];
				bigrams.push(b);
				if (starts[i + 1]) (lone[i] && lone[i + 1] ? looseJoins : joins).add(b);
			}
		}
		run = [];
		starts = [];
		lone = [];
	};
	for (const s of segmentWords(normalized)) {
		if (!s.isWordLike || isStopWord(s.segment)) {
			flush();
			continue;
		}
		if (HAN.test(s.segment)) {
			// a segment may mix scripts ("10个"); keep only its Chinese characters in the run
			const chars = Array.from(s.segment);
			const han = chars.filter((c) => HAN.test(c));
			if (han.length >= 2 && han.length === chars.length) words.push(s.segment);
			han.forEach((c, i) => {
				run.push(c);
				starts.push(i === 0);
				lone.push(han.length === 1);
			});
		} else {
			flush();
			words.push(s.segment);
		}
	}
	flush();
	// a bigram both inside one word somewhere and across words elsewhere is not a join
	for (const w of words) {
		const chars = Array.from(w);
		for (let i = 0; i + 1 < chars.length; i++) {
			joins.delete(chars[i] + chars[i + 1]);
			looseJoins.delete(chars[i] + chars[i + 1]);
		}
	}
	return { words, bigrams, joins, looseJoins, unigrams };
}

export function analyze(text: string): Analyzed {
	return analyzeNormalized(normalizeText(text));
}

/**
 * The terms a text is indexed and searched by: segmenter words and Latin/digit words (stop-words
 * removed), then the character bigrams of the Chinese runs. Exported for tests.
 */
export function tokenize(text: string): string[] {
	const a = analyze(text);
	return [...a.words, ...a.bigrams];
}

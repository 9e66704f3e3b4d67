// How citizens say it → how the catalog says it (issue 25). People ask "俺想开个小卖铺，要办啥手续"
// or search "办执照"; the catalog and the knowledge base say 个体工商户 and 营业执照. Applied to the
// assistant's questions and to catalog search alike, so both understand the same words. Pure and
// free of server imports: the web may use it too. Kept small on purpose: a word goes in when a
// real question needed it, and synonyms between catalog words stay in server/catalog/synonyms.ts.

/** Colloquial word → the catalog's word (or words, space separated). */
export const COLLOQUIAL_WORDS: Readonly<Record<string, string>> = {
	// dialect pronouns and question words
	俺: '我',
	咱: '我',
	俺们: '我们',
	咱们: '我们',
	啥: '什么',
	咋: '怎么',
	// a licence, said short
	执照: '营业执照',
	办执照: '营业执照',
	营业证: '营业执照',
	// eating places: the catalog licenses 餐饮
	饭馆: '餐饮',
	饭店: '餐饮',
	餐馆: '餐饮',
	// social insurance, said short
	社保: '社会保险',
	...shopWords()
};

/**
 * A small shop, with or without "open a" in front (开店, 开个小卖铺, 开一家小超市): a citizen
 * opening one registers an individual business (个体工商户), which is what the catalog calls it.
 */
function shopWords(): Record<string, string> {
	const words: Record<string, string> = { 开店: '个体工商户', 开个店: '个体工商户' };
	for (const shop of ['小卖铺', '小卖部', '小店', '小超市', '小商店'])
		for (const open of ['', '开', '开个', '开一个', '开家', '开一家'])
			words[open + shop] = '个体工商户';
	return words;
}

/**
 * Words that only carry the asking (I want to, how do I, do I need…), dropped: what is left is
 * what the citizen asks about. 办 alone is dropped too ("办执照" is 营业执照).
 */
export const FILLER_WORDS: readonly string[] = [
	'我想',
	'想要',
	'想',
	'要',
	'办',
	'办理',
	'怎么办',
	'怎么办理',
	'咋办',
	'咋办理',
	'如何办理',
	'去办',
	'啥手续',
	'什么手续',
	'吗',
	'呢'
];

/**
 * Words that contain a filler or colloquial word yet mean something of their own: read whole
 * (办公时间 keeps its 办, 需要 its 要, 社保卡 is not 社会保险卡).
 */
export const WHOLE_WORDS: readonly string[] = [
	'办公',
	'办事',
	'办法',
	'办结',
	'办件',
	'代办',
	'承办',
	'主办',
	'督办',
	'举办',
	'需要',
	'重要',
	'主要',
	'要求',
	'只要',
	'要件',
	'想法',
	'社保卡',
	'社保局',
	'开饭店',
	'开饭馆',
	// 营业执照 typed with a homophone wrong: the typo tolerance corrects it whole (not 营页营业执照)
	'营页执照',
	'营夜执照',
	'营叶执照',
	'营也执照',
	'迎业执照',
	'赢业执照',
	'开餐馆',
	'开餐厅'
];

interface Entry {
	/** what replaces the word: '' drops it */
	to: string;
}

const entries = new Map<string, Entry>();
for (const w of FILLER_WORDS) entries.set(w, { to: '' });
for (const [from, to] of Object.entries(COLLOQUIAL_WORDS)) entries.set(from, { to });
for (const w of WHOLE_WORDS) entries.set(w, { to: w });
// the same without the fillers: a question keeps its asking words (要钱, 怎么办理 say what is asked)
const wordEntries = new Map(
	[...entries].filter(([w]) => !FILLER_WORDS.includes(w) || w in COLLOQUIAL_WORDS)
);
const longest = Math.max(...[...entries.keys()].map((w) => w.length));

/**
 * The text with colloquial words replaced by the catalog's and filler words dropped, each
 * replaced word standing apart (spaces around it), so a search splits it into terms:
 * "俺想开个小卖铺，要办啥手续" → "我 个体工商户，", "办执照" → "营业执照". Longest word first; a
 * word already in its catalog form is left alone (营业执照 stays, its 执照 is not widened again).
 */
export function normalizeColloquial(text: string): string {
	return rewrite(text, entries, ' ');
}

/**
 * The assistant's questions: colloquial words replaced as normalizeColloquial does, but no
 * filler dropped, since the assistant reads what is asked from them (要多久, 要钱吗, 怎么办理),
 * and no space put around a replaced word, which would part an asking phrase (带啥 → 带什么):
 * "俺想开个小卖铺，要办啥手续" → "我想个体工商户，要办什么手续".
 */
export function normalizeColloquialQuestion(text: string): string {
	return rewrite(text, wordEntries, '');
}

/** `apart` is put on both sides of a replaced or dropped word. */
function rewrite(text: string, table: ReadonlyMap<string, Entry>, apart: string): string {
	const s = text.normalize('NFKC');
	let out = '';
	let i = 0;
	while (i < s.length) {
		let matched = 0;
		for (let len = Math.min(longest, s.length - i); len > 0; len--) {
			const word = s.slice(i, i + len);
			const entry = table.get(word);
			if (!entry || insideItsOwnTarget(s, i, word, entry.to)) continue;
			// a whole word stays as written; a replaced or dropped one stands apart
			out += entry.to === word ? word : apart + entry.to + apart;
			matched = len;
			break;
		}
		if (matched) i += matched;
		else out += s[i++];
	}
	return out.replace(/[ \t]+/g, ' ').trim();
}

/** Whether the word at i is part of its own replacement already written out (执照 in 营业执照). */
function insideItsOwnTarget(s: string, i: number, word: string, to: string): boolean {
	if (to === word || !to.includes(word)) return false;
	for (let at = to.indexOf(word); at >= 0; at = to.indexOf(word, at + 1))
		if (s.startsWith(to, i - at)) return true;
	return false;
}

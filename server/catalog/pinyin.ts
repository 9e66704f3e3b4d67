// Pinyin initials of catalog words, for citizens who type "yyzz" for 营业执照 (issue 25). The
// pinyin comes from pinyin-pro (pure JS, its own dictionary with polyphones read in context: 银行
// yh, 重庆 cq); it is loaded on the first search that needs it, not at start-up (40 ms), and each
// word's initials are kept, so a catalog read afresh on every search (PostgreSQL) costs no more.

type Pinyin = typeof import('pinyin-pro').pinyin;
let loading: Promise<Pinyin> | undefined;
const known = new Map<string, string>();
/** More distinct words than any real catalog has: past this the memory starts over. */
const KEEP_AT_MOST = 100_000;

/** The first letter of each Chinese character's pinyin, lower case; other characters left out. */
export async function pinyinInitials(word: string): Promise<string> {
	const kept = known.get(word);
	if (kept !== undefined) return kept;
	const pinyin = await (loading ??= import('pinyin-pro').then((m) => m.pinyin));
	const initials = pinyin(word, { pattern: 'first', toneType: 'none', type: 'all' })
		.filter((c) => c.isZh)
		.map((c) => c.first.toLowerCase())
		.join('');
	if (known.size >= KEEP_AT_MOST) known.clear();
	known.set(word, initials);
	return initials;
}

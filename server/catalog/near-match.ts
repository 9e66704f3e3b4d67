// What a search term that found nothing may still mean (issue 25): a typo in an item's name or
// keyword (营业执造 for 营业执照), or the pinyin initials of one (yyzz, gtgs). Matched here in
// TypeScript over the catalog's names and keywords, never in SQL, so SQLite and PostgreSQL find
// the same items. Only item names and keywords: a typo matched against guides and materials would
// find something for almost anything.
import { pinyinInitials } from './pinyin.ts';

/** An item's names (its name and each keyword), as written or as their pinyin initials. */
export interface NamedItem {
	id: string;
	name: string;
	keywords: string[];
}

/** Points a near match adds to an item's rank: below every exact match on the same place. */
export const NEAR_SCORE = { name: 3, keyword: 2 } as const;

/** Shorter Chinese terms are left exact: one edit in two characters leaves one, found everywhere. */
const MIN_TYPO_CHARACTERS = 3;
/** One initial alone is half the catalog. */
const MIN_INITIALS = 2;

export function namedItems(
	texts: readonly { item_id: string; name: string; keywords: string }[]
): NamedItem[] {
	return texts.map((t) => ({
		id: t.item_id,
		name: t.name,
		keywords: t.keywords.split(/\s+/).filter(Boolean)
	}));
}

/** The same items named by their pinyin initials (个体工商户设立登记 → gtgshsldj). */
export async function initialsOf(items: readonly NamedItem[]): Promise<NamedItem[]> {
	const named: NamedItem[] = [];
	for (const item of items) {
		const keywords: string[] = [];
		for (const k of item.keywords) keywords.push(await pinyinInitials(k));
		named.push({ id: item.id, name: await pinyinInitials(item.name), keywords });
	}
	return named;
}

/**
 * How a term may near-match, if at all: Chinese of 3+ characters as a typo, 2+ Latin letters as
 * pinyin initials. A caller loads only the names that kind needs (initials cost the pinyin).
 */
export function nearMatchKind(term: string): 'typo' | 'initials' | null {
	if (/^\p{Script=Han}+$/u.test(term) && [...term].length >= MIN_TYPO_CHARACTERS) return 'typo';
	if (/^[a-z]+$/.test(term) && term.length >= MIN_INITIALS) return 'initials';
	return null;
}

/**
 * The items the term near-matches, with the points each gets (name over keyword): items named
 * as written for a typo, by their initials for initials.
 */
export function nearMatches(
	term: string,
	kind: 'typo' | 'initials',
	items: readonly NamedItem[]
): Map<string, number> {
	const near =
		kind === 'typo'
			? (word: string) => withinOneEdit(term, word)
			: (initials: string) => initials.includes(term);
	const found = new Map<string, number>();
	for (const item of items) {
		if (near(item.name)) found.set(item.id, NEAR_SCORE.name);
		else if (item.keywords.some(near)) found.set(item.id, NEAR_SCORE.keyword);
	}
	return found;
}

/**
 * Whether some stretch of text is within one edit (a character substituted, inserted or
 * deleted) of term: Sellers' approximate substring match, the edit distance table with a free
 * start anywhere in text, one column at a time. 营业执造 is within one edit of 营业执照 in
 * "营业执照复印件"; the term is searched for, not the whole word.
 */
export function withinOneEdit(term: string, text: string): boolean {
	const p = [...term];
	const t = [...text];
	// column[i]: fewest edits turning p[0..i) into some stretch of text ending here
	let column = p.map((_, i) => i + 1);
	column.unshift(0);
	if (column[p.length] <= 1) return true;
	for (const ch of t) {
		const next = [0];
		for (let i = 1; i <= p.length; i++)
			next[i] = Math.min(column[i - 1] + (p[i - 1] === ch ? 0 : 1), column[i] + 1, next[i - 1] + 1);
		if (next[p.length] <= 1) return true;
		column = next;
	}
	return false;
}

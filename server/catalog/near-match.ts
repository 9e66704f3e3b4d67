// What a search term that found nothing may still mean (issue 25): a typo in an item's name or
// keyword (营业执造 for 营业执照), or the pinyin initials of one (yyzz, gtgs). Matched here in
// TypeScript over the catalog's names and keywords, never in SQL, so SQLite and PostgreSQL find
// the same items. Only item names and keywords: a typo matched against guides and materials would
// find something for almost anything.
import { pinyinInitials } from './pinyin.ts';

/** An item's names (its name and each keyword) and their pinyin initials, for near matches. */
export interface NamedItem {
	id: string;
	name: string;
	keywords: string[];
	nameInitials: string;
	keywordInitials: string[];
}

/** Points a near match adds to an item's rank: below every exact match on the same place. */
export const NEAR_SCORE = { name: 3, keyword: 2 } as const;

/** Shorter Chinese terms are left exact: one edit in two characters leaves one, found everywhere. */
const MIN_TYPO_CHARACTERS = 3;
/** One initial alone is half the catalog. */
const MIN_INITIALS = 2;

export async function namedItems(
	texts: readonly { item_id: string; name: string; keywords: string }[]
): Promise<NamedItem[]> {
	const items: NamedItem[] = [];
	for (const t of texts) {
		const keywords = t.keywords.split(/\s+/).filter(Boolean);
		const keywordInitials: string[] = [];
		for (const k of keywords) keywordInitials.push(await pinyinInitials(k));
		items.push({
			id: t.item_id,
			name: t.name,
			keywords,
			nameInitials: await pinyinInitials(t.name),
			keywordInitials
		});
	}
	return items;
}

/**
 * Whether the term near-matches at all: Chinese of 3+ characters (a typo) or 2+ Latin letters
 * (pinyin initials). Lets a caller skip loading the names for any other term.
 */
export function mayNearMatch(term: string): boolean {
	return isTypoCandidate(term) || isInitials(term);
}

const isTypoCandidate = (term: string) =>
	/^\p{Script=Han}+$/u.test(term) && [...term].length >= MIN_TYPO_CHARACTERS;
const isInitials = (term: string) => /^[a-z]+$/.test(term) && term.length >= MIN_INITIALS;

/** The items the term near-matches, with the points each gets (name over keyword). */
export function nearMatches(term: string, items: readonly NamedItem[]): Map<string, number> {
	const found = new Map<string, number>();
	const near = isTypoCandidate(term)
		? (word: string) => withinOneEdit(term, word)
		: isInitials(term)
			? (initials: string) => initials.includes(term)
			: null;
	if (!near) return found;
	const typo = isTypoCandidate(term);
	for (const item of items) {
		if (near(typo ? item.name : item.nameInitials)) found.set(item.id, NEAR_SCORE.name);
		else if ((typo ? item.keywords : item.keywordInitials).some(near))
			found.set(item.id, NEAR_SCORE.keyword);
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

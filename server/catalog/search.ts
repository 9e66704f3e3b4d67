// Catalog search. SQLite FTS5 with the trigram tokenizer finds items containing a 3+ character
// term anywhere in name, keywords, guide, materials or department (Chinese has no spaces, so
// word tokenizers miss substrings); 1-2 character terms use LIKE on the same table. PostgreSQL
// uses ILIKE on pg_trgm-indexed columns for every term: the same items (search parity). The query
// is first said the catalog's way (shared/lexicon.ts: 办执照 → 营业执照, 小卖部 → 个体工商户);
// every term is widened with its synonyms; all terms must match. A term that finds nothing may
// still near-match an item's name or keyword (near-match.ts: one typo, or pinyin initials).
// Ranking weighs where a term hit: name over keywords over body, the word asked for over its
// synonyms (开小卖部 → 个体工商户 puts 个体工商户设立登记 before 我要开餐馆, whose name says
// 开餐馆), a near match below an exact one, then shorter names first.
import { normalizeColloquial } from '../../shared/lexicon.ts';
import type { CatalogRepo } from './repo.ts';
import { expandSynonyms } from './synonyms.ts';
import { initialsOf, namedItems, nearMatches, nearMatchKind } from './near-match.ts';

/** Words that ask rather than name (what's left of "俺要办啥手续"): no item has to contain them. */
const ASKING_WORDS = new Set(['我', '我们', '什么', '怎么', '怎样', '如何', '哪里', '手续']);

/** Said the catalog's way, width and case folded, punctuation dropped: "ＡＢＣ 办执照！" → ["abc", "营业执照"]. */
export function queryTerms(q: string): string[] {
	return normalizeColloquial(q)
		.toLowerCase()
		.split(/[\s\p{P}\p{S}]+/u)
		.filter((t) => t && !ASKING_WORDS.has(t))
		.slice(0, 8);
}

/** Keeps a value until the catalog changes (cache.ts's cachedCatalog for the store searched). */
export type CatalogCache = <T>(key: string, load: () => Promise<T>) => Promise<T>;

type SearchText = Awaited<ReturnType<CatalogRepo['searchTexts']>>[number];

/** Item ids matching every term, best first. */
export async function searchItemIds(
	repo: CatalogRepo,
	q: string,
	cached: CatalogCache = (_key, load) => load()
): Promise<string[]> {
	const terms = queryTerms(q);
	if (!terms.length) return [];
	// each list read at most once per search (PostgreSQL has no cache to keep them in between)
	const once = <T>(load: () => Promise<T>) => {
		let value: Promise<T> | undefined;
		return () => (value ??= load());
	};
	const texts = once(() => cached('searchTexts', () => repo.searchTexts()));
	const named = once(() => cached('searchNames', async () => namedItems(await texts())));
	// the pinyin is loaded and worked out only once a search asks for initials
	const initials = once(() => cached('searchInitials', async () => initialsOf(await named())));
	// per term: the items it found, and the near-match points of those it found only nearly
	let hits: Set<string> | undefined;
	const near = new Map<string, Map<string, number>>();
	for (const term of terms) {
		let found = new Set(await repo.containingAny(expandSynonyms(term)));
		const kind = found.size ? null : nearMatchKind(term);
		if (kind) {
			const points = nearMatches(term, kind, await (kind === 'typo' ? named() : initials()));
			near.set(term, points);
			found = new Set(points.keys());
		}
		hits = hits ? new Set([...hits].filter((id) => found.has(id))) : found;
		if (!hits.size) return [];
	}
	const byId = new Map((await texts()).map((t) => [t.item_id, t]));
	const score = (t: SearchText) => {
		const [name, keywords, body] = [t.name, t.keywords, t.body].map((x) => x.toLowerCase());
		let s = 0;
		for (const term of terms) {
			const points = near.get(term);
			if (points) {
				s += points.get(t.item_id) ?? 0;
				continue;
			}
			// the best place the term or one of its synonyms hit; the term's own word counts double
			let best = 0;
			for (const w of expandSynonyms(term)) {
				const place = name.includes(w) ? 10 : keywords.includes(w) ? 5 : body.includes(w) ? 1 : 0;
				best = Math.max(best, w === term ? 2 * place : place);
			}
			s += best;
		}
		return s;
	};
	// an item an import added since the texts were kept is left out until they are read again
	const ranked = [...hits!]
		.flatMap((id) => byId.get(id) ?? [])
		.map((t) => ({ t, score: score(t) }));
	// ties go by code, so both engines (which return candidates in any order) rank alike
	return ranked
		.sort(
			(a, b) =>
				b.score - a.score ||
				a.t.name.length - b.t.name.length ||
				(a.t.code < b.t.code ? -1 : a.t.code > b.t.code ? 1 : 0)
		)
		.map((r) => r.t.item_id);
}

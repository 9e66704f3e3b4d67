// Catalog search. SQLite FTS5 with the trigram tokenizer finds items containing a 3+ character
// term anywhere in name, keywords, guide, materials or department (Chinese has no spaces, so
// word tokenizers miss substrings); 1-2 character terms use LIKE on the same table. PostgreSQL
// uses ILIKE on pg_trgm-indexed columns for every term: the same items (search parity). Every query
// term is widened with its synonyms; all terms must match. Ranking weighs where a term hit:
// name over keywords over body, then shorter names first.
import type { CatalogRepo } from './repo.ts';
import { expandSynonyms } from './synonyms.ts';

/** Fold width and case, drop punctuation: "ＡＢＣ 营业执照！" → ["abc", "营业执照"]. */
export function queryTerms(q: string): string[] {
	return q
		.normalize('NFKC')
		.toLowerCase()
		.split(/[\s\p{P}\p{S}]+/u)
		.filter(Boolean)
		.slice(0, 8);
}

async function candidates(repo: CatalogRepo, term: string): Promise<Set<string>> {
	return new Set(await repo.containingAny(expandSynonyms(term)));
}

/** Item ids matching every term, best first. */
export async function searchItemIds(repo: CatalogRepo, q: string): Promise<string[]> {
	const terms = queryTerms(q);
	if (!terms.length) return [];
	let hits = await candidates(repo, terms[0]);
	for (const term of terms.slice(1)) {
		const found = await candidates(repo, term);
		hits = new Set([...hits].filter((id) => found.has(id)));
	}
	const texts = new Map((await repo.searchTexts()).map((t) => [t.item_id, t]));
	const score = (id: string) => {
		const t = texts.get(id)!;
		let s = 0;
		for (const term of terms)
			for (const w of expandSynonyms(term)) {
				if (t.name.toLowerCase().includes(w)) s += 10;
				else if (t.keywords.toLowerCase().includes(w)) s += 5;
				else if (t.body.toLowerCase().includes(w)) s += 1;
			}
		return s;
	};
	// ties go by code, so both engines (which return candidates in any order) rank alike
	return [...hits].sort(
		(a, b) =>
			score(b) - score(a) ||
			texts.get(a)!.name.length - texts.get(b)!.name.length ||
			(texts.get(a)!.code < texts.get(b)!.code
				? -1
				: texts.get(a)!.code > texts.get(b)!.code
					? 1
					: 0)
	);
}

// Words citizens use for the same thing. Each group is searched as one term: a query for any
// word finds items that mention any other. Extend freely; the assistant uses the same list.
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
	['公积金', '住房公积金'],
	['营业执照', '执照', '工商登记', '个体户'],
	['社保', '社会保险', '养老保险'],
	['医保', '医疗保险', '居民医保'],
	['身份证', '居民身份证'],
	['开店', '开餐馆', '开饭店', '个体工商户'],
	['老年证', '优待证', '老年人优待证'],
	['租房', '房租', '租赁']
];

const index = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) for (const word of group) index.set(word, group);

/** The word and its synonyms (the word alone when it has none). */
export function expandSynonyms(word: string): string[] {
	return [...new Set([word, ...(index.get(word) ?? [])])];
}

// How questions asked of the assistant are grouped (the dashboard's gaps, the learning queue):
// NFKC, trimmed, inner spaces collapsed, no trailing punctuation.
const TRAILING_PUNCTUATION = /[\s\p{P}~]+$/u;

export function normaliseQuestion(q: string): string {
	return q.normalize('NFKC').trim().replace(/\s+/g, ' ').replace(TRAILING_PUNCTUATION, '');
}

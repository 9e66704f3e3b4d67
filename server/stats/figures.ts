// The arithmetic every dashboard figure shares: nearest-rank percentiles, rounding (minutes to
// one decimal, average scores to two, rates and shares to four) and the rating figures.
export const MINUTE = 60_000;
const SCORES = [1, 2, 3, 4, 5] as const;

/** Nearest-rank percentile of an ascending list; null for an empty list. */
export function percentile(sorted: number[], p: number): number | null {
	if (!sorted.length) return null;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1];
}

const round = (x: number, digits: number) => {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
};
export const minutes = (ms: number | null) => (ms === null ? null : round(ms / MINUTE, 1));
export const ratio = (part: number, whole: number) => (whole ? round(part / whole, 4) : null);
export const average = (xs: number[]) =>
	xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

/** Count, average score, satisfied (4 and 5) and the share of each score, from counts by score. */
export function ratingFigures(byScore: Map<number, number>) {
	const count = SCORES.reduce((n, s) => n + (byScore.get(s) ?? 0), 0);
	const sum = SCORES.reduce((n, s) => n + s * (byScore.get(s) ?? 0), 0);
	return {
		count,
		average: count ? round(sum / count, 2) : null,
		satisfied: (byScore.get(4) ?? 0) + (byScore.get(5) ?? 0),
		distribution: SCORES.map((score) => ({
			score,
			count: byScore.get(score) ?? 0,
			share: ratio(byScore.get(score) ?? 0, count)
		}))
	};
}

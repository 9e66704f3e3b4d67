// Quality and speed of an index on a question set (`npm run kb:eval`, tests).
import { performance } from 'node:perf_hooks';
import type { KbIndex } from './types.ts';

export interface EvalQuestion {
	question: string;
	/** id of the entry that answers it */
	expected: string;
}

export interface EvalReport {
	count: number;
	/** share of questions whose best match is the expected entry */
	top1: number;
	/** share with the expected entry among the first five */
	top5: number;
	/** mean reciprocal rank of the expected entry within the first ten (0 when not there) */
	mrr10: number;
	/** share answered: best match expected AND confidence at or above the threshold */
	answeredCorrect: number;
	/** share of the out-of-domain questions whose best confidence is below the threshold */
	rejected?: number;
	/** per question, one search call */
	p50Ms: number;
	p99Ms: number;
}

export interface EvalOptions {
	threshold: number;
	/** out-of-domain questions (no right answer in the KB) */
	unanswerable?: readonly string[];
	/** called for every answerable question whose best match is not the expected entry */
	onMiss?: (q: EvalQuestion, ranked: string[], confidence: number) => void;
}

const WARM_UP = 20;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of ascending values (the same rule as scripts/bench.ts). */
export function percentile(sorted: readonly number[], p: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function evaluate(
	index: KbIndex,
	questions: readonly EvalQuestion[],
	opts: EvalOptions
): EvalReport {
	const times: number[] = [];
	// warm-up (JIT, the segmenter's dictionary), untimed and uncounted
	for (const q of questions.slice(0, WARM_UP)) index.search(q.question, { limit: 10 });
	let top1 = 0;
	let top5 = 0;
	let rr = 0;
	let answered = 0;
	for (const q of questions) {
		const t = performance.now();
		const matches = index.search(q.question, { limit: 10 });
		times.push(performance.now() - t);
		const ranked = matches.map((m) => m.id);
		const rank = ranked.indexOf(q.expected);
		if (rank === 0) top1++;
		if (rank >= 0 && rank < 5) top5++;
		if (rank >= 0) rr += 1 / (rank + 1);
		if (rank === 0 && matches[0].confidence >= opts.threshold) answered++;
		if (rank !== 0) opts.onMiss?.(q, ranked, matches[0]?.confidence ?? 0);
	}
	let rejected: number | undefined;
	if (opts.unanswerable) {
		let below = 0;
		for (const question of opts.unanswerable) {
			const t = performance.now();
			const [best] = index.search(question, { limit: 10 });
			times.push(performance.now() - t);
			if (!best || best.confidence < opts.threshold) below++;
		}
		rejected = opts.unanswerable.length ? round(below / opts.unanswerable.length, 4) : 0;
	}
	times.sort((a, b) => a - b);
	const n = questions.length || 1;
	return {
		count: questions.length,
		top1: round(top1 / n, 4),
		top5: round(top5 / n, 4),
		mrr10: round(rr / n, 4),
		answeredCorrect: round(answered / n, 4),
		...(rejected === undefined ? {} : { rejected }),
		p50Ms: round(percentile(times, 50), 3),
		p99Ms: round(percentile(times, 99), 3)
	};
}

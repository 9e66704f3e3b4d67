// Quality and speed of an index on a question set (`npm run kb:eval`, tests).
import { performance } from 'node:perf_hooks';
import type { CitizenQuestion } from './citizen-questions.ts';
import type { KbIndex, Match } from './types.ts';

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

// ---- the citizen question set (issue 25): answerable, off-topic and gap questions, aspects, follow-ups

/** What aspect accuracy says while the engine's answers carry no aspect. */
export const ASPECT_NOT_REPORTED = 'n/a until the engine reports aspects';

/**
 * How a follow-up (a question with `previous`) is asked: the earlier question first; when its
 * best entry is confident and belongs to an item, the follow-up is searched among that item's
 * entries only (SearchOptions.serviceCode, as the assistant does for a conversation about an
 * item) and the top of that ranking is its answer, without the threshold (the service layer
 * answers a follow-up from its item: a topicless 要带啥 scores no confidence of its own).
 * Otherwise it is asked alone, like any question.
 */
export const FOLLOW_UP_MODE =
	"scoped to the item of the previous question's best entry (when confident), else asked alone";

export type CitizenEvalQuestion = CitizenQuestion;

export interface RankShares {
	count: number;
	top1: number;
	top5: number;
	mrr10: number;
	answeredCorrect: number;
}

export interface CitizenReport {
	count: number;
	answerable: RankShares;
	/** the English answerable questions alone */
	english: RankShares;
	/** the answerable follow-ups alone (asked as FOLLOW_UP_MODE says) */
	followUps: RankShares;
	/** questions with an aspect: best match right and its aspect the expected one */
	aspect: { count: number; accuracy: number | typeof ASPECT_NOT_REPORTED };
	/** share whose best confidence is under the threshold (or with no match at all) */
	offTopic: { count: number; rejected: number };
	gap: { count: number; rejected: number };
	p50Ms: number;
	p99Ms: number;
}

export interface CitizenEvalOptions {
	threshold: number;
	onMiss?: (q: CitizenEvalQuestion, ranked: string[], confidence: number) => void;
}

type Answer = {
	ranked: string[];
	best: (Match & { aspect?: string }) | undefined;
	answered: boolean;
};

function shares(list: { rank: number; answered: boolean }[]): RankShares {
	const n = list.length || 1;
	return {
		count: list.length,
		top1: round(list.filter((r) => r.rank === 0).length / n, 4),
		top5: round(list.filter((r) => r.rank >= 0 && r.rank < 5).length / n, 4),
		mrr10: round(list.reduce((s, r) => s + (r.rank >= 0 ? 1 / (r.rank + 1) : 0), 0) / n, 4),
		answeredCorrect: round(list.filter((r) => r.rank === 0 && r.answered).length / n, 4)
	};
}

export function evaluateCitizen(
	index: KbIndex,
	questions: readonly CitizenEvalQuestion[],
	opts: CitizenEvalOptions
): CitizenReport {
	const times: number[] = [];
	const timed = (question: string, serviceCode?: string) => {
		const t = performance.now();
		const matches = index.search(question, { limit: 10, serviceCode });
		times.push(performance.now() - t);
		return matches;
	};
	const ask = (q: CitizenEvalQuestion): Answer => {
		if (q.previous !== undefined) {
			const [first] = timed(q.previous);
			const code =
				first && first.confidence >= opts.threshold ? index.get(first.id)?.serviceCode : undefined;
			if (code !== undefined) {
				const local = timed(q.question, code);
				if (local.length) return { ranked: local.map((m) => m.id), best: local[0], answered: true };
			}
		}
		const matches = timed(q.question);
		const best = matches[0];
		return {
			ranked: matches.map((m) => m.id),
			best,
			answered: !!best && best.confidence >= opts.threshold
		};
	};
	for (const q of questions.slice(0, WARM_UP)) index.search(q.question, { limit: 10 });

	const answerable: { rank: number; answered: boolean; q: CitizenEvalQuestion }[] = [];
	let aspectAsked = 0;
	let aspectRight = 0;
	let aspectReported = false;
	const rejected = { off_topic: [0, 0], gap: [0, 0] };
	for (const q of questions) {
		const a = ask(q);
		if (a.best?.aspect !== undefined) aspectReported = true;
		if (q.kind === 'answerable') {
			const rank = a.ranked.indexOf(q.expected ?? '');
			answerable.push({ rank, answered: a.answered, q });
			if (rank !== 0) opts.onMiss?.(q, a.ranked, a.best?.confidence ?? 0);
			if (q.aspect !== undefined) {
				aspectAsked++;
				if (rank === 0 && a.best?.aspect === q.aspect) aspectRight++;
			}
		} else {
			rejected[q.kind][1]++;
			if (!a.answered) rejected[q.kind][0]++;
		}
	}
	times.sort((x, y) => x - y);
	const share = ([below, all]: number[]) => (all ? round(below / all, 4) : 0);
	return {
		count: questions.length,
		answerable: shares(answerable),
		english: shares(answerable.filter((r) => r.q.lang === 'en')),
		followUps: shares(answerable.filter((r) => r.q.previous !== undefined)),
		aspect: {
			count: aspectAsked,
			accuracy: aspectReported
				? aspectAsked
					? round(aspectRight / aspectAsked, 4)
					: 0
				: ASPECT_NOT_REPORTED
		},
		offTopic: { count: rejected.off_topic[1], rejected: share(rejected.off_topic) },
		gap: { count: rejected.gap[1], rejected: share(rejected.gap) },
		p50Ms: round(percentile(times, 50), 3),
		p99Ms: round(percentile(times, 99), 3)
	};
}

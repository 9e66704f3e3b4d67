// `npm run kb:eval -- --kb <kb.jsonl> --questions <questions.jsonl> [--unanswerable <file>]
//   [--engine bm25|minisearch] [--threshold <0..1>] [--misses]`
// Builds a fresh index from the given KB only and prints one JSON object:
// {"count","top1","top5","mrr10","answeredCorrect","rejected"?,"p50Ms","p99Ms"}
// (shares 0..1; rejected only with --unanswerable; the threshold defaults to CONFIDENCE_THRESHOLD).
// A bad file prints its name and every bad line and exits 1. --misses lists wrong answers on
// stderr (for working on the dev set).
//
// `npm run kb:eval -- --citizen [--kb <kb.jsonl>] [--dev <file>] [--holdout <file>]
//   [--engine <name>]... [--threshold <0..1>] [--table] [--misses]`
// The citizen question set of issue 25 (data/kb/citizen-dev.jsonl and citizen-holdout.jsonl,
// the demo KB by default), both halves side by side, on every engine (bm25, minisearch, plain)
// unless --engine names some: one JSON object {"threshold","followUps","results":[{"set",
// "engine",...CitizenReport}]}, or with --table a Markdown table (data/kb/README.md). --misses
// lists the dev half's wrong answers only: the holdout is never to be tuned on.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
	ASPECT_NOT_REPORTED,
	evaluate,
	evaluateCitizen,
	FOLLOW_UP_MODE,
	type CitizenReport
} from '../server/assistant/retrieval/evaluate.ts';
import { DEFAULT_ENGINE, ENGINES, type EngineName } from '../server/assistant/retrieval/engines.ts';
import { CONFIDENCE_THRESHOLD } from '../server/assistant/retrieval/index.ts';
import { useSegmenter } from '../server/assistant/retrieval/segment.ts';
import {
	KbFileError,
	readCitizenQuestions,
	readKb,
	readQuestions
} from '../server/assistant/retrieval/kbfile.ts';

function fail(message: string): never {
	console.error(`kb:eval: ${message}`);
	process.exit(1);
}

function read(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (e) {
		fail(`cannot read ${file}: ${(e as Error).message}`);
	}
}

function parseOptions() {
	try {
		return parseArgs({
			options: {
				kb: { type: 'string' },
				questions: { type: 'string' },
				unanswerable: { type: 'string' },
				engine: { type: 'string', multiple: true },
				citizen: { type: 'boolean', default: false },
				dev: { type: 'string', default: 'data/kb/citizen-dev.jsonl' },
				holdout: { type: 'string', default: 'data/kb/citizen-holdout.jsonl' },
				table: { type: 'boolean', default: false },
				threshold: { type: 'string' },
				misses: { type: 'boolean', default: false },
				segmenter: { type: 'string' }
			}
		}).values;
	} catch (e) {
		fail((e as Error).message);
	}
}
const args = parseOptions();
if (args.segmenter !== undefined) {
	if (args.segmenter !== 'intl' && args.segmenter !== 'jieba') fail('--segmenter intl|jieba');
	useSegmenter(args.segmenter);
}
const engines = args.engine ?? (args.citizen ? Object.keys(ENGINES) : [DEFAULT_ENGINE]);
for (const engine of engines)
	if (!Object.hasOwn(ENGINES, engine))
		fail(`unknown engine ${engine} (one of ${Object.keys(ENGINES).join(', ')})`);
const threshold = args.threshold === undefined ? CONFIDENCE_THRESHOLD : Number(args.threshold);
if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
	fail('--threshold must be a number from 0 to 1');

function citizen(kbFile: string): void {
	const entries = readKb(kbFile, read(kbFile));
	const ids = new Set(entries.map((e) => e.id));
	const sets = [
		{ set: 'dev', questions: readCitizenQuestions(args.dev, read(args.dev), ids) },
		{ set: 'holdout', questions: readCitizenQuestions(args.holdout, read(args.holdout), ids) }
	];
	const results: ({ set: string; engine: string } & CitizenReport)[] = [];
	for (const engine of engines) {
		const index = ENGINES[engine as EngineName](entries);
		for (const { set, questions } of sets)
			results.push({
				set,
				engine,
				...evaluateCitizen(index, questions, {
					threshold,
					onMiss:
						args.misses && set === 'dev'
							? (q, ranked, confidence) =>
									console.error(
										`miss (${engine}): ${q.previous ? `${q.previous} → ` : ''}${q.question} → ${ranked.slice(0, 3).join(', ')} (${confidence.toFixed(2)}; expected ${q.expected} at ${ranked.indexOf(q.expected ?? '') + 1 || '-'})`
									)
							: undefined
				})
			});
	}
	if (!args.table) {
		console.log(JSON.stringify({ threshold, followUps: FOLLOW_UP_MODE, results }));
		return;
	}
	const f = (x: number) => x.toFixed(3);
	console.log(
		'| set | engine | answerable top1 | top5 | mrr10 | answeredCorrect | English top1 | follow-up top1 | aspect | off-topic rejected | gap rejected | p50 | p99 |'
	);
	console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const r of results)
		console.log(
			`| ${r.set} (${r.answerable.count} + ${r.offTopic.count} + ${r.gap.count}) | ${r.engine} | ${f(r.answerable.top1)} | ${f(r.answerable.top5)} | ${f(r.answerable.mrr10)} | ${f(r.answerable.answeredCorrect)} | ${f(r.english.top1)} (${r.english.count}) | ${f(r.followUps.top1)} (${r.followUps.count}) | ${r.aspect.accuracy === ASPECT_NOT_REPORTED ? 'n/a' : f(r.aspect.accuracy)} (${r.aspect.count}) | ${f(r.offTopic.rejected)} | ${f(r.gap.rejected)} | ${r.p50Ms} ms | ${r.p99Ms} ms |`
		);
}

function classic(): void {
	if (!args.kb || !args.questions)
		fail(
			'usage: kb:eval -- --kb <kb.jsonl> --questions <questions.jsonl> [--unanswerable <file>] [--engine bm25|minisearch|plain], or kb:eval -- --citizen'
		);
	if (engines.length !== 1) fail('--engine once, without --citizen');
	const entries = readKb(args.kb, read(args.kb));
	const ids = new Set(entries.map((e) => e.id));
	const questions = readQuestions(args.questions, read(args.questions), ids);
	const unanswerable = args.unanswerable
		? readQuestions(args.unanswerable, read(args.unanswerable)).map((q) => q.question)
		: undefined;
	const index = ENGINES[engines[0] as EngineName](entries);
	const report = evaluate(index, questions, {
		threshold,
		unanswerable,
		onMiss: args.misses
			? (q, ranked, confidence) =>
					console.error(
						`miss: ${q.question} → ${ranked.slice(0, 3).join(', ')} (${confidence.toFixed(2)}; expected ${q.expected} at ${ranked.indexOf(q.expected) + 1 || '-'})`
					)
			: undefined
	});
	console.log(JSON.stringify(report));
}

try {
	if (args.citizen) citizen(args.kb ?? 'data/kb/demo-kb.jsonl');
	else classic();
} catch (e) {
	if (e instanceof KbFileError) fail(e.message);
	throw e;
}

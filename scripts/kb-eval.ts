// `npm run kb:eval -- --kb <kb.jsonl> --questions <questions.jsonl> [--unanswerable <file>]
//   [--engine bm25|minisearch] [--threshold <0..1>] [--misses]`
// Builds a fresh index from the given KB only and prints one JSON object:
// {"count","top1","top5","mrr10","answeredCorrect","rejected"?,"p50Ms","p99Ms"}
// (shares 0..1; rejected only with --unanswerable; the threshold defaults to CONFIDENCE_THRESHOLD).
// A bad file prints its name and every bad line and exits 1. --misses lists wrong answers on
// stderr (for working on the dev set).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluate } from '../server/assistant/retrieval/evaluate.ts';
import { DEFAULT_ENGINE, ENGINES, type EngineName } from '../server/assistant/retrieval/engines.ts';
import { CONFIDENCE_THRESHOLD } from '../server/assistant/retrieval/index.ts';
import { KbFileError, readKb, readQuestions } from '../server/assistant/retrieval/kbfile.ts';

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

let args;
try {
	args = parseArgs({
		options: {
			kb: { type: 'string' },
			questions: { type: 'string' },
			unanswerable: { type: 'string' },
			engine: { type: 'string', default: DEFAULT_ENGINE },
			threshold: { type: 'string' },
			misses: { type: 'boolean', default: false }
		}
	}).values;
} catch (e) {
	fail((e as Error).message);
}
if (!args.kb || !args.questions)
	fail(
		'usage: kb:eval -- --kb <kb.jsonl> --questions <questions.jsonl> [--unanswerable <file>] [--engine bm25|minisearch]'
	);
if (!Object.hasOwn(ENGINES, args.engine))
	fail(`unknown engine ${args.engine} (one of ${Object.keys(ENGINES).join(', ')})`);
const threshold = args.threshold === undefined ? CONFIDENCE_THRESHOLD : Number(args.threshold);
if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
	fail('--threshold must be a number from 0 to 1');

try {
	const entries = readKb(args.kb, read(args.kb));
	const ids = new Set(entries.map((e) => e.id));
	const questions = readQuestions(args.questions, read(args.questions), ids);
	const unanswerable = args.unanswerable
		? readQuestions(args.unanswerable, read(args.unanswerable)).map((q) => q.question)
		: undefined;
	const index = ENGINES[args.engine as EngineName](entries);
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
} catch (e) {
	if (e instanceof KbFileError) fail(e.message);
	throw e;
}

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
	ASPECT_NOT_REPORTED,
	evaluate,
	evaluateCitizen,
	percentile,
	type CitizenEvalQuestion
} from '../../server/assistant/retrieval/evaluate.ts';
import { parseCitizenJsonl } from '../../server/assistant/retrieval/citizen-questions.ts';
import { buildPlainBm25Index, plainTerms } from '../../server/assistant/retrieval/plain-bm25.ts';
import { split, SEED } from '../../scripts/kb-split.ts';
import { buildIndex, CONFIDENCE_THRESHOLD } from '../../server/assistant/retrieval/index.ts';
import type { KbIndex, Match } from '../../server/assistant/retrieval/index.ts';
import {
	KbFileError,
	parseQuestionsJsonl,
	readCitizenQuestions,
	readKb,
	readQuestions
} from '../../server/assistant/retrieval/kbfile.ts';

const exec = promisify(execFile);
// A child Node process on a busy 2-core machine can take seconds to start: generous limits, and a
// hung one is killed rather than left running.
const CLI_TIMEOUT = 90_000;
const run = (file: string, args: string[], opts: { cwd: string }) =>
	exec(file, args, { ...opts, timeout: CLI_TIMEOUT - 5_000 });
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => `tests/fixtures/kb/${name}`;
const read = (name: string) => fs.readFileSync(`${root}${fixture(name)}`, 'utf8');

/** An index that answers from a table, to check the arithmetic alone. */
function fixedIndex(answers: Record<string, Match[]>): KbIndex {
	return {
		size: 0,
		get: () => undefined,
		search: (q) => answers[q] ?? []
	};
}
const m = (id: string, confidence = 0.9): Match => ({ id, score: 1, confidence });

describe('evaluate', () => {
	it('computes top1, top5, MRR@10, answered and rejected shares', () => {
		const ranks = (expectedAt: number) =>
			Array.from({ length: 10 }, (_, i) => m(i === expectedAt ? 'x' : `other-${i}`));
		const index = fixedIndex({
			first: ranks(0),
			second: ranks(1),
			fifth: ranks(4),
			sixth: ranks(5),
			unsure: [m('x', 0.1)],
			missing: [m('y')],
			ood1: [m('y', 0.2)],
			ood2: [m('y', 0.8)],
			ood3: []
		});
		const report = evaluate(
			index,
			['first', 'second', 'fifth', 'sixth', 'unsure', 'missing'].map((question) => ({
				question,
				expected: 'x'
			})),
			{ threshold: 0.5, unanswerable: ['ood1', 'ood2', 'ood3'] }
		);
		// ranks 1, 2, 5, 6, 1, none → top1 2/6, top5 4/6, MRR (1 + 1/2 + 1/5 + 1/6 + 1 + 0)/6
		expect(report).toMatchObject({
			count: 6,
			top1: 0.3333,
			top5: 0.6667,
			mrr10: 0.4778,
			answeredCorrect: 0.1667,
			rejected: 0.6667
		});
		expect(report.p50Ms).toBeGreaterThanOrEqual(0);
		expect(report.p99Ms).toBeGreaterThanOrEqual(report.p50Ms);
	});

	it('uses the nearest-rank percentile', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 50)).toBe(50);
		expect(percentile(values, 90)).toBe(90);
		expect(percentile([7], 50)).toBe(7);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile(values, 100)).toBe(100);
		expect(percentile([], 50)).toBe(0);
	});
});

describe('kb:eval on the small fixture', () => {
	// small-kb.jsonl has 8 entries; of the 10 questions in small-questions.jsonl, 8 name their
	// entry plainly. Two are wrong by design: "营业执照丢了怎么补办" expects the licence item,
	// which comes second behind the FAQ that asks exactly that (reciprocal rank 1/2), and
	// "公积金能贷款买房吗" expects the video-device FAQ, which shares no character with it (not
	// ranked at all). So top1 = 8/10, top5 = 9/10, MRR@10 = (8 + 1/2 + 0)/10.
	const entries = readKb('small-kb.jsonl', read('small-kb.jsonl'));
	const questions = readQuestions(
		'small-questions.jsonl',
		read('small-questions.jsonl'),
		new Set(entries.map((e) => e.id))
	);
	const unanswerable = readQuestions('small-unanswerable.jsonl', read('small-unanswerable.jsonl'));

	it('gives the figures worked out by hand', () => {
		const report = evaluate(buildIndex(entries), questions, {
			threshold: CONFIDENCE_THRESHOLD,
			unanswerable: unanswerable.map((q) => q.question)
		});
		expect(report).toMatchObject({ count: 10, top1: 0.8, top5: 0.9, mrr10: 0.85, rejected: 1 });
		expect(report.answeredCorrect).toBeLessThanOrEqual(report.top1);
	});

	it('prints one JSON object from the command line', { timeout: CLI_TIMEOUT }, async () => {
		const { stdout } = await run(
			process.execPath,
			[
				'scripts/kb-eval.ts',
				'--kb',
				fixture('small-kb.jsonl'),
				'--questions',
				fixture('small-questions.jsonl'),
				'--unanswerable',
				fixture('small-unanswerable.jsonl')
			],
			{ cwd: root }
		);
		const lines = stdout.trim().split('\n');
		expect(lines).toHaveLength(1);
		const report = JSON.parse(lines[0]);
		expect(Object.keys(report).sort()).toEqual(
			['answeredCorrect', 'count', 'mrr10', 'p50Ms', 'p99Ms', 'rejected', 'top1', 'top5'].sort()
		);
		expect(report).toMatchObject({ count: 10, top1: 0.8, top5: 0.9, mrr10: 0.85, rejected: 1 });
		expect(report.p50Ms).toBeGreaterThan(0);
	});

	it('runs the library engine too', { timeout: CLI_TIMEOUT }, async () => {
		const { stdout } = await run(
			process.execPath,
			[
				'scripts/kb-eval.ts',
				'--kb',
				fixture('small-kb.jsonl'),
				'--questions',
				fixture('small-questions.jsonl'),
				'--engine',
				'minisearch'
			],
			{ cwd: root }
		);
		const report = JSON.parse(stdout);
		expect(report.count).toBe(10);
		expect(report).not.toHaveProperty('rejected');
	});

	it(
		'exits 1 naming the file and line of a bad KB or question',
		{ timeout: CLI_TIMEOUT },
		async () => {
			const fail = (args: string[]) =>
				run(process.execPath, ['scripts/kb-eval.ts', ...args], { cwd: root }).then(
					() => expect.unreachable('kb:eval should have failed'),
					(e: { code: number; stdout: string; stderr: string }) => e
				);
			const badKb = await fail([
				'--kb',
				fixture('bad-kb.jsonl'),
				'--questions',
				fixture('small-questions.jsonl')
			]);
			expect(badKb.code).toBe(1);
			expect(badKb.stdout).toBe('');
			expect(badKb.stderr).toContain('tests/fixtures/kb/bad-kb.jsonl:2 title: must not be empty');
			expect(badKb.stderr).toContain('tests/fixtures/kb/bad-kb.jsonl:3: is not valid JSON');
			expect(badKb.stderr).toContain(
				'tests/fixtures/kb/bad-kb.jsonl:5 id: duplicates the id on line 1'
			);

			const badQuestions = await fail([
				'--kb',
				fixture('small-kb.jsonl'),
				'--questions',
				fixture('bad-questions.jsonl')
			]);
			expect(badQuestions.code).toBe(1);
			expect(badQuestions.stderr).toContain(
				'bad-questions.jsonl:2 expected: is not an id of the KB (faq-nowhere)'
			);
			expect(badQuestions.stderr).toContain('bad-questions.jsonl:3 question: is required');

			const usage = await fail(['--kb', fixture('small-kb.jsonl')]);
			expect(usage.code).toBe(1);
			expect(usage.stderr).toMatch(/usage/);
			const engine = await fail([
				'--kb',
				fixture('small-kb.jsonl'),
				'--questions',
				fixture('small-questions.jsonl'),
				'--engine',
				'lucene'
			]);
			expect(engine.stderr).toMatch(/unknown engine lucene/);
		}
	);
});

describe('question files', () => {
	it('need a question, and an expected id of the KB when one is given', () => {
		expect(
			parseQuestionsJsonl('{"question":"a","expected":"x"}\n\n{"question":"b"}', new Set(['x']))
		).toEqual({
			ok: false,
			errors: [{ line: 3, field: 'expected', message: 'is required' }]
		});
		expect(parseQuestionsJsonl('{"question":"b"}\n{"question":""}\nnope')).toEqual({
			ok: false,
			errors: [
				{ line: 2, field: 'question', message: 'must be non-empty text' },
				{ line: 3, field: '', message: expect.stringMatching(/^is not valid JSON/) }
			]
		});
		expect(() => readQuestions('q.jsonl', '[]')).toThrow(KbFileError);
		expect(() => readQuestions('q.jsonl', '[]')).toThrow(/q\.jsonl:1: must be a JSON object/);
	});
});

describe('evaluateCitizen', () => {
	/** Answers from a table; a search scoped to an item looks up `question@code`. */
	function tableIndex(answers: Record<string, (Match & { aspect?: string })[]>): KbIndex {
		const codes: Record<string, string> = { 'service:A': 'A', 'faq-a': 'A' };
		return {
			size: 3,
			get: (id) => ({ id, title: id, body: id, serviceCode: codes[id] }),
			search: (q, opts) => answers[opts?.serviceCode ? `${q}@${opts.serviceCode}` : q] ?? []
		};
	}
	const a = (question: string, expected: string, more: Partial<CitizenEvalQuestion> = {}) =>
		({ question, kind: 'answerable', expected, lang: 'zh', ...more }) as CitizenEvalQuestion;
	const questions: CitizenEvalQuestion[] = [
		a('q1', 'service:A', { aspect: 'time_limit' }),
		a('q2', 'faq-a'),
		a('q3', 'service:A', { aspect: 'fee' }),
		a('q4', 'faq-b', { lang: 'en' }),
		// asked within item A (p1's best entry is A's), answered from it whatever its confidence
		a('f1', 'service:A', { previous: 'p1' }),
		// p2's best entry belongs to no item: f2 is asked alone
		a('f2', 'faq-a', { previous: 'p2' }),
		{ question: 'o1', kind: 'off_topic', expected: null, lang: 'zh' },
		{ question: 'o2', kind: 'off_topic', expected: null, lang: 'zh' },
		{ question: 'g1', kind: 'gap', expected: null, lang: 'zh' }
	];
	const answers = (withAspects: boolean) =>
		tableIndex({
			q1: [{ ...m('service:A'), ...(withAspects ? { aspect: 'time_limit' } : {}) }],
			q2: [m('faq-b'), m('faq-a')],
			q3: [{ ...m('service:A', 0.2), ...(withAspects ? { aspect: 'place' } : {}) }],
			p1: [m('service:A')],
			'f1@A': [m('service:A', 0)],
			f1: [m('faq-b')],
			p2: [m('faq-b')],
			f2: [m('faq-a')],
			o1: [m('faq-b', 0.2)],
			o2: [m('faq-b', 0.8)]
		});

	it('gives the figures worked out by hand, per kind, for English and for follow-ups', () => {
		const report = evaluateCitizen(answers(true), questions, { threshold: 0.5 });
		// answerable ranks 1, 2, 1, none, 1, 1: top1 4/6, top5 5/6, MRR (4 + 1/2)/6; answered: q1,
		// f1 (in its item's context), f2; q3 is right but under the threshold
		expect(report).toMatchObject({
			count: 9,
			answerable: { count: 6, top1: 0.6667, top5: 0.8333, mrr10: 0.75, answeredCorrect: 0.5 },
			english: { count: 1, top1: 0, top5: 0, mrr10: 0, answeredCorrect: 0 },
			followUps: { count: 2, top1: 1, top5: 1, mrr10: 1, answeredCorrect: 1 },
			// q1 right item and aspect; q3 right item, wrong aspect
			aspect: { count: 2, accuracy: 0.5 },
			offTopic: { count: 2, rejected: 0.5 },
			gap: { count: 1, rejected: 1 }
		});
	});

	it('says aspect accuracy is not available while the engine reports no aspect', () => {
		const report = evaluateCitizen(answers(false), questions, { threshold: 0.5 });
		expect(report.aspect).toEqual({ count: 2, accuracy: ASPECT_NOT_REPORTED });
		expect(report.answerable.top1).toBe(0.6667);
	});

	it('reports each wrong answer of an answerable question', () => {
		const missed: string[] = [];
		evaluateCitizen(answers(false), questions, {
			threshold: 0.5,
			onMiss: (q) => missed.push(q.question)
		});
		expect(missed).toEqual(['q2', 'q4']);
	});
});

describe('citizen question files', () => {
	it('need a kind, a language, an expected entry for an answerable question and a known aspect', () => {
		const ids = new Set(['service:A', 'faq-a']);
		const ok = parseCitizenJsonl(
			'{"question":"要带啥","kind":"answerable","expected":"service:A","aspect":"materials","previous":"开店","lang":"zh"}\n' +
				'{"question":"hi","kind":"off_topic","expected":null,"lang":"en"}',
			ids
		);
		expect(ok).toEqual({
			ok: true,
			questions: [
				{
					question: '要带啥',
					kind: 'answerable',
					expected: 'service:A',
					aspect: 'materials',
					previous: '开店',
					lang: 'zh'
				},
				{ question: 'hi', kind: 'off_topic', expected: null, lang: 'en' }
			]
		});
		const bad = parseCitizenJsonl(
			[
				'{"question":"a","kind":"answerable","expected":"faq-x","lang":"zh"}',
				'{"question":"b","kind":"gap","expected":"faq-a","lang":"zh"}',
				'{"question":"c","kind":"answerable","expected":"faq-a","aspect":"fee","lang":"zh"}',
				'{"question":"d","kind":"maybe","expected":null,"lang":"fr","extra":1}'
			].join('\n'),
			ids
		);
		expect(bad).toEqual({
			ok: false,
			errors: [
				{ line: 1, field: 'expected', message: 'is not an id of the KB (faq-x)' },
				{
					line: 2,
					field: 'expected',
					message: 'must be null for a question the KB does not answer'
				},
				{
					line: 3,
					field: 'aspect',
					message: "belongs to a question about an item (expected 'service:…')"
				},
				{ line: 4, field: 'extra', message: 'is not a known field' },
				{ line: 4, field: 'kind', message: 'must be one of answerable, off_topic, gap' },
				{ line: 4, field: 'lang', message: 'must be one of zh, en' }
			]
		});
	});
});

describe('the plain reference engine', () => {
	const entries = readKb('small-kb.jsonl', read('small-kb.jsonl'));
	const index = buildPlainBm25Index(entries);

	it('cuts Chinese into bigrams and keeps Latin words', () => {
		expect(plainTerms('公积金 ABC 啥？')).toEqual(['公积', '积金', 'abc', '啥']);
	});

	it('ranks by shared bigrams, with no synonyms or typo corrections', () => {
		expect(index.search('公积金租房提取要什么材料')[0].id).toBe('service:T-002');
		// 公基金 is a typo the default engine corrects; the plain one knows only 金
		expect(index.search('公基金').map((x) => x.id)).not.toContain('service:T-002');
		expect(index.search('今天天气怎么样')[0]?.confidence ?? 0).toBeLessThan(CONFIDENCE_THRESHOLD);
		expect(index.search('一类银行卡', { serviceCode: 'T-001' })).toEqual([]);
	});
});

describe('the seeded split of the citizen set', () => {
	const q = (question: string, kind: CitizenEvalQuestion['kind'], expected: string | null) =>
		({ question, kind, expected, lang: 'zh' }) as CitizenEvalQuestion;
	const all = [
		...Array.from({ length: 6 }, (_, i) => q(`甲${i}`, 'answerable', 'service:A')),
		q('俺想开个小卖铺，要办啥手续', 'answerable', 'service:A'),
		q('我想开个小店', 'answerable', 'service:A'),
		q('办营业执照要多久', 'answerable', 'service:A'),
		q('开小卖部要办营业执照吗', 'answerable', 'service:A'),
		{ ...q('那要带啥东西去', 'answerable', 'service:A'), previous: '俺想开个小卖铺，要办啥手续' },
		...Array.from({ length: 4 }, (_, i) => q(`乙${i}`, 'answerable', 'faq-b')),
		...Array.from({ length: 5 }, (_, i) => q(`丙${i}`, 'off_topic', null)),
		...Array.from({ length: 4 }, (_, i) => q(`丁${i}`, 'gap', null))
	];

	it('halves every stratum, pins the issue questions to dev, and does not depend on order', () => {
		expect(SEED).toBe(20251130);
		const { dev, holdout } = split(all);
		expect(dev.length + holdout.length).toBe(all.length);
		const count = (list: CitizenEvalQuestion[], kind: string, expected: string | null) =>
			list.filter((x) => x.kind === kind && x.expected === expected).length;
		// 11 for service:A: 6 and 5 (the odd stratum's extra goes to dev first), all five issue questions in dev
		expect([
			count(dev, 'answerable', 'service:A'),
			count(holdout, 'answerable', 'service:A')
		]).toEqual([6, 5]);
		expect([count(dev, 'answerable', 'faq-b'), count(holdout, 'answerable', 'faq-b')]).toEqual([
			2, 2
		]);
		expect(count(dev, 'off_topic', null) + count(holdout, 'off_topic', null)).toBe(5);
		expect(Math.abs(count(dev, 'off_topic', null) - count(holdout, 'off_topic', null))).toBe(1);
		expect([count(dev, 'gap', null), count(holdout, 'gap', null)]).toEqual([2, 2]);
		for (const issue of [
			'俺想开个小卖铺，要办啥手续',
			'我想开个小店',
			'办营业执照要多久',
			'开小卖部要办营业执照吗',
			'那要带啥东西去'
		])
			expect(dev.map((x) => x.question)).toContain(issue);
		expect(split([...all].reverse())).toEqual({ dev, holdout });
	});

	it('reproduces the committed halves from their union', { timeout: CLI_TIMEOUT }, async () => {
		const ids = new Set(
			readKb('demo-kb.jsonl', fs.readFileSync(`${root}data/kb/demo-kb.jsonl`, 'utf8')).map(
				(e) => e.id
			)
		);
		const half = (f: string) =>
			readCitizenQuestions(f, fs.readFileSync(`${root}data/kb/${f}`, 'utf8'), ids);
		const dev = half('citizen-dev.jsonl');
		const holdout = half('citizen-holdout.jsonl');
		expect(split([...holdout, ...dev])).toEqual({ dev, holdout });
	});
});

describe('kb:eval --citizen', () => {
	it('reports both halves for every engine named', { timeout: CLI_TIMEOUT }, async () => {
		const { stdout } = await run(
			process.execPath,
			[
				'scripts/kb-eval.ts',
				'--citizen',
				'--kb',
				fixture('small-kb.jsonl'),
				'--dev',
				fixture('small-citizen.jsonl'),
				'--holdout',
				fixture('small-citizen.jsonl'),
				'--engine',
				'bm25',
				'--engine',
				'plain'
			],
			{ cwd: root }
		);
		const report = JSON.parse(stdout);
		expect(report.threshold).toBe(CONFIDENCE_THRESHOLD);
		expect(report.followUps).toMatch(/previous question/);
		expect(
			report.results.map((r: { set: string; engine: string }) => `${r.set}/${r.engine}`)
		).toEqual(['dev/bm25', 'holdout/bm25', 'dev/plain', 'holdout/plain']);
		for (const r of report.results)
			expect(r).toMatchObject({
				count: 6,
				answerable: { count: 4 },
				english: { count: 1 },
				followUps: { count: 1 },
				// the default engine routes aspect questions (aspects.ts); plain reports none
				aspect: {
					count: 2,
					accuracy: r.engine === 'plain' ? ASPECT_NOT_REPORTED : expect.any(Number)
				},
				offTopic: { count: 1 },
				gap: { count: 1 }
			});
		// the same questions on both sides give the same figures
		expect(report.results[0].answerable).toEqual(report.results[1].answerable);
	});
});

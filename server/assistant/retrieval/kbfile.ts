// Reading the files of `kb:eval`: a KB (JSONL, shared/schemas/kb.ts) and question sets
// ({"question","expected"} per line, or {"question"} for out-of-domain ones; the citizen set's format in
// citizen-questions.ts).
import { parseKbJsonl, type KbLineError } from '../../../shared/schemas/kb.ts';
import { parseCitizenJsonl, type CitizenQuestion } from './citizen-questions.ts';
import type { EvalQuestion } from './evaluate.ts';
import type { KbEntry } from './types.ts';

export { parseKbJsonl, formatKbLineError, type KbLineError } from '../../../shared/schemas/kb.ts';

export class KbFileError extends Error {
	readonly file: string;
	readonly errors: KbLineError[];
	constructor(file: string, errors: KbLineError[]) {
		super(
			`${file}: ${errors.length} bad line${errors.length === 1 ? '' : 's'}\n` +
				errors
					.map((e) => `${file}:${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`)
					.join('\n')
		);
		this.file = file;
		this.errors = errors;
	}
}

/** The entries of a KB file's text; throws KbFileError naming `file` and every bad line. */
export function readKb(file: string, text: string): KbEntry[] {
	const parsed = parseKbJsonl(text);
	if (!parsed.ok) throw new KbFileError(file, parsed.errors);
	if (!parsed.entries.length)
		throw new KbFileError(file, [{ line: 1, field: '', message: 'has no entries' }]);
	// linked questions are indexed as the entry's tags, as the live index does (assistant/kb.ts)
	return parsed.entries.map(({ paraphrases, ...e }) =>
		paraphrases?.length ? { ...e, tags: [...(e.tags ?? []), ...paraphrases] } : e
	);
}

/**
 * Question lines. With `knownIds`, each line needs an `expected` id found there; without, only
 * `question` (out-of-domain sets). All or nothing, like KB files.
 */
export function parseQuestionsJsonl(
	text: string,
	knownIds?: ReadonlySet<string>
): { ok: true; questions: EvalQuestion[] } | { ok: false; errors: KbLineError[] } {
	const questions: EvalQuestion[] = [];
	const errors: KbLineError[] = [];
	text.split(/\r?\n/).forEach((raw, i) => {
		const line = i + 1;
		if (raw.trim() === '') return;
		let v: unknown;
		try {
			v = JSON.parse(raw);
		} catch (e) {
			errors.push({ line, field: '', message: `is not valid JSON (${(e as Error).message})` });
			return;
		}
		if (typeof v !== 'object' || v === null || Array.isArray(v)) {
			errors.push({ line, field: '', message: 'must be a JSON object' });
			return;
		}
		const o = v as Record<string, unknown>;
		const before = errors.length;
		if (typeof o.question !== 'string' || !o.question.trim())
			errors.push({
				line,
				field: 'question',
				message: o.question === undefined ? 'is required' : 'must be non-empty text'
			});
		if (knownIds) {
			if (typeof o.expected !== 'string' || !o.expected)
				errors.push({
					line,
					field: 'expected',
					message: o.expected === undefined ? 'is required' : 'must be an entry id'
				});
			else if (!knownIds.has(o.expected))
				errors.push({ line, field: 'expected', message: `is not an id of the KB (${o.expected})` });
		}
		if (errors.length === before)
			questions.push({ question: o.question as string, expected: String(o.expected ?? '') });
	});
	return errors.length ? { ok: false, errors } : { ok: true, questions };
}

export function readQuestions(
	file: string,
	text: string,
	knownIds?: ReadonlySet<string>
): EvalQuestion[] {
	const parsed = parseQuestionsJsonl(text, knownIds);
	if (!parsed.ok) throw new KbFileError(file, parsed.errors);
	return parsed.questions;
}

/** A citizen question file (citizen-questions.ts); throws KbFileError naming `file` and every bad line. */
export function readCitizenQuestions(
	file: string,
	text: string,
	knownIds: ReadonlySet<string>
): CitizenQuestion[] {
	const parsed = parseCitizenJsonl(text, knownIds);
	if (!parsed.ok) throw new KbFileError(file, parsed.errors);
	return parsed.questions;
}

// The citizen question set of issue 25 (data/kb/citizen-*.jsonl): questions as people ask them,
// each one answerable (with the entry that answers it and, for a question about one field of an
// item, that aspect), off topic (no government business at all) or a gap (government business
// the KB does not cover). A follow-up names the earlier question of its conversation.
import type { KbLineError } from '../../../shared/schemas/kb.ts';

export const QUESTION_KINDS = ['answerable', 'off_topic', 'gap'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The fields of an item's entry a question can ask about (service-entry.ts writes them). */
export const ASPECTS = ['time_limit', 'fee', 'place', 'materials', 'conditions', 'online'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export interface CitizenQuestion {
	question: string;
	kind: QuestionKind;
	/** the answering entry's id (answerable), null otherwise */
	expected: string | null;
	aspect?: Aspect;
	/** the earlier question of the same conversation */
	previous?: string;
	lang: Lang;
}

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
	typeof v === 'string' && (list as readonly string[]).includes(v);

const KEYS = new Set(['question', 'kind', 'expected', 'aspect', 'previous', 'lang']);

/**
 * Parses a citizen question file. With `knownIds`, an answerable question's `expected` must be an
 * id there. All or nothing: every bad line is reported with its number and field.
 */
export function parseCitizenJsonl(
	text: string,
	knownIds?: ReadonlySet<string>
): { ok: true; questions: CitizenQuestion[] } | { ok: false; errors: KbLineError[] } {
	const questions: CitizenQuestion[] = [];
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
		const bad = (field: string, message: string) => errors.push({ line, field, message });
		for (const key of Object.keys(o)) if (!KEYS.has(key)) bad(key, 'is not a known field');
		if (typeof o.question !== 'string' || !o.question.trim())
			bad('question', o.question === undefined ? 'is required' : 'must be non-empty text');
		if (!oneOf(QUESTION_KINDS, o.kind)) bad('kind', `must be one of ${QUESTION_KINDS.join(', ')}`);
		if (!oneOf(LANGS, o.lang)) bad('lang', `must be one of ${LANGS.join(', ')}`);
		if (o.kind === 'answerable') {
			if (typeof o.expected !== 'string' || !o.expected)
				bad('expected', 'must be the id of the entry that answers it');
			else if (knownIds && !knownIds.has(o.expected))
				bad('expected', `is not an id of the KB (${o.expected})`);
		} else if (o.kind !== undefined && o.expected !== null)
			bad('expected', 'must be null for a question the KB does not answer');
		if (o.aspect !== undefined) {
			if (!oneOf(ASPECTS, o.aspect)) bad('aspect', `must be one of ${ASPECTS.join(', ')}`);
			else if (typeof o.expected !== 'string' || !o.expected.startsWith('service:'))
				bad('aspect', "belongs to a question about an item (expected 'service:…')");
		}
		if (o.previous !== undefined && (typeof o.previous !== 'string' || !o.previous.trim()))
			bad('previous', 'must be non-empty text');
		if (errors.length > before) return;
		questions.push({
			question: o.question as string,
			kind: o.kind as QuestionKind,
			expected: (o.expected as string | null) ?? null,
			...(o.aspect === undefined ? {} : { aspect: o.aspect as Aspect }),
			...(o.previous === undefined ? {} : { previous: o.previous as string }),
			lang: o.lang as Lang
		});
	});
	return errors.length ? { ok: false, errors } : { ok: true, questions };
}

/** One JSON line per question, fields in a fixed order (the committed files' format). */
export function formatCitizenJsonl(questions: readonly CitizenQuestion[]): string {
	return questions
		.map((q) =>
			JSON.stringify({
				question: q.question,
				kind: q.kind,
				expected: q.expected,
				...(q.aspect === undefined ? {} : { aspect: q.aspect }),
				...(q.previous === undefined ? {} : { previous: q.previous }),
				lang: q.lang
			})
		)
		.map((l) => `${l}\n`)
		.join('');
}

// The assistant's knowledge base (智能问答): one entry is a question-and-answer text, either a
// standalone FAQ or a service item turned into text. KB files are JSONL, one entry per line.
import { z } from 'zod';

export const KB_ID_MAX = 80;
export const KB_TITLE_MAX = 200;
export const KB_BODY_MAX = 20_000;
export const KB_TAG_MAX = 40;
export const KB_TAGS_MAX = 30;
/** An entry id: no spaces, and nothing that would break it as one segment of a URL path. */
// Cc: control characters (NUL, escapes); Cf: invisible format characters (zero-width, bidi)
export const KB_ID_PATTERN = /^[^\s/?#%\\\p{Cc}\p{Cf}]+$/u;
export const KB_ID_RULE = 'must not contain spaces, control or invisible characters, or / ? # % \\';

const text = (max: number) =>
	z
		.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
		.refine((s) => s.trim().length > 0, 'must not be empty')
		.refine((s) => s.length <= max, `must be at most ${max} characters`);

export const KbEntrySchema = z.strictObject(
	{
		id: z
			.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
			.min(1, 'must not be empty')
			.max(KB_ID_MAX, `must be at most ${KB_ID_MAX} characters`)
			.regex(KB_ID_PATTERN, KB_ID_RULE),
		title: text(KB_TITLE_MAX),
		body: text(KB_BODY_MAX),
		tags: z
			.array(
				z
					.string({ error: 'must be a list of text' })
					.min(1, 'must not contain empty tags')
					.max(KB_TAG_MAX, `must contain tags of at most ${KB_TAG_MAX} characters`),
				{ error: 'must be a list of text' }
			)
			.max(KB_TAGS_MAX, `must have at most ${KB_TAGS_MAX} tags`)
			.optional(),
		serviceCode: z
			.string({ error: 'must be text' })
			.regex(/^[A-Za-z0-9-]{3,40}$/, 'must be 3-40 letters, digits or -')
			.optional(),
		// questions staff linked to the entry in the learning queue (issue 25): indexed as its tags
		paraphrases: z
			.array(
				z
					.string({ error: 'must be a list of text' })
					.min(1, 'must not contain empty paraphrases')
					.max(200, 'must contain paraphrases of at most 200 characters'),
				{ error: 'must be a list of text' }
			)
			.max(1000, 'must have at most 1000 paraphrases')
			.optional(),
		// a service item's entry in English (its English name): what English questions search
		en: z
			.strictObject(
				{
					title: text(KB_TITLE_MAX),
					text: text(KB_BODY_MAX),
					tags: z
						.array(z.string().min(1).max(KB_TAG_MAX), { error: 'must be a list of text' })
						.max(KB_TAGS_MAX, `must have at most ${KB_TAGS_MAX} tags`)
						.optional()
				},
				{ error: () => 'must be an object with title, text and optional tags' }
			)
			.optional()
	},
	{ error: (i) => (i.code === 'unrecognized_keys' ? 'is not a known field' : 'must be an object') }
);
export type KbEntryInput = z.infer<typeof KbEntrySchema>;

/** One problem of a KB file: 1-based line number, the field ("" for the whole line) and why. */
export interface KbLineError {
	line: number;
	field: string;
	message: string;
}

export type KbParseResult =
	{ ok: true; entries: KbEntryInput[] } | { ok: false; entries: []; errors: KbLineError[] };

/**
 * Parses a KB file (JSONL). Blank lines are skipped. All or nothing: a file with any bad line
 * (malformed JSON, missing or invalid field, unknown field, duplicate id) yields no entries and
 * every problem found, each naming its line.
 */
export function parseKbJsonl(text: string): KbParseResult {
	const entries: KbEntryInput[] = [];
	const errors: KbLineError[] = [];
	const seen = new Map<string, number>();
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = i + 1;
		if (raw.trim() === '') return;
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch (e) {
			errors.push({ line, field: '', message: `is not valid JSON (${(e as Error).message})` });
			return;
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			errors.push({ line, field: '', message: 'must be a JSON object' });
			return;
		}
		const parsed = KbEntrySchema.safeParse(value);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const keys = issue.code === 'unrecognized_keys' ? issue.keys : [''];
				for (const key of keys)
					errors.push({
						line,
						field: [...issue.path, ...(key ? [key] : [])].map(String).join('.'),
						message: issue.message
					});
			}
			return;
		}
		const first = seen.get(parsed.data.id);
		if (first !== undefined) {
			errors.push({ line, field: 'id', message: `duplicates the id on line ${first}` });
			return;
		}
		seen.set(parsed.data.id, line);
		entries.push(parsed.data);
	});
	return errors.length ? { ok: false, entries: [], errors } : { ok: true, entries };
}

/** "line 3, title: must not be empty" */
export function formatKbLineError(e: KbLineError): string {
	return `line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`;
}

/** Serialises entries as a KB file: one JSON object per line, fields in a fixed order. */
export function formatKbJsonl(entries: readonly KbEntryInput[]): string {
	return entries
		.map((e) =>
			JSON.stringify({
				id: e.id,
				title: e.title,
				body: e.body,
				...(e.tags?.length ? { tags: e.tags } : {}),
				...(e.serviceCode ? { serviceCode: e.serviceCode } : {}),
				...(e.en ? { en: e.en } : {}),
				...(e.paraphrases?.length ? { paraphrases: e.paraphrases } : {})
			})
		)
		.map((line) => line + '\n')
		.join('');
}

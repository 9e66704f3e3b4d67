// 智能表单: one definition drives the rendered form and the validation on both sides.
import { z } from 'zod';
import { idNumberProblem, isValidCreditCode } from './validators.ts';

/**
 * The reasons the server gives for a refused value (the `fields` of a 400), by code, so the
 * page can say each in the reader's language; other reasons (a template's own pattern message,
 * length limits) are shown as given.
 */
export const FIELD_REASONS = {
	required: 'is required',
	id_format: 'must be 18 characters: 17 digits and a check digit (0-9 or X)',
	id_birth_date: 'does not contain a real birth date',
	id_check_digit: 'has a wrong check digit',
	credit_code: 'is not a valid unified social credit code',
	phone: 'must be an 11-digit mobile number starting with 1',
	date: 'must be a date YYYY-MM-DD',
	choice: 'is not one of the choices',
	number: 'must be a number'
} as const;
export type FieldReason = keyof typeof FIELD_REASONS;
export const FIELD_REASON_CODES = Object.keys(FIELD_REASONS) as FieldReason[];

/** The code of a reason the server gave, or null for a reason without one. */
export function fieldReasonCode(message: string): FieldReason | null {
	return FIELD_REASON_CODES.find((code) => FIELD_REASONS[code] === message) ?? null;
}

const ID_REASON = {
	format: FIELD_REASONS.id_format,
	birth_date: FIELD_REASONS.id_birth_date,
	check_digit: FIELD_REASONS.id_check_digit
} as const;

export const FIELD_KINDS = [
	'text',
	'textarea',
	'number',
	'date',
	'select',
	'radio',
	'checkbox',
	'phone',
	'id_number',
	'credit_code',
	'address',
	'file'
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const FieldDefinition = z.object({
	key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'must be a short identifier'),
	kind: z.enum(FIELD_KINDS),
	label: z.string().min(1).max(60),
	guide: z
		.string()
		.max(400)
		.default('')
		.meta({ description: 'Plain-language help (零基础办事指南)' }),
	example: z.string().max(100).default(''),
	required: z.boolean().default(false),
	options: z.array(z.object({ value: z.string(), label: z.string() })).default([]),
	rules: z
		.object({
			min: z.number().optional(),
			max: z.number().optional(),
			minLength: z.number().int().optional(),
			maxLength: z.number().int().optional(),
			pattern: z.string().optional(),
			patternMessage: z.string().optional()
		})
		.default({}),
	/** Shown only when another field has one of these values. */
	visibleIf: z.object({ field: z.string(), in: z.array(z.string()) }).optional(),
	/** Masked on screens that do not need the full value (ID numbers). */
	sensitive: z.boolean().default(false)
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const TemplateDefinition = z
	.object({
		title: z.string().min(1).max(80),
		sections: z
			.array(
				z.object({ id: z.string(), title: z.string(), fields: z.array(FieldDefinition).min(1) })
			)
			.min(1)
	})
	.superRefine((t, ctx) => {
		const keys = t.sections.flatMap((s) => s.fields.map((f) => f.key));
		const dup = keys.find((k, i) => keys.indexOf(k) !== i);
		if (dup)
			ctx.addIssue({
				code: 'custom',
				path: ['sections'],
				message: `field key ${dup} is used twice`
			});
		for (const f of t.sections.flatMap((s) => s.fields))
			if (f.visibleIf && !keys.includes(f.visibleIf.field))
				ctx.addIssue({
					code: 'custom',
					path: ['sections'],
					message: `${f.key} depends on unknown field ${f.visibleIf.field}`
				});
	});
export type TemplateDefinition = z.infer<typeof TemplateDefinition>;

export type FieldValue = string | number | boolean | string[] | null;

export function allFields(t: TemplateDefinition): FieldDefinition[] {
	return t.sections.flatMap((s) => s.fields);
}

/** Whether a field is shown, given the current values. */
export function isVisible(field: FieldDefinition, values: Record<string, FieldValue>): boolean {
	if (!field.visibleIf) return true;
	const v = values[field.visibleIf.field];
	const list = Array.isArray(v) ? v : [String(v ?? '')];
	return list.some((x) => field.visibleIf!.in.includes(x));
}

const isEmpty = (v: FieldValue | undefined) =>
	v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The zod schema of one field's value (empty values are handled by `required`). */
export function valueSchema(field: FieldDefinition): z.ZodType {
	const r = field.rules;
	const text = () => {
		let s = z
			.string({ error: 'must be text' })
			.max(r.maxLength ?? 2000, `must be at most ${r.maxLength ?? 2000} characters`);
		if (r.minLength) s = s.min(r.minLength, `must be at least ${r.minLength} characters`);
		if (r.pattern) s = s.regex(new RegExp(r.pattern), r.patternMessage ?? 'has the wrong format');
		return s;
	};
	const choice = () =>
		z.string().refine((v) => field.options.some((o) => o.value === v), FIELD_REASONS.choice);
	switch (field.kind) {
		case 'text':
		case 'textarea':
		case 'address':
			return text();
		case 'number': {
			let n = z.number({ error: FIELD_REASONS.number });
			if (r.min !== undefined) n = n.min(r.min, `must be at least ${r.min}`);
			if (r.max !== undefined) n = n.max(r.max, `must be at most ${r.max}`);
			return n;
		}
		case 'date':
			return z.string().regex(/^\d{4}-\d{2}-\d{2}$/, FIELD_REASONS.date);
		case 'select':
		case 'radio':
			return choice();
		case 'checkbox':
			return z.array(choice());
		case 'phone':
			return z.string().regex(/^1[3-9]\d{9}$/, FIELD_REASONS.phone);
		case 'id_number':
			return z.string().superRefine((v, ctx) => {
				const problem = idNumberProblem(v);
				if (problem) ctx.addIssue({ code: 'custom', message: ID_REASON[problem] });
			});
		case 'credit_code':
			return z.string().refine(isValidCreditCode, FIELD_REASONS.credit_code);
		case 'file':
			return z.array(z.string()).meta({ description: 'document ids' });
	}
}

/** Errors of one field's value, or null. */
export function fieldError(field: FieldDefinition, value: FieldValue | undefined): string | null {
	if (isEmpty(value)) return null;
	const parsed = valueSchema(field).safeParse(value);
	return parsed.success ? null : parsed.error.issues[0].message;
}

/** Every problem of a whole form: required visible fields that are empty, and bad values. */
export function validateForm(
	t: TemplateDefinition,
	values: Record<string, FieldValue>
): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const field of allFields(t)) {
		if (!isVisible(field, values)) continue;
		const value = values[field.key];
		if (isEmpty(value)) {
			if (field.required) errors[field.key] = FIELD_REASONS.required;
			continue;
		}
		const error = fieldError(field, value);
		if (error) errors[field.key] = error;
	}
	return errors;
}

import { z } from 'zod';
import { ORG_LEVELS } from '../roles.ts';
import { CHANNELS } from '../channels.ts';

export { CHANNELS };
export const ChannelSchema = z.enum(CHANNELS, { error: 'must be video or onsite' });
export type Channel = z.infer<typeof ChannelSchema>;
export const ApproveLevelSchema = z.enum(['city', 'district', 'township'], {
	error: 'must be city, district or township'
});
export const LevelSchema = z.enum(ORG_LEVELS, { error: `must be one of ${ORG_LEVELS.join(', ')}` });

export const MaterialSchema = z.object({
	name: z.string(),
	description: z.string(),
	required: z.boolean(),
	key: z.boolean().meta({
		description: 'A key material (不可容缺): never accepted on a promise to hand it in later'
	})
});

export const DepartmentSchema = z.object({
	id: z.string(),
	code: z.string(),
	name: z.string(),
	orgUnitId: z.string()
});
export type Department = z.infer<typeof DepartmentSchema>;

export const BundleSummarySchema = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const ServiceSummarySchema = z.object({
	id: z.string(),
	code: z.string(),
	name: z.string(),
	nameEn: z.string().nullable().meta({ description: 'English name; null when the item has none' }),
	category: z.string(),
	department: DepartmentSchema,
	channels: z.array(ChannelSchema),
	acceptLevels: z.array(LevelSchema),
	approveLevel: ApproveLevelSchema,
	feeFen: z.number().int(),
	timeLimitDays: z.number().int()
});
export type ServiceSummary = z.infer<typeof ServiceSummarySchema>;

export const ServiceItemSchema = ServiceSummarySchema.extend({
	description: z.string().meta({ description: 'The guide (办事指南)' }),
	keywords: z.array(z.string()),
	formTemplateId: z.string().nullable(),
	materials: z.array(MaterialSchema),
	bundles: z.array(BundleSummarySchema)
});
export type ServiceItem = z.infer<typeof ServiceItemSchema>;

export const BundleSchema = BundleSummarySchema.extend({
	description: z.string(),
	itemIds: z.array(z.string())
});
export type Bundle = z.infer<typeof BundleSchema>;

export const ServiceQuery = z.object({
	q: z.string().max(100, 'must be at most 100 characters').optional(),
	level: LevelSchema.optional(),
	channel: ChannelSchema.optional(),
	department: z.string().optional().meta({ description: 'department code' }),
	bundle: z.string().optional().meta({ description: 'bundle code' })
});

/** One row of a catalog import file (JSONL object, or CSV row with `|`-separated lists). */
const list = <T extends z.ZodType>(item: T) =>
	z.preprocess(
		(v) =>
			typeof v === 'string'
				? v
						.split('|')
						.map((s) => s.trim())
						.filter(Boolean)
				: v,
		z.array(item)
	);
const text = (max: number) =>
	z
		.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
		.transform((s) => s.normalize('NFC').trim())
		.pipe(z.string().min(1, 'is required').max(max, `must be at most ${max} characters`));
const int = (label: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v === '' ? undefined : v),
		z
			.number({ error: `must be a whole number (${label})` })
			.int(`must be a whole number (${label})`)
			.min(0, 'must not be negative')
	);

export const ImportRowSchema = z.object({
	code: z
		.string({ error: 'is required' })
		.trim()
		.regex(/^[A-Za-z0-9-]{3,40}$/, 'must be 3-40 letters, digits or -'),
	name: text(100),
	/** the item's English name, for questions asked in English (optional; CSV: an empty cell) */
	nameEn: z
		.string({ error: 'must be text' })
		.transform((s) => s.normalize('NFC').trim())
		.pipe(z.string().max(150, 'must be at most 150 characters'))
		.optional()
		.transform((s) => s || undefined),
	departmentCode: text(40),
	category: z
		.string()
		.trim()
		.regex(/^[A-Z]$/, 'must be one capital letter')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	description: z
		.string()
		.transform((s) => s.normalize('NFC').trim())
		.default(''),
	feeFen: int('fen').default(0),
	timeLimitDays: int('days'),
	channels: list(ChannelSchema).pipe(z.array(ChannelSchema).min(1, 'needs at least one channel')),
	acceptLevels: list(LevelSchema).pipe(z.array(LevelSchema).min(1, 'needs at least one level')),
	approveLevel: ApproveLevelSchema,
	materials: z
		.preprocess(
			(v) =>
				typeof v === 'string'
					? v
							.split('|')
							.map((s) => s.trim())
							.filter(Boolean)
							.map((s) =>
								s.endsWith('?') ? { name: s.slice(0, -1), required: false } : { name: s }
							)
					: v,
			z.array(
				z.object({
					name: text(100),
					description: z.string().default(''),
					required: z.boolean().default(true),
					key: z.boolean().default(false)
				})
			)
		)
		.default([]),
	keywords: list(z.string()).default([]),
	bundles: list(z.string()).default([]),
	formTemplateId: z
		.string()
		.trim()
		.optional()
		.or(z.literal('').transform(() => undefined))
});
export type ImportRow = z.infer<typeof ImportRowSchema>;

export const ImportInput = z.object({
	format: z.enum(['jsonl', 'csv'], { error: 'must be jsonl or csv' }),
	content: z.string({ error: 'is required' }).min(1, 'is empty'),
	mode: z
		.enum(['all-or-nothing', 'skip-bad'], { error: 'must be all-or-nothing or skip-bad' })
		.default('all-or-nothing')
});
export type ImportInput = z.infer<typeof ImportInput>;

export const ImportReport = z.object({
	applied: z.boolean(),
	total: z.number().int(),
	created: z.number().int(),
	updated: z.number().int(),
	unchanged: z.number().int(),
	rejected: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() }))
});
export type ImportReport = z.infer<typeof ImportReport>;

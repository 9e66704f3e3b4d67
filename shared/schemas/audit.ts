import { z } from 'zod';
import { isDateString } from '../dates.ts';

const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
	.refine(isDateString, 'is not a calendar date');

export const AuditQuery = z.object({
	actor: z.string().trim().max(64).optional().meta({ description: 'A user id or name' }),
	action: z
		.string()
		.regex(/^[a-z_]+(\.[a-z_]+)?$/, 'must be an action such as auth.login, or a group such as auth')
		.optional(),
	from: day.optional().meta({ description: 'First hall-local day, inclusive' }),
	to: day.optional().meta({ description: 'Last hall-local day, inclusive' }),
	before: z.coerce.number().int().min(1).optional().meta({
		description: 'Older than this entry (the `next` of the previous page)'
	}),
	limit: z.coerce.number().int().min(1).max(500).default(100)
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntrySchema = z.object({
	seq: z.number().int(),
	at: z.string(),
	actorId: z.string().nullable(),
	actorName: z.string().nullable(),
	actorRole: z.string().nullable(),
	ip: z.string().nullable(),
	action: z.string(),
	targetType: z.string().nullable(),
	targetId: z.string().nullable(),
	detail: z.record(z.string(), z.unknown())
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;

export const AuditPage = z.object({
	entries: z.array(AuditEntrySchema),
	next: z.number().int().nullable().meta({ description: 'Pass as `before` for the next page' }),
	actions: z.array(z.string()).meta({ description: 'Every action the trail records' })
});
export type AuditPage = z.infer<typeof AuditPage>;

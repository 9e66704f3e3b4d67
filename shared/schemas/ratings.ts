// 好差评 (ratings of one service), 回访整改 (follow-up of bad ratings) and the working-day
// calendar. Used by the API (validation, OpenAPI) and the web (forms, types).
import { z } from 'zod';
import { isDateString } from '../dates.ts';

export const RATING_SUBJECT_TYPES = ['session', 'case'] as const;
export type RatingSubjectType = (typeof RATING_SUBJECT_TYPES)[number];

/** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const RATING_SCORES = [5, 4, 3, 2, 1] as const;
/** A score at or below this is a bad rating (差评): it opens a follow-up. */
export const BAD_SCORE_MAX = 2;
/** A rating may be changed (PUT) for this long after it was first given. */
export const RATING_CHANGE_WINDOW_HOURS = 24;
/** A follow-up is due this many working days after the day of the bad rating. */
export const FOLLOWUP_WORKING_DAYS = 15;
export const COMMENT_MAX = 500;

/**
 * The fixed reason tags. Stored and sent as codes; the UI shows them through its message
 * catalogue (`zh` is the reference wording). Bad reasons go with scores 1-3, good ones with 3-5
 * (3 基本满意 may carry either).
 */
export const RATING_TAGS = [
	{ code: 'long_wait', polarity: 'bad', zh: '等候时间长' },
	{ code: 'bad_attitude', polarity: 'bad', zh: '态度不好' },
	{ code: 'unfamiliar', polarity: 'bad', zh: '业务不熟' },
	{ code: 'not_done_at_once', polarity: 'bad', zh: '一次没办成' },
	{ code: 'unclear_materials', polarity: 'bad', zh: '材料要求不清' },
	{ code: 'system_lag', polarity: 'bad', zh: '系统卡顿' },
	{ code: 'patient', polarity: 'good', zh: '热情耐心' },
	{ code: 'efficient', polarity: 'good', zh: '办事高效' },
	{ code: 'clear_explanation', polarity: 'good', zh: '解释清楚' }
] as const;
export type RatingTagCode = (typeof RATING_TAGS)[number]['code'];
export const RATING_TAG_CODES = RATING_TAGS.map((t) => t.code) as [
	RatingTagCode,
	...RatingTagCode[]
];

/** May this tag go with this score? */
export function tagFitsScore(code: RatingTagCode, score: number): boolean {
	const tag = RATING_TAGS.find((t) => t.code === code);
	if (!tag) return false;
	return tag.polarity === 'bad' ? score <= 3 : score >= 3;
}

/** The tags a rating form offers for a score. */
export function tagsForScore(score: number): RatingTagCode[] {
	return RATING_TAG_CODES.filter((code) => tagFitsScore(code, score));
}

const score = z
	.number({ error: 'must be a whole number from 1 to 5' })
	.int('must be a whole number from 1 to 5')
	.min(1, 'must be a whole number from 1 to 5')
	.max(5, 'must be a whole number from 1 to 5')
	.meta({ description: '5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意' });

const tags = z
	.array(z.enum(RATING_TAG_CODES, { error: `must be one of ${RATING_TAG_CODES.join(', ')}` }), {
		error: 'must be a list of reason tags'
	})
	.max(RATING_TAGS.length, `at most ${RATING_TAGS.length} tags`)
	.refine((list) => new Set(list).size === list.length, 'lists a tag twice')
	.default([]);

const comment = z
	.string({ error: 'must be text' })
	.transform((s) => s.normalize('NFC').trim())
	.pipe(z.string().max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`))
	.default('')
	.meta({ description: `Trimmed; at most ${COMMENT_MAX} characters` });

/** Reason tags must fit the score (bad reasons with 1-3, good ones with 3-5). */
function tagsFitScore(value: { score: number; tags: RatingTagCode[] }, ctx: z.RefinementCtx) {
	const misfit = value.tags.filter((t) => !tagFitsScore(t, value.score));
	if (misfit.length)
		ctx.addIssue({
			code: 'custom',
			path: ['tags'],
			message: `${misfit.join(', ')} cannot go with a score of ${value.score}`
		});
}

export const CreateRatingInput = z
	.object({
		subjectType: z.enum(RATING_SUBJECT_TYPES, { error: 'must be session or case' }),
		subjectId: z
			.string({ error: 'is required' })
			.min(1, 'is required')
			.max(64, 'must be at most 64 characters'),
		score,
		tags,
		comment
	})
	.superRefine(tagsFitScore);
export type CreateRatingInput = z.infer<typeof CreateRatingInput>;

/** A change replaces score, tags and comment (tags and comment default to empty). */
export const ChangeRatingInput = z.object({ score, tags, comment }).superRefine(tagsFitScore);
export type ChangeRatingInput = z.infer<typeof ChangeRatingInput>;

export const FOLLOWUP_STATUSES = ['open', 'contacted', 'resolved', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOWUP_STATUSES)[number];

/** The follow-up of a bad rating as its citizen sees it (no internal contact note). */
export const CitizenFollowUpSchema = z.object({
	status: z.enum(FOLLOWUP_STATUSES),
	dueDay: z.string().meta({ description: 'Hall-local date YYYY-MM-DD' }),
	overdue: z.boolean(),
	contactedAt: z.string().nullable(),
	resolution: z.string().nullable(),
	resolvedAt: z.string().nullable()
});

export const RatingSchema = z
	.object({
		id: z.string(),
		subjectType: z.enum(RATING_SUBJECT_TYPES),
		subjectId: z.string(),
		serviceId: z.string(),
		serviceName: z.string(),
		orgUnitId: z.string(),
		orgUnitName: z.string(),
		staffName: z.string().nullable(),
		score: z.number().int(),
		tags: z.array(z.enum(RATING_TAG_CODES)),
		comment: z.string(),
		createdAt: z.string(),
		updatedAt: z.string(),
		changeableUntil: z.string(),
		changeable: z.boolean().meta({ description: 'Still inside the change window (PUT allowed)' }),
		followUp: CitizenFollowUpSchema.nullable()
	})
	.meta({ id: 'Rating' });
export type Rating = z.infer<typeof RatingSchema>;

export const PendingRatingSchema = z.object({
	subjectType: z.enum(RATING_SUBJECT_TYPES),
	subjectId: z.string(),
	serviceId: z.string(),
	serviceName: z.string(),
	orgUnitName: z.string(),
	finishedAt: z.string().meta({ description: 'When the session ended or the case was completed' })
});
export type PendingRating = z.infer<typeof PendingRatingSchema>;

/** A follow-up as the supervisors of its org unit (and above) see it. */
export const FollowUpSchema = z
	.object({
		id: z.string(),
		ratingId: z.string(),
		status: z.enum(FOLLOWUP_STATUSES),
		dueDay: z.string().meta({ description: 'Hall-local date YYYY-MM-DD' }),
		overdue: z.boolean().meta({ description: 'Due day passed and not resolved' }),
		orgUnitId: z.string(),
		orgUnitName: z.string(),
		contactNote: z.string().nullable(),
		contactedAt: z.string().nullable(),
		resolution: z.string().nullable(),
		resolvedAt: z.string().nullable(),
		handledByName: z.string().nullable(),
		createdAt: z.string(),
		rating: z.object({
			subjectType: z.enum(RATING_SUBJECT_TYPES),
			subjectId: z.string(),
			serviceName: z.string(),
			score: z.number().int(),
			tags: z.array(z.enum(RATING_TAG_CODES)),
			comment: z.string(),
			createdAt: z.string(),
			staffId: z.string().nullable(),
			staffName: z.string().nullable(),
			citizenName: z.string(),
			citizenPhone: z
				.string()
				.nullable()
				.meta({ description: 'Masked in the list; in full on GET of one follow-up (回访)' })
		})
	})
	.meta({ id: 'RatingFollowUp' });
export type FollowUp = z.infer<typeof FollowUpSchema>;

const text = (max: number) =>
	z
		.string({ error: 'is required' })
		.transform((s) => s.normalize('NFC').trim())
		.pipe(z.string().min(1, 'is required').max(max, `must be at most ${max} characters`))
		.meta({ description: `Trimmed; 1 to ${max} characters` });

export const FollowUpContactInput = z.object({ note: text(500) });
export const FollowUpResolveInput = z.object({ resolution: text(1000) });

export const FollowUpQuery = z.object({
	status: z
		.enum(FOLLOWUP_STATUSES, { error: `must be one of ${FOLLOWUP_STATUSES.join(', ')}` })
		.optional(),
	overdue: z.enum(['true', 'false'], { error: 'must be true or false' }).optional()
});

export const CALENDAR_KINDS = ['holiday', 'workday'] as const;

export const CalendarDayParam = z.object({
	day: z
		.string({ error: 'is required' })
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
		.refine(isDateString, 'must be a real date YYYY-MM-DD')
		.meta({ example: '2026-10-01' })
});
export const CalendarDayInput = z.object({
	kind: z.enum(CALENDAR_KINDS, {
		error: 'must be holiday (day off) or workday (a weekend day worked, 调休)'
	}),
	name: z
		.string({ error: 'must be text' })
		.transform((s) => s.normalize('NFC').trim())
		.pipe(z.string().max(50, 'must be at most 50 characters'))
		.default('')
		.meta({ description: 'e.g. 国庆节 or 国庆节调休上班; trimmed, at most 50 characters' })
});
export type CalendarDayInput = z.infer<typeof CalendarDayInput>;
export const CalendarQuery = z.object({
	year: z
		.string()
		.regex(/^\d{4}$/, 'must be a year YYYY')
		.optional()
});
export const CalendarDaySchema = z.object({
	day: z.string(),
	kind: z.enum(CALENDAR_KINDS),
	name: z.string(),
	weekday: z.number().int().min(1).max(7).meta({ description: 'ISO: Monday = 1' })
});
export type CalendarDay = z.infer<typeof CalendarDaySchema>;

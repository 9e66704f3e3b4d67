// 入户办 (issue 23 item 2): a resident, or a proxy acting for them, asks the community's grid
// workers (网格员) to come to their home for a service item; a grid worker takes it, schedules
// the visit, records the resident's consent and starts a video ticket for them.
import { z } from 'zod';
import { phoneSchema } from './auth.ts';
import { ActedAsSchema } from './acting.ts';

/** Why the resident cannot come (the same words as the hall's priority reasons, and two more). */
export const HOME_VISIT_REASONS = ['elderly', 'sick', 'disabled', 'pregnant', 'other'] as const;
export const HOME_VISIT_STATUSES = [
	'open',
	'accepted',
	'scheduled',
	'started',
	'cancelled'
] as const;
export const CONSENT_METHODS = ['signature', 'verbal'] as const;

const id = z.string().min(1).max(64);

export const HomeVisitRequest = z.object({
	serviceId: id.meta({ description: 'The service item the resident needs' }),
	communityId: id.meta({
		description: "The resident's community (an org unit from GET /api/communities)"
	}),
	address: z.string().trim().min(4, 'is too short').max(200),
	phone: phoneSchema.optional().meta({ description: 'A number to reach the resident (or family)' }),
	reason: z.enum(HOME_VISIT_REASONS, { error: `must be one of ${HOME_VISIT_REASONS.join(', ')}` }),
	note: z.string().trim().max(500).optional()
});
export type HomeVisitRequest = z.infer<typeof HomeVisitRequest>;

export const HomeVisitListQuery = z.object({
	status: z.enum(HOME_VISIT_STATUSES).optional()
});

export const ScheduleInput = z.object({
	at: z.iso
		.datetime({ offset: true, error: 'must be an ISO date-time with its offset' })
		.meta({ description: 'When the grid worker will be at the home' })
});

export const ConsentInput = z
	.object({
		method: z.enum(CONSENT_METHODS, { error: "must be 'signature' or 'verbal'" }),
		signature: z
			.string()
			.regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'must be a PNG data URL')
			.max(400_000, 'is too large')
			.optional()
			.meta({ description: "The resident's signature drawn on the tablet (method signature)" })
	})
	.superRefine((v, ctx) => {
		if (v.method === 'signature' && !v.signature)
			ctx.addIssue({ code: 'custom', path: ['signature'], message: 'is required' });
	});

const Person = z.object({ id: z.string(), name: z.string() });

export const HomeVisitEvent = z.object({
	type: z.string(),
	actor: Person,
	actedAs: ActedAsSchema,
	actedFor: Person.nullable().meta({ description: 'The resident, when someone else acted' }),
	payload: z.record(z.string(), z.unknown()),
	at: z.string()
});

export const HomeVisitSchema = z.object({
	id: z.string(),
	status: z.enum(HOME_VISIT_STATUSES),
	resident: Person.meta({ description: 'The applicant (居民)' }),
	requestedBy: Person.extend({ as: z.enum(['self', 'proxy']) }),
	community: Person,
	serviceId: z.string(),
	serviceName: z.string(),
	address: z.string(),
	phone: z.string().nullable(),
	reason: z.enum(HOME_VISIT_REASONS),
	note: z.string().nullable(),
	gridWorker: Person.nullable(),
	acceptedAt: z.string().nullable(),
	visitAt: z.string().nullable(),
	consent: z
		.object({
			method: z.enum(CONSENT_METHODS),
			signed: z.boolean(),
			recordedBy: Person,
			at: z.string()
		})
		.nullable(),
	ticketId: z.string().nullable(),
	startedAt: z.string().nullable(),
	createdAt: z.string(),
	events: z.array(HomeVisitEvent).optional()
});
export type HomeVisit = z.infer<typeof HomeVisitSchema>;

export const CommunitySchema = z.object({
	id: z.string(),
	code: z.string(),
	name: z.string(),
	parentName: z.string().nullable()
});

/** 入户办 figures of one community over a range (GET /api/stats/home-visits). */
export const HomeVisitStatsRow = z.object({
	communityId: z.string(),
	communityName: z.string(),
	requests: z.number().int(),
	accepted: z.number().int(),
	visited: z.number().int(),
	medianWaitMinutes: z
		.number()
		.nullable()
		.meta({ description: 'Median minutes from the request to the visit (its video ticket)' }),
	ticketsStarted: z.number().int()
});
export type HomeVisitStatsRow = z.infer<typeof HomeVisitStatsRow>;

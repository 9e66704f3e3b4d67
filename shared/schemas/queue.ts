import { z } from 'zod';
import { ActedBySchema } from './acting.ts';
import { ChannelSchema, LevelSchema } from './catalog.ts';
import { PRIORITY_REASONS } from '../priority.ts';

export { PRIORITY_REASONS };
export const TICKET_STATUSES = [
	'waiting',
	'called',
	'serving',
	'done',
	'no_show',
	'cancelled'
] as const;

export const TICKET_CANCEL_REASONS = ['citizen', 'hall_closed'] as const;

export const TakeTicketInput = z
	.object({
		serviceId: z.string({ error: 'is required' }).min(1, 'is required').max(64).optional(),
		channel: ChannelSchema.optional(),
		appointmentId: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: 'Check in a booked appointment' }),
		hallId: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: 'Org unit of the hall; default: the item department’s' }),
		priorityReason: z
			.enum(PRIORITY_REASONS, { error: `must be one of ${PRIORITY_REASONS.join(', ')}` })
			.optional()
			.meta({ description: '绿色通道: elderly, disabled or pregnant' })
	})
	.superRefine(
		(v, ctx) => {
			if (!v?.appointmentId) {
				if (!v?.serviceId)
					ctx.addIssue({
						code: 'custom',
						path: ['serviceId'],
						message: 'is required without appointmentId'
					});
				if (!v?.channel)
					ctx.addIssue({
						code: 'custom',
						path: ['channel'],
						message: 'is required without appointmentId'
					});
			}
		},
		// run even when a field already failed, so one answer names every missing field
		{ when: () => true }
	);
export type TakeTicketInput = z.infer<typeof TakeTicketInput>;

export const KioskTicketInput = z.object({
	serviceId: z.string({ error: 'is required' }).min(1, 'is required').max(64),
	hallId: z.string({ error: 'is required' }).min(1, 'is required').max(64),
	priorityReason: z.enum(PRIORITY_REASONS).optional()
});

export const DeskRef = z.object({ id: z.string(), name: z.string() });

export const TicketSchema = z
	.object({
		id: z.string(),
		code: z.string(),
		status: z.enum(TICKET_STATUSES),
		category: z.string(),
		categoryName: z.string(),
		hallId: z.string(),
		hallName: z.string(),
		serviceId: z.string(),
		serviceName: z.string(),
		channel: ChannelSchema,
		priority: z.boolean(),
		priorityReason: z.enum(PRIORITY_REASONS).nullable(),
		appointmentId: z.string().nullable(),
		position: z
			.number()
			.int()
			.nullable()
			.meta({ description: 'Place in line (1 = next); null unless waiting' }),
		ahead: z.number().int().nullable(),
		estimatedWaitMinutes: z.number().int().nullable().meta({
			description: 'Minutes until the ticket is likely called; null unless waiting with a desk open'
		}),
		desksOpen: z.number().int(),
		opensAt: z.string().nullable().meta({
			description: 'While waiting with no desk open and the hall closed: when the hall next opens'
		}),
		closesAt: z.string().nullable().meta({
			description: "When the hall closes on the ticket's day; null when it does not open"
		}),
		pastClosing: z.boolean().meta({
			description: 'The estimate runs past closing time: the ticket may not be called today'
		}),
		desk: DeskRef.nullable(),
		actedBy: ActedBySchema,
		homeVisit: z
			.object({ id: z.string(), gridWorkerName: z.string(), residentName: z.string() })
			.nullable()
			.meta({
				description:
					'入户办: the home visit this ticket was started from (the desk shows 网格员 and 居民)'
			}),
		agentName: z.string().nullable().meta({
			description: 'The agent who called the ticket (a video ticket names them, not a desk)'
		}),
		cancelReason: z
			.enum(TICKET_CANCEL_REASONS)
			.nullable()
			.meta({ description: 'citizen, or hall_closed: still waiting when the hall closed' }),
		recalls: z.number().int(),
		videoSessionId: z
			.string()
			.nullable()
			.meta({ description: 'The open video session once the agent starts it' }),
		canRejoin: z.boolean(),
		createdAt: z.string(),
		calledAt: z.string().nullable()
	})
	.meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof TicketSchema>;

export const DeskSchema = z.object({
	id: z.string(),
	name: z.string(),
	orgUnitId: z.string(),
	open: z.boolean(),
	categories: z.array(z.string()),
	servedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
	current: TicketSchema.nullable()
});
export type Desk = z.infer<typeof DeskSchema>;

export const OpenDeskInput = z.object({
	categories: z
		.array(z.string().regex(/^[A-Z]$/, 'must be a category letter'), {
			error: 'must be a list of categories'
		})
		.min(1, 'choose at least one category')
});

export const TransferInput = z
	.object({
		category: z
			.string()
			.regex(/^[A-Z]$/, 'must be a category letter')
			.optional(),
		deskId: z.string().min(1).optional()
	})
	.refine((v) => v.category || v.deskId, {
		message: 'give a category or a desk',
		path: ['category']
	});

export const CategorySchema = z.object({ code: z.string(), name: z.string() });

export const BoardSchema = z.object({
	hall: z.object({ id: z.string(), code: z.string(), name: z.string() }),
	calling: z.array(
		z.object({ code: z.string(), deskName: z.string(), at: z.string(), eventId: z.number().int() })
	),
	waiting: z.array(z.object({ category: z.string(), name: z.string(), count: z.number().int() })),
	lastEventId: z.number().int()
});
export type Board = z.infer<typeof BoardSchema>;

export const HallSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const ItemHallsSchema = z.object({
	halls: z.array(HallSchema.extend({ level: LevelSchema })).meta({
		description: "The item department's hall first, then the halls below it that offer the item"
	}),
	defaultHallId: z
		.string()
		.meta({ description: "Where the citizen last queued for among these, else the department's" })
});
export type ItemHalls = z.infer<typeof ItemHallsSchema>;

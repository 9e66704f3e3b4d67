import { z } from 'zod';

export const ParticipantSchema = z.object({
	userId: z.string(),
	name: z.string(),
	role: z.string(),
	/** grid: the grid worker beside the resident (入户办), in and out with her */
	kind: z.enum(['citizen', 'host', 'guest', 'grid']),
	admitted: z.boolean(),
	removed: z.boolean()
});

export const SessionEventSchema = z.object({
	id: z.number().int(),
	type: z.string(),
	actorId: z.string().nullable(),
	actorName: z.string().nullable(),
	payload: z.record(z.string(), z.unknown()),
	at: z.string()
});
export type SessionEvent = z.infer<typeof SessionEventSchema>;

export const VideoSessionSchema = z
	.object({
		id: z.string().meta({ description: 'Also the LiveKit room name' }),
		status: z.enum(['open', 'ended']),
		ticketId: z.string().nullable(),
		ticketCode: z.string().nullable(),
		serviceId: z.string(),
		caseId: z
			.string()
			.nullable()
			.meta({ description: 'The case being filled in this session, once started' }),
		serviceName: z.string(),
		orgUnitId: z.string(),
		createdAt: z.string(),
		endedAt: z.string().nullable(),
		durationSeconds: z.number().int().nullable(),
		me: z.object({
			/** grid: the grid worker who started the ticket at the resident's home (入户办) */
			kind: z.enum(['citizen', 'host', 'guest', 'grid']),
			admitted: z.boolean(),
			removed: z.boolean()
		}),
		participants: z.array(ParticipantSchema),
		timeline: z.array(SessionEventSchema).meta({ description: 'Staff only: every recorded step' }),
		chat: z
			.array(SessionEventSchema)
			.meta({ description: 'The chat so far, to every participant not removed' }),
		lastEventId: z
			.number()
			.int()
			.meta({ description: "The session's newest event id: its event stream continues from here" })
	})
	.meta({ id: 'VideoSession' });
export type VideoSession = z.infer<typeof VideoSessionSchema>;

export const CreateSessionInput = z.object({
	ticketId: z.string({ error: 'is required' }).min(1, 'is required').max(64)
});
export const UserRefInput = z.object({
	userId: z.string({ error: 'is required' }).min(1, 'is required').max(64)
});
export const ChatInput = z.object({
	text: z
		.string({ error: 'is required' })
		.transform((s) => s.trim())
		.pipe(z.string().min(1, 'is empty').max(1000, 'must be at most 1000 characters'))
});
export const VideoToken = z.object({ url: z.string(), token: z.string(), room: z.string() });
export const InvitableSchema = z.object({
	users: z.array(
		z.object({ id: z.string(), name: z.string(), role: z.string(), orgUnitName: z.string() })
	)
});

// 代办授权: a citizen lets another citizen account act for them (issue 23 item 1).
import { z } from 'zod';
import { isDateString } from '../dates.ts';
import { phoneSchema, smsCodeSchema } from './auth.ts';

export { ACTED_AS, ActedAsSchema, type ActedAs } from './acting.ts';

/** A grant names at most this many items; more read as "all items". */
export const MAX_GRANT_ITEMS = 50;
/** A grant lasts at most this many days from today (the grantor renews it after). */
export const MAX_GRANT_DAYS = 366;

export const GrantRequest = z.object({
	grantorPhone: phoneSchema.meta({ description: 'The phone of the person you want to act for' }),
	items: z
		.union([
			z.literal('all'),
			z
				.array(z.string().min(1).max(64), { error: "must be 'all' or a list of service item ids" })
				.min(1, 'name at least one item')
				.max(MAX_GRANT_ITEMS, `at most ${MAX_GRANT_ITEMS} items; choose 'all' instead`)
		])
		.meta({ description: "'all', or the service items the grant covers" }),
	validUntil: z
		.string({ error: 'is required' })
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
		.refine(isDateString, 'is not a calendar date')
		.meta({ description: "The grant's last day (inclusive), in the hall's time zone" })
});
export type GrantRequest = z.infer<typeof GrantRequest>;

export const GrantRequested = z.object({
	grantId: z.string(),
	phone: z.string().meta({ description: 'The number the code went to, masked (138****0001)' }),
	expiresInSeconds: z.number().int(),
	resendAfterSeconds: z.number().int()
});
export type GrantRequested = z.infer<typeof GrantRequested>;

export const ConfirmGrantInput = z.object({ code: smsCodeSchema });

const Party = z.object({
	id: z.string().nullable().meta({ description: 'null while a request is not confirmed' }),
	name: z.string().nullable().meta({ description: 'Masked (王*兰); null while not confirmed' }),
	phone: z.string().meta({ description: 'Masked (138****0001)' })
});

export const GrantSchema = z.object({
	id: z.string(),
	/** my side of it */
	role: z.enum(['grantor', 'proxy']),
	grantor: Party,
	proxy: Party,
	items: z.union([z.literal('all'), z.array(z.object({ id: z.string(), name: z.string() }))]),
	validUntil: z.string(),
	status: z.enum(['pending', 'active', 'revoked']),
	/** active and today is past validUntil */
	expired: z.boolean(),
	createdAt: z.string(),
	confirmedAt: z.string().nullable(),
	confirmedVia: z.enum(['sms', 'signature']).nullable().meta({
		description:
			'How the grantor confirmed it: the SMS code, or their signature in a video session (null while pending)'
	}),
	revokedAt: z.string().nullable()
});
export type Grant = z.infer<typeof GrantSchema>;

export const GrantList = z.object({ grants: z.array(GrantSchema) });

export const ActingInput = z.object({ grantId: z.string().min(1).max(64) });

export { ActingSchema, type Acting } from './acting.ts';
import { ActingSchema } from './acting.ts';

export const ActingResult = z.object({ acting: ActingSchema.nullable() });

/**
 * A pending grant as the desk agent serving the grantor sees it in a video session, and as the
 * grantor sees what they are asked to sign: the proxy masked, the items, the last day.
 */
export const SessionGrantSchema = z.object({
	id: z.string(),
	proxy: z.object({
		name: z.string().meta({ description: 'Masked (李*国)' }),
		phone: z.string().meta({ description: 'Masked (139****0002)' })
	}),
	items: z.union([z.literal('all'), z.array(z.object({ id: z.string(), name: z.string() }))]),
	validUntil: z.string(),
	createdAt: z.string(),
	/** the agent asked for the grantor's signature of it in this session */
	asked: z.boolean()
});
export type SessionGrant = z.infer<typeof SessionGrantSchema>;

export const SessionGrantList = z.object({ grants: z.array(SessionGrantSchema) });
export const AskedGrant = z.object({ grant: SessionGrantSchema.nullable() });

export const GrantSignatureInput = z.object({
	grantId: z.string().min(1).max(64),
	image: z
		.string({ error: 'is required' })
		.regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'must be a PNG data URL')
		.max(400_000, 'is too large')
});

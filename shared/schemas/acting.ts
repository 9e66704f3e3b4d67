// 代办: whom a sign-in acts for (apart from ./proxy.ts, which needs ./auth.ts: /api/me's schema
// in ./auth.ts needs this one, and a cycle between the two would leave one undefined at load).
import { z } from 'zod';

/** Who acted on a record, apart from whose it is: the applicant, a proxy, a grid worker or staff. */
export const ACTED_AS = ['self', 'proxy', 'grid', 'staff'] as const;
export const ActedAsSchema = z.enum(ACTED_AS);
export type ActedAs = z.infer<typeof ActedAsSchema>;

/** On a record: who made it (null on records from before this was kept). */
export const ActedBySchema = z
	.object({ id: z.string().nullable(), as: ActedAsSchema })
	.nullable()
	.meta({ description: 'Who made it: the applicant (self), a proxy acting for them, or staff' });

/** What /api/me and the acting switch say while a session acts for someone. */
export const ActingSchema = z.object({
	grantId: z.string(),
	/** ended: the grant was revoked or expired; switch back (DELETE /api/proxy/acting) */
	state: z.enum(['active', 'ended']),
	applicant: z.object({ id: z.string(), name: z.string() }),
	items: z.union([z.literal('all'), z.array(z.string())]),
	validUntil: z.string()
});
export type Acting = z.infer<typeof ActingSchema>;

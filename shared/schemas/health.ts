import { z } from 'zod';

export const HealthResult = z.object({
	status: z.enum(['ok', 'degraded']),
	database: z.object({ ok: z.boolean(), schemaVersion: z.number().int() }),
	livekit: z.object({
		configured: z.boolean(),
		ok: z.boolean(),
		error: z.string().optional()
	}),
	time: z.string()
});
export type HealthResult = z.infer<typeof HealthResult>;

export const DeviceCheckToken = z.object({
	url: z.string().meta({ description: 'LiveKit WebSocket URL' }),
	token: z.string(),
	room: z.string()
});
export type DeviceCheckToken = z.infer<typeof DeviceCheckToken>;

import { z } from 'zod';

export const HealthResult = z.object({
	status: z.enum(['ok', 'degraded', 'down']).meta({
		description:
			'ok: everything answers. degraded (200): the hall works but video is unavailable or free space is low. down (503): storage cannot write, so nothing can be saved.'
	}),
	database: z.object({
		ok: z.boolean().meta({ description: 'The database accepted a write at the last probe' }),
		engine: z.enum(['sqlite', 'postgres']),
		schemaVersion: z.number().int(),
		events: z.enum(['file', 'idle', 'listening', 'polling']).meta({
			description:
				"How this node hears events other nodes or processes wrote. file: SQLite's file watcher. PostgreSQL: listening (LISTEN/NOTIFY), polling (the LISTEN connection is lost: one poll every 2 s until it is back, streams still get every event, later), idle (no stream open on this node)."
		})
	}),
	storage: z.object({
		ok: z.boolean().meta({
			description: 'The database and the documents folder accepted a write at the last probe'
		}),
		checkedAt: z.string().nullable(),
		lastWriteAt: z.string().nullable(),
		freeBytes: z.number().nullable(),
		totalBytes: z.number().nullable(),
		lowSpace: z.boolean(),
		error: z.string().optional().meta({
			description: 'e.g. SQLITE_FULL, EROFS, ENOSPC; on PostgreSQL ECONNREFUSED, 57P01, 08006'
		})
	}),
	sms: z
		.object({
			gateway: z.enum(['log', 'none']).meta({
				description:
					'log: messages go to DATA_DIR/sms.log (development, demo, tests); none: SMS_GATEWAY is not set'
			}),
			delivered: z.boolean().meta({
				description: 'Whether a message really reaches a phone (false for log and none)'
			}),
			note: z.string()
		})
		.meta({ description: 'The SMS edge used for verification codes and reminders' }),
	livekit: z.object({
		configured: z.boolean(),
		ok: z.boolean(),
		checkedAt: z.string().nullable().optional(),
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

import path from 'node:path';
import { z } from 'zod';
import { STAFF_ROLES } from '../shared/roles.ts';

/** Everything the server reads from the environment, validated once at start-up. */
export interface Config {
	nodeEnv: 'development' | 'production' | 'test';
	/** Seed the demo hall into an empty database at start-up (DEMO=1; default in `npm run dev`). */
	demo: boolean;
	dataDir: string;
	databasePath: string;
	/** postgres://… selects PostgreSQL; null: the SQLite file at databasePath */
	databaseUrl: string | null;
	timeZone: string;
	session: {
		days: number;
		cookieName: string;
		secureCookie: boolean;
		/** A staff session ends after this long without activity (STAFF_IDLE_MINUTES). */
		staffIdleMinutes: number;
	};
	login: {
		maxFailures: number;
		windowMinutes: number;
		lockMinutes: number;
		perIpPerMinute: number;
	};
	/** Phone verification by SMS: the gateway (null: none configured) and how often codes may go out. */
	sms: {
		gateway: 'log' | null;
		codesPerPhonePerHour: number;
		codesPerIpPerHour: number;
		registerPerIpPerHour: number;
	};
	/** Staff roles that must sign in with a second factor (TWO_FACTOR_ROLES; enrolled staff always do). */
	twoFactorRoles: readonly (typeof STAFF_ROLES)[number][];
	/** Months the audit trail is kept (AUDIT_RETENTION_MONTHS; the Cybersecurity Law asks for 6). */
	auditRetentionMonths: number;
	/** Below this much free space under DATA_DIR, health says degraded (STORAGE_MIN_FREE_MB). */
	storageMinFreeMb: number;
	/** Questions one address (or one signed-in user) may ask the assistant per minute. */
	assistantPerMinute: number;
	/** null when no LiveKit is configured: the hall runs and says video is unavailable. */
	livekit: {
		url: string;
		publicUrl: string;
		apiKey: string;
		apiSecret: string;
		tokenTtlSeconds: number;
	} | null;
}

const bool = z
	.enum(['0', '1', 'true', 'false', ''])
	.optional()
	.transform((v) => v === '1' || v === 'true');
const int = (def: number, min: number, max: number) =>
	z.coerce.number().int().min(min).max(max).default(def);

const EnvSchema = z
	.object({
		NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
		DEMO: bool,
		DATA_DIR: z.string().min(1).default('./data'),
		DATABASE_FILE: z.string().min(1).default('hall.db'),
		DATABASE_URL: z
			.string()
			.regex(
				/^postgres(ql)?:\/\//,
				'must be a postgres:// URL (unset: the SQLite file in DATA_DIR)'
			)
			.optional(),
		HALL_TIME_ZONE: z
			.string()
			.default('Asia/Shanghai')
			.refine((tz) => {
				try {
					new Intl.DateTimeFormat('en', { timeZone: tz });
					return true;
				} catch {
					return false;
				}
			}, 'not a known IANA time zone'),
		SESSION_DAYS: int(30, 1, 365),
		STAFF_IDLE_MINUTES: int(30, 2, 1440),
		SECURE_COOKIES: bool,
		LOGIN_MAX_FAILURES: int(5, 1, 100),
		LOGIN_WINDOW_MINUTES: int(15, 1, 1440),
		LOGIN_LOCK_MINUTES: int(15, 1, 1440),
		LOGIN_PER_IP_PER_MINUTE: int(30, 1, 10000),
		ASSISTANT_PER_MINUTE: int(30, 1, 10000),
		TWO_FACTOR_ROLES: z
			.string()
			.optional()
			.transform((v) => (v?.trim() ? v : 'admin,supervisor'))
			.transform((v) => v.split(',').map((r) => r.trim().toLowerCase()))
			.pipe(
				z.array(
					z.enum(STAFF_ROLES, {
						error: (iss) => `"${iss.input}" is not a staff role (${STAFF_ROLES.join(', ')})`
					})
				)
			),
		SMS_GATEWAY: z
			.enum(['log', ''], { error: 'must be "log" (messages written to DATA_DIR/sms.log) or empty' })
			.optional()
			.transform((v) => (v === 'log' ? 'log' : null)),
		SMS_CODES_PER_PHONE_PER_HOUR: int(5, 1, 10000),
		SMS_CODES_PER_IP_PER_HOUR: int(20, 1, 100000),
		REGISTER_PER_IP_PER_HOUR: int(20, 1, 100000),
		STORAGE_MIN_FREE_MB: int(256, 0, 1_000_000),
		AUDIT_RETENTION_MONTHS: int(6, 6, 1200),
		LIVEKIT_URL: z
			.string()
			.regex(/^wss?:\/\//, 'must start with ws:// or wss://')
			.optional()
			.or(z.literal('').transform(() => undefined)),
		LIVEKIT_PUBLIC_URL: z
			.string()
			.regex(/^wss?:\/\//, 'must start with ws:// or wss://')
			.optional()
			.or(z.literal('').transform(() => undefined)),
		LIVEKIT_API_KEY: z.string().optional(),
		LIVEKIT_API_SECRET: z.string().optional(),
		LIVEKIT_TOKEN_TTL_SECONDS: int(300, 30, 86400)
	})
	.superRefine((env, ctx) => {
		if (env.LIVEKIT_URL && (!env.LIVEKIT_API_KEY || !env.LIVEKIT_API_SECRET)) {
			ctx.addIssue({
				code: 'custom',
				path: ['LIVEKIT_API_KEY'],
				message: 'LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET are required'
			});
		}
	});

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	const dataDir = path.resolve(e.DATA_DIR);
	return {
		nodeEnv: e.NODE_ENV,
		demo: e.DEMO,
		dataDir,
		databasePath: e.DATABASE_FILE === ':memory:' ? ':memory:' : path.join(dataDir, e.DATABASE_FILE),
		databaseUrl: e.DATABASE_URL ?? null,
		timeZone: e.HALL_TIME_ZONE,
		session: {
			days: e.SESSION_DAYS,
			cookieName: 'hall_session',
			secureCookie: e.SECURE_COOKIES,
			staffIdleMinutes: e.STAFF_IDLE_MINUTES
		},
		login: {
			maxFailures: e.LOGIN_MAX_FAILURES,
			windowMinutes: e.LOGIN_WINDOW_MINUTES,
			lockMinutes: e.LOGIN_LOCK_MINUTES,
			perIpPerMinute: e.LOGIN_PER_IP_PER_MINUTE
		},
		assistantPerMinute: e.ASSISTANT_PER_MINUTE,
		twoFactorRoles: [...new Set(e.TWO_FACTOR_ROLES)],
		sms: {
			gateway: e.SMS_GATEWAY,
			codesPerPhonePerHour: e.SMS_CODES_PER_PHONE_PER_HOUR,
			codesPerIpPerHour: e.SMS_CODES_PER_IP_PER_HOUR,
			registerPerIpPerHour: e.REGISTER_PER_IP_PER_HOUR
		},
		storageMinFreeMb: e.STORAGE_MIN_FREE_MB,
		auditRetentionMonths: e.AUDIT_RETENTION_MONTHS,
		livekit: e.LIVEKIT_URL
			? {
					url: e.LIVEKIT_URL,
					publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL,
					apiKey: e.LIVEKIT_API_KEY!,
					apiSecret: e.LIVEKIT_API_SECRET!,
					tokenTtlSeconds: e.LIVEKIT_TOKEN_TTL_SECONDS
				}
			: null
	};
}

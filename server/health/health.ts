import type { Deps } from '../deps.ts';
import type { HealthResult } from '../../shared/schemas/health.ts';
import { knownReachability, liveKitReachability } from '../video/reachability.ts';
import { toIso } from '../time.ts';
import { storageHealth } from './storage.ts';

/** A health answer never waits longer than this for LiveKit; it reports its last known state. */
const LIVEKIT_WAIT_MS = 400;

interface DatabaseState {
	/** the storage probe this was read at: read again at the next one, never per request */
	probedAt: number;
	version: number;
	readable: boolean;
}
const databaseStates = new WeakMap<Deps['engine'], DatabaseState>();

/** The schema version, read once per storage probe (it changes only by a migration at start-up). */
async function databaseState(deps: Deps, probedAt: number): Promise<DatabaseState> {
	let state = databaseStates.get(deps.engine);
	if (state?.probedAt === probedAt) return state;
	state = { probedAt, version: 0, readable: true };
	try {
		state.version = await deps.engine.schemaVersion();
	} catch {
		state.readable = false;
	}
	databaseStates.set(deps.engine, state);
	return state;
}

/**
 * What /api/health says, from probes that run in the background: storage is written every few
 * seconds by a timer (never by this request), LiveKit is asked every few seconds and at once
 * when it was last seen down. While all is well nothing is awaited or queried per request: a
 * load balancer may ask as often as it likes.
 */
export async function checkHealth(deps: Deps): Promise<HealthResult> {
	const iso = (ms: number | null) => (ms ? toIso(ms, deps.config.timeZone) : null);
	const storage = await storageHealth(deps);
	const { version, readable } = await databaseState(deps, storage.checkedAt);
	const lowSpace =
		storage.freeBytes !== null && storage.freeBytes < deps.config.storageMinFreeMb * 1024 * 1024;

	const livekit: HealthResult['livekit'] = { configured: deps.livekit !== null, ok: false };
	if (deps.livekit) {
		const r =
			knownReachability(deps.livekit) ?? (await liveKitReachability(deps.livekit, LIVEKIT_WAIT_MS));
		livekit.ok = r.ok;
		livekit.checkedAt = iso(r.checkedAt);
		if (r.error) livekit.error = r.error;
	} else {
		livekit.error = 'LIVEKIT_URL is not set: video is unavailable';
	}

	const writable = storage.ok && readable;
	return {
		status: !writable ? 'down' : livekit.ok && !lowSpace ? 'ok' : 'degraded',
		// names the part that failed: PostgreSQL unreachable is the database, a full disk beside
		// it only the storage (on SQLite both are one folder)
		database: {
			ok: storage.databaseOk && readable,
			engine: deps.engine.kind,
			schemaVersion: version,
			events: deps.engine.crossNodeEvents()
		},
		storage: {
			ok: storage.ok,
			checkedAt: iso(storage.checkedAt),
			lastWriteAt: iso(storage.lastWriteAt),
			freeBytes: storage.freeBytes,
			totalBytes: storage.totalBytes,
			lowSpace,
			...(storage.error ? { error: storage.error } : {})
		},
		sms: {
			gateway: deps.sms.kind,
			delivered: deps.sms.delivers,
			note:
				deps.sms.kind === 'log'
					? 'SMS are written to DATA_DIR/sms.log and not really delivered'
					: 'SMS_GATEWAY is not set: no code can be sent; registration and password reset are unavailable'
		},
		livekit,
		time: toIso(deps.now(), deps.config.timeZone)
	};
}

/** 503 only when storage cannot write: video down or low space still serve citizens (degraded). */
export function healthStatusCode(result: HealthResult): 200 | 503 {
	return result.status === 'down' ? 503 : 200;
}

/**
 * The health answer as the production entry writes it for GET /api/health (server/front-door.ts):
 * the same JSON the API's route answers, made without the API's middleware, which a public
 * answer that reads no session does not need. Load balancers ask every node often.
 */
export function healthProbe(deps: Deps): () => Promise<{ status: number; body: string }> {
	return async () => {
		const result = await checkHealth(deps);
		return { status: healthStatusCode(result), body: JSON.stringify(result) };
	};
}

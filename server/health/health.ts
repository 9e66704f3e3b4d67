import type { Deps } from '../deps.ts';
import { schemaVersion } from '../db/migrate.ts';
import type { HealthResult } from '../../shared/schemas/health.ts';
import { pingLiveKit } from '../video/livekit.ts';
import { toIso } from '../time.ts';

export async function checkHealth(deps: Deps): Promise<HealthResult> {
	let database = { ok: false, schemaVersion: 0 };
	try {
		database = {
			ok: true,
			schemaVersion: schemaVersion(deps.db)
		};
	} catch {
		/* reported as not ok */
	}
	const livekit: HealthResult['livekit'] = { configured: deps.livekit !== null, ok: false };
	if (deps.livekit) {
		try {
			await pingLiveKit(deps.livekit);
			livekit.ok = true;
		} catch (err) {
			livekit.error = err instanceof Error ? err.message : String(err);
		}
	} else {
		livekit.error = 'LIVEKIT_URL is not set: video is unavailable';
	}
	return {
		status: database.ok && livekit.ok ? 'ok' : 'degraded',
		database,
		livekit,
		time: toIso(deps.now(), deps.config.timeZone)
	};
}

import { loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { createLogger } from './log.ts';
import { createLiveKitGateway } from './video/livekit.ts';
import { createLogSmsGateway } from './notify/sms.ts';
import { deliverDueNotifications } from './notify/outbox.ts';
import { escalateWaitingGuidance } from './collab/guidance.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';

/**
 * Builds the real dependencies from the environment: opens and migrates the database, connects
 * the LiveKit client, and (DEMO=1 only) seeds the demo hall into an empty database.
 */
export async function createRuntimeDeps(config: Config = loadConfig()): Promise<Deps> {
	const log = createLogger();
	const db = openDatabase(config.databasePath);
	const applied = migrate(db);
	if (applied.length) log('migrations applied', { applied });
	const deps: Deps = {
		db,
		config,
		now: () => Date.now(),
		livekit: config.livekit ? createLiveKitGateway(config.livekit) : null,
		log,
		sms: createLogSmsGateway(log)
	};
	if (!config.livekit) log('video unavailable', { reason: 'LIVEKIT_URL is not set' });
	if (config.demo && (await seedDemoIfEmpty(deps))) log('demo hall seeded');
	startNotificationLoop(deps);
	return deps;
}

/** Sends due notices (reminders, offers) every 15 seconds; the outbox makes each go out once. */
function startNotificationLoop(deps: Deps, everyMs = 15_000) {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			escalateWaitingGuidance(deps);
			await deliverDueNotifications(deps);
		} catch (err) {
			deps.log('notification delivery failed', { error: (err as Error).message });
		} finally {
			running = false;
		}
	};
	setInterval(tick, everyMs).unref();
	void tick();
}

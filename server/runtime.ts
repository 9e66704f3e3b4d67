import { loadConfig, type Config } from './config.ts';
import type { Deps } from './deps.ts';
import { describeDatabase, openEngine, type Engine } from './engine.ts';
import { createLogger } from './log.ts';
import { createLiveKitGateway } from './video/livekit.ts';
import { createSmsGateway } from './notify/sms.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { startBackgroundWork } from './jobs/background.ts';
import { drainStreams } from './realtime/drain.ts';
import { storageFault } from './db/faults.ts';
import { probeStorage, watchStorage, writeProbeFile } from './health/storage.ts';
import { watchLiveKit } from './video/reachability.ts';

/**
 * Builds the real dependencies from the environment: opens and migrates the database, connects
 * the LiveKit client, and (DEMO=1 only) seeds the demo hall into an empty database.
 */
export async function createRuntimeDeps(config: Config = loadConfig()): Promise<Deps> {
	const log = createLogger();
	const engine = openWritableEngine(config, log);
	const applied = await engine.migrate().catch(async (err: unknown) => {
		const code = storageFault(err);
		if (!code) throw err;
		await engine.close();
		throw new StartupError(
			`${describeDatabase(config)} cannot be reached or written (${code}): the hall cannot start without its database.${config.databaseUrl ? ' Check DATABASE_URL and that PostgreSQL is running.' : ''}`
		);
	});
	if (applied.length) log('migrations applied', { applied, engine: engine.kind });
	const deps: Deps = {
		engine,
		store: engine.store,
		config,
		now: () => Date.now(),
		livekit: config.livekit ? createLiveKitGateway(config.livekit) : null,
		log,
		sms: createSmsGateway(config.sms, log, config.dataDir)
	};
	const storage = await probeStorage(deps);
	if (!storage.ok) {
		await engine.close();
		throw new StartupError(
			config.databaseUrl && storage.databaseOk === false
				? `${describeDatabase(config)} cannot be written (${storage.error}): the hall cannot store anything there. Check DATABASE_URL and that PostgreSQL is running.`
				: `DATA_DIR ${config.dataDir} cannot be written (${storage.error}): the hall cannot store anything there. Free space or point DATA_DIR at a writable folder.`
		);
	}
	watchStorage(deps);
	if (deps.livekit) watchLiveKit(deps.livekit);
	if (!config.livekit) log('video unavailable', { reason: 'LIVEKIT_URL is not set' });
	warnAboutSms(config);
	if (config.demo && (await seedDemoIfEmpty(deps))) log('demo hall seeded');
	startBackgroundWork(deps);
	stopGracefully(deps);
	return deps;
}

/**
 * Without a real SMS gateway no citizen can register or reset a password by SMS. In production
 * that is said loudly at every start; the log gateway is for development, demo and tests.
 */
function warnAboutSms(config: Config): void {
	const problem =
		config.sms.gateway === null
			? 'SMS_GATEWAY is not set: no verification code can be sent, so citizens cannot register or reset a password (API answers 503 sms_unavailable).'
			: config.nodeEnv === 'production'
				? 'SMS_GATEWAY=log: messages are written to DATA_DIR/sms.log and never reach a phone. Use it for demos only.'
				: null;
	if (!problem) return;
	const bar = '!'.repeat(78);
	console.error(['', bar, `!! cloud-hall: ${problem}`, bar, ''].join('\n'));
}

/** The hall will not run where it cannot save: the message names the folder and the reason. */
export class StartupError extends Error {}

function openWritableEngine(config: Config, log: Deps['log']): Engine {
	try {
		// a file beside the documents first: SQLite may open a read-only file and fail only later
		if (config.databaseUrl || config.databasePath !== ':memory:') writeProbeFile(config.dataDir);
		return openEngine(config, { log });
	} catch (err) {
		const code = storageFault(err);
		if (!code) throw err;
		throw new StartupError(
			`DATA_DIR ${config.dataDir} is not writable (${code}): the hall cannot store anything there. Point DATA_DIR at a writable folder.`
		);
	}
}

/**
 * A rolling restart sends SIGTERM: the event streams end at once (their browsers reconnect
 * through the balancer to another node, server/realtime/drain.ts) while adapter-node stops
 * taking connections and lets the requests under way finish; then the database pool closes.
 * Under `vite dev` nothing else listens for the signal, so it is raised again to stop as usual.
 */
function stopGracefully(deps: Deps) {
	const onSignal = (signal: NodeJS.Signals) => {
		const ended = drainStreams();
		deps.log('stopping: event streams ended, clients reconnect elsewhere', { signal, ended });
		if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
	};
	process.once('SIGTERM', onSignal);
	process.once('SIGINT', onSignal);
	// adapter-node's signal once every connection has ended
	process.once('sveltekit:shutdown' as NodeJS.Signals, () => void deps.engine.close());
}

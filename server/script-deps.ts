import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { openEngine } from './engine.ts';
import { silentLogger } from './log.ts';
import { createSmsGateway } from './notify/sms.ts';

/**
 * What a command-line script or a test worker needs to call the hall's rules: the configured
 * database (DATABASE_URL's PostgreSQL or DATA_DIR's SQLite file), migrated unless told
 * otherwise, the wall clock, no LiveKit, quiet logs, the configured SMS gateway. The caller
 * closes `deps.engine`.
 */
export async function openScriptDeps(
	config: Config,
	opts: { migrate?: boolean } = {}
): Promise<Deps> {
	const engine = openEngine(config);
	if (opts.migrate !== false) await engine.migrate();
	return {
		engine,
		store: engine.store,
		config,
		now: () => Date.now(),
		livekit: null,
		log: silentLogger,
		sms: createSmsGateway(config.sms, silentLogger, config.dataDir)
	};
}

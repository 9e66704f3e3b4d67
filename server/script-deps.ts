import { sqliteStore } from './db/store.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { silentLogger } from './log.ts';
import { createSmsGateway } from './notify/sms.ts';

/**
 * What a command-line script or a test worker needs to call the hall's rules: DATA_DIR's
 * database, migrated unless told otherwise, the wall clock, no LiveKit, quiet logs, the configured SMS
 * gateway. The caller closes `deps.db`.
 */
export function openScriptDeps(config: Config, opts: { migrate?: boolean } = {}): Deps {
	const db = openDatabase(config.databasePath);
	if (opts.migrate !== false) migrate(db);
	return {
		db,
		store: sqliteStore(db),
		config,
		now: () => Date.now(),
		livekit: null,
		log: silentLogger,
		sms: createSmsGateway(config.sms, silentLogger, config.dataDir)
	};
}

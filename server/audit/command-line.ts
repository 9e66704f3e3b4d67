import os from 'node:os';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { silentLogger } from '../log.ts';
import { createLogSmsGateway } from '../notify/sms.ts';
import { recordAudit, type AuditEntry } from './audit.ts';

/**
 * An audit entry from an operator's command (backup, restore), outside any request: the actor is
 * the command line and the operating-system user who ran it.
 */
export function auditCommand(config: Config, entry: AuditEntry): void {
	const db = openDatabase(config.databasePath);
	try {
		migrate(db); // a restored hall may come from an older version

		const deps = {
			db,
			config,
			now: () => Date.now(),
			livekit: null,
			log: silentLogger,
			sms: createLogSmsGateway(silentLogger)
		};
		recordAudit(deps, entry, { user: null, ip: `cli:${os.userInfo().username}` });
	} finally {
		db.close();
	}
}

import os from 'node:os';
import type { Config } from '../config.ts';
import { openScriptDeps } from '../script-deps.ts';
import { recordAudit, type AuditEntry } from './audit.ts';

/**
 * An audit entry from an operator's command (backup, restore), outside any request: the actor is
 * the command line and the operating-system user who ran it.
 */
export async function auditCommand(config: Config, entry: AuditEntry): Promise<void> {
	// migrated first: a restored hall may come from an older version
	const deps = await openScriptDeps(config);
	try {
		await recordAudit(deps, entry, { user: null, ip: `cli:${os.userInfo().username}` });
	} finally {
		await deps.engine.close();
	}
}

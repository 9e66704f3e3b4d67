// `npm run audit:verify`: walks the audit log's hash chain (from the retention anchor, or the
// first row) and names the first row that was changed, removed or inserted out of order.
// Exit 0 when the chain holds, 1 when it is broken.
import fs from 'node:fs';
import { loadConfig } from '../server/config.ts';
import { verifyAuditChain } from '../server/audit/audit.ts';
import { openScriptDeps } from '../server/script-deps.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const deps = await openScriptDeps(config);
const check = await verifyAuditChain(deps);
await deps.engine.close();
if (check.ok) {
	console.log(
		check.rows
			? `audit log intact: ${check.rows} entries, ${check.firstSeq} to ${check.lastSeq}`
			: 'audit log intact: no entries'
	);
} else {
	console.error(
		`audit log BROKEN at entry ${check.brokenAt}: ${check.reason} (${check.rows} entries verified before it)`
	);
	process.exit(1);
}

// `npm run restore -- <dir>`: restore the backup in <dir> into DATA_DIR, which must be empty or
// not exist. The backup is checked against its manifest (size and SHA-256 of every file) before
// anything is written; on any mismatch nothing is. Exit code 0: restored; 1: refused or failed.
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../server/config.ts';
import { auditCommand } from '../server/audit/command-line.ts';
import {
	BackupError,
	describeRestore,
	restoreHall,
	type RestoreSummary
} from '../server/ops/backup.ts';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
	console.error('usage: npm run restore -- <backup dir>   (into an empty DATA_DIR)');
	process.exit(1);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

const config = loadConfig();
let summary: RestoreSummary;
try {
	summary = restoreHall(config, args[0]);
} catch (err) {
	const refused = err instanceof BackupError || err instanceof ConfigError;
	console.error(`restore ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
	process.exit(1);
}
for (const line of describeRestore(summary)) console.log(line);

// restoreHall() itself does no auditing: the restored hall's own trail records it.
await auditCommand(config, {
	action: 'backup.restored',
	detail: {
		from: args[0],
		backupCreatedAt: summary.createdAt,
		schemaVersion: summary.schemaVersion
	}
});

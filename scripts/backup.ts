// `npm run backup -- <dir>`: an online, consistent backup of the hall in DATA_DIR (database and
// uploaded files, with manifest.json) into <dir>, which must be new or empty. Safe while the hall
// runs. Exit code 0: done; 1: refused or failed (nothing left behind); 2: written, but some files
// the database refers to were missing or damaged in DATA_DIR and are not in it (listed).
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../server/config.ts';
import { auditCommand } from '../server/audit/command-line.ts';
import {
	BackupError,
	backupHall,
	describeBackup,
	type BackupSummary
} from '../server/ops/backup.ts';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
	console.error('usage: npm run backup -- <dir>   (a new or empty folder)');
	process.exit(1);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

const config = loadConfig();
let summary: BackupSummary;
try {
	summary = backupHall(config, args[0]);
} catch (err) {
	const refused = err instanceof BackupError || err instanceof ConfigError;
	console.error(`backup ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
	process.exit(1);
}
for (const line of describeBackup(summary)) console.log(line);

// backupHall() itself does no auditing: the command records it once, after it succeeded.
await auditCommand(config, {
	action: 'backup.created',
	detail: {
		target: summary.dir,
		schemaVersion: summary.schemaVersion,
		databaseBytes: summary.database.size,
		documents: summary.documents.files,
		signatures: summary.signatures.files,
		problems: summary.problems.length
	}
});

process.exit(summary.problems.length ? 2 : 0);

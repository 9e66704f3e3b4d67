// `npm run backup -- <dir>`: an online, consistent backup of the hall in DATA_DIR (database and
// uploaded files, with manifest.json) into <dir>, which must be new or empty. Safe while the hall
// runs. Exit code 0: done; 1: refused or failed (nothing left behind); 2: written, but some files
// the database refers to were missing or damaged in DATA_DIR and are not in it (listed).
// With DATABASE_URL set (PostgreSQL) it writes pg_dump --format=custom of that database (the
// documents and signatures are in it) and manifest.json into <dir>; exit 0 or 1.
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../server/config.ts';
import { auditCommand } from '../server/audit/command-line.ts';
import {
	BackupError,
	backupHall,
	backupPostgresHall,
	describeBackup,
	describePostgresBackup,
	type BackupSummary
} from '../server/ops/backup.ts';
import { findPostgresBin } from './postgres-process.ts';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
	console.error('usage: npm run backup -- <dir>   (a new or empty folder)');
	process.exit(1);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

const config = loadConfig();

if (config.databaseUrl) {
	// PostgreSQL: pg_dump of DATABASE_URL (documents and signatures are in it) and a manifest
	let pgSummary;
	try {
		pgSummary = await backupPostgresHall(config, args[0], { bin: findPostgresBin() });
	} catch (err) {
		const refused = err instanceof BackupError || err instanceof ConfigError;
		console.error(`backup ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
		process.exit(1);
	}
	for (const line of describePostgresBackup(pgSummary)) console.log(line);
	await auditCommand(config, {
		action: 'backup.created',
		detail: {
			target: pgSummary.dir,
			engine: 'postgres',
			schemaVersion: pgSummary.schemaVersion,
			dumpBytes: pgSummary.dump.size,
			rows: pgSummary.rows
		}
	});
	process.exit(0);
}

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

// `npm run restore -- <dir>`: restore the backup in <dir> into DATA_DIR, which must be empty or
// not exist. The backup is checked against its manifest (size and SHA-256 of every file) before
// anything is written; on any mismatch nothing is. Exit code 0: restored; 1: refused or failed.
// With DATABASE_URL set (PostgreSQL) it restores a PostgreSQL backup into that database, which
// must be empty: the dump's SHA-256 first, pg_restore in one transaction, the row counts after,
// then the migrations newer than the backup.
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../server/config.ts';
import { auditCommand } from '../server/audit/command-line.ts';
import {
	BackupError,
	describePostgresRestore,
	describeRestore,
	restoreHall,
	restorePostgresHall,
	type RestoreSummary
} from '../server/ops/backup.ts';
import { findPostgresBin } from './postgres-process.ts';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
	console.error(
		'usage: npm run restore -- <backup dir>   (into an empty DATA_DIR, or the empty database DATABASE_URL names)'
	);
	process.exit(1);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

const config = loadConfig();

if (config.databaseUrl) {
	// PostgreSQL: pg_restore into the EMPTY database DATABASE_URL names, then migrations
	let pgSummary;
	try {
		pgSummary = await restorePostgresHall(config, args[0], { bin: findPostgresBin() });
	} catch (err) {
		const refused = err instanceof BackupError || err instanceof ConfigError;
		console.error(`restore ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
		process.exit(1);
	}
	for (const line of describePostgresRestore(pgSummary)) console.log(line);
	await auditCommand(config, {
		action: 'backup.restored',
		detail: {
			from: args[0],
			engine: 'postgres',
			backupCreatedAt: pgSummary.createdAt,
			schemaVersion: pgSummary.schemaVersion
		}
	});
	process.exit(0);
}

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

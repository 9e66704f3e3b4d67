// `npm run db:copy -- --to postgres://…`: copies the SQLite hall in DATA_DIR (every table's rows,
// the documents and signatures) into an empty PostgreSQL database, then verifies per table the
// row count and a hash of the rows, and per document its SHA-256 (issue 21, item 7). Stop the
// hall first: what it writes after the copy's snapshot is not copied. Exit code 0: copied and
// verified; 1: refused or failed (the target's rows are written in one transaction); 2: copied,
// but the verification found a difference (listed). After a failure or a difference, drop the
// target database, create it again empty and run the copy again.
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../server/config.ts';
import { CopyError, copyHall, describeCopy } from '../server/ops/copy.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--to');
const to = at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--to='))?.slice(5) ?? '');
if (!to || args.length !== (at >= 0 ? 2 : 1)) {
	console.error('usage: npm run db:copy -- --to postgres://user@host/db   (a new, empty database)');
	process.exit(1);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

try {
	const config = loadConfig();
	if (config.databasePath === ':memory:')
		throw new CopyError('DATA_DIR has no database file to copy (DATABASE_FILE is :memory:)');
	if (!fs.existsSync(config.databasePath))
		throw new CopyError(`there is no hall at ${config.databasePath}`);
	const summary = await copyHall({
		dataDir: config.dataDir,
		databasePath: config.databasePath,
		to,
		log: (line) => console.error(line)
	});
	for (const line of describeCopy(summary)) console.log(line);
	process.exit(summary.ok ? 0 : 2);
} catch (err) {
	const refused = err instanceof CopyError || err instanceof ConfigError;
	console.error(`db:copy ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
	process.exit(1);
}

// `npm run db:migrate`: apply pending migrations to the configured database (DATABASE_URL's
// PostgreSQL, else DATA_DIR's SQLite file).
import fs from 'node:fs';
import { loadConfig } from '../server/config.ts';
import { describeDatabase, openEngine } from '../server/engine.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const engine = openEngine(config);
try {
	const applied = await engine.migrate();
	console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
	console.log(`schema version ${await engine.schemaVersion()} on ${describeDatabase(config)}`);
} finally {
	await engine.close();
}

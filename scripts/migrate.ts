// `npm run db:migrate`: apply pending migrations to DATA_DIR's database.
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import fs from 'node:fs';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const db = openDatabase(config.databasePath);
const applied = migrate(db);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
console.log(
	`schema version ${db.pragma('user_version', { simple: true })} at ${config.databasePath}`
);
db.close();

// `npm run seed`: write the demo hall (org units, service items, desks, one account per role)
// into an empty database. Never touches a database that already has org units.
import fs from 'node:fs';
import { loadConfig } from '../server/config.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { describeDatabase } from '../server/engine.ts';
import { openScriptDeps } from '../server/script-deps.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const deps = await openScriptDeps(config);
const seeded = await seedDemoIfEmpty(deps);
console.log(
	seeded
		? `demo hall seeded into ${describeDatabase(config)} (accounts in README, password Demo@2026)`
		: `${describeDatabase(config)} already has data; nothing seeded`
);
await deps.engine.close();

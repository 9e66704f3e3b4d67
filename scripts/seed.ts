// `npm run seed`: write the demo hall (org units, service items, desks, one account per role)
// into an empty database. Never touches a database that already has org units.
import fs from 'node:fs';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const db = openDatabase(config.databasePath);
migrate(db);
const seeded = await seedDemoIfEmpty({
	db,
	config,
	now: () => Date.now(),
	livekit: null,
	log: silentLogger,
	sms: createLogSmsGateway(silentLogger)
});
console.log(
	seeded
		? `demo hall seeded into ${config.databasePath} (accounts in README, password Demo@2026)`
		: `${config.databasePath} already has data; nothing seeded`
);
db.close();

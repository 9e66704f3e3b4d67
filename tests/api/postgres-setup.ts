// The API tier on PostgreSQL (vitest project api-postgres): one throwaway cluster for the run,
// with two template databases, the migrated schema and the schema plus the demo hall; every
// harness is a fresh database copied from one of them (CREATE DATABASE … TEMPLATE, a file copy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres-process.ts';
import { loadConfig } from '../../server/config.ts';
import { openPostgresEngine } from '../../server/engine.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { silentLogger } from '../../server/log.ts';
import { createSmsGateway } from '../../server/notify/sms.ts';
import { START } from './clock.ts';

export interface PostgresTier {
	/** the cluster's maintenance database, where databases are created and dropped */
	adminUrl: string;
	/** template: the migrated schema, empty */
	schema: string;
	/** template: the schema and the demo hall seeded at the harness clock's start */
	seeded: string;
}

declare module 'vitest' {
	interface ProvidedContext {
		postgres: PostgresTier | null;
	}
}

export default async function setup(project: TestProject) {
	const server = await startPostgres();
	const urlOf = (db: string) => server.url.replace(/\/[^/]+$/, `/${db}`);
	const admin = openPostgresEngine(urlOf('postgres'));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-seed-'));
	try {
		await admin.store.run('CREATE DATABASE hall_schema');
		const schema = openPostgresEngine(urlOf('hall_schema'));
		await schema.migrate();
		await schema.close();
		await admin.store.run('CREATE DATABASE hall_seeded TEMPLATE hall_schema');
		const seeded = openPostgresEngine(urlOf('hall_seeded'));
		const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'test', SMS_GATEWAY: 'log' });
		await seedDemoIfEmpty({
			engine: seeded,
			store: seeded.store,
			config,
			now: () => START,
			livekit: null,
			log: silentLogger,
			sms: createSmsGateway(config.sms, silentLogger, config.dataDir)
		});
		await seeded.close();
	} finally {
		await admin.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	project.provide('postgres', {
		adminUrl: urlOf('postgres'),
		schema: 'hall_schema',
		seeded: 'hall_seeded'
	});
	return () => server.stop();
}

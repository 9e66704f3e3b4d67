// `npm run backup` / `npm run restore` on PostgreSQL (issue 21, item 6): pg_dump of DATABASE_URL
// plus a manifest; restore into an empty database only, the dump's hash checked first and the
// row counts after. Runs its own throwaway cluster (like postgres-store.test.ts); SQLite-only
// project in vitest.config.ts, since it needs no harness database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { postgresBlobStore, sha256Hex } from '../../server/db/blobs.ts';
import { migratePostgres, readPostgresMigrations } from '../../server/db/migrate-postgres.ts';
import { createPostgresStore } from '../../server/db/postgres-store.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { openPostgresEngine, type Engine } from '../../server/engine.ts';
import { silentLogger } from '../../server/log.ts';
import { createSmsGateway } from '../../server/notify/sms.ts';
import { openScriptDeps } from '../../server/script-deps.ts';
import { START } from './clock.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// trust authentication ignores it, but it must never show in what the commands print
const PASSWORD = 'Sekret-pw-4711';

let server: PostgresProcess;
let admin: Engine;
let tmp: string;
const urlOf = (db: string, password = true) => {
	const url = new URL(server.url.replace(/\/[^/]+$/, `/${db}`));
	if (password) url.password = PASSWORD;
	return url.toString();
};
const DOC = Buffer.from('%PDF-1.4 营业执照 scan ' + 'x'.repeat(5000));
const DOC_SHA = sha256Hex(DOC);

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCli(name: 'backup' | 'restore', databaseUrl: string, ...args: string[]): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(ROOT, `scripts/${name}.ts`), ...args], {
			cwd: ROOT,
			env: {
				...process.env,
				DATA_DIR: path.join(tmp, 'data'),
				DATABASE_URL: databaseUrl,
				NODE_ENV: 'test',
				SMS_GATEWAY: 'log'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

async function tablesOf(db: string): Promise<Record<string, number>> {
	const e = openPostgresEngine(urlOf(db), { poolSize: 1 });
	try {
		const names = await e.store.all<{ name: string }>(
			"SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
		);
		const out: Record<string, number> = {};
		for (const { name } of names)
			out[name] = (await e.store.get<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`))!.n;
		return out;
	} finally {
		await e.close();
	}
}

/** GET /api/services from an app on that database, as the hall would serve it. */
async function servicesOf(db: string) {
	const config = loadConfig({
		DATA_DIR: path.join(tmp, 'app-data'),
		NODE_ENV: 'test',
		SMS_GATEWAY: 'log',
		DATABASE_URL: urlOf(db)
	});
	const deps = await openScriptDeps(config, { migrate: false });
	try {
		const res = await createApp(deps).request('/api/services', {}, { ip: '203.0.113.7' });
		expect(res.status).toBe(200);
		return await res.json();
	} finally {
		await deps.engine.close();
	}
}

beforeAll(async () => {
	server = await startPostgres();
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-backup-'));
	admin = openPostgresEngine(urlOf('postgres'));
	for (const db of ['src', 'dst', 'dst2', 'old', 'dst3'])
		await admin.store.run(`CREATE DATABASE ${db}`);
	const src = openPostgresEngine(urlOf('src'));
	try {
		await src.migrate();
		const config = loadConfig({ DATA_DIR: tmp, NODE_ENV: 'test', SMS_GATEWAY: 'log' });
		await seedDemoIfEmpty({
			engine: src,
			store: src.store,
			config,
			now: () => START,
			livekit: null,
			log: silentLogger,
			sms: createSmsGateway(config.sms, silentLogger, config.dataDir)
		});
		// an uploaded document's bytes, where the PostgreSQL hall keeps them
		await postgresBlobStore(src.store).put('documents', DOC_SHA, DOC);
	} finally {
		await src.close();
	}
}, 180_000);

afterAll(async () => {
	await admin?.close();
	await server?.stop();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore on PostgreSQL', () => {
	const backupDir = () => path.join(tmp, 'backup');
	/** A backup of its own for a test (CI shuffles the tests of a file: none may rely on another's). */
	async function backupOf(name: string): Promise<string> {
		const dir = path.join(tmp, name);
		const run = await runCli('backup', urlOf('src'), dir);
		expect(run.code, run.stderr).toBe(0);
		return dir;
	}

	it('backs up with pg_dump and a manifest, and restores into an empty database', async () => {
		const before = await tablesOf('src');
		const backup = await runCli('backup', urlOf('src'), backupDir());
		expect(backup.stderr).toBe('');
		expect(backup.code).toBe(0);
		expect(backup.stdout).toMatch(/hall\.dump/);
		expect(backup.stdout + backup.stderr).not.toContain(PASSWORD);
		expect(fs.readdirSync(backupDir()).sort()).toEqual(['hall.dump', 'manifest.json']);
		const manifest = JSON.parse(fs.readFileSync(path.join(backupDir(), 'manifest.json'), 'utf8'));
		expect(manifest).toMatchObject({ engine: 'postgres', format: 'cloud-hall-backup' });
		expect(manifest.schemaVersion).toBeGreaterThan(0);
		expect(manifest.dump.sha256).toBe(
			sha256Hex(fs.readFileSync(path.join(backupDir(), 'hall.dump')))
		);
		// the counts are the snapshot's: the audit entry the command writes after it is not in them
		expect(manifest.rows.service_items).toBe(before.service_items);
		expect(manifest.rows.document_blobs).toBe(1);
		expect(manifest.rows.service_items).toBeGreaterThan(0);

		// a second backup into the same (now non-empty) folder is refused
		const again = await runCli('backup', urlOf('src'), backupDir());
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/backup refused: .*is not empty/);

		const restore = await runCli('restore', urlOf('dst'), backupDir());
		expect(restore.stderr).toBe('');
		expect(restore.code).toBe(0);
		expect(restore.stdout + restore.stderr).not.toContain(PASSWORD);

		const restored = await tablesOf('dst');
		for (const [table, n] of Object.entries(manifest.rows as Record<string, number>))
			if (table !== 'audit_log') expect(restored[table], table).toBe(n);
		expect(await servicesOf('dst')).toEqual(await servicesOf('src'));
		const e = openPostgresEngine(urlOf('dst'), { poolSize: 1 });
		try {
			const bytes = await postgresBlobStore(e.store).get('documents', DOC_SHA);
			expect(bytes && Buffer.from(bytes).equals(DOC)).toBe(true);
		} finally {
			await e.close();
		}
	}, 120_000);

	it('refuses to restore into a database with rows, and changes nothing', async () => {
		const backup = await backupOf('into-rows'); // audited: counted before the restore is tried
		const before = await tablesOf('src');
		const run = await runCli('restore', urlOf('src'), backup);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/restore refused: the database .* is not empty.*Nothing was changed/s
		);
		expect(run.stderr).not.toContain(PASSWORD);
		expect(await tablesOf('src')).toEqual(before);
	}, 60_000);

	it('refuses a damaged dump (one flipped byte) by its hash, and changes nothing', async () => {
		const damaged = path.join(tmp, 'damaged');
		fs.cpSync(await backupOf('to-damage'), damaged, { recursive: true });
		const dump = path.join(damaged, 'hall.dump');
		const bytes = fs.readFileSync(dump);
		bytes[Math.floor(bytes.length / 2)] ^= 0x01;
		fs.writeFileSync(dump, bytes);
		const run = await runCli('restore', urlOf('dst2'), damaged);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/restore refused: .*does not match its manifest.*hall\.dump/s);
		expect(await tablesOf('dst2')).toEqual({});
	}, 60_000);

	it('migrates a backup taken at an older schema version once it is restored', async () => {
		const all = readPostgresMigrations();
		const store = createPostgresStore(urlOf('old'));
		try {
			await migratePostgres(store, all.slice(0, 1));
		} finally {
			await store.close();
		}
		const dir = path.join(tmp, 'old-backup');
		// the backup command's own audit entry migrates the old hall afterwards; the dump is older
		const backup = await runCli('backup', urlOf('old'), dir);
		expect(backup.code).toBe(0);
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
		expect(manifest.schemaVersion).toBe(1);
		expect(manifest.rows.document_blobs).toBeUndefined();
		const run = await runCli('restore', urlOf('dst3'), dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/migrations applied since: .*0002/);
		const tables = await tablesOf('dst3');
		expect(tables.schema_migrations).toBe(all.length);
		expect(tables.document_blobs).toBe(0);
	}, 60_000);
});

// Backup and restore (server/ops/backup.ts, npm run backup / restore): an online backup taken
// while another process writes holds every acknowledged row and every referenced document, and
// restores into a hall that starts; restore refuses non-empty targets and altered backups.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { migrate, readMigrations } from '../../server/db/migrate.ts';
import {
	backupHall,
	BackupError,
	readManifest,
	restoreHall,
	type Manifest
} from '../../server/ops/backup.ts';
import { createRuntimeDeps } from '../../server/runtime.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { SIGNATURE_PNG as PNG } from './builders.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WRITER = path.join(ROOT, 'tests/fixtures/backup-writer.ts');
// Child processes on a slow two-core machine: generous limits everywhere.
const CHILD_TIMEOUT = 90_000;

// Each test registers what it must clean up; nothing is shared between tests.
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-backup-'));
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs scripts/<name>.ts as `npm run <name>` would, against the given DATA_DIR. */
function runCli(name: 'backup' | 'restore', dataDir: string, ...args: string[]): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(ROOT, `scripts/${name}.ts`), ...args], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: dataDir, DATABASE_FILE: 'hall.db' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${name} did not finish in ${CHILD_TIMEOUT} ms:\n${stdout}\n${stderr}`));
		}, CHILD_TIMEOUT);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** The writer fixture: inserts one row per transaction and reports each acknowledged id. */
function startWriter(dbFile: string, prefill: number) {
	const child = spawn(process.execPath, [WRITER, dbFile, String(prefill)], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	cleanups.push(() => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	});
	const acked: number[] = [];
	let stopped: number | null = null;
	let rest = '';
	let stderr = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop()!;
		for (const line of lines) {
			if (/^\d+$/.test(line)) acked.push(Number(line));
			else if (line.startsWith('stopped ')) stopped = Number(line.slice(8));
		}
	});
	child.stderr.on('data', (d) => (stderr += d));
	const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
	return {
		acked,
		async waitFor(count: number) {
			const deadline = Date.now() + CHILD_TIMEOUT;
			while (acked.length < count) {
				if (child.exitCode !== null) throw new Error(`writer exited early: ${stderr}`);
				if (Date.now() > deadline) throw new Error(`writer acknowledged only ${acked.length}`);
				await new Promise((r) => setTimeout(r, 20));
			}
		},
		async stop() {
			child.kill('SIGTERM');
			const code = await closed;
			expect(code, stderr).toBe(0);
			expect(stopped).not.toBeNull();
		}
	};
}

function hashOf(file: string) {
	const bytes = fs.readFileSync(file);
	return { size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function listing(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
		const file = path.join(dir, name);
		if (fs.statSync(file).isFile()) out[name] = hashOf(file).sha256;
	}
	return out;
}

function photo(bytes = 64 * 1024): Uint8Array<ArrayBuffer> {
	const data = new Uint8Array(randomBytes(bytes));
	data.set([0xff, 0xd8, 0xff, 0xe0]);
	return data;
}

/**
 * A seeded hall with documents uploaded through the API: one photo uploaded twice (two rows, one
 * file), one PDF, and a signed case.
 */
async function hallWithDocuments() {
	const h = await createHarness();
	cleanups.push(() => h.close());
	const license = await serviceByCode(h, '370281-XZSP-001');
	const citizen = await newCitizen(h);
	const res = await h.request('POST', '/api/cases', {
		token: citizen.token,
		body: { serviceId: license.id }
	});
	expect(res.status).toBe(201);
	const caseId: string = (await res.json()).case.id;
	const upload = async (bytes: Uint8Array<ArrayBuffer>, name: string): Promise<string> => {
		const form = new FormData();
		form.set('material', '经营者身份证明');
		form.set('file', new File([bytes], name));
		const up = await h.app.request(`/api/cases/${caseId}/documents`, {
			method: 'POST',
			body: form,
			headers: { authorization: `Bearer ${citizen.token}` }
		});
		expect(up.status).toBe(201);
		return (await up.json()).document.sha256;
	};
	const id = photo();
	const shared = await upload(id, 'front.jpg');
	expect(await upload(id, 'front-again.jpg')).toBe(shared);
	const single = await upload(
		new TextEncoder().encode(`%PDF-1.4\n${randomBytes(2048).toString('hex')}\n%%EOF\n`),
		'licence.pdf'
	);
	const signed = await h.request('POST', `/api/cases/${caseId}/signature`, {
		token: citizen.token,
		body: { image: PNG }
	});
	expect(signed.status).toBe(200);
	const { signature_sha256: signature } = h.db
		.prepare('SELECT signature_sha256 FROM cases WHERE id = ?')
		.get(caseId) as { signature_sha256: string };
	return { h, upload, shared, single, signature };
}

function expectMatchesManifest(
	dir: string,
	manifest: Manifest,
	{ database = true }: { database?: boolean } = {}
) {
	const files = [...manifest.documents, ...manifest.signatures];
	for (const e of database ? [manifest.database, ...files] : files)
		expect(hashOf(path.join(dir, e.path)), e.path).toEqual({ size: e.size, sha256: e.sha256 });
}

describe('backup under write load, then restore', () => {
	it('holds every row acknowledged before it began and every referenced document; the hall starts on the restored copy', async () => {
		const { h, upload, shared, single, signature } = await hallWithDocuments();
		const tmp = tempDir();
		// bytes in the documents folder that no row refers to are not part of a backup
		const orphan = createHash('sha256').update('orphan').digest('hex');
		fs.writeFileSync(path.join(h.dir, 'documents', orphan), 'orphan');

		const prefill = 40_000;
		const writer = startWriter(h.deps.config.databasePath, prefill);
		await writer.waitFor(prefill + 100);
		const ackedBefore = writer.acked.slice();
		const backupDir = path.join(tmp, 'backup');
		const backup = await runCli('backup', h.dir, backupDir);
		const ackedDuring = writer.acked.length - ackedBefore.length;
		expect(backup.code, backup.stderr).toBe(0);
		expect(backup.stdout).toMatch(/backup written to .*\n.*schema version/);
		expect(ackedDuring, 'the writer kept committing while the backup ran').toBeGreaterThan(0);

		// uploaded after the backup: not in it
		const later = await upload(photo(), 'later.jpg');
		await writer.waitFor(writer.acked.length + 50);
		await writer.stop();

		const manifest = readManifest(backupDir);
		expect(manifest.schemaVersion).toBe(readMigrations().length);
		expect(manifest.documents.map((d) => [d.path, d.rows])).toEqual(
			[
				[`documents/${shared}`, 2],
				[`documents/${single}`, 1]
			].sort()
		);
		expect(manifest.signatures.map((d) => d.path)).toEqual([`signatures/${signature}`]);
		expect(manifest.problems).toEqual([]);
		expect(JSON.stringify(manifest)).not.toContain(orphan);
		expect(JSON.stringify(manifest)).not.toContain(later);
		expectMatchesManifest(backupDir, manifest);

		const restored = path.join(tmp, 'restored'); // a new folder
		const restore = await runCli('restore', restored, backupDir);
		expect(restore.code, restore.stderr).toBe(0);
		expect(restore.stdout).toContain('restored the backup of');
		// the restored database has one entry more than the backup: the restore, in its audit log
		expectMatchesManifest(restored, manifest, { database: false });
		expect(fs.existsSync(path.join(restored, 'documents', orphan))).toBe(false);
		expect(fs.readdirSync(restored).filter((n) => n.startsWith('.restore'))).toEqual([]);

		// start the hall on it the way the server does
		const deps = await createRuntimeDeps(loadConfig({ DATA_DIR: restored, NODE_ENV: 'test' }));
		try {
			const db = deps.engine.sqlite!;
			expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
			expect(migrate(db)).toEqual([]);
			expect(
				db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get()
			).toBe('backup.restored');
			const backedUp = h.db
				.prepare("SELECT count(*) FROM audit_log WHERE action = 'backup.created'")
				.pluck()
				.get();
			expect(backedUp, 'the backup is in the live hall’s audit log').toBe(1);
			const ids = db.prepare('SELECT id FROM backup_probe ORDER BY id').pluck().all() as number[];
			// one writer, ids in commit order: a consistent snapshot holds exactly 1..k, no gaps
			expect(ids.every((id, i) => id === i + 1)).toBe(true);
			const have = new Set(ids);
			const lost = ackedBefore.filter((id) => !have.has(id));
			expect(lost, 'acknowledged before the backup but not in it').toEqual([]);
			expect(ids.length).toBeLessThan(writer.acked.length); // and writing went on afterwards
			expect(
				db.prepare('SELECT count(*) FROM case_documents').pluck().get(),
				'the document rows of the snapshot'
			).toBe(3);
			const res = await createApp(deps).request('/api/services');
			expect(res.status).toBe(200);
		} finally {
			await deps.engine.close();
		}
	}, 240_000);
});

describe('restore refuses', () => {
	it('a non-empty DATA_DIR, and changes nothing there', async () => {
		const h = await createHarness({ seed: false });
		cleanups.push(() => h.close());
		const tmp = tempDir();
		const backupDir = path.join(tmp, 'backup');
		backupHall(h.deps.config, backupDir);
		const target = path.join(tmp, 'data');
		fs.mkdirSync(target);
		fs.writeFileSync(path.join(target, 'hall.db'), 'the live hall');
		fs.mkdirSync(path.join(target, 'documents'));
		const before = listing(target);

		expect(() => restoreHall(target, backupDir)).toThrow(BackupError);
		expect(() => restoreHall(target, backupDir)).toThrow(/is not empty/);
		const cli = await runCli('restore', target, backupDir);
		expect(cli.code).toBe(1);
		expect(cli.stderr).toMatch(/restore refused: .*is not empty.*Nothing was changed/);
		expect(listing(target)).toEqual(before);
		expect(fs.readdirSync(target).sort()).toEqual(['documents', 'hall.db']);
	}, 120_000);

	it('a backup whose file was altered, naming the file, and writes nothing', async () => {
		const { h, shared } = await hallWithDocuments();
		const tmp = tempDir();
		const backupDir = path.join(tmp, 'backup');
		const summary = backupHall(h.deps.config, backupDir);
		expect(summary.documents).toMatchObject({ files: 2, rows: 3 });
		const target = path.join(tmp, 'new-data'); // does not exist
		const emptyTarget = path.join(tmp, 'empty-data');
		fs.mkdirSync(emptyTarget);

		const flip = (rel: string, at: number) => {
			const file = path.join(backupDir, rel);
			const bytes = fs.readFileSync(file);
			bytes[at] ^= 0xff;
			fs.writeFileSync(file, bytes);
		};
		const refuses = (name: string | RegExp) => {
			for (const t of [target, emptyTarget]) {
				expect(() => restoreHall(t, backupDir)).toThrow(name);
			}
			expect(fs.existsSync(target)).toBe(false);
			expect(fs.readdirSync(emptyTarget)).toEqual([]);
		};

		// one byte of a document
		flip(`documents/${shared}`, 100);
		refuses(new RegExp(`documents/${shared}: SHA-256`));
		const cli = await runCli('restore', target, backupDir);
		expect(cli.code).toBe(1);
		expect(cli.stderr).toContain(`documents/${shared}`);
		expect(cli.stderr).toContain('nothing was restored');
		expect(fs.existsSync(target)).toBe(false);
		flip(`documents/${shared}`, 100);

		// one byte of the database
		flip('hall.db', 5000);
		refuses(/hall\.db: SHA-256/);
		flip('hall.db', 5000);

		// a shortened document
		const doc = path.join(backupDir, 'documents', shared);
		const original = fs.readFileSync(doc);
		fs.writeFileSync(doc, original.subarray(1));
		refuses(new RegExp(`documents/${shared}: ${original.byteLength - 1} bytes`));
		fs.writeFileSync(doc, original);

		// a manifest that is corrupt, tampered with, or missing
		const manifestFile = path.join(backupDir, 'manifest.json');
		const manifestText = fs.readFileSync(manifestFile, 'utf8');
		fs.writeFileSync(manifestFile, manifestText.slice(0, 40));
		refuses(/manifest\.json is not valid JSON/);
		const bad = JSON.parse(manifestText) as Manifest;
		bad.documents[0].path = '../../etc/passwd';
		fs.writeFileSync(manifestFile, JSON.stringify(bad));
		refuses(
			/not a valid backup manifest:\n {2}documents\.0\.path: path must be documents\/<sha256>/
		);
		fs.rmSync(manifestFile);
		refuses(/no manifest\.json in .*not a Cloud Hall backup/);
		const missing = await runCli('restore', target, backupDir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/restore refused: no manifest\.json/);

		// put back as it was, the same backup restores
		fs.writeFileSync(manifestFile, manifestText);
		const restored = restoreHall(target, backupDir);
		expect(restored.documents.files).toBe(2);
		expect(hashOf(path.join(target, 'documents', shared)).sha256).toBe(shared);
	}, 120_000);
});

describe('signatures beyond cases', () => {
	it('holds a resident’s signed consent to a home visit (issue 23), restored with the rest', async () => {
		const h = await createHarness();
		cleanups.push(() => h.close());
		const license = await serviceByCode(h, '370281-XZSP-001');
		const resident = await newCitizen(h);
		const grid = await h.loginAs('grid');
		const communities = (
			await (await h.request('GET', '/api/communities', { token: resident.token })).json()
		).communities as { id: string }[];
		const asked = await h.request('POST', '/api/home-visits', {
			token: resident.token,
			body: {
				serviceId: license.id,
				communityId: communities[0].id,
				address: '胶州市阜安街道郑州路 88 号 2 单元 301',
				reason: 'elderly'
			}
		});
		expect(asked.status).toBe(201);
		const visit = (await asked.json()).visit.id as string;
		expect(
			(await h.request('POST', `/api/home-visits/${visit}/accept`, { token: grid })).status
		).toBe(200);
		const consented = await h.request('POST', `/api/home-visits/${visit}/consent`, {
			token: grid,
			body: { method: 'signature', signature: PNG }
		});
		expect(consented.status).toBe(200);
		const { consent_signature_sha256: signature } = h.db
			.prepare('SELECT consent_signature_sha256 FROM home_visits WHERE id = ?')
			.get(visit) as { consent_signature_sha256: string };
		const tmp = tempDir();
		const backupDir = path.join(tmp, 'backup');
		const cli = await runCli('backup', h.dir, backupDir);
		expect(cli.code, cli.stderr).toBe(0);
		const manifest = readManifest(backupDir);
		expect(manifest.signatures.map((d) => d.path)).toEqual([`signatures/${signature}`]);
		const target = path.join(tmp, 'data');
		restoreHall(target, backupDir);
		expectMatchesManifest(target, manifest);
	}, 120_000);
});

describe('a referenced file missing from DATA_DIR', () => {
	it('is named in the summary and the manifest (exit code 2), and the rest still restores', async () => {
		const { h, shared, single } = await hallWithDocuments();
		const tmp = tempDir();
		fs.rmSync(path.join(h.dir, 'documents', single));
		const backupDir = path.join(tmp, 'backup');
		const cli = await runCli('backup', h.dir, backupDir);
		expect(cli.code).toBe(2);
		expect(cli.stdout).toContain(`documents/${single}: missing from DATA_DIR`);
		const manifest = readManifest(backupDir);
		expect(manifest.problems).toEqual([
			{ path: `documents/${single}`, problem: 'missing from DATA_DIR' }
		]);
		expect(manifest.documents.map((d) => d.path)).toEqual([`documents/${shared}`]);
		const target = path.join(tmp, 'data');
		const restored = restoreHall(target, backupDir);
		expect(restored.problems).toEqual(manifest.problems);
		expectMatchesManifest(target, manifest);
	}, 120_000);
});

describe('backup refuses', () => {
	it('a non-empty target folder, and leaves it as it was', async () => {
		const h: Harness = await createHarness({ seed: false });
		cleanups.push(() => h.close());
		const target = tempDir();
		fs.writeFileSync(path.join(target, 'last-week.txt'), 'an older backup');
		const before = listing(target);

		const cli = await runCli('backup', h.dir, target);
		expect(cli.code).toBe(1);
		expect(cli.stderr).toMatch(/backup refused: .* is not empty/);
		expect(listing(target)).toEqual(before);
		expect(() => backupHall(h.deps.config, target)).toThrow(/is not empty/);
		expect(listing(target)).toEqual(before);
	}, 120_000);
});

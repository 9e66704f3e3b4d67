// Storage faults tell the truth: a full disk or a read-only data folder answers 503
// storage_unavailable (never 500), health says which part fails, nothing is half-written, the
// burst is logged once, and the hall recovers by itself when space returns. The disk is real:
// a tiny tmpfs mounted for the test (these machines and CI run as root; without root the
// read-only folder is made with chmod and the full-disk test cannot mount, so it does not run).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/index.ts';
import { createRuntimeDeps, StartupError } from '../../server/runtime.ts';
import type { Logger } from '../../server/log.ts';

const isRoot = process.getuid?.() === 0;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

/** A real filesystem of `mb` megabytes, unmounted after the test. */
function tinyDisk(mb: number): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-tiny-'));
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir]);
	cleanups.push(() => {
		execFileSync('umount', ['-l', dir]);
		fs.rmSync(dir, { recursive: true, force: true });
	});
	return dir;
}

/** Fills the disk to the last byte; returns a function that frees the space again. */
function fill(dir: string): () => void {
	const file = path.join(dir, 'filler');
	const fd = fs.openSync(file, 'w');
	const chunk = Buffer.alloc(64 * 1024, 1);
	try {
		for (;;) fs.writeSync(fd, chunk);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
	}
	// the last partial chunk
	try {
		for (;;) fs.writeSync(fd, Buffer.alloc(512, 1));
	} catch {
		/* full */
	}
	fs.closeSync(fd);
	return () => fs.rmSync(file);
}

function recordingLog(h: Harness): { event: string; fields: Record<string, unknown> }[] {
	const lines: { event: string; fields: Record<string, unknown> }[] = [];
	const log: Logger = (event, fields = {}) => lines.push({ event, fields });
	h.deps.log = log;
	return lines;
}

async function harnessOn(dataDir: string): Promise<Harness> {
	const h = await createHarness({ env: { DATA_DIR: dataDir } });
	cleanups.push(() => h.close());
	return h;
}

const login = (h: Harness, ip = '192.0.2.10') =>
	h.request('POST', '/api/auth/login', {
		body: { login: 'agent', password: 'Demo@2026' },
		ip
	});

async function sessionCount(h: Harness): Promise<number> {
	return (h.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
}

describe('a full disk', () => {
	it.runIf(isRoot)(
		'answers 503 storage_unavailable to writes and uploads, health 503 down, logged once; recovers when space returns',
		{ timeout: 60_000 },
		async () => {
			const disk = tinyDisk(8);
			const h = await harnessOn(disk);
			const lines = recordingLog(h);
			const citizen = await newCitizen(h);
			const license = await serviceByCode(h, '370281-XZSP-001');
			const kase = (
				await (
					await h.request('POST', '/api/cases', {
						token: citizen.token,
						body: { serviceId: license.id }
					})
				).json()
			).case;
			expect((await h.request('GET', '/api/health')).status).toBe(200);
			const sessionsBefore = await sessionCount(h);
			const free = fill(disk);

			for (let i = 0; i < 5; i++) {
				const res = await login(h);
				expect(res.status).toBe(503);
				const body = await res.json();
				expect(body.error.code).toBe('storage_unavailable');
				expect(body.error.message).toMatch(/nothing was saved/);
			}
			const jpeg = new Uint8Array(200 * 1024);
			jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
			const form = new FormData();
			form.set('material', '经营者身份证明');
			form.set('file', new File([jpeg], 'id.jpg', { type: 'image/jpeg' }));
			const upload = await h.app.request(`/api/cases/${kase.id}/documents`, {
				method: 'POST',
				body: form,
				headers: { authorization: `Bearer ${citizen.token}` }
			});
			expect(upload.status).toBe(503);
			expect((await upload.json()).error.code).toBe('storage_unavailable');

			const health = await h.request('GET', '/api/health');
			expect(health.status).toBe(503);
			const hb = await health.json();
			expect(hb).toMatchObject({ status: 'down', database: { ok: false }, storage: { ok: false } });
			expect(hb.storage.freeBytes).toBeLessThan(64 * 1024);
			expect(hb.storage.error).toMatch(/SQLITE_FULL|ENOSPC|SQLITE_IOERR/);
			// a burst: one log line for the first failure, none per request after it, no stacks
			const faults = lines.filter((l) => l.event === 'storage fault');
			expect(faults).toHaveLength(1);
			expect(lines.some((l) => l.event === 'unhandled error')).toBe(false);
			expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /);
			// nothing half-written
			expect(await sessionCount(h)).toBe(sessionsBefore);
			const docs = (
				await (await h.request('GET', `/api/cases/${kase.id}`, { token: citizen.token })).json()
			).case.documents;
			expect(docs).toHaveLength(0);

			free();
			// the background probe sees the space come back by itself
			await vi.waitFor(
				async () => expect((await h.request('GET', '/api/health')).status).toBe(200),
				{ timeout: 15_000, interval: 250 }
			);
			expect((await login(h)).status).toBe(200);
			expect(lines.some((l) => l.event === 'storage recovered')).toBe(true);
		}
	);
});

describe('a read-only data folder', () => {
	function readOnly(dir: string): () => void {
		if (isRoot) {
			execFileSync('mount', ['-o', 'remount,ro', dir]);
			return () => execFileSync('mount', ['-o', 'remount,rw', dir]);
		}
		for (const f of [dir, ...fs.readdirSync(dir).map((f) => path.join(dir, f))])
			fs.chmodSync(f, 0o555);
		return () => {
			for (const f of [dir, ...fs.readdirSync(dir).map((f) => path.join(dir, f))])
				fs.chmodSync(f, 0o755);
		};
	}
	const folder = () => (isRoot ? tinyDisk(8) : fs.mkdtempSync(path.join(os.tmpdir(), 'hall-ro-')));

	it('refuses to start on it, naming DATA_DIR', async () => {
		const dir = folder();
		const writable = readOnly(dir);
		cleanups.push(writable);
		const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' });
		const started = createRuntimeDeps(config);
		await expect(started).rejects.toBeInstanceOf(StartupError);
		await expect(started).rejects.toThrow(new RegExp(`DATA_DIR ${dir} is not writable`));
	});

	it('refuses to start when the database inside it cannot be written', async () => {
		const dir = folder();
		// a hall that ran here before: the database exists, then the folder turns read-only
		await (await harnessOn(dir)).close();
		cleanups.pop();
		const writable = readOnly(dir);
		cleanups.push(writable);
		await expect(
			createRuntimeDeps(loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' }))
		).rejects.toThrow(/DATA_DIR .* (is not writable|cannot be written)/);
	});
});

describe('a write lock held by another process', () => {
	it('answers 503 busy (not 500) once the busy timeout passes, and writes nothing', async () => {
		const h = await harnessOn(fs.mkdtempSync(path.join(os.tmpdir(), 'hall-busy-')));
		// another connection, as another process would be, holds the write lock
		const other = openDatabase(h.deps.config.databasePath);
		cleanups.push(() => {
			other.close();
		});
		h.db.pragma('busy_timeout = 300'); // the app's connection gives up sooner in this test
		const before = await sessionCount(h);
		other.exec('BEGIN IMMEDIATE');
		const res = await login(h);
		other.exec('ROLLBACK');
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('1');
		expect((await res.json()).error.code).toBe('busy');
		expect(await sessionCount(h)).toBe(before);
		expect((await login(h, '192.0.2.20')).status).toBe(200);
	});
});

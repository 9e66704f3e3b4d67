// Moving a hall (issue 21, item 7): `npm run db:copy -- --to postgres://…` copies the SQLite hall
// in DATA_DIR (rows, documents, signatures) into an empty PostgreSQL database and verifies counts,
// row hashes and SHA-256s. SQLite is the source, so this file runs in the api project only and
// starts its own PostgreSQL cluster (listed in SQLITE_ONLY in vitest.config.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { sha256Hex } from '../../server/db/blobs.ts';
import { createPostgresStore } from '../../server/db/postgres-store.ts';
import { openPostgresEngine } from '../../server/engine.ts';
import { newId } from '../../server/ids.ts';
import { copyHall, rowsHash } from '../../server/ops/copy.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';
import {
	LICENSE,
	PNG_BYTES,
	SIGNATURE_PNG,
	callNext,
	openDesk,
	takeTicket,
	uploadMaterial
} from './builders.ts';
import { count, createHarness, type Harness } from './harness.ts';

let server: PostgresProcess;
let h: Harness;
let databases = 0;

/** A new, empty database on the cluster and its URL. */
async function emptyDatabase(): Promise<string> {
	const name = `copy_${++databases}`;
	const admin = createPostgresStore(server.url, { max: 1 });
	try {
		await admin.run(`CREATE DATABASE ${name}`);
	} finally {
		await admin.close();
	}
	return server.url.replace(/\/hall$/, `/${name}`);
}

function withoutDatabaseUrl(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.DATABASE_URL;
	return env;
}

/** The command as an operator runs it, on the harness's DATA_DIR. */
function dbCopy(to: string, dataDir = h.dir) {
	const run = spawnSync(process.execPath, ['scripts/db-copy.ts', '--to', to], {
		cwd: path.resolve(import.meta.dirname, '../..'),
		env: { ...withoutDatabaseUrl(), DATA_DIR: dataDir, NODE_ENV: 'test' },
		encoding: 'utf8',
		timeout: 120_000
	});
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface Load {
	citizen: { id: string; token: string };
	caseId: string;
	documentId: string;
	agent: string;
}

/** The demo hall plus some of everything: tickets, appointments, cases with files, ratings, audit. */
async function generateLoad(): Promise<Load> {
	const agent = await h.loginAs('agent');
	const license = await serviceByCode(h, LICENSE);
	const desk = await openDesk(h, agent);
	const citizens = [];
	for (let i = 0; i < 4; i++) citizens.push(await newCitizen(h, `搬迁群众${i}`));
	for (const c of citizens)
		await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
	await callNext(h, agent, desk.id);
	for (const [i, c] of citizens.slice(0, 2).entries()) {
		const slot = await slotAt(h, license.id, '2026-11-27', i ? '10:30' : '10:00');
		expect((await book(h, c.token, { slotId: slot.id, serviceId: license.id })).status).toBe(201);
	}
	const citizen = citizens[0];
	let caseId = '';
	let documentId = '';
	for (const c of citizens.slice(0, 3)) {
		const created = await h.request('POST', '/api/cases', {
			token: c.token,
			body: { serviceId: license.id }
		});
		expect(created.status).toBe(201);
		const kase = (await created.json()).case as { id: string; materials: { name: string }[] };
		const up = await uploadMaterial(h, c.token, kase.id, kase.materials[0].name);
		expect(up.status).toBe(201);
		const signed = await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: c.token,
			body: { image: SIGNATURE_PNG }
		});
		expect(signed.status).toBe(200);
		if (c === citizen) {
			caseId = kase.id;
			documentId = ((await up.json()) as { document: { id: string } }).document.id;
		}
	}
	// a view of the document: an audit row
	expect(
		(await h.request('GET', `/api/cases/${caseId}/documents/${documentId}/file`, { token: agent }))
			.status
	).toBe(200);
	// ratings (written as rows: the services they rate are not what this test is about)
	const org = (await h.store.get<{ id: string }>(
		'SELECT id FROM org_units ORDER BY code LIMIT 1'
	))!;
	for (const [i, c] of citizens.entries())
		await h.store.run(
			`INSERT INTO ratings (id, subject_type, subject_id, citizen_id, org_unit_id, staff_id,
			 service_item_id, score, tags, comment, created_at, updated_at)
			 VALUES (?, 'case', ?, ?, ?, NULL, ?, ?, '["fast"]', ?, ?, ?)`,
			[
				newId(),
				`moved-${i}`,
				c.id,
				org.id,
				license.id,
				1 + i,
				`评价 ${i}`,
				h.clock.now,
				h.clock.now
			]
		);
	return { citizen, caseId, documentId, agent };
}

beforeAll(async () => {
	server = await startPostgres();
	h = await createHarness();
}, 120_000);
afterAll(async () => {
	await h?.close();
	await server?.stop();
});

describe('the row hash', () => {
	it('ignores row order, reads numbers and bytes alike on both engines, and sees any change', () => {
		const cols = ['id', 'n', 'x', 'b'];
		const a = [
			{ id: 'a', n: 1, x: 0.1 + 0.2, b: Buffer.from('hi') },
			{ id: 'b', n: 2, x: null, b: null }
		];
		const b = [
			{ id: 'b', n: 2n, x: null, b: null },
			{ id: 'a', n: 1, x: 0.3, b: new Uint8Array(Buffer.from('hi')) }
		];
		expect(rowsHash(a, cols)).toBe(rowsHash(b, cols));
		expect(rowsHash(a, cols)).not.toBe(rowsHash([a[0], { ...a[1], n: 3 }], cols));
		expect(rowsHash(a, cols)).not.toBe(rowsHash([a[0], { ...a[1], x: '' }], cols));
		expect(rowsHash(a, cols)).not.toBe(rowsHash([a[0]], cols));
	});
});

describe('npm run db:copy', () => {
	let load: Load;
	let target: string;
	let run: ReturnType<typeof dbCopy>;
	const COUNTED = ['tickets', 'appointments', 'cases', 'case_documents', 'ratings', 'audit_log'];
	const copiedCounts: Record<string, number> = {};
	const targetCounts: Record<string, number> = {};
	// one copy of the loaded hall, which every test below reads (they run in any order)
	beforeAll(async () => {
		load = await generateLoad();
		target = await emptyDatabase();
		run = dbCopy(target);
		// both sides as the copy left them (another test's reads add audit rows to either)
		const pg = createPostgresStore(target, { max: 1 });
		try {
			for (const t of COUNTED) {
				copiedCounts[t] = await count(h.store, t);
				targetCounts[t] = await count(pg, t);
			}
		} finally {
			await pg.close();
		}
	}, 120_000);

	it('copies the hall (rows, documents, signatures) into an empty database and verifies it', async () => {
		expect(run.stderr).not.toMatch(/refused|failed/);
		expect(run.status, run.stdout + run.stderr).toBe(0);
		expect(run.stdout).toContain('verified: every count, row hash and SHA-256 matches');
		// the table of counts names the tables with their rows on both sides
		const casesLine = run.stdout.split('\n').find((l) => /^cases\s/.test(l))!;
		expect(casesLine.split(/\s+/).slice(1, 4)).toEqual(['3', '3', 'ok']);
		for (const t of ['users', 'tickets', 'appointments', 'case_documents', 'ratings', 'audit_log'])
			expect(run.stdout).toMatch(new RegExp(`^${t}\\s+\\d+\\s+\\d+\\s+ok$`, 'm'));
		expect(run.stdout).toMatch(/^documents\s+1\s+1\s+ok/m);
		expect(run.stdout).toMatch(/^signatures\s+1\s+1\s+ok/m);

		// the counts on PostgreSQL are SQLite's, table by table
		const pg = createPostgresStore(target, { max: 1 });
		try {
			for (const t of COUNTED) expect(targetCounts[t], t).toBe(copiedCounts[t]);
			expect(await count(pg, 'ratings')).toBe(4);
			expect(await count(pg, 'document_blobs')).toBe(2);
			// identities continue after the copied ids
			const { max } = (await pg.get<{ max: number }>('SELECT max(id) AS max FROM case_events'))!;
			expect(max).toBeGreaterThan(0);
			const { next } = (await pg.get<{ next: number }>(
				`SELECT nextval(pg_get_serial_sequence('case_events', 'id')) AS next`
			))!;
			expect(next).toBe(max + 1);
		} finally {
			await pg.close();
		}
	});

	it('the copied hall answers on PostgreSQL as it did on SQLite', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-moved-'));
		const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'test', DATABASE_URL: target });
		const engine = openPostgresEngine(target, { poolSize: 2 });
		const moved = createApp({ ...h.deps, engine, store: engine.store, config });
		const get = (app: { request: typeof moved.request }, url: string, token?: string) =>
			Promise.resolve(
				app.request(
					url,
					{ headers: token ? { authorization: `Bearer ${token}` } : {} },
					{ ip: '203.0.113.9' }
				)
			);
		try {
			expect(await engine.schemaVersion()).toBeGreaterThanOrEqual(2);
			const services = await get(moved, '/api/services');
			expect(services.status).toBe(200);
			expect(await services.json()).toEqual(await (await get(h.app, '/api/services')).json());
			// the citizen's session moved too: the same token reads the same cases
			const before = await (await get(h.app, '/api/cases', load.citizen.token)).json();
			const after = await get(moved, '/api/cases', load.citizen.token);
			expect(after.status).toBe(200);
			expect(await after.json()).toEqual(before);
			const appointments = await get(moved, '/api/appointments', load.citizen.token);
			expect(await appointments.json()).toEqual(
				await (await get(h.app, '/api/appointments', load.citizen.token)).json()
			);
			// the document comes from the database now, byte for byte
			const file = await get(
				moved,
				`/api/cases/${load.caseId}/documents/${load.documentId}/file`,
				load.agent
			);
			expect(file.status).toBe(200);
			const bytes = new Uint8Array(await file.arrayBuffer());
			expect(bytes).toEqual(new Uint8Array(PNG_BYTES));
			expect(sha256Hex(bytes)).toBe(sha256Hex(PNG_BYTES));
			const signature = await get(moved, `/api/cases/${load.caseId}/signature/file`, load.agent);
			expect(signature.status).toBe(200);
			// nothing was needed from a DATA_DIR
			expect(fs.readdirSync(dir).filter((f) => f === 'documents' || f === 'signatures')).toEqual(
				[]
			);
		} finally {
			await engine.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a database that is not empty, and changes nothing in it', async () => {
		const pg = createPostgresStore(target, { max: 1 });
		try {
			const before = await count(pg, 'users');
			const run = dbCopy(target);
			expect(run.status).toBe(1);
			expect(run.stderr).toContain('db:copy refused: the target database is not empty');
			expect(await count(pg, 'users')).toBe(before);
		} finally {
			await pg.close();
		}
		expect(dbCopy('mysql://nowhere/hall').stderr).toContain('postgres://');
	});

	it('exits non-zero when a document in DATA_DIR does not match its SHA-256', async () => {
		const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-damaged-'));
		try {
			await h.db.backup(path.join(copy, 'hall.db'));
			fs.cpSync(path.join(h.dir, 'documents'), path.join(copy, 'documents'), { recursive: true });
			const [name] = fs.readdirSync(path.join(copy, 'documents')).filter((f) => f.length === 64);
			fs.writeFileSync(path.join(copy, 'documents', name), 'damaged');
			const summary = await copyHall({
				dataDir: copy,
				databasePath: path.join(copy, 'hall.db'),
				to: await emptyDatabase()
			});
			expect(summary.ok).toBe(false);
			expect(summary.tables.every((t) => t.ok)).toBe(true);
			const documents = summary.blobs.find((b) => b.kind === 'documents')!;
			expect(documents.mismatched).toEqual([name]);
			// the signature is missing from this DATA_DIR altogether
			expect(summary.blobs.find((b) => b.kind === 'signatures')!.missingInSource).toHaveLength(1);
			const run = dbCopy(await emptyDatabase(), copy);
			expect(run.status).toBe(2);
			expect(run.stdout).toContain(`documents/${name}: damaged or not stored on the target`);
			expect(run.stdout).toContain('MISMATCH');
		} finally {
			fs.rmSync(copy, { recursive: true, force: true });
		}
	});
});

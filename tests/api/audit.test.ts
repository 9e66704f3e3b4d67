// The audit trail (审计日志): what is recorded, what never is, the hash chain and its check,
// retention with an anchor, the admin search and CSV, and two processes appending at once.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { signInNewStaff } from './builders.ts';
import { pruneAudit, recordAudit, verifyAuditChain } from '../../server/audit/audit.ts';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const DAY = 24 * 60 * 60 * 1000;

let h: Harness;
/** the last entry the demo seed wrote (its staff and catalog import): tests look past it */
let seeded: number;
beforeEach(async () => {
	h = await createHarness();
	seeded = (await h.store.get<{ n: number }>('SELECT max(seq) AS n FROM audit_log'))!.n;
});
afterEach(() => h.close());

interface Row {
	seq: number;
	action: string;
	actor_id: string | null;
	actor_name: string | null;
	actor_role: string | null;
	ip: string | null;
	target_type: string | null;
	target_id: string | null;
	detail: string;
}
const rowsOf = (action: string) =>
	h.store.all<Row>('SELECT * FROM audit_log WHERE action = ? AND seq > ? ORDER BY seq', [
		action,
		seeded
	]);
const allText = async () =>
	JSON.stringify(await h.store.all('SELECT * FROM audit_log ORDER BY seq'));

/** What a command or worker process needs to open this harness's database, on either engine. */
function engineEnv(): NodeJS.ProcessEnv {
	const { DATABASE_URL: _inherited, ...env } = process.env;
	const url = h.deps.config.databaseUrl;
	return { ...env, DATA_DIR: h.dir, ...(url ? { DATABASE_URL: url } : {}) };
}

/** Someone with access to the database itself removes the append-only guard. */
const dropAppendOnlyTrigger = () =>
	h.store.run(
		// a PostgreSQL trigger is named per table
		h.engine === 'postgres'
			? 'DROP TRIGGER audit_log_append_only ON audit_log'
			: 'DROP TRIGGER audit_log_append_only'
	);

const login = (login: string, password: string, ip = '198.51.100.77') =>
	h.request('POST', '/api/auth/login', { body: { login, password }, ip });

/** Every entry of one action and no more: the named way to read the trail in these tests. */
async function expectAudited(action: string, n: number, matching: Partial<Row> = {}) {
	const rows = await rowsOf(action);
	expect(rows, `${action} entries`).toHaveLength(n);
	for (const r of rows) expect(r).toMatchObject(matching);
	return rows;
}

describe('what is recorded', () => {
	it('sign-ins, failures and the lockout, with who and from where, never the password', async () => {
		const citizen = await newCitizen(h, '审计群众');
		expect((await login(citizen.phone, 'Citizen#2026')).status).toBe(200);
		for (let i = 0; i < 5; i++)
			expect((await login(citizen.phone, `Wrong#pass-${i}`)).status).toBe(401);
		expect((await login('nobody-such', 'Secret#typed-here')).status).toBe(401);

		await expectAudited('auth.login', 1, {
			actor_id: citizen.id,
			actor_name: '审计群众',
			actor_role: 'citizen',
			ip: '198.51.100.77'
		});
		const failed = await expectAudited('auth.login_failed', 6);
		expect(failed.filter((r) => r.actor_id === citizen.id)).toHaveLength(5);
		await expectAudited('auth.locked', 1, { actor_id: citizen.id });
		const text = await allText();
		expect(text).not.toContain('Wrong#pass');
		expect(text).not.toContain('Secret#typed-here');
		expect(text).not.toContain('nobody-such'); // an unknown login may be a mistyped password
		expect(text).not.toContain(citizen.phone); // phones are masked
		expect(text).toContain(`${citizen.phone.slice(0, 3)}****${citizen.phone.slice(7)}`);
	});

	it('staff accounts created by an admin, and sign-outs', async () => {
		const admin = await h.loginAs('admin');
		const orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json())
			.orgUnits as { id: string; code: string }[];
		const res = await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'audit-agent',
				name: '审计窗口',
				role: 'agent',
				orgUnitId: orgs.find((o) => o.code === '370281')!.id,
				password: 'Staff#2026-secret'
			}
		});
		expect(res.status).toBe(201);
		const created = (await res.json()).user;
		await expectAudited('account.staff_created', 1, {
			actor_role: 'admin',
			target_type: 'user',
			target_id: created.id
		});
		expect(await allText()).not.toContain('Staff#2026-secret');
		expect((await h.request('POST', '/api/auth/logout', { token: admin })).status).toBe(204);
		await expectAudited('auth.logout', 1, { actor_role: 'admin' });
	});

	it('a sensitive field is masked in ordinary reads; 查看完整号码 shows it once and is audited', async () => {
		const citizen = await newCitizen(h);
		const item = await serviceByCode(h, '370281-XZSP-001');
		const kase = (
			await (
				await h.request('POST', '/api/cases', {
					token: citizen.token,
					body: { serviceId: item.id }
				})
			).json()
		).case;
		const id = '11010519491231002X';
		await h.request('PUT', `/api/cases/${kase.id}/fields/idNumber`, {
			token: citizen.token,
			body: { value: id, revision: 0 }
		});
		const supervisor = await h.loginAs('supervisor');
		const read = await (
			await h.request('GET', `/api/cases/${kase.id}`, { token: supervisor })
		).json();
		const masked = read.case.fields.find((f: { key: string }) => f.key === 'idNumber').value;
		expect(masked).not.toBe(id);
		expect(masked).toMatch(/^1101\*+002X$/);
		await expectAudited('pii.revealed', 0);

		const shown = await h.request('POST', `/api/cases/${kase.id}/fields/idNumber/reveal`, {
			token: supervisor
		});
		expect(shown.status).toBe(200);
		expect(await shown.json()).toEqual({ key: 'idNumber', value: id });
		const [row] = await expectAudited('pii.revealed', 1, {
			actor_role: 'supervisor',
			target_type: 'case',
			target_id: kase.id
		});
		expect(JSON.parse(row.detail)).toEqual({ field: 'idNumber' });
		expect(await allText()).not.toContain(id);
		// not a sensitive field; another citizen's case; no session; a citizen
		const other = await newCitizen(h);
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/fields/name/reveal`, { token: supervisor }))
				.status
		).toBe(400);
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/fields/idNumber/reveal`, {})).status
		).toBe(401);
		expect(
			(
				await h.request('POST', `/api/cases/${kase.id}/fields/idNumber/reveal`, {
					token: other.token
				})
			).status
		).toBe(403);
		await expectAudited('pii.revealed', 1);
	});

	it('CSV exports, catalog and knowledge-base imports', async () => {
		const admin = await h.loginAs('admin');
		const csv = await h.request(
			'GET',
			'/api/stats/history.csv?table=volumes&from=2026-11-01&to=2026-11-26',
			{ token: admin }
		);
		expect(csv.status).toBe(200);
		await expectAudited('export.csv', 1, { actor_role: 'admin', target_id: 'volumes' });
		const item = {
			code: 'AUD-001',
			name: '审计测试事项',
			departmentCode: 'JZ-XZSP',
			timeLimitDays: 3,
			channels: ['video'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			materials: [{ name: '申请书' }],
			keywords: ['审计']
		};
		const imported = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'jsonl', content: JSON.stringify(item) }
		});
		expect(imported.status).toBe(200);
		const [catalog] = await expectAudited('import.catalog', 1);
		expect(JSON.parse(catalog.detail)).toMatchObject({ created: 1 });
		const kb = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: JSON.stringify({ id: 'faq-audit', title: '审计问答', body: '内容' }) }
		});
		expect(kb.status).toBe(200);
		await expectAudited('import.kb', 1, { actor_role: 'admin' });
		// a rejected file imports nothing and leaves no entry
		await h.request('POST', '/api/admin/kb/import', { token: admin, body: { content: '{broken' } });
		await expectAudited('import.kb', 1);
	});
});

describe('the chain', () => {
	it('verifies, and names the first row edited after it was written', async () => {
		for (let i = 0; i < 5; i++) await newCitizen(h);
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: true, rows: seeded + 5 });
		// rows cannot be changed through SQL...
		await expect(h.store.run("UPDATE audit_log SET ip = 'x' WHERE seq = 3")).rejects.toThrow(
			/append-only/
		);
		// ...but someone with the file can drop the trigger: the chain still tells
		await dropAppendOnlyTrigger();
		await h.store.run("UPDATE audit_log SET ip = '203.0.113.66' WHERE seq = 3");
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: false, brokenAt: 3 });
		const cli = await run(process.execPath, ['scripts/audit-verify.ts'], {
			cwd: root,
			env: engineEnv()
		}).catch((err) => err);
		expect(cli.code).toBe(1);
		expect(cli.stderr).toMatch(/BROKEN at entry 3/);
	});

	it('notices a deleted row and a forged row appended with a recomputed hash of its own', async () => {
		for (let i = 0; i < 4; i++) await newCitizen(h);
		await h.store.run('DELETE FROM audit_log WHERE seq = 2');
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: false, brokenAt: 3 });
	});

	it('the CLI says intact for an untouched log', async () => {
		await newCitizen(h);
		const { stdout } = await run(process.execPath, ['scripts/audit-verify.ts'], {
			cwd: root,
			env: engineEnv()
		});
		expect(stdout).toContain(`audit log intact: ${seeded + 1} entries, 1 to ${seeded + 1}`);
	});

	it('keeps AUDIT_RETENTION_MONTHS (6): older rows pruned, the chain verifies from an anchor', async () => {
		for (let i = 0; i < 3; i++) await newCitizen(h);
		h.clock.advance(200 * DAY);
		for (let i = 0; i < 2; i++) await newCitizen(h);
		const old = seeded + 3;
		expect(await pruneAudit(h.deps)).toBe(old);
		const kept = await h.store.all('SELECT seq, action FROM audit_log ORDER BY seq');
		expect(kept).toEqual([
			{ seq: old + 1, action: 'account.registered' },
			{ seq: old + 2, action: 'account.registered' },
			{ seq: old + 3, action: 'audit.pruned' }
		]);
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: true, rows: 3, firstSeq: old + 1 });
		expect(await pruneAudit(h.deps)).toBe(0);
		// the oldest kept row is still bound to the pruned ones
		await dropAppendOnlyTrigger();
		await h.store.run("UPDATE audit_log SET actor_name = '别人' WHERE seq = ?", [old + 1]);
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: false, brokenAt: old + 1 });
	});

	it('two processes appending at once never fork the chain', { timeout: 120_000 }, async () => {
		// each worker opens this run's engine: the SQLite file in h.dir, or this harness's database
		const worker = path.join(root, 'tests/fixtures/audit-writer.ts');
		const results = await Promise.all(
			[1, 2].map((n) =>
				run(process.execPath, [worker, h.dir, String(n), '150'], {
					cwd: root,
					env: engineEnv(),
					timeout: 100_000
				})
			)
		);
		for (const r of results) expect(r.stdout.trim()).toBe('150');
		await recordAudit(h.deps, { action: 'backup.created' });
		const check = await verifyAuditChain(h.deps);
		expect(check).toMatchObject({ ok: true, rows: seeded + 301 });
		const byWorker = await h.store.all(
			"SELECT ip, count(*) AS n FROM audit_log WHERE action = 'export.csv' GROUP BY ip ORDER BY ip"
		);
		expect(byWorker).toEqual([
			{ ip: 'worker-1', n: 150 },
			{ ip: 'worker-2', n: 150 }
		]);
	});
});

describe('the admin search', () => {
	it('finds by person, action group and dates; pages; exports CSV (itself audited)', async () => {
		const citizen = await newCitizen(h, '查找对象');
		await login(citizen.phone, 'Citizen#2026');
		h.clock.advance(3 * DAY);
		await login(citizen.phone, 'wrong-password');
		const admin = await h.loginAs('admin');
		const get = (q: string) =>
			h.request('GET', `/api/admin/audit?${q}`, { token: admin }).then(async (r) => ({
				status: r.status,
				body: await r.json()
			}));
		const mine = await get(`actor=${citizen.id}`);
		expect(mine.status).toBe(200);
		expect(mine.body.entries.map((e: { action: string }) => e.action)).toEqual([
			'auth.login_failed',
			'auth.login',
			'account.registered'
		]);
		expect((await get('actor=查找对象&action=auth')).body.entries).toHaveLength(2);
		expect(
			(await get(`actor=${citizen.id}&from=2026-11-26&to=2026-11-26`)).body.entries
		).toHaveLength(2);
		const page1 = await get(`actor=${citizen.id}&limit=2`);
		expect(page1.body.entries).toHaveLength(2);
		const page2 = await get(`actor=${citizen.id}&limit=2&before=${page1.body.next}`);
		expect(page2.body.entries.map((e: { action: string }) => e.action)).toEqual([
			'account.registered'
		]);
		expect(page2.body.next).toBeNull();
		const bad = await get('from=2026-13-01&action=Bad Action');
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields).sort()).toEqual(['action', 'from']);

		const csv = await h.request('GET', `/api/admin/audit.csv?actor=${citizen.id}`, {
			token: admin
		});
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
		const lines = (await csv.text())
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			'seq,at,actor_name,actor_role,actor_id,ip,action,target_type,target_id,detail'
		);
		expect(lines).toHaveLength(4);
		await expectAudited('audit.exported', 1, { actor_role: 'admin' });
	});

	it('is for city-level admins only: 401 without a session, 403 for others', async () => {
		expect((await h.request('GET', '/api/admin/audit')).status).toBe(401);
		for (const role of ['citizen', 'agent', 'supervisor', 'township'] as const) {
			const token = await h.loginAs(role);
			expect((await h.request('GET', '/api/admin/audit', { token })).status, role).toBe(403);
			expect((await h.request('GET', '/api/admin/audit.csv', { token })).status, role).toBe(403);
		}
		const admin = await h.loginAs('admin');
		const orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json())
			.orgUnits as { id: string; code: string }[];
		await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'district-admin',
				name: '区管理员',
				role: 'admin',
				orgUnitId: orgs.find((o) => o.code === '370281')!.id,
				password: 'Staff#2026'
			}
		});
		const district = await signInNewStaff(h, 'district-admin', 'Staff#2026');
		expect((await h.request('GET', '/api/admin/audit', { token: district })).status).toBe(403);
		expect(DEMO_PASSWORD).toBeTruthy();
	});
});

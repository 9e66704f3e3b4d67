// Small rules found on the way (issue "Trust"): notices are the addressee's alone, entry ids
// carry no control characters; the SQLite backup functions refuse a hall on PostgreSQL; the demo
// is seeded once when two processes start together.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupError, backupHall, restoreHall } from '../../server/ops/backup.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { newCitizen } from './booking-helpers.ts';
import { enqueueNotice } from '../../server/notify/outbox.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

describe('notifications', () => {
	it('marking someone else’s notice read answers 404 and changes nothing; my own 204', async () => {
		const owner = await newCitizen(h);
		const other = await newCitizen(h);
		await enqueueNotice(h.deps, {
			userId: owner.id,
			kind: 'appointment_reminder',
			params: {},
			link: '/my/appointments',
			dueAt: h.clock.now,
			key: `test:${owner.id}`,
			channels: ['in_app']
		});
		const list = async (token: string) =>
			(await (await h.request('GET', '/api/notifications', { token })).json()).notifications as {
				id: string;
				read: boolean;
			}[];
		const [notice] = await list(owner.token);
		const theirs = await h.request('POST', `/api/notifications/${notice.id}/read`, {
			token: other.token
		});
		expect(theirs.status).toBe(404);
		expect((await theirs.json()).error.code).toBe('not_found');
		expect((await list(owner.token))[0].read).toBe(false);
		const unknown = await h.request('POST', '/api/notifications/nosuchnotice/read', {
			token: owner.token
		});
		expect(unknown.status).toBe(404);
		expect(
			(await h.request('POST', `/api/notifications/${notice.id}/read`, { token: owner.token }))
				.status
		).toBe(204);
		expect((await list(owner.token))[0].read).toBe(true);
	});
});

describe('knowledge-base entry ids', () => {
	it('refuse control and invisible characters, naming the field; nothing is written', async () => {
		const admin = await h.loginAs('admin');
		const before = (
			await (await h.request('GET', '/api/admin/kb/entries', { token: admin })).json()
		).entries.length;
		for (const id of ['faq\u0000x', 'faq\u001bx', 'faq\u200bx', 'faq\u202ex', 'faq\u007fx']) {
			const res = await h.request('PUT', `/api/admin/kb/entries/${encodeURIComponent(id)}`, {
				token: admin,
				body: { title: '标题', body: '内容', tags: [] }
			});
			expect(res.status, JSON.stringify(id)).toBe(400);
			expect((await res.json()).error.fields.id).toMatch(/control or invisible/);
			const imported = await h.request('POST', '/api/admin/kb/import', {
				token: admin,
				body: { content: JSON.stringify({ id, title: '标题', body: '内容' }) }
			});
			expect(imported.status).toBe(422);
			expect(JSON.stringify((await imported.json()).error.fields)).toMatch(/line 1\.id/);
		}
		const after = (await (await h.request('GET', '/api/admin/kb/entries', { token: admin })).json())
			.entries.length;
		expect(after).toBe(before);
	});
});

describe('the SQLite backup on a PostgreSQL hall', () => {
	// an address nothing listens on: the refusal comes before any connection
	const DATABASE_URL = 'postgres://hall@127.0.0.1:1/hall';

	it('is refused, pointing to the PostgreSQL backup, and writes nothing', () => {
		// (npm run backup/restore take the PostgreSQL path themselves: tests/api/backup-postgres.test.ts)
		const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-backup-'));
		try {
			const target = path.join(scratch, 'backup');
			const config = { ...h.deps.config, databaseUrl: DATABASE_URL };
			expect(() => backupHall(config, target)).toThrow(BackupError);
			expect(() => backupHall(config, target)).toThrow(/PostgreSQL.*backupPostgresHall/);
			expect(() => restoreHall(config, target)).toThrow(/PostgreSQL.*restorePostgresHall/);
			expect(fs.existsSync(target)).toBe(false);
		} finally {
			fs.rmSync(scratch, { recursive: true, force: true });
		}
	});
});

describe('the demo seed', () => {
	// On PostgreSQL the two seeds run on two connections at once: the demo-seed lock and the count
	// under it let one write the demo and the other write nothing.
	it('is written once when two seeds start together on an empty database', async () => {
		const empty = await createHarness({ seed: false });
		try {
			expect(await count(empty.store, 'org_units')).toBe(0);
			const seeded = await Promise.all([seedDemoIfEmpty(empty.deps), seedDemoIfEmpty(empty.deps)]);
			expect(seeded.sort()).toEqual([false, true]);
			for (const table of ['org_units', 'users', 'service_items', 'desks', 'schedules'])
				expect(await count(empty.store, table), table).toBe(await count(h.store, table));
			expect(await seedDemoIfEmpty(empty.deps)).toBe(false);
		} finally {
			await empty.close();
		}
	});
});

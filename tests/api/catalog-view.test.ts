// GET /api/catalog: the catalog page's one read, the same answer as its four reads apart
// (/services for the same query, /departments, /bundles, /life-events). Both engines.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { secondNode } from './two-nodes.ts';
import { openDatabase } from '../../server/db/index.ts';

describe('the catalog in one read', () => {
	// nothing here writes: one hall for the whole describe
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness();
	});
	afterAll(() => h.close());

	const read = async (path: string) => {
		const res = await h.request('GET', path);
		return { status: res.status, body: (await res.json()) as Record<string, unknown> };
	};

	it.each(['', '?q=营业执照&channel=video', '?level=township', '?bundle=NO-SUCH-BUNDLE'])(
		'answers %s as /services, /departments, /bundles and /life-events do, to anyone',
		async (query) => {
			const view = await read(`/api/catalog${query}`);
			expect(view.status).toBe(200);
			const [items, departments, bundles, lifeEvents] = await Promise.all([
				read(`/api/services${query}`),
				read('/api/departments'),
				read('/api/bundles'),
				read('/api/life-events')
			]);
			expect(view.body).toEqual({
				items: items.body.items,
				departments: departments.body.departments,
				bundles: bundles.body.bundles,
				lifeEvents: lifeEvents.body.lifeEvents
			});
			if (query === '') expect((view.body.items as unknown[]).length).toBeGreaterThan(5);
		}
	);

	it('refuses a filter as /services does, naming it', async () => {
		const view = await read('/api/catalog?level=planet');
		const items = await read('/api/services?level=planet');
		expect(view.status).toBe(400);
		expect(view.body).toEqual(items.body);
		expect(JSON.stringify(view.body)).toContain('level');
	});
});

describe('the catalog kept in memory', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await createHarness();
	});
	afterEach(() => h.close());

	/** Renames an item as another process on the same database would (SQLite: its own connection). */
	async function renameElsewhere(code: string, name: string) {
		if (h.engine === 'sqlite') {
			const other = openDatabase(h.deps.config.databasePath);
			try {
				other.prepare('UPDATE service_items SET name = ? WHERE code = ?').run(name, code);
			} finally {
				other.close();
			}
		} else {
			const other = secondNode(h);
			try {
				await other.deps.store.run('UPDATE service_items SET name = ? WHERE code = ?', [
					name,
					code
				]);
			} finally {
				await other.close();
			}
		}
	}

	const nameIn = async (path: string, code: string) => {
		const res = await h.request('GET', path);
		const { items } = (await res.json()) as { items: { code: string; name: string }[] };
		return items.find((i) => i.code === code)?.name;
	};

	it("shows another process's change to the catalog at the next read, in one read and in /services", async () => {
		const code = '370281-XZSP-001';
		const before = await nameIn('/api/catalog', code);
		expect(before).toBe(await nameIn('/api/services', code));
		await renameElsewhere(code, `${before}（改名）`);
		expect(await nameIn('/api/catalog', code)).toBe(`${before}（改名）`);
		expect(await nameIn('/api/services', code)).toBe(`${before}（改名）`);
	});
});

describe('the catalog answer tagged (ETag), so a page holding it is told 304', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await createHarness();
	});
	afterEach(() => h.close());

	const ask = (query: string, ifNoneMatch?: string) =>
		h.request('GET', `/api/catalog${query}`, {
			headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}
		});

	async function importItem(code: string, name: string) {
		const admin = await h.loginAs('admin');
		const res = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: {
				format: 'jsonl',
				content: JSON.stringify({
					code,
					name,
					departmentCode: 'JZ-XZSP',
					timeLimitDays: 3,
					channels: ['video'],
					acceptLevels: ['district'],
					approveLevel: 'district',
					materials: [{ name: '申请书' }]
				})
			}
		});
		expect(res.status).toBe(200);
	}

	it('answers 304 with no body while the tag is still the answer, 200 with the new answer once an import changed it', async () => {
		const first = await ask('');
		const tag = first.headers.get('etag');
		if (h.engine === 'postgres') {
			// nothing is kept there (no cheap stamp): every read is a full one, untagged
			expect(tag).toBeNull();
			expect((await ask('', '"catalog-anything-1"')).status).toBe(200);
			return;
		}
		expect(tag).toMatch(/^"catalog-[\w-]+-\d+"$/);
		for (const held of [tag!, `W/${tag}`, `"other", ${tag}`, '*']) {
			const again = await ask('', held);
			expect(again.status, held).toBe(304);
			expect(await again.text()).toBe('');
			expect(again.headers.get('etag')).toBe(tag);
		}
		// a tag of another answer, or of another process: the whole answer
		const other = await ask('', '"catalog-someone-else-1"');
		expect(other.status).toBe(200);
		expect(await other.json()).toEqual(await first.json());

		const code = `T-TAG-${Date.now()}`;
		await importItem(code, '标签测试事项');
		const changed = await ask('', tag!);
		expect(changed.status).toBe(200);
		expect(changed.headers.get('etag')).not.toBe(tag);
		const { items } = (await changed.json()) as { items: { code: string }[] };
		expect(items.map((i) => i.code)).toContain(code);
	});

	it('moves its tag when another process changes the database, and a refused query has none', async () => {
		const tag = (await ask('?q=营业执照')).headers.get('etag')!;
		if (h.engine === 'postgres') {
			expect(tag).toBeNull();
			return;
		}
		expect((await ask('?q=营业执照', tag)).status).toBe(304);
		const other = openDatabase(h.deps.config.databasePath);
		try {
			other
				.prepare("UPDATE service_items SET name = name || '（改）' WHERE code = ?")
				.run('370281-XZSP-001');
		} finally {
			other.close();
		}
		const after = await ask('?q=营业执照', tag);
		expect(after.status).toBe(200);
		expect(JSON.stringify(await after.json())).toContain('（改）');
		const refused = await ask('?level=planet', tag);
		expect(refused.status).toBe(400);
		expect(refused.headers.get('etag')).toBeNull();
	});
});

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

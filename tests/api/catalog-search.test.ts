// Catalog search as citizens type it (issue 25): colloquial words (shared/lexicon.ts), one typo in
// an item's name or keyword, pinyin initials. Runs on both engines (projects api and
// api-postgres) with the same expectations: SQLite and PostgreSQL return the same items in the
// same order (search parity).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

const BUSINESS = '370281-XZSP-001'; // 个体工商户设立登记, keywords 营业执照 个体户 开店
const FOOD = '370281-XZSP-014'; // 食品经营许可证核发, needs a 营业执照复印件

const codes = async (h: Harness, q: string) => {
	const res = await h.request('GET', '/api/services?q=' + encodeURIComponent(q));
	expect(res.status).toBe(200);
	return ((await res.json()) as { items: { code: string }[] }).items.map((i) => i.code);
};

describe('on the demo catalog', () => {
	// nothing here writes: one hall for the whole describe
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness();
	});
	afterAll(() => h.close());

	it('reads 办执照 as 营业执照: business registration first, as for 营业执照 itself', async () => {
		const licence = await codes(h, '营业执照');
		expect(licence[0]).toBe(BUSINESS);
		expect(licence).toContain(FOOD);
		expect(await codes(h, '办执照')).toEqual(licence);
		expect(await codes(h, '我想办执照')).toEqual(licence);
	});

	it('finds a shop the way people say it: 小卖部, and a whole question about one', async () => {
		expect((await codes(h, '小卖部'))[0]).toBe(BUSINESS);
		expect((await codes(h, '俺想开个小卖铺，要办啥手续'))[0]).toBe(BUSINESS);
		expect((await codes(h, '开小卖部要办营业执照吗'))[0]).toBe(BUSINESS);
	});

	it('forgives one typo in an item name or keyword of 3+ characters, matched on names and keywords only', async () => {
		// one substituted character; the food licence mentions 营业执照 only among its materials
		expect(await codes(h, '营业执造')).toEqual([BUSINESS]);
		// one character left out of, and one added to, the item's name
		expect(await codes(h, '个体工商设立登记')).toEqual([BUSINESS]);
		expect(await codes(h, '老年人优待证件办理')).toEqual(['370281-MZJ-007']);
		// two characters are too few to guess from: 执造 stays exact, and finds nothing
		expect(await codes(h, '执造')).toEqual([]);
		// a typo next to an exact term: both must still match
		expect(await codes(h, '营业执造 公积金')).toEqual([]);
	});

	it('finds items by the pinyin initials of their name or keyword', async () => {
		expect(await codes(h, 'gtgs')).toEqual([BUSINESS]);
		expect(await codes(h, 'GTGS')).toEqual([BUSINESS]);
		expect(await codes(h, 'yyzz')).toEqual([BUSINESS]);
		expect(await codes(h, 'gjj')).toEqual(['370200-GJJ-011']);
	});

	it('still finds nothing for nonsense, Chinese, Latin or mixed', async () => {
		for (const q of ['火星移民签证办理', 'qxzwv', 'ＸＹＺ不存在的事项', '咋办'])
			expect(await codes(h, q), q).toEqual([]);
	});
});

describe('after an import', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await createHarness();
	});
	afterEach(() => h.close());

	it('finds a new item by its initials and by a typo at once: the names are read again', async () => {
		expect(await codes(h, 'qzdj')).toEqual([]);
		expect(await codes(h, '犬只登计')).toEqual([]);
		const admin = await h.loginAs('admin');
		const row = {
			code: 'T-DOG-001',
			name: '犬只登记证核发',
			departmentCode: 'JZ-XZSP',
			timeLimitDays: 3,
			channels: ['video'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			keywords: ['养犬登记'],
			materials: [{ name: '狂犬疫苗接种证明' }]
		};
		const res = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'jsonl', content: JSON.stringify(row) }
		});
		expect(res.status).toBe(200);
		expect(await codes(h, 'qzdj')).toEqual([row.code]);
		expect(await codes(h, 'yqdj')).toEqual([row.code]);
		expect(await codes(h, '犬只登计')).toEqual([row.code]);
	});
});

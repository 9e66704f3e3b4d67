// English questions (issue 25 item 4): answered in English where an item matches (its English
// name and key fields), otherwise replied to in English (lang 'en') with the reason; the
// catalog carries an item's English name (import field nameEn, GET /api/services nameEn).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import type { AskResult } from '../../shared/schemas/assistant.ts';
import type { ServiceSummary } from '../../shared/schemas/catalog.ts';
import { kbUpToDate } from '../../server/assistant/kb.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness({ env: { ASSISTANT_PER_MINUTE: '1000' } });
});
afterEach(() => h.close());

async function ask(message: string) {
	const res = await h.request('POST', '/api/assistant/ask', { body: { message } });
	expect(res.status).toBe(200);
	return (await res.json()) as AskResult;
}

async function services(): Promise<ServiceSummary[]> {
	const res = await h.request('GET', '/api/services');
	expect(res.status).toBe(200);
	return ((await res.json()) as { items: ServiceSummary[] }).items;
}

describe('English questions', () => {
	it('answers an English question about an item in English, with its key fields', async () => {
		const r = await ask('How long does it take to get a business licence?');
		expect(r.lang).toBe('en');
		expect(r.unanswered).toBeNull();
		expect(r.answer?.service?.name).toBe('个体工商户设立登记');
		expect(r.answer?.title).toBe('Individual Business Registration (business licence)');
		expect(r.answer?.excerpt).toContain('Time limit: 1 working day.');
		expect(r.answer?.excerpt).toContain('Fee: free.');
		expect(r.answer?.excerpt).toContain(
			'Department: Jiaozhou Administrative Approval Service Bureau.'
		);
		// the item's actions as for a Chinese question
		expect(r.actions.map((a) => a.kind)).toContain('book');
		// the American spelling and a plural find the same item
		const us = await ask('business licenses');
		expect(us.answer?.service?.code).toBe('370281-XZSP-001');
		const fund = await ask('housing fund withdrawal');
		expect(fund.answer?.service?.name).toBe('住房公积金提取（租房）');
		expect(fund.answer?.title).toBe('Housing Provident Fund Withdrawal (renting)');
		expect(fund.answer?.excerpt).toMatch(/^Time limit: 3 working days\. Fee: free\./);
	});

	it('replies in English, off topic or a gap, when nothing matches', async () => {
		const weather = await ask('What is the weather tomorrow?');
		expect(weather.answer).toBeNull();
		expect(weather.unanswered).toBe('off_topic');
		expect(weather.lang).toBe('en');
		const passport = await ask('How do I renew my passport?');
		expect(passport.answer).toBeNull();
		expect(passport.unanswered).toBe('gap');
		expect(passport.handoff).toBe(true);
		expect(passport.lang).toBe('en');
		// "licence" alone does not make a driving licence the business licence
		const driving = await ask('How do I renew my driving licence?');
		expect(driving.answer).toBeNull();
		expect(driving.unanswered).toBe('gap');
	});

	it('answers a Chinese question in Chinese as before', async () => {
		const r = await ask('怎么办理营业执照');
		expect(r.lang).toBe('zh');
		expect(r.answer?.title).toBe('个体工商户设立登记');
		expect(r.answer?.excerpt).not.toMatch(/Time limit/);
	});
});

describe('English names in the catalog', () => {
	it('GET /api/services carries the demo items’ English names, null where there is none', async () => {
		const items = await services();
		const byCode = new Map(items.map((i) => [i.code, i]));
		expect(byCode.get('370281-XZSP-014')?.nameEn).toBe('Food Business Licence');
		expect(byCode.get('370281-SWJ-005')?.nameEn).toBe('Liquor Retail Filing');
		expect(byCode.get('370281-YJS-001')?.nameEn).toBe('Opening a Restaurant (one application)');
		for (const i of items) expect(i.nameEn === null || typeof i.nameEn === 'string').toBe(true);
	});

	it('a catalog import’s nameEn (JSONL and CSV) round-trips and is what English questions find', async () => {
		const admin = await h.loginAs('admin');
		const row = {
			code: '370281-MZJ-120',
			category: 'C',
			name: '殡葬补贴申领',
			nameEn: 'Funeral Subsidy Application',
			departmentCode: 'JZ-MZJ',
			description: '本市户籍居民去世后，亲属可以申领基本殡葬服务补贴。',
			timeLimitDays: 5,
			channels: ['video', 'onsite'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			materials: [{ name: '死亡证明' }]
		};
		const imported = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'jsonl', content: JSON.stringify(row) }
		});
		expect(imported.status).toBe(200);
		expect((await imported.json()).created).toBe(1);
		const listed = (await services()).find((i) => i.code === row.code)!;
		expect(listed.nameEn).toBe('Funeral Subsidy Application');
		await kbUpToDate(h.deps.store);
		const r = await ask('How do I apply for the funeral subsidy?');
		expect(r.answer?.service?.code).toBe(row.code);
		expect(r.lang).toBe('en');
		expect(r.answer?.excerpt).toContain('Time limit: 5 working days.');
		expect(r.answer?.excerpt).toContain('Materials: 1. 死亡证明.');

		// CSV: the nameEn column sets it; an empty cell removes it (the item is then Chinese only)
		const header =
			'code,category,name,nameEn,departmentCode,description,timeLimitDays,channels,acceptLevels,approveLevel,materials';
		const csv = (nameEn: string) =>
			`${header}\n${row.code},C,殡葬补贴申领,${nameEn},JZ-MZJ,${row.description},5,video|onsite,district,district,死亡证明\n`;
		const renamed = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'csv', content: csv('"Funeral Allowance, Basic"') }
		});
		expect(renamed.status).toBe(200);
		expect((await renamed.json()).updated).toBe(1);
		expect((await services()).find((i) => i.code === row.code)?.nameEn).toBe(
			'Funeral Allowance, Basic'
		);
		const cleared = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'csv', content: csv('') }
		});
		expect(cleared.status).toBe(200);
		expect((await services()).find((i) => i.code === row.code)?.nameEn).toBeNull();
		await kbUpToDate(h.deps.store);
		const after = await ask('How do I apply for the funeral allowance?');
		expect(after.answer).toBeNull();
		expect(after.lang).toBe('en');
	});

	it('rejects an English name longer than 150 characters, naming the field', async () => {
		const admin = await h.loginAs('admin');
		const res = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: {
				format: 'jsonl',
				content: JSON.stringify({
					code: '370281-MZJ-121',
					name: '测试事项',
					nameEn: 'x'.repeat(151),
					departmentCode: 'JZ-MZJ',
					timeLimitDays: 1,
					channels: ['onsite'],
					acceptLevels: ['district'],
					approveLevel: 'district'
				})
			}
		});
		expect(res.status).toBe(422);
		const body = (await res.json()) as { error: { fields: Record<string, string> } };
		expect(body.error.fields['row 1.nameEn']).toMatch(/150/);
	});
});

// 入户办 asked by family (issue 23 items 1 and 2): a son holding an active grant from his mother
// switches to acting for her on /my/proxy and asks for a home visit for her on /my/home-visits;
// she sees the request on her own phone; a grid worker of her community sees it on /grid, named
// as asked by the proxy for the resident, and takes it; the taken visit still says who asked.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './chromium.ts';
import { api, demoStaffToken, newCitizen, smsCodeFor, type Citizen } from './hall.ts';
import { LICENSE } from './scenes.ts';

const ctx = inject('e2e');
const COMMUNITY = '370281001001'; // 郑州路社区 of the demo
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1366, height: 768 };

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

async function browserOf(
	token: string,
	viewport: { width: number; height: number }
): Promise<{ context: BrowserContext; page: Page }> {
	const phone = viewport.width < 500;
	const context = await browser.newContext({
		baseURL: ctx.baseUrl,
		viewport,
		locale: 'zh-CN',
		deviceScaleFactor: 1,
		hasTouch: phone,
		isMobile: phone
	});
	await context.addCookies([
		{ name: 'hall_session', value: token, url: ctx.baseUrl },
		{ name: 'care', value: 'off', url: ctx.baseUrl },
		{ name: 'lang', value: 'zh-CN', url: ctx.baseUrl }
	]);
	return { context, page: await context.newPage() };
}

/** A grid worker of this test alone, attached to the demo community by the demo admin. */
async function newGridWorker(name: string) {
	const admin = await demoStaffToken('admin');
	const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
		id: string;
		code: string;
	}[];
	const username = `e2e-famgrid-${process.pid}-${Date.now().toString(36)}`;
	const created = await api('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username,
			name,
			role: 'grid',
			orgUnitId: orgs.find((o) => o.code === COMMUNITY)!.id,
			password: 'E2e#Staff2026'
		}
	});
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const login = await api('POST', '/api/auth/login', {
		body: { login: username, password: 'E2e#Staff2026' }
	});
	expect(login.status, JSON.stringify(login.body)).toBe(200);
	return { id: created.body.user.id as string, token: login.body.token as string, name };
}

/** The son asks through the API and confirms with the code his mother read to him. */
async function activeGrant(proxy: Citizen, grantor: Citizen): Promise<string> {
	const before = smsCodeFor(grantor.phone);
	const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
	const asked = await api('POST', '/api/proxy/grants', {
		token: proxy.token,
		body: { grantorPhone: grantor.phone, items: 'all', validUntil }
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(202);
	await expect.poll(() => smsCodeFor(grantor.phone)).not.toBe(before);
	const confirmed = await api('POST', `/api/proxy/grants/${asked.body.grantId}/confirm`, {
		token: proxy.token,
		body: { code: smsCodeFor(grantor.phone) }
	});
	expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
	return asked.body.grantId as string;
}

async function licenceId(): Promise<string> {
	const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	return items.find((i) => i.code === LICENSE)!.id;
}

describe.skipIf(ctx.skip)('入户办 asked by a family member', () => {
	it('a son acting for his mother asks on /my/home-visits; she sees it; a grid worker sees who asked for whom and takes it', async () => {
		const mother = await newCitizen('王桂英');
		const son = await newCitizen('李建军');
		const grantId = await activeGrant(son, mother);
		const grid = await newGridWorker('赵雪梅');

		// the son: 开始代办 on /my/proxy, then the request form for the licence item
		const s = await browserOf(son.token, PHONE);
		await s.page.goto('/my/proxy');
		await s.page
			.locator(`[data-grant="${grantId}"]`)
			.getByRole('button', { name: '开始代办' })
			.click();
		await s.page.locator('aside.acting').waitFor();
		expect(await s.page.locator('aside.acting').textContent()).toContain('正在代 王桂英 办理');
		await s.page.goto(`/my/home-visits?service=${await licenceId()}`);
		expect(await s.page.locator('aside.acting').textContent()).toContain('正在代');
		await s.page.getByLabel('所在社区').selectOption({ label: '郑州路社区（阜安街道）' });
		await s.page.getByLabel('上门地址').fill('郑州路 66 号 1 单元 102');
		await s.page.getByLabel('老年人').check();
		await s.page.getByLabel('补充说明（选填）').fill('母亲行动不便，儿子在外地');
		await s.page.getByRole('button', { name: '提交申请' }).click();
		await s.page.locator('[data-sent]').waitFor();
		await screenshot(s.page, 'home-visit-family-sent-390x844');

		// the request is the mother's, asked by the son as her proxy
		const hers = (await api('GET', '/api/home-visits', { token: mother.token })).body.visits as {
			id: string;
			status: string;
			address: string;
			requestedBy: { id: string; name: string; as: string };
		}[];
		expect(hers).toHaveLength(1);
		const visitId = hers[0].id;
		expect(hers[0]).toMatchObject({
			status: 'open',
			address: '郑州路 66 号 1 单元 102',
			requestedBy: { id: son.id, as: 'proxy' }
		});

		// the mother sees it on her own phone
		const m = await browserOf(mother.token, PHONE);
		await m.page.goto('/my/home-visits');
		const mine = m.page.locator(`[data-my-visit="${visitId}"]`);
		await mine.waitFor();
		expect(await mine.textContent()).toContain('个体工商户设立登记 · 待接单');
		expect(await mine.textContent()).toContain('郑州路 66 号 1 单元 102');

		// the grid worker: the open request names the resident and the son who asked for her
		const g = await browserOf(grid.token, TABLET);
		await g.page.goto('/grid');
		const open = g.page.locator(`[data-open-visit="${visitId}"]`);
		await open.waitFor();
		const openText = (await open.textContent())!;
		expect(openText).toContain('王桂英');
		expect(openText).toContain('个体工商户设立登记');
		expect(openText).toMatch(/李.?军（代办人）/);
		expect(openText).not.toContain('（本人）');
		await screenshot(g.page, 'home-visit-family-grid-open-1366x768');
		await open.getByRole('button', { name: /^接单：王桂英/ }).click();
		const taken = g.page.locator(`[data-visit="${visitId}"]`);
		await taken.getByText('已接单。请与居民约定上门时间。').waitFor();
		expect(await taken.locator('h3').textContent()).toContain('王桂英');
		expect(await taken.locator('[data-requested-by]').getAttribute('data-requested-by')).toBe(
			'proxy'
		);
		expect(await taken.locator('[data-requested-by]').textContent()).toMatch(/李.?军（代办人）/);
		await screenshot(g.page, 'home-visit-family-grid-taken-1366x768');

		// taken: the mother's list says by whom
		const seen = await api('GET', `/api/home-visits/${visitId}`, { token: mother.token });
		expect(seen.body.visit).toMatchObject({ status: 'accepted', gridWorker: { id: grid.id } });
		await m.page.reload();
		expect(await m.page.locator(`[data-my-visit="${visitId}"]`).textContent()).toContain(
			'网格员 赵雪梅'
		);

		for (const c of [s, m, g]) await c.context.close();
	});
});

// 一件事一次办 (issue 24) in real browsers: a citizen opens a restaurant in one video session
// (one form, the ID card uploaded once, one signature, one receipt listing three items); two
// departments approve their parts in two other browsers; the citizen sees 已办结.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { launchChromium, loginThroughForm, phoneContext, screenshot } from './chromium.ts';
import { newCitizen } from './hall.ts';
import { creditCodeCheck } from '../../shared/forms/validators.ts';
import { agentCallsIntoForm, drawSignature } from './video-call.ts';

const ctx = inject('e2e');

/** Types into a field of the form by its key, and leaves it (the value is stored on blur). */
async function type(page: Page, key: string, value: string) {
	const field = page.locator(`#cf-${key}`);
	await field.fill(value);
	await field.press('Tab');
}

/** A valid 统一社会信用代码 with this 17-character stem. */
const creditCode = (stem: string) => stem + creditCodeCheck(stem);

/** A department's agent takes one step on the part open on the page. */
async function step(page: Page, name: string) {
	await page.getByRole('button', { name, exact: true }).click();
	await page.locator('[data-case]').waitFor();
}

describe.skipIf(ctx.skip)('一件事一次办: opening a restaurant', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('one form, one ID upload, one signature, one receipt with three items; two departments approve; 已办结', async () => {
		const me = await newCitizen('马春兰');
		const citizenCtx = await phoneContext(browser, { width: 390 });
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
		await citizen.waitForURL((url) => url.pathname === '/my');

		// the bundle's page offers the life event as one application
		await citizen.goto('/services?bundle=KBCY');
		const offer = citizen.locator('[data-life-event]');
		await offer.getByText('一件事一次办', { exact: true }).waitFor();
		for (const item of ['个体工商户设立登记', '食品经营许可证核发', '灵活就业人员参保登记'])
			await offer.getByText(item).waitFor();
		await offer.getByText('酒类商品零售经营备案').waitFor();
		await offer.getByText('按您的回答决定是否要办').waitFor();
		await screenshot(citizen, 'life-event-offer');
		await offer.getByRole('link', { name: '了解并申请' }).click();
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\//);

		const { agentCtx, agent } = await agentCallsIntoForm(browser, citizen, me.name);

		// one form: the question first, the shared fields once, each item's own after
		await citizen.getByText('我要开餐馆（一件事一次办）申请表').waitFor();
		// the title can show before the fields: count them once the first is there
		await citizen.locator('#cf-name').first().waitFor();
		expect(await citizen.locator('#cf-name').count()).toBe(1);
		expect(await citizen.locator('#cf-address').count()).toBe(1);
		expect(await citizen.locator('#cf-licenceNo').count()).toBe(0);
		await citizen.getByLabel('不需要').check();
		await type(citizen, 'name', '马春兰');
		await type(citizen, 'idNumber', '11010519491231002X');
		await type(citizen, 'phone', me.phone);
		await type(citizen, 'address', '胶州市阜安街道郑州路 18 号');
		// the agent fills what the citizen dictates; the citizen confirms each value
		await type(agent, 'scope', '热食类食品制售');
		await type(agent, 'capital', '80000');
		await type(agent, 'area', '60');
		await type(agent, 'safetyManager', '马春兰');
		for (const key of ['scope', 'capital', 'area', 'safetyManager']) {
			const field = citizen.locator(`[data-field="${key}"]`);
			await field.getByRole('button', { name: '确认无误' }).click({ timeout: 10_000 });
			await field.getByText('已确认').waitFor();
		}
		await citizen.getByLabel('个人经营').check();
		await citizen.getByLabel('热食类食品制售').check();
		await citizen.locator('#cf-grade').selectOption('60');
		await citizen.locator('#cf-grade').press('Tab');

		// materials once: one ID card for three items, no 申请书 (the form stands for them)
		expect(await citizen.getByLabel('居民身份证 *', { exact: true }).count()).toBe(1);
		expect(await citizen.getByLabel(/申请书/).count()).toBe(0);
		const jpeg = Buffer.alloc(4096);
		jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
		for (const [material, file] of [
			['居民身份证', 'id-card.jpg'],
			['经营场所使用证明', 'lease.jpg'],
			['经营场所平面图和设备布局图', 'plan.jpg'],
			['食品安全管理制度', 'rules.jpg']
		]) {
			await citizen
				.getByLabel(`${material} *`)
				.setInputFiles({ name: file, mimeType: 'image/jpeg', buffer: jpeg });
			await citizen.getByText(`已上传：${file}`).waitFor({ timeout: 10_000 });
		}
		await drawSignature(citizen, citizen);
		await citizen.getByRole('button', { name: '确认签名' }).click();
		await citizen.locator('[data-signed]').waitFor({ timeout: 10_000 });
		await citizen.locator('[data-blockers]').waitFor({ state: 'detached' });
		await citizen.getByRole('button', { name: '提交申请' }).click();
		await citizen.getByText(/申请已提交，受理编号 SL\d{8}/).waitFor({ timeout: 10_000 });

		// the parts side by side: two with their departments, the food licence waiting for the licence
		const parts = citizen.locator('[data-part]');
		await expect.poll(() => parts.count(), { timeout: 10_000 }).toBe(3);
		await citizen
			.locator('[data-part][data-state="waiting"]')
			.getByText('等“个体工商户设立登记”办好后开始')
			.waitFor();
		await screenshot(citizen, 'life-event-parts');
		const applicationId = await citizen.locator('[data-case]').getAttribute('data-case');

		// one receipt listing the three items with their departments and time limits
		const [receipt] = await Promise.all([
			citizenCtx.waitForEvent('page'),
			citizen.getByRole('link', { name: /申请回执/ }).click()
		]);
		const items = receipt.locator('[data-receipt-items] li');
		await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
		await items
			.filter({ hasText: '灵活就业人员参保登记' })
			.getByText('胶州市人力资源和社会保障局')
			.waitFor();
		await items.filter({ hasText: '食品经营许可证核发' }).getByText('10 个工作日').waitFor();
		await screenshot(receipt, 'life-event-receipt');
		await receipt.close();

		// two departments, each in a browser of its own, see and approve only their part
		const xzspCtx = await phoneContext(browser, { width: 1280 });
		const xzsp = await xzspCtx.newPage();
		await loginThroughForm(xzsp, 'xzsp', DEMO_PASSWORD);
		await xzsp.goto('/staff/cases');
		await xzsp.getByRole('link', { name: '个体工商户设立登记' }).first().waitFor();
		expect(await xzsp.getByRole('link', { name: '灵活就业人员参保登记' }).count()).toBe(0);
		const rsjCtx = await phoneContext(browser, { width: 1280 });
		const rsj = await rsjCtx.newPage();
		await loginThroughForm(rsj, 'rsj', DEMO_PASSWORD);
		await rsj.goto('/staff/cases');
		expect(await rsj.getByRole('link', { name: '个体工商户设立登记' }).count()).toBe(0);

		const partLink = (page: Page, name: string) =>
			page.locator('li', { hasText: me.name }).getByRole('link', { name });
		await partLink(xzsp, '个体工商户设立登记').click();
		await xzsp.locator('[data-part-of]').waitFor();
		await step(xzsp, '受理');
		await step(xzsp, '转报审核');
		await xzsp.getByLabel('证照编号').fill(creditCode('92370281MA3C4D5E6'));
		await screenshot(xzsp, 'life-event-department-approve');
		await step(xzsp, '批准');
		await xzsp.getByText('已批准').first().waitFor();

		await partLink(rsj, '灵活就业人员参保登记').click();
		await step(rsj, '受理');
		await step(rsj, '转报审核');
		await step(rsj, '批准');

		// the food licence started from the licence, its number filled in
		await xzsp.goto('/staff/cases');
		await partLink(xzsp, '食品经营许可证核发').click();
		await expect
			.poll(() => xzsp.locator('#cf-licenceNo').inputValue(), { timeout: 10_000 })
			.toBe(creditCode('92370281MA3C4D5E6'));
		await step(xzsp, '受理');
		await step(xzsp, '转报审核');
		await step(xzsp, '批准');

		// the citizen's application: 已办结, every part with it
		const done = await citizenCtx.newPage();
		await done.goto(`/cases/${applicationId}`);
		await done.locator('[data-case]').waitFor();
		await done.getByText('已办结').first().waitFor({ timeout: 10_000 });
		expect(await done.locator('[data-part][data-state="completed"]').count()).toBe(3);
		await screenshot(done, 'life-event-completed');

		// leave the hall as it was
		agent.once('dialog', (d) => void d.accept());
		await agent.getByRole('button', { name: '结束会话' }).click();
		await agent.goto('/desk');
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([citizenCtx.close(), agentCtx.close(), xzspCtx.close(), rsjCtx.close()]);
	}, 240_000);
});

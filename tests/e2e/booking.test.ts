// A citizen finds an item, books a video appointment, sees it, cancels it; staff and admin pages.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import { api, newCitizen } from './hall.ts';

const skip = inject('e2e').skip;

describe.skipIf(skip)('booking in the browser (云上预约)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a citizen searches, books a video appointment, sees it under My appointments and cancels it', async () => {
		// a citizen of this test alone: this booking is their only appointment
		const me = await newCitizen('预约群众');
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await loginThroughForm(page, me.phone, me.password);
		await page.waitForURL((url) => url.pathname === '/my');

		await page.goto('/');
		await page.getByLabel('搜索办事事项').fill('营业执照');
		await page.getByRole('button', { name: '搜索', exact: true }).click();
		await page.waitForURL((url) => url.pathname === '/services');
		await screenshot(page, 'services-search-360');
		expect(await fitsWidth(page)).toBe(true);
		await page.getByRole('link', { name: '个体工商户设立登记' }).click();
		await page.waitForURL(/\/services\/[a-z2-7]+$/);
		expect(await page.getByRole('heading', { name: '申请材料' }).isVisible()).toBe(true);
		await screenshot(page, 'service-item-360');

		await page.getByRole('link', { name: '预约办理' }).click();
		await page.waitForURL(/\/book/);
		await page.getByRole('link', { name: '视频办理' }).click();
		await page.waitForURL(/channel=video/);
		const choose = page.getByRole('link', { name: /^选择 / }).first();
		const time = ((await choose.getAttribute('aria-label')) ?? '').replace('选择 ', '');
		await choose.click();
		await page.getByRole('heading', { name: '第四步：确认预约' }).waitFor();
		expect(await fitsWidth(page)).toBe(true);
		await screenshot(page, 'book-confirm-360');
		await page.getByRole('button', { name: '确认预约' }).click();

		await page.waitForURL((url) => url.pathname === '/my/appointments');
		expect(await page.getByRole('status').textContent()).toContain('预约成功');
		const card = page.locator('[data-appointment]').first();
		expect(await card.textContent()).toContain('个体工商户设立登记');
		expect(await card.textContent()).toContain(time);
		expect(await card.textContent()).toContain('视频办理');
		expect(await page.getByText(/已预约 个体工商户设立登记/).isVisible()).toBe(true);
		await screenshot(page, 'my-appointments-360');

		// asked on the page, not in a pop-up
		await card.getByRole('button', { name: '取消预约' }).click();
		expect(await card.getByRole('status').textContent()).toContain('确定取消');
		await card.getByRole('button', { name: '确定取消预约' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('已取消预约');
		expect(await page.locator('[data-appointment]').count()).toBe(0);
		expect(
			await page
				.getByText(/已取消/)
				.first()
				.isVisible()
		).toBe(true);
		await context.close();
	});

	it('an admin sees schedules and imports a catalog file with a bad row, getting a row-by-row report', async () => {
		const context = await phoneContext(browser, { width: 1024 });
		const page = await context.newPage();
		await loginThroughForm(page, 'admin', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/admin');
		await page.goto('/admin/schedules');
		await page.getByRole('cell', { name: '个体工商户设立登记' }).first().waitFor({ timeout: 5000 });
		await screenshot(page, 'admin-schedules');

		await page.goto('/admin/catalog');
		const file = [
			JSON.stringify({
				code: 'E2E-1',
				name: '端到端测试事项',
				departmentCode: 'JZ-XZSP',
				timeLimitDays: 1,
				channels: ['video'],
				acceptLevels: ['district'],
				approveLevel: 'district'
			}),
			JSON.stringify({
				code: 'E2E-2',
				name: '',
				departmentCode: 'NOPE',
				timeLimitDays: 1,
				channels: ['video'],
				acceptLevels: ['district'],
				approveLevel: 'district'
			})
		].join('\n');
		await page.getByLabel('文件', { exact: true }).setInputFiles({
			name: 'items.jsonl',
			mimeType: 'application/jsonl',
			buffer: Buffer.from(file)
		});
		await page.getByRole('button', { name: '开始导入' }).click();
		await expect
			.poll(() => page.getByRole('alert').first().textContent())
			.toContain('未导入任何内容');
		await screenshot(page, 'admin-catalog-rejected');
		await page.getByRole('cell', { name: 'departmentCode' }).waitFor({ timeout: 5000 });

		await page.getByLabel('文件', { exact: true }).setInputFiles({
			name: 'items.jsonl',
			mimeType: 'application/jsonl',
			buffer: Buffer.from(file)
		});
		await page.getByLabel('跳过错误行，导入其余行').check();
		await page.getByRole('button', { name: '开始导入' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('新增 1');

		// smart form templates: a broken definition is refused, a good one becomes a new version
		await page.goto('/admin/forms');
		await page.getByLabel('事项').selectOption({ label: '个体工商户设立登记' });
		await page.getByRole('button', { name: '打开' }).click();
		await page.waitForURL(/service=/);
		// publishing makes the next version, whatever versions other tests may have published
		const serviceId = new URL(page.url()).searchParams.get('service')!;
		const current = (await api('GET', `/api/services/${serviceId}/form-template`)).body.version;
		const definition = page.getByLabel('表单定义（JSON）');
		expect(await definition.inputValue()).toContain('个体工商户设立登记申请表');
		const good = await definition.inputValue();
		await definition.fill('{ "title": "x", "sections": [] }');
		await page.getByRole('button', { name: '发布新版本' }).click();
		await page.getByRole('alert').first().waitFor();
		await definition.fill(
			good.replace('个体工商户设立登记申请表', '个体工商户设立登记申请表（新版）')
		);
		await page.getByRole('button', { name: '发布新版本' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent())
			.toContain(`已发布第 ${current + 1} 版`);
		await screenshot(page, 'admin-forms');
		await context.close();
	});

	it("an agent opens the day's appointments of its org unit", async () => {
		const context = await phoneContext(browser, { width: 1024 });
		const page = await context.newPage();
		await loginThroughForm(page, 'agent', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/desk');
		await page.getByRole('link', { name: '预约接待' }).click();
		await page.waitForURL((url) => url.pathname === '/staff/appointments');
		expect(await page.getByRole('heading', { name: '预约接待' }).isVisible()).toBe(true);
		expect(await page.getByLabel('日期').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		await context.close();
	});
});

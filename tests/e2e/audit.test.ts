// The admin's audit log page: a sign-in shows up, filters narrow it, CSV downloads.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { launchChromium, loginThroughForm, screenshot } from './chromium.ts';

const ctx = inject('e2e');

describe.skipIf(ctx.skip)('the audit log page (审计日志)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lists the admin’s own sign-in, filters by action and offers the CSV', async () => {
		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 1366, height: 768 },
			locale: 'zh-CN',
			acceptDownloads: true
		});
		const page = await context.newPage();
		await loginThroughForm(page, 'admin', DEMO_PASSWORD);
		await page.waitForURL(/\/admin/);
		await page.getByRole('link', { name: '审计日志' }).first().click();
		await page.waitForURL(/\/admin\/audit/);
		await expect
			.poll(() => page.locator('tr[data-audit-action="auth.login"]').count())
			.toBeGreaterThan(0);
		const mine = page.locator('tr[data-audit-action="auth.login"]').first();
		expect(await mine.textContent()).toContain('系统管理员');
		expect(await mine.textContent()).toContain('登录成功');

		await page.getByLabel('操作', { exact: true }).selectOption('auth.login');
		await page.getByRole('button', { name: '查询' }).click();
		await page.waitForURL(/action=auth\.login/);
		const actions = await page
			.locator('tbody tr')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-action')));
		expect(actions.length).toBeGreaterThan(0);
		expect(new Set(actions)).toEqual(new Set(['auth.login']));
		await screenshot(page, 'admin-audit-1366');

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: '导出 CSV' }).click()
		]);
		const csv = await (await download.createReadStream()).toArray();
		const text = Buffer.concat(csv)
			.toString('utf8')
			.replace(/^\uFEFF/, '');
		expect(text.split('\r\n')[0]).toBe(
			'seq,at,actor_name,actor_role,actor_id,ip,action,target_type,target_id,detail'
		);
		expect(text).toContain('auth.login');
		await context.close();
	});
});

// Honest validation (issue 16, point 1): a value the server refuses shows the server's reason
// on its field, in Chinese and English; only a real network failure says it will be saved
// later; beside the submit button, the list of what still blocks submission links to each.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import { api, newCitizen } from './hall.ts';

const ctx = inject('e2e');

describe.skipIf(ctx.skip)('honest validation on the application form', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	for (const width of [360, 1366])
		it(`at ${width} px: the server's reason on the field in both languages, the network message only offline, the blockers as links`, async () => {
			const me = await newCitizen('校验群众');
			const items = await api('GET', `/api/services?q=${encodeURIComponent('个体工商户设立登记')}`);
			const created = await api('POST', '/api/cases', {
				token: me.token,
				body: { serviceId: items.body.items[0].id }
			});
			expect(created.status).toBe(201);
			const caseId = created.body.case.id as string;

			const context = await phoneContext(browser, { width });
			const page = await context.newPage();
			await loginThroughForm(page, me.phone, me.password);
			await page.waitForURL((url) => url.pathname === '/my');
			await page.goto(`/cases/${caseId}`);
			await page.locator('[data-case]').waitFor();

			// nothing filled yet: every required field, material and the signature are listed
			const blockers = page.locator('[data-blockers]');
			await blockers.getByRole('link', { name: '姓名：必填' }).waitFor();
			await blockers.getByRole('link', { name: '上传材料：经营者身份证明' }).waitFor();
			await blockers.getByRole('link', { name: '在表单上签名' }).waitFor();

			const id = page.locator('#cf-idNumber');
			await id.fill('110105194912310021');
			await id.press('Tab');
			const reason = page.locator('[data-refused="idNumber"]');
			await reason.getByText('身份证号校验位不正确').waitFor({ timeout: 10_000 });
			expect(await page.getByText('网络恢复后自动保存').count()).toBe(0);
			const link = blockers.getByRole('link', { name: '居民身份证号码：身份证号校验位不正确' });
			await link.click();
			expect(await page.evaluate(() => location.hash)).toBe('#cf-idNumber');
			expect(await fitsWidth(page)).toBe(true);
			await screenshot(page, `case-validation-${width}`);

			// the same reason in English (the language is switched by a reload)
			await page.getByRole('button', { name: 'English' }).click();
			await page.waitForFunction(() => document.documentElement.lang === 'en');
			// the language is switched by a reload: the refused value was never stored, type it again
			await page.locator('[data-case]').waitFor();
			await id.fill('110105194912310021');
			await id.press('Tab');
			await reason.getByText('The check digit of this ID number is wrong').waitFor();
			// the label is the form template's own text; the reason is the catalogue's
			await blockers
				.getByRole('link', { name: '居民身份证号码: The check digit of this ID number is wrong' })
				.waitFor();
			await screenshot(page, `case-validation-${width}-en`);
			await page.getByRole('button', { name: '中文' }).click();
			await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
			await page.locator('[data-case]').waitFor();

			// a real network failure: the value waits and is sent when the connection returns
			await context.setOffline(true);
			const phone = page.locator('#cf-phone');
			await phone.fill('13800000001');
			await phone.press('Tab');
			await page
				.locator('[data-field="phone"]')
				.getByText('未保存，网络恢复后自动保存')
				.waitFor({ timeout: 10_000 });
			await context.setOffline(false);
			await page.evaluate(() => window.dispatchEvent(new Event('online')));
			await expect
				.poll(async () => {
					const res = await api('GET', `/api/cases/${caseId}`, { token: me.token });
					return res.body.case.fields.find((f: { key: string }) => f.key === 'phone').value;
				})
				.toBe('13800000001');
			await page.locator('[data-field="phone"]').getByText('网络恢复后自动保存').waitFor({
				state: 'detached'
			});
			await context.close();
		});
});

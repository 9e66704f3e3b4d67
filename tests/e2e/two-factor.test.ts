// Two-factor sign-in through the pages: a new admin sets up an authenticator app on
// /login/two-factor (QR code, first code, recovery codes shown once), then signs in with a code.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { launchChromium, loginThroughForm, screenshot } from './chromium.ts';
import { api, demoStaffToken, tokenOf } from './hall.ts';

const ctx = inject('e2e');
const axeSource = fs.readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

describe.skipIf(ctx.skip)('two-factor sign-in', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a new admin sets up an authenticator on the page, saves the recovery codes and lands on /admin', async () => {
		const admin = await demoStaffToken('admin');
		const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
			id: string;
			code: string;
		}[];
		const username = `e2e-2fa-${Date.now().toString(36)}`;
		const password = 'E2e#Admin2026';
		const created = await api('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username,
				name: '双因素测试',
				role: 'admin',
				orgUnitId: orgs.find((o) => o.code === '370200')!.id,
				password
			}
		});
		expect(created.status, JSON.stringify(created.body)).toBe(201);

		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 390, height: 844 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		await loginThroughForm(page, username, password);
		expect(new URL(page.url()).pathname).toBe('/login/two-factor');
		// not signed in yet: the session reaches the two-factor step and nothing else
		const pending = await tokenOf(context);
		expect((await api('GET', '/api/admin/staff', { token: pending })).status).toBe(401);
		expect((await api('GET', '/api/auth/two-factor', { token: pending })).body.step).toBe('enrol');
		await page.getByRole('heading', { name: '设置双因素验证' }).waitFor();
		await page.getByRole('button', { name: '开始设置' }).click();

		const qr = page.getByRole('img', { name: '身份验证器应用的二维码' });
		await qr.waitFor();
		expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
		const secret = (await page.locator('[data-secret]').textContent())!.trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		const field = page.getByLabel('动态验证码');
		expect(await field.getAttribute('inputmode')).toBe('numeric');
		expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
		await screenshot(page, 'two-factor-enrol-390');

		// a wrong code first: refused, the same QR code stays
		const right = totpCode(decodeBase32IgnorePadding(secret), totpStep(Date.now()));
		await field.fill(right === '000000' ? '111111' : '000000');
		await page.getByRole('button', { name: '确认并启用' }).click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain('验证码不正确');
		expect((await page.locator('[data-secret]').textContent())!.trim()).toBe(secret);

		await field.fill(totpCode(decodeBase32IgnorePadding(secret), totpStep(Date.now())));
		await page.getByRole('button', { name: '确认并启用' }).click();
		await page.getByRole('heading', { name: '请保存恢复码' }).waitFor();
		const codes = page.getByRole('list', { name: '恢复码' }).getByRole('listitem');
		expect(await codes.count()).toBe(10);
		expect(await codes.first().textContent()).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
		await page.evaluate(axeSource);
		const violations = await page.evaluate(async () => {
			// @ts-expect-error axe is injected above
			const result = await window.axe.run(document, { resultTypes: ['violations'] });
			return (result.violations as { id: string }[]).map((v) => v.id);
		});
		expect(violations).toEqual([]);
		await screenshot(page, 'two-factor-recovery-codes-390');
		await page.getByRole('link', { name: '我已保存恢复码，继续' }).click();
		await page.waitForURL((url) => url.pathname === '/admin');

		await context.close();

		// on another device: the password, then a code of the new authenticator
		const other = await browser.newContext({ baseURL: ctx.baseUrl, locale: 'zh-CN' });
		const again = await other.newPage();
		await loginThroughForm(again, username, password, secret);
		await again.waitForURL((url) => url.pathname === '/admin');
		await other.close();
	});
});

// The admin disables and enables a staff account on /admin (停用 / 启用).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { launchChromium, loginThroughForm, screenshot } from './chromium.ts';
import { api, demoStaffToken } from './hall.ts';

const ctx = inject('e2e');

describe.skipIf(ctx.skip)('staff accounts on the admin page', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('停用 ends the account’s session at once; 启用 lets it sign in again', async () => {
		const admin = await demoStaffToken('admin');
		const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
			id: string;
			code: string;
		}[];
		const username = `e2e-stop-${Date.now().toString(36)}`;
		const created = await api('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username,
				name: '停用测试',
				role: 'agent',
				orgUnitId: orgs.find((o) => o.code === '370281')!.id,
				password: 'E2e#Staff2026'
			}
		});
		expect(created.status).toBe(201);
		const agent = (
			await api('POST', '/api/auth/login', { body: { login: username, password: 'E2e#Staff2026' } })
		).body.token as string;

		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 1366, height: 768 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		await loginThroughForm(page, 'admin', DEMO_PASSWORD);
		await page.waitForURL(/\/admin/);
		const row = page.locator(`tr[data-staff="${username}"]`);
		await row.getByRole('button', { name: `停用 ${username}` }).click();
		await row.getByText('已停用').waitFor();
		expect((await api('GET', '/api/me', { token: agent })).status).toBe(401);
		await screenshot(page, 'admin-staff-disabled-1366');
		await row.getByRole('button', { name: `启用 ${username}` }).click();
		await row.getByText('正常').waitFor();
		const again = await api('POST', '/api/auth/login', {
			body: { login: username, password: 'E2e#Staff2026' }
		});
		expect(again.status).toBe(200);
		await context.close();
	});
});

import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../server/demo/hall.ts';
import { ROLE_HOME } from '../../shared/roles.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import { api, newCitizen, smsCodeFor } from './hall.ts';

const skip = inject('e2e').skip;

describe.skipIf(skip)('the hall in a browser', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('renders the home page in Chinese, readable at 360 px, and switches to English', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/');
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toBe('云上大厅 · 在家就能办');
		expect(await page.getByRole('link', { name: '注册账号' }).isVisible()).toBe(true);
		expect(await fitsWidth(page)).toBe(true);
		await screenshot(page, 'home-360');

		await page.getByRole('button', { name: 'English' }).click();
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			'Cloud Hall: government services from home'
		);
		await screenshot(page, 'home-360-en');
		await context.close();
	});

	for (const account of demoAccounts) {
		it(`the demo ${account.role} logs in through the form and lands on its home`, async () => {
			const context = await phoneContext(browser, { width: 1024 });
			const page = await context.newPage();
			await loginThroughForm(page, account.login, DEMO_PASSWORD);
			// where it stopped instead, and what it said, if it does not get home
			await page
				.waitForURL((url) => url.pathname === ROLE_HOME[account.role])
				.catch(async (err) => {
					const said = await page.getByRole('alert').allTextContents();
					throw new Error(`${account.login} stayed at ${page.url()} (${said.join(' | ')}): ${err}`);
				});
			expect(await page.getByText(account.name).first().isVisible()).toBe(true);
			await screenshot(page, `home-${account.role}`);
			await context.close();
		});
	}

	it('shows a wrong password in Chinese, keeps the login typed, and sets no session', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await loginThroughForm(page, 'agent', 'wrong-password');
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('密码不正确');
		expect(await page.getByLabel(/手机号或工作人员账号/).inputValue()).toBe('agent');
		expect((await context.cookies()).find((c) => c.name === 'hall_session')).toBeUndefined();
		await screenshot(page, 'login-error-360');
		await context.close();
	});

	it('registers a citizen through the form with an SMS code, with field errors first', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/register');
		await page.getByLabel('手机号').fill('1380000');
		await page.getByLabel('姓名').fill('孙丽');
		await page.getByRole('button', { name: '获取验证码' }).click();
		await expect.poll(() => page.locator('#phone-error').textContent()).toContain('11 位手机号');
		expect(await page.getByLabel('手机号').getAttribute('aria-invalid')).toBe('true');
		await screenshot(page, 'register-error-360');
		const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
		await page.getByLabel('手机号').fill(phone);
		await page.getByRole('button', { name: '获取验证码' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent())
			.toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
		// the button waits a minute before another code may be asked for
		expect(await page.getByRole('button', { name: /秒后可重新获取/ }).isDisabled()).toBe(true);
		expect(await page.getByLabel('姓名').inputValue()).toBe('孙丽');
		await page.getByLabel('短信验证码').fill(smsCodeFor(phone)!);
		await page.getByLabel('设置密码').fill('Sun#Li2026');
		await page.getByLabel('再次输入密码').fill('Sun#Li2026');
		await screenshot(page, 'register-code-360');
		await page.getByRole('button', { name: '注册并登录' }).click();
		await page.waitForURL((url) => url.pathname === '/my');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('孙丽，您好');
		expect(await fitsWidth(page)).toBe(true);
		await context.close();
	});

	it('gets a citizen who forgot the password back in by SMS; the old session ends', async () => {
		const citizen = await newCitizen('吴桂英');
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/login');
		await page.getByRole('link', { name: '忘记密码' }).click();
		await page.waitForURL((url) => url.pathname === '/forgot-password');
		await page.getByLabel('手机号').fill(citizen.phone);
		await page.getByRole('button', { name: '获取验证码' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('****');
		await page.getByLabel('短信验证码').fill(smsCodeFor(citizen.phone)!);
		await page.getByLabel('设置新密码').fill('Wu#Gui2026new');
		await page.getByLabel('再次输入密码').fill('Wu#Gui2026new');
		await screenshot(page, 'forgot-password-360');
		await page.getByRole('button', { name: '重置密码并登录' }).click();
		await page.waitForURL((url) => url.pathname === '/my');
		expect((await api('GET', '/api/me', { token: citizen.token })).status).toBe(401);
		const login = await api('POST', '/api/auth/login', {
			body: { login: citizen.phone, password: 'Wu#Gui2026new' }
		});
		expect(login.status).toBe(200);
		await context.close();
	});

	it('says why a staff member signed out for inactivity lands on the sign-in page', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/login?reason=idle&next=%2Fdesk');
		expect(await page.getByRole('status').textContent()).toContain('长时间没有操作');
		await page.goto('/login');
		expect(await page.getByRole('status').count()).toBe(0);
		await context.close();
	});

	it('keeps a citizen out of staff pages (403) and a visitor out of signed-in pages (to login)', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		const res = await page.goto('/admin');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(res?.status()).toBe(200);
		await loginThroughForm(page, '13800000001', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/admin' || url.pathname === '/my');
		const forbidden = await page.goto('/admin');
		expect(forbidden?.status()).toBe(403);
		expect(await page.getByText('没有权限').isVisible()).toBe(true);
		await context.close();
	});

	it('an admin creates a staff account on the admin page', async () => {
		const context = await phoneContext(browser, { width: 1024 });
		const page = await context.newPage();
		await loginThroughForm(page, 'admin', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/admin');
		await page.getByLabel('用户名').fill('qian.hui');
		await page.getByLabel('姓名').fill('钱慧');
		await page.getByLabel('角色').selectOption('township');
		await page.getByLabel('所属单位').selectOption({ label: '九龙街道（镇（街道））' });
		await page.getByLabel('初始密码').fill('Qian#Hui2026');
		await page.getByRole('button', { name: '创建账号' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('qian.hui');
		expect(await page.getByRole('cell', { name: 'qian.hui', exact: true }).isVisible()).toBe(true);
		await screenshot(page, 'admin');
		await context.close();
	});

	it('refuses a cross-site form post and a cross-site API post, accepts same-origin ones over http', async () => {
		const base = inject('e2e').baseUrl;
		const form = new URLSearchParams({ login: 'agent', password: DEMO_PASSWORD });
		const evil = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { origin: 'http://evil.example' },
			body: form,
			redirect: 'manual'
		});
		expect(evil.status).toBe(403);
		const evilApi = await fetch(`${base}/api/auth/login`, {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
			body: JSON.stringify({ login: 'agent', password: DEMO_PASSWORD })
		});
		expect(evilApi.status).toBe(403);
		const same = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { origin: base, accept: 'text/html' },
			body: form,
			redirect: 'manual'
		});
		expect(same.status).toBe(303);
		expect(same.headers.get('set-cookie')).toMatch(/hall_session=/);
		const multipart = new FormData();
		multipart.set('login', 'agent');
		multipart.set('password', DEMO_PASSWORD);
		const sameMultipart = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { origin: base, accept: 'text/html' },
			body: multipart,
			redirect: 'manual'
		});
		expect(sameMultipart.status).toBe(303);
	});

	it('serves the API reference generated from the route schemas', async () => {
		const context = await phoneContext(browser, { width: 1024 });
		const page = await context.newPage();
		await page.goto('/api-docs');
		expect(await page.getByRole('heading', { name: '接口文档' }).isVisible()).toBe(true);
		expect(await page.getByText('/api/auth/login').first().isVisible()).toBe(true);
		await context.close();
	});
});

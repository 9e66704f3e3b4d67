import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium (npx playwright install cannot download browsers here). */
export function findChromium(): string | null {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((p) => p && fs.existsSync(p)) ?? null;
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: inject('e2e').chromium,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream'
		]
	});
}

/** A phone-sized context (360 px wide), Chinese, camera and microphone allowed. */
export function phoneContext(
	browser: Browser,
	opts: { width?: number } = {}
): Promise<BrowserContext> {
	const baseURL = inject('e2e').baseUrl;
	return browser.newContext({
		baseURL,
		viewport: { width: opts.width ?? 360, height: 760 },
		locale: 'zh-CN',
		permissions: ['camera', 'microphone'],
		deviceScaleFactor: 1
	});
}

export async function loginThroughForm(page: Page, login: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel(/手机号或工作人员账号/).fill(login);
	await page.getByLabel('密码', { exact: true }).fill(password);
	await page.getByRole('button', { name: '登录' }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
	fs.mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** True when the page is no wider than its viewport (readable at 360 px without sideways scrolling). */
export function fitsWidth(page: Page): Promise<boolean> {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

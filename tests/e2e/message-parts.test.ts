// A citizen's pages load only the parts of the message catalogue they show (issue 19, web/lib/
// i18n/parts.ts). Walked as a citizen does, by taps (client-side navigation, each page's parts
// loaded on the way) and by opening an address (the server's page, then the browser's), in
// Chinese and in English: no page shows a key in place of its message.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, loginThroughForm } from './chromium.ts';
import { newCitizen } from './hall.ts';
import { untranslatedKeys } from './page-checks.ts';
import { zhCN } from '../../web/lib/i18n/zh-CN.ts';

const skip = inject('e2e').skip;
const KEYS = Object.keys(zhCN);

async function settled(page: Page, pathname: string) {
	await page.waitForURL((url) => url.pathname === pathname);
	await page.waitForLoadState('networkidle');
	expect(await untranslatedKeys(page, KEYS), pathname).toEqual([]);
}

describe.skipIf(skip)('message parts in the browser', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	for (const locale of ['zh-CN', 'en'] as const)
		it(`a citizen's pages, tapped through and opened, show messages, not keys (${locale})`, async () => {
			const me = await newCitizen('文案群众');
			const context = await browser.newContext({
				baseURL: inject('e2e').baseUrl,
				viewport: { width: 390, height: 844 },
				locale: 'zh-CN'
			});
			const page = await context.newPage();
			await loginThroughForm(page, me.phone, me.password);
			await settled(page, '/my');
			if (locale === 'en') {
				await context.addCookies([{ name: 'lang', value: 'en', url: inject('e2e').baseUrl }]);
				await page.reload();
				await settled(page, '/my');
			}
			const nav = page.getByRole('navigation').first();
			// taps: each page's parts are loaded by the browser on the way
			for (const href of ['/services', '/assistant', '/my/appointments', '/', '/my']) {
				await nav.locator(`a[href="${href}"]`).click();
				await settled(page, href);
			}
			// a service's page and its booking page, from the list
			await nav.locator('a[href="/services"]').click();
			await settled(page, '/services');
			await page.locator('main a[href^="/services/"]').first().click();
			await page.waitForURL(/\/services\/[^/]+$/);
			await settled(page, new URL(page.url()).pathname);
			// opened by address: the server renders it, the browser then loads the parts itself
			for (const href of ['/my/proxy', '/my/ratings', '/device-check', '/my/home-visits']) {
				await page.goto(href);
				await settled(page, href);
			}
			await context.close();
		});
});

// What a person types or opens before the page's code has run is still there once it runs (a
// slow phone can take seconds to start a page's code after it shows). The test holds the page's
// scripts back, acts, lets them run, waits until they have, and then checks what was done.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { demoStaffToken } from './hall.ts';

const skip = inject('e2e').skip;

/** Holds every script of the app until the returned function is called. */
async function holdScripts(page: Page): Promise<() => void> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

describe.skipIf(skip)('before the page’s code runs', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('the services search keeps the words typed, and searches for them', async () => {
		const context = await browser.newContext({
			baseURL: inject('e2e').baseUrl,
			viewport: { width: 360, height: 640 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		const release = await holdScripts(page);
		await page.goto('/services', { waitUntil: 'domcontentloaded' });
		const words = '营业执照';
		await page.getByLabel('关键词').fill(words);
		expect(await page.locator('body[data-hydrated]').count()).toBe(0);
		release();
		await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
		expect(await page.getByLabel('关键词').inputValue()).toBe(words);
		await page.getByRole('button', { name: '搜索', exact: true }).click();
		await page.waitForURL((url) => url.searchParams.get('q') === words);
		await context.close();
	});

	it('a dashboard table opened keeps open', async () => {
		const context = await browser.newContext({
			baseURL: inject('e2e').baseUrl,
			viewport: { width: 1366, height: 768 },
			locale: 'zh-CN'
		});
		await context.addCookies([
			{
				name: 'hall_session',
				value: await demoStaffToken('supervisor'),
				url: inject('e2e').baseUrl
			}
		]);
		const page = await context.newPage();
		const release = await holdScripts(page);
		await page.goto('/supervisor', { waitUntil: 'domcontentloaded' });
		const table = page.locator('[data-chart] details.data').first();
		await table.locator('summary').click();
		expect(await table.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
		release();
		await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
		expect(await table.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
		await context.close();
	});
});

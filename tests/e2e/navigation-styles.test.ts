// A page reached by a tap shows styled from its first frame: with routes resolved by the server,
// SvelteKit adds the next page's stylesheets without waiting for them, and the root layout makes
// the navigation wait (web/lib/stylesheets.ts). The test slows every stylesheet down and watches
// for the next page's content to appear while a stylesheet is still loading.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';

const skip = inject('e2e').skip;

describe.skipIf(skip)('navigating between pages', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('shows the next page once its stylesheets have loaded, not before', async () => {
		const context = await browser.newContext({
			baseURL: inject('e2e').baseUrl,
			viewport: { width: 360, height: 640 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		await page.goto('/');
		await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
		// from now on each stylesheet takes 800 ms
		let slowed = 0;
		await page.route('**/_app/immutable/assets/*.css', async (route) => {
			slowed++;
			await new Promise((resolve) => setTimeout(resolve, 800));
			await route.continue();
		});
		// the services page's heading: was a stylesheet still loading when it appeared?
		await page.evaluate(() => {
			const w = window as unknown as { unstyledAtFirstSight?: boolean };
			const seen = new MutationObserver(() => {
				const heading = [...document.querySelectorAll('h1')].some(
					(h) => h.textContent === '办事服务'
				);
				if (!heading) return;
				w.unstyledAtFirstSight = [
					...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')
				].some((link) => !link.sheet);
				seen.disconnect();
			});
			seen.observe(document.body, { childList: true, subtree: true });
		});
		await page.getByRole('navigation', { name: '主导航' }).locator('a[href="/services"]').click();
		await page.waitForURL((url) => url.pathname === '/services');
		await page.getByRole('heading', { level: 1, name: '办事服务' }).waitFor();
		// the services page has a stylesheet the home page does not: it was slowed
		expect(slowed).toBeGreaterThan(0);
		expect(
			await page.evaluate(
				() => (window as unknown as { unstyledAtFirstSight?: boolean }).unstyledAtFirstSight
			)
		).toBe(false);
		await context.close();
	});
});

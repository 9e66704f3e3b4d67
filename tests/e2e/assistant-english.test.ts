// English questions on /assistant (issue 25 item 4), on a 390x844 phone: an English question
// about an item is answered in English (its English name and key fields, marked lang="en"); one
// the hall cannot answer is replied to in English, whatever the page's language, saying the
// assistant understands Chinese best, with a person offered.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fitsWidth, launchChromium, screenshot } from './chromium.ts';

const skip = inject('e2e').skip;

/** Chinese punctuation, as tests/e2e/english.test.ts defines it. */
const CJK_PUNCTUATION =
	/[、，。：；！？（）【】《》“”\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\ufe30-\ufe4f]/;

function phone(browser: Browser, locale: 'zh-CN' | 'en-US'): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: inject('e2e').baseUrl,
		viewport: { width: 390, height: 844 },
		locale,
		extraHTTPHeaders: { 'accept-language': locale === 'en-US' ? 'en-US,en;q=0.9' : 'zh-CN' }
	});
}

async function ask(page: Page, label: RegExp, send: RegExp, question: string) {
	const turns = page.locator('[data-assistant] .turn');
	const before = await turns.count();
	await page.getByLabel(label).fill(question);
	await page.getByRole('button', { name: send }).click();
	await expect.poll(() => turns.count()).toBe(before + 1);
	return turns.nth(before);
}

describe.skipIf(skip)('English questions to the assistant', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('on the Chinese page: answers a business licence question in English, and says in English that it understands Chinese best', async () => {
		const context = await phone(browser, 'zh-CN');
		const page = await context.newPage();
		await page.goto('/assistant');
		const answered = await ask(
			page,
			/^您的问题$/,
			/^提问$/,
			'How long does it take to get a business licence?'
		);
		const card = answered.locator('[data-answer]');
		await card.waitFor();
		expect(await card.getAttribute('lang')).toBe('en');
		expect(await card.getByRole('heading').textContent()).toBe(
			'Individual Business Registration (business licence)'
		);
		expect(await card.textContent()).toContain('Time limit: 1 working day.');
		// the item's next steps as for a Chinese question
		expect(await card.getByRole('link', { name: '预约', exact: true }).isVisible()).toBe(true);

		const gap = await ask(page, /^您的问题$/, /^提问$/, 'How do I renew my passport?');
		const reply = gap.locator('[data-english]');
		await expect.poll(() => reply.textContent()).toContain('I understand Chinese best');
		expect(await reply.getAttribute('lang')).toBe('en');
		expect(await reply.getAttribute('data-unknown')).toBe('gap');
		expect(await reply.textContent()).toMatch(/a person/i);
		expect(await reply.textContent()).not.toMatch(CJK_PUNCTUATION);
		// the way to a person is right there (signing in first, for a visitor)
		expect(await page.getByRole('link', { name: '登录后可以转人工视频咨询' }).isVisible()).toBe(
			true
		);
		expect(await fitsWidth(page)).toBe(true);
		await screenshot(page, 'assistant-english-390');
		await context.close();
	});

	it('on the English page: an off-topic question is told so in English', async () => {
		const context = await phone(browser, 'en-US');
		const page = await context.newPage();
		await page.goto('/assistant');
		const turn = await ask(page, /^Your question$/, /^Ask$/, 'What is the weather tomorrow?');
		const reply = turn.locator('[data-english]');
		await reply.waitFor();
		expect(await reply.getAttribute('data-unknown')).toBe('off_topic');
		const text = (await reply.textContent()) ?? '';
		expect(text).toContain('not something the hall handles');
		expect(text).toContain('I understand Chinese best');
		expect(text).not.toMatch(CJK_PUNCTUATION);
		expect(await fitsWidth(page)).toBe(true);
		await context.close();
	});
});

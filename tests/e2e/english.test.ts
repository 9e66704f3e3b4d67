// An English browser (Accept-Language en-US, no lang cookie) gets the hall in English on its first
// visit, and the English reads as English: no Chinese punctuation and no untranslated Chinese in
// what the pages show (data from the catalogue, names and what people wrote, marked data-content,
// is content and stays Chinese) and no "1 working days".
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './chromium.ts';
import { api, newCitizen, type Citizen } from './hall.ts';

const skip = inject('e2e').skip;

/** Chinese punctuation: 、，。：；！？（）【】《》“” and the full-width colon of any form. */
const CJK_PUNCTUATION =
	/[、，。：；！？（）【】《》“”\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\ufe30-\ufe4f]/;

/** A count of 1 with a plural noun: "1 working days", "1 people ahead", "about 1 minutes". */
const ONE_PLURAL =
	/(?<![\d.,])\b1 (?:[a-z-]+ )?(?:days|people|minutes|services|entries|appointments|ratings|rows|accounts|characters|items)\b/i;

/** An English phone-sized context with no lang cookie: the language comes from the browser. */
function englishContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: inject('e2e').baseUrl,
		viewport: { width: 390, height: 844 },
		locale: 'en-US',
		extraHTTPHeaders: { 'accept-language': 'en-US,en;q=0.9' }
	});
}

/** Signs the citizen in in the context with their API session (the login form is not tested here). */
async function signIn(context: BrowserContext, citizen: Citizen): Promise<void> {
	await context.addCookies([
		{ name: 'hall_session', value: citizen.token, url: inject('e2e').baseUrl }
	]);
}

/**
 * The visible lines of the page (its title too) that carry Chinese punctuation or a "1 … days"
 * plural, leaving out the elements marked data-content (data from the catalogue, people's names
 * and writing): those are hidden for the reading and shown again.
 */
/**
 * Words this file knows to be content: the names of the people it made and of the items it books
 * and halls it uses (a page title, or a notice sentence built around them, cannot mark a part).
 */
const people: string[] = [];

async function badLines(
	page: Page
): Promise<{ punctuation: string[]; plural: string[]; untranslated: string[] }> {
	const lines = await page.evaluate((names) => {
		// content (catalogue data, names, what people wrote) and what is Chinese on purpose (the
		// 中文 switch carries lang="zh-CN")
		const marked = [...document.querySelectorAll<HTMLElement>('[data-content], [lang^="zh"]')];
		// the title names what a marked element shows (an item's name): that part is content too
		let title = document.title;
		for (const el of marked) {
			const content = (el.textContent ?? '').trim();
			if (content) title = title.split(content).join('');
		}
		// the marked elements are emptied for the reading (options of a select too) and refilled
		const kept = marked.map((el) => [...el.childNodes]);
		for (const el of marked) el.replaceChildren();
		const text = `${title}\n${document.body.innerText}`;
		marked.forEach((el, i) => el.replaceChildren(...kept[i]));
		return text.split('\n').map((l) => names.reduce((line, n) => line.split(n).join(''), l.trim()));
	}, people);
	return {
		punctuation: lines.filter((l) => CJK_PUNCTUATION.test(l)),
		plural: lines.filter((l) => ONE_PLURAL.test(l)),
		untranslated: lines.filter((l) => /[\u4e00-\u9fff]/.test(l))
	};
}

/** Opens the page (or checks the one open) and fails listing every offending line. */
async function expectEnglish(page: Page, path: string | null, name: string): Promise<void> {
	if (path) await page.goto(path);
	await page.waitForLoadState('networkidle');
	expect(await page.getAttribute('html', 'lang'), `${name}: <html lang>`).toBe('en');
	const { punctuation, plural, untranslated } = await badLines(page);
	await screenshot(page, `english-${name}`);
	expect(punctuation, `${name} (${page.url()}): lines with Chinese punctuation`).toEqual([]);
	expect(plural, `${name} (${page.url()}): a count of 1 with a plural noun`).toEqual([]);
	expect(untranslated, `${name} (${page.url()}): Chinese outside content`).toEqual([]);
}

/** The demo catalogue's item and hall ids, by code. */
async function catalogue(): Promise<{
	item: (code: string) => string;
	hall: (code: string) => string;
}> {
	const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	const halls = (await api('GET', '/api/queue/halls')).body.halls as { id: string; code: string }[];
	const find = (list: { id: string; code: string }[], code: string) => {
		const found = list.find((x) => x.code === code);
		if (!found) throw new Error(`no ${code} in the demo catalogue`);
		return found.id;
	};
	return { item: (code) => find(items, code), hall: (code) => find(halls, code) };
}

describe.skipIf(skip)('the hall in English (Accept-Language en-US)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a first visit from an English browser is answered in English and the choice is remembered', async () => {
		const context = await englishContext(browser);
		const page = await context.newPage();
		await page.goto('/');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		const lang = (await context.cookies()).find((c) => c.name === 'lang');
		expect(lang?.value).toBe('en');
		// the /lang switch still wins over the browser, and is kept
		await page.getByRole('button', { name: '中文' }).click();
		await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
		await page.goto('/services');
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await context.close();

		// a Chinese browser, and one that names neither language, get Chinese
		for (const header of ['zh-CN,zh;q=0.9,en;q=0.8', 'fr-FR,de;q=0.7']) {
			const other = await browser.newContext({
				baseURL: inject('e2e').baseUrl,
				extraHTTPHeaders: { 'accept-language': header }
			});
			const p = await other.newPage();
			await p.goto('/');
			expect(await p.getAttribute('html', 'lang'), header).toBe('zh-CN');
			await other.close();
		}
	});

	it('the public pages read as English: home, services, a service, sign-in and registration', async () => {
		const { item } = await catalogue();
		const context = await englishContext(browser);
		const page = await context.newPage();
		await expectEnglish(page, '/', 'home');
		await expectEnglish(page, '/services', 'services');
		await expectEnglish(page, '/services?q=' + encodeURIComponent('营业执照'), 'services-search');
		// 个体工商户设立登记 is done in 1 working day
		await expectEnglish(page, `/services/${item('370281-XZSP-001')}`, 'service');
		expect(await page.locator('main').innerText()).toContain('1 working day');
		await expectEnglish(page, `/services/${item('370281-XZSP-014')}`, 'service-10-days');
		// 一件事一次办: the bundle's life event and its theme item's page
		await expectEnglish(page, '/services?bundle=KBCY', 'services-life-event');
		await expectEnglish(page, `/services/${item('370281-YJS-001')}`, 'service-life-event');
		await expectEnglish(page, '/login', 'login');
		await expectEnglish(page, '/register', 'register');
		await context.close();
	});

	it("a citizen's pages read as English: my pages, a queue number with one person ahead, booking", async () => {
		const { item, hall } = await catalogue();
		const first = await newCitizen('英文排队一');
		const me = await newCitizen('英文群众');
		people.push(first.name, me.name, '个体工商户设立登记', '胶州市'); // people, item, hall
		// two video numbers for the same item at the township's hall: one person ahead of mine
		const take = (c: Citizen) =>
			api('POST', '/api/queue/tickets', {
				token: c.token,
				body: {
					serviceId: item('370281-XZSP-001'),
					channel: 'video',
					hallId: hall('370281001')
				}
			});
		expect((await take(first)).status).toBe(201);
		const mine = await take(me);
		expect(mine.status, JSON.stringify(mine.body)).toBe(201);

		const context = await englishContext(browser);
		await signIn(context, me);
		const page = await context.newPage();
		await expectEnglish(page, '/my', 'my');
		await expectEnglish(page, `/queue/${mine.body.ticket.id}`, 'queue');
		const ahead = (
			await api('GET', `/api/queue/tickets/${mine.body.ticket.id}`, { token: me.token })
		).body?.ticket?.ahead;
		if (ahead === 1) expect(await page.locator('main').innerText()).toContain('1 person ahead');

		// booking: the item's video times, then the confirmation step, then My appointments
		await expectEnglish(page, `/services/${item('370281-XZSP-001')}/book?channel=video`, 'book');
		await page.locator('a[href*="slot="]').first().click();
		await page.getByRole('button', { name: 'Confirm booking' }).waitFor();
		await expectEnglish(page, null, 'book-confirm');
		await page.getByRole('button', { name: 'Confirm booking' }).click();
		await page.waitForURL((url) => url.pathname === '/my/appointments');
		await expectEnglish(page, '/my/appointments', 'my-appointments');
		await expectEnglish(page, '/my/ratings', 'my-ratings');
		await context.close();
	});
});

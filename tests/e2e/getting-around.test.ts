// Getting around as a citizen on a phone (360×640): 首页 and 智能问答 one tap away in the header
// of every citizen page; a search that finds nothing keeps its words and asks the assistant
// them; a reschedule opens on the booked day showing the booking; the notices then read 已改约
// and 已取消 as it happened.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fitsWidth, launchChromium, loginThroughForm, screenshot } from './chromium.ts';
import { api, newCitizen, type Citizen } from './hall.ts';

const skip = inject('e2e').skip;
const LICENSE = '个体工商户设立登记';

/** The phone the issue was found on: 360×640, Chinese. */
function smallPhone(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: inject('e2e').baseUrl,
		viewport: { width: 360, height: 640 },
		locale: 'zh-CN',
		deviceScaleFactor: 1
	});
}

async function signedIn(browser: Browser, citizen: Citizen): Promise<Page> {
	const page = await (await smallPhone(browser)).newPage();
	await loginThroughForm(page, citizen.phone, citizen.password);
	await page.waitForURL((url) => url.pathname === '/my');
	return page;
}

const header = (page: Page) => page.getByRole('navigation', { name: '主导航' });

/** From the page it is on, one tap on 首页 and one on 智能问答 (then back). */
async function expectOneTapToHomeAndAssistant(page: Page) {
	const from = page.url();
	await header(page).getByRole('link', { name: '首页', exact: true }).click();
	await page.waitForURL((url) => url.pathname === '/');
	await page.goto(from);
	await header(page).getByRole('link', { name: '智能问答', exact: true }).click();
	await page.waitForURL((url) => url.pathname === '/assistant');
	await page.getByLabel('您的问题').waitFor();
	await page.goto(from);
}

/** A video booking of the licence made through the API: on the last day with a free place. */
async function bookLicence(citizen: Citizen) {
	const items = (await api('GET', `/api/services?q=${encodeURIComponent(LICENSE)}`)).body.items;
	const service = items.find((i: { name: string }) => i.name === LICENSE);
	const { days } = (await api('GET', `/api/services/${service.id}/days?channel=video`)).body;
	const day = [...days].reverse().find((d: { remaining: number }) => d.remaining > 0);
	const { slots } = (
		await api('GET', `/api/services/${service.id}/slots?date=${day.date}&channel=video`)
	).body;
	const slot = slots.find((s: { bookable: boolean }) => s.bookable);
	const res = await api('POST', '/api/appointments', {
		token: citizen.token,
		body: { slotId: slot.id, serviceId: service.id, channel: 'video' }
	});
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return { appointment: res.body.appointment, firstDay: days[0].date as string };
}

describe.skipIf(skip)('getting around as a citizen (issue 18)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('reaches 首页 and 智能问答 in one tap from 我的 and from a booking page', async () => {
		const me = await newCitizen('出行群众');
		const page = await signedIn(browser, me);
		await screenshot(page, 'getting-around-my-360');
		expect(await fitsWidth(page)).toBe(true);
		// the header's links all fit on the phone: none starts past the right edge
		for (const box of await header(page)
			.getByRole('link')
			.evaluateAll((links) => links.map((a) => a.getBoundingClientRect().right)))
			expect(box).toBeLessThanOrEqual(360);
		// the links added to the header are thumb-sized
		for (const name of ['首页', '智能问答']) {
			const box = await header(page).getByRole('link', { name, exact: true }).boundingBox();
			expect(box!.height, name).toBeGreaterThanOrEqual(44);
		}
		await expectOneTapToHomeAndAssistant(page);

		const { appointment } = await bookLicence(me);
		await page.goto(`/services/${appointment.serviceId}/book?channel=video`);
		await page.getByRole('heading', { name: `预约：${LICENSE}` }).waitFor();
		await screenshot(page, 'getting-around-book-360');
		await expectOneTapToHomeAndAssistant(page);
		await page.context().close();
	});

	it('a search that finds nothing keeps its words and asks the assistant them in one tap', async () => {
		const me = await newCitizen('搜索群众');
		const page = await signedIn(browser, me);
		const words = '给家里老人办高龄补贴';
		await page.goto('/services');
		await page.getByLabel('关键词').fill(words);
		await page.getByRole('button', { name: '搜索', exact: true }).click();
		await page.waitForURL((url) => url.searchParams.get('q') === words);
		expect(await page.getByRole('heading', { name: '共 0 个事项' }).isVisible()).toBe(true);
		expect(await page.getByLabel('关键词').inputValue()).toBe(words);
		const ask = page.getByRole('link', { name: `问智能问答：“${words}”` });
		const box = await ask.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(44);
		await screenshot(page, 'getting-around-no-results-360');
		expect(await fitsWidth(page)).toBe(true);

		await ask.click();
		await page.waitForURL((url) => url.pathname === '/assistant');
		const turn = page.locator('[data-assistant] .turn').first();
		await turn.waitFor();
		expect(await turn.locator('.question').textContent()).toContain(words);
		// the question was asked: an answer or an honest "don't know" follows it
		await turn.locator('[data-answer], [data-unknown]').first().waitFor();
		await screenshot(page, 'getting-around-assistant-asked-360');
		// a reload does not ask it twice
		await page.reload();
		await turn.waitFor();
		expect(await page.locator('[data-assistant] .turn').count()).toBe(1);
		await page.context().close();
	});

	it('a reschedule opens on the booked day with the booking shown; the notices read 已改约 and 已取消', async () => {
		const me = await newCitizen('改约群众');
		const { appointment, firstDay } = await bookLicence(me);
		// the booking is on the last bookable day, so opening there is the booking's doing
		expect(appointment.date).not.toBe(firstDay);
		const page = await signedIn(browser, me);
		await page.goto('/my/appointments');
		await page
			.locator(`[data-appointment="${appointment.id}"]`)
			.getByRole('link', { name: '改约' })
			.click();
		await page.getByRole('heading', { name: `改约：${LICENSE}` }).waitFor();

		const current = page.locator('[data-current-booking]');
		const shown = (await current.textContent()) ?? '';
		const from = `${appointment.date} ${appointment.start.slice(11, 16)}`;
		for (const part of [
			LICENSE,
			appointment.date,
			`${appointment.start.slice(11, 16)}–${appointment.end.slice(11, 16)}`,
			'视频办理',
			appointment.orgUnitName
		])
			expect(shown).toContain(part);
		expect(await page.locator('a.day[aria-current="date"]').getAttribute('href')).toContain(
			`date=${appointment.date}`
		);
		expect(await page.locator('[data-booked-day]').count()).toBe(1);
		// the booked day is in sight in the strip of days, not scrolled off to the right, once the
		// page's code has run (it scrolls the strip; a heading can show before that)
		await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
		const day = await page.locator('a.day[aria-current="date"]').boundingBox();
		expect(day!.x).toBeGreaterThanOrEqual(0);
		expect(day!.x + day!.width).toBeLessThanOrEqual(360);
		expect(await page.locator('[data-current-slot]').count()).toBe(1);
		await screenshot(page, 'getting-around-reschedule-360');
		expect(await fitsWidth(page)).toBe(true);

		const choose = page.getByRole('link', { name: /^选择 / }).first();
		const to = `${appointment.date} ${((await choose.getAttribute('aria-label')) ?? '').replace('选择 ', '')}`;
		await choose.click();
		await page.getByRole('button', { name: '确认改约' }).click();
		await page.waitForURL((url) => url.pathname === '/my/appointments');
		const notices = page.locator('.notices');
		expect(await notices.textContent()).toContain(`已改约：${LICENSE} 由 ${from} 改到 ${to}`);

		const card = page.locator('[data-appointment]').first();
		await card.getByRole('button', { name: '取消预约' }).click();
		await card.getByRole('button', { name: '确定取消预约' }).click();
		await expect
			.poll(() => notices.textContent())
			.toContain(`已取消：您取消了 ${to} 的 ${LICENSE} 预约。`);
		await screenshot(page, 'getting-around-notices-360');
		await page.context().close();
	});
});

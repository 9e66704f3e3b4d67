// 代办授权 in the browser (issue 23 item 1): a son asks for authority over his mother's phone,
// types the code her phone got, acts for her (the banner on every page, stuck at the top of a
// 360×640 phone), takes a number for her and sees only what the grant covers; she revokes it on
// her own phone and his next action says so, with the way back. Then the pages in both languages,
// on a phone and a desktop, in normal and 适老化 mode: axe, tap targets, text sizes, screenshots.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fitsWidth, launchChromium, screenshot } from './chromium.ts';
import { api, newCitizen, smsCodeFor, type Citizen } from './hall.ts';
import { takeVideoTicket } from './scenes.ts';
import { axeProblems, sizeProblems } from './page-checks.ts';

const ctx = inject('e2e');
const EMPLOYMENT = '灵活就业人员参保登记';
const LICENSE_NAME = '个体工商户设立登记';
/** an item with an online form (a case, its signature step) */
const INSURANCE = '城乡居民基本医疗保险参保登记';

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1366, height: 768 };

/** A browser of one person: their session, language and mode (cookies), a phone or a desktop. */
async function browserOf(
	token: string,
	o: { viewport?: { width: number; height: number }; lang?: 'zh-CN' | 'en'; care?: boolean } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const viewport = o.viewport ?? PHONE;
	const phone = viewport.width < 500;
	const context = await browser.newContext({
		baseURL: ctx.baseUrl,
		viewport,
		locale: o.lang ?? 'zh-CN',
		deviceScaleFactor: 1,
		hasTouch: phone,
		isMobile: phone
	});
	await context.addCookies([
		{ name: 'hall_session', value: token, url: ctx.baseUrl },
		{ name: 'care', value: o.care ? 'on' : 'off', url: ctx.baseUrl },
		{ name: 'lang', value: o.lang ?? 'zh-CN', url: ctx.baseUrl }
	]);
	return { context, page: await context.newPage() };
}

async function serviceId(name: string): Promise<string> {
	const items = (await api('GET', '/api/services')).body.items as { id: string; name: string }[];
	return items.find((i) => i.name === name)!.id;
}

/** The banner is on screen at the very top, also after scrolling to the bottom of the page. */
async function expectBannerStuck(page: Page, name: string) {
	const banner = page.locator('aside.acting');
	await expect.poll(() => banner.textContent()).toContain(`正在代 ${name} 办理`);
	await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	const box = await banner.boundingBox();
	expect(box, 'banner laid out').not.toBeNull();
	expect(Math.round(box!.y)).toBe(0);
	expect(box!.height).toBeLessThan(PHONE.height / 4);
	expect(await banner.getByRole('button', { name: '退出代办' }).isVisible()).toBe(true);
	expect(await fitsWidth(page)).toBe(true);
}

/**
 * The proxy's side through the API (for the layout test): asks, reads the code from the SMS log,
 * confirms. Answers the grant's id.
 */
async function grantThroughApi(proxy: Citizen, grantor: Citizen, items: string[] | 'all') {
	const before = smsCodeFor(grantor.phone);
	const asked = await api('POST', '/api/proxy/grants', {
		token: proxy.token,
		body: { grantorPhone: grantor.phone, items, validUntil: inDays(30) }
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(202);
	await expect.poll(() => smsCodeFor(grantor.phone)).not.toBe(before);
	const confirmed = await api('POST', `/api/proxy/grants/${asked.body.grantId}/confirm`, {
		token: proxy.token,
		body: { code: smsCodeFor(grantor.phone) }
	});
	expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
	return asked.body.grantId as string;
}

const PNG =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const LICENSE_VALUES = {
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};

/**
 * A licence application made by `proxy` (acting, Bearer token) for the grantor: filled, materials
 * handed in, signed by the grantor on her own session, submitted by the proxy. Answers its id.
 */
async function caseSubmittedByProxy(proxy: Citizen, grantor: Citizen): Promise<string> {
	const created = await api('POST', '/api/cases', {
		token: proxy.token,
		body: { serviceId: await serviceId(LICENSE_NAME) }
	});
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const kase = created.body.case as { id: string; materials: { name: string }[] };
	for (const [key, value] of Object.entries(LICENSE_VALUES)) {
		const put = await api('PUT', `/api/cases/${kase.id}/fields/${key}`, {
			token: proxy.token,
			body: { value, revision: 0 }
		});
		expect(put.status, JSON.stringify(put.body)).toBe(200);
	}
	const jpeg = new Uint8Array(1024);
	jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
	for (const [i, m] of kase.materials.entries()) {
		const form = new FormData();
		form.set('material', m.name);
		form.set('file', new File([jpeg], `material-${i + 1}.jpg`, { type: 'image/jpeg' }));
		const res = await fetch(`${ctx.baseUrl}/api/cases/${kase.id}/documents`, {
			method: 'POST',
			body: form,
			headers: { authorization: `Bearer ${proxy.token}` }
		});
		expect(res.status).toBe(201);
	}
	const signed = await api('POST', `/api/cases/${kase.id}/signature`, {
		token: grantor.token,
		body: { image: PNG }
	});
	expect(signed.status, JSON.stringify(signed.body)).toBe(200);
	const submitted = await api('POST', `/api/cases/${kase.id}/submit`, { token: proxy.token });
	expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
	return kase.id;
}

/** A video booking of the licence on the last day with a free place, by whoever `token` is. */
async function bookLicence(token: string) {
	const id = await serviceId(LICENSE_NAME);
	const { days } = (await api('GET', `/api/services/${id}/days?channel=video`)).body;
	const day = [...days].reverse().find((d: { remaining: number }) => d.remaining > 0);
	const { slots } = (await api('GET', `/api/services/${id}/slots?date=${day.date}&channel=video`))
		.body;
	const slot = slots.find((s: { bookable: boolean }) => s.bookable);
	const res = await api('POST', '/api/appointments', {
		token,
		body: { slotId: slot.id, serviceId: id, channel: 'video' }
	});
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body.appointment as { id: string };
}

function inDays(days: number): string {
	return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(ctx.skip)('代办授权 in the browser', () => {
	it('a son acts for his mother under a grant she confirmed by SMS, until she revokes it', async () => {
		const mother = await newCitizen('王秀兰');
		const son = await newCitizen('李明');
		// her own ticket for an item the grant will not cover: he must never see it
		const own = await takeVideoTicket(mother);
		const employment = await serviceId(EMPLOYMENT);

		const { context, page } = await browserOf(son.token);
		await page.goto('/my');
		await page.getByRole('link', { name: '为家人代办、查看和撤销代办授权' }).click();
		await page.waitForURL((u) => u.pathname === '/my/proxy');
		expect(await page.getByText('您还没有代办授权。').isVisible()).toBe(true);

		// asking: her phone, one chosen item, the default last day
		const before = smsCodeFor(mother.phone);
		await page.getByLabel('家人的手机号').fill(mother.phone);
		await page.getByRole('radio', { name: '选定的事项' }).check();
		await page.getByRole('checkbox', { name: EMPLOYMENT }).check();
		await page.getByRole('checkbox', { name: INSURANCE }).check();
		await page.getByRole('button', { name: '发送验证码' }).click();
		const confirmBox = page.locator('[data-confirm-grant]');
		await confirmBox.waitFor();
		expect(await confirmBox.textContent()).toContain(mother.phone.slice(-4));
		expect(await confirmBox.textContent()).not.toContain(mother.phone);
		await screenshot(page, 'proxy-code-360');

		// the code her phone got, read to him: a wrong one first
		await expect.poll(() => smsCodeFor(mother.phone)).not.toBe(before);
		const code = smsCodeFor(mother.phone)!;
		await confirmBox.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000');
		await confirmBox.getByRole('button', { name: '确认授权' }).click();
		// refused, and the code is asked for again (the same grant) with why
		await page
			.locator('[data-confirm-grant] .field-error, [data-confirm-grant] [role="alert"]')
			.first()
			.waitFor();
		expect(await page.locator('li[data-status="active"]').count()).toBe(0);
		await page.locator('[data-confirm-grant]').getByLabel('验证码').fill(code);
		await page.locator('[data-confirm-grant]').getByRole('button', { name: '确认授权' }).click();
		await page.getByText('授权已生效').waitFor();
		const card = page.locator('li[data-status="active"]');
		expect(await card.textContent()).toContain('为 王*兰 代办');
		expect(await card.textContent()).toContain(EMPLOYMENT);

		// 开始代办: the banner on every page, stuck at the top of the phone's screen
		await card.getByRole('button', { name: '开始代办' }).click();
		await page.waitForURL((u) => u.pathname === '/services');
		await expectBannerStuck(page, '王秀兰');
		await page.evaluate(() => window.scrollTo(0, 0));
		await screenshot(page, 'proxy-acting-services-360');
		for (const path of ['/my/appointments', '/assistant', '/my/proxy'])
			await page.goto(path).then(() => expectBannerStuck(page, '王秀兰'));
		// not hers to see through him: her notices are not shown, her ratings page says why
		await page.goto('/my/appointments');
		expect(await page.getByRole('heading', { name: '消息通知' }).count()).toBe(0);
		await page.goto('/my/ratings');
		await page.locator('[data-acting-error="acting_for_someone"]').waitFor();

		// a number for her, of the granted item
		await page.goto(`/services/${employment}`);
		await page.getByRole('button', { name: '取号（视频办理）' }).click();
		await page.waitForURL(/\/queue\/[a-z2-7]+$/);
		const ticketId = new URL(page.url()).pathname.split('/').pop()!;
		await expectBannerStuck(page, '王秀兰');
		const hers = (await api('GET', '/api/queue/tickets', { token: mother.token })).body.tickets as {
			id: string;
			actedBy: { id: string; as: string } | null;
		}[];
		expect(hers.find((t) => t.id === ticketId)?.actedBy).toEqual({ id: son.id, as: 'proxy' });

		// only her granted records: the new ticket, said to be his doing, not her own ticket
		await page.goto('/my');
		const tickets = page.locator('section[aria-labelledby="tickets-title"]');
		expect(await tickets.textContent()).toContain(EMPLOYMENT);
		expect(await tickets.textContent()).toContain('代办人 李明 取号');
		expect(await tickets.textContent()).not.toContain(LICENSE_NAME);
		expect(await page.locator(`a[href="/queue/${own.id}"]`).count()).toBe(0);
		// her own ticket by its address: refused
		await page.goto(`/queue/${own.id}`);
		await page.locator('[data-acting-error]').waitFor();

		// a case of the granted item: the signature is hers, in person
		const kase = await api('POST', '/api/cases', {
			token: mother.token,
			body: { serviceId: await serviceId(INSURANCE) }
		});
		expect(kase.status, JSON.stringify(kase.body)).toBe(201);
		await page.goto(`/cases/${kase.body.case.id}`);
		await page.locator('[data-sign-in-person]').waitFor();
		expect(await page.locator('[data-sign-in-person]').textContent()).toContain('王秀兰');
		expect(await page.locator('#case-signature canvas').count()).toBe(0);

		// 退出代办: himself again
		await page.locator('aside.acting').getByRole('button', { name: '退出代办' }).click();
		await page.waitForURL((u) => u.pathname === '/my/proxy');
		await page.getByText('已退出代办').waitFor();
		expect(await page.locator('aside.acting').count()).toBe(0);

		// acting again, on her ticket's page, when she revokes on her own phone
		await page
			.locator('li[data-status="active"]')
			.getByRole('button', { name: '开始代办' })
			.click();
		await page.waitForURL((u) => u.pathname === '/services');
		await page.goto(`/queue/${ticketId}`);
		await expectBannerStuck(page, '王秀兰');

		const herPhone = await browserOf(mother.token);
		const her = herPhone.page;
		await her.goto('/my/proxy');
		const given = her.locator(
			'section[aria-labelledby="as-grantor-title"] li[data-status="active"]'
		);
		expect(await given.textContent()).toContain('代办人 李*');
		expect(await given.textContent()).toContain(EMPLOYMENT);
		await screenshot(her, 'proxy-grantor-360');
		await given.getByRole('button', { name: '撤销' }).click();
		await given.getByRole('button', { name: '撤销授权' }).click();
		await her.getByText('授权已撤销').waitFor();
		expect(
			await her
				.locator('section[aria-labelledby="as-grantor-title"] li[data-status="revoked"]')
				.count()
		).toBe(1);
		await herPhone.context.close();

		// his next action: the acting-ended message with the switch back, not a generic error
		await page.getByRole('button', { name: '取消排队' }).click();
		await page.getByRole('button', { name: '确定放弃' }).click();
		const ended = page.locator('[data-acting-error="acting_ended"]').first();
		await ended.waitFor();
		expect(await ended.textContent()).toContain('代办授权已撤销或过期');
		// the banner says so too (its layout reloaded), still with the button
		await page.locator('aside.acting[data-acting="ended"]').waitFor();
		expect(await page.locator('aside.acting').textContent()).toContain(
			'代 王秀兰 办理的授权已撤销或过期'
		);
		await page.evaluate(() => window.scrollTo(0, 0));
		await screenshot(page, 'proxy-acting-ended-360');
		expect((await api('GET', `/api/queue/tickets`, { token: mother.token })).body.tickets).toEqual(
			expect.arrayContaining([expect.objectContaining({ id: ticketId, status: 'waiting' })])
		);
		await ended.getByRole('button', { name: '退出代办' }).click();
		await page.waitForURL((u) => u.pathname === '/my/proxy');
		expect(await page.locator('aside.acting').count()).toBe(0);
		expect(await page.locator('li[data-status="revoked"]').textContent()).toContain('已撤销');
		await context.close();
	});

	it('her pages name what the proxy did: the booking, the number, the receipt', async () => {
		const mother = await newCitizen('王秀兰');
		const son = await newCitizen('李明');
		const grantId = await grantThroughApi(son, mother, 'all');
		const acting = await api('POST', '/api/proxy/acting', { token: son.token, body: { grantId } });
		expect(acting.status, JSON.stringify(acting.body)).toBe(200);
		const booked = await bookLicence(son.token);
		onTestFinished(async () => {
			await api('POST', `/api/appointments/${booked.id}/cancel`, { token: mother.token });
		});
		const ticket = await api('POST', '/api/queue/tickets', {
			token: son.token,
			body: { serviceId: await serviceId(EMPLOYMENT), channel: 'video' }
		});
		expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
		const caseId = await caseSubmittedByProxy(son, mother);
		// the proxy's name as she may see it: masked, as her grants list gives it
		const grants = (await api('GET', '/api/proxy/grants', { token: mother.token })).body.grants as {
			id: string;
			proxy: { name: string };
		}[];
		const masked = grants.find((g) => g.id === grantId)!.proxy.name;
		expect(masked).not.toBe('李明');

		const { context, page } = await browserOf(mother.token);
		await page.goto('/my/appointments');
		const appointment = page.locator(`[data-appointment="${booked.id}"]`);
		expect(await appointment.locator('[data-acted-by]').textContent()).toBe(
			`代办人 ${masked} 预约`
		);
		await screenshot(page, 'proxy-booked-by-360');
		await page.goto('/my');
		const tickets = page.locator('section[aria-labelledby="tickets-title"]');
		expect(await tickets.locator('[data-acted-by]').textContent()).toBe(`代办人 ${masked} 取号`);
		await page.goto(`/cases/${caseId}/receipt`);
		expect(await page.locator('[data-submitted-by]').textContent()).toBe(
			'由 李明（代办人）代为提交'
		);
		await screenshot(page, 'proxy-receipt-360');
		await context.close();

		// in English, on the son's own (acting) page: his own name
		const his = await browserOf(son.token, { lang: 'en' });
		await his.page.goto('/my/appointments');
		expect(
			await his.page.locator(`[data-appointment="${booked.id}"] [data-acted-by]`).textContent()
		).toBe('Booked by 李明, acting for them');
		await his.context.close();
	});

	it('the grants page and the banner pass axe, size checks and fit, in zh and en, phone and desktop, normal and 适老化', async () => {
		const mother = await newCitizen('赵桂芳');
		const son = await newCitizen('赵建国');
		const employment = await serviceId(EMPLOYMENT);
		const grantId = await grantThroughApi(son, mother, [employment]);
		// her own ticket of another item: refused to him by its address
		const own = await takeVideoTicket(mother);
		const problems: Record<string, string[]> = {};
		for (const lang of ['zh-CN', 'en'] as const)
			for (const viewport of [PHONE, DESKTOP])
				for (const care of [false, true]) {
					const tag = `${lang}-${viewport.width}-${care ? 'care' : 'normal'}`;
					const check = async (page: Page, name: string) => {
						await page.waitForLoadState('networkidle');
						const found = [
							...(await sizeProblems(page, care)),
							...(await axeProblems(page, { enhanced: care }))
						];
						if (!(await fitsWidth(page))) found.push('wider than the screen');
						if (found.length) problems[`${name} ${tag}`] = found;
						await screenshot(page, `proxy-${name}-${tag}`);
					};
					// the grantor's side and the proxy's, not acting
					const mine = await browserOf(mother.token, { viewport, lang, care });
					await mine.page.goto('/my/proxy');
					await check(mine.page, 'grantor');
					await mine.context.close();

					// a session of his own for this browser, acting for her
					const login = await api('POST', '/api/auth/login', {
						body: { login: son.phone, password: son.password }
					});
					const { context, page } = await browserOf(login.body.token, { viewport, lang, care });
					await page.goto('/my/proxy');
					await page
						.getByRole('radio', { name: lang === 'en' ? 'Chosen services' : '选定的事项' })
						.check();
					await check(page, 'proxy');
					const acting = await api('POST', '/api/proxy/acting', {
						token: login.body.token,
						body: { grantId }
					});
					expect(acting.status, JSON.stringify(acting.body)).toBe(200);
					await page.goto('/services');
					const banner = page.locator('aside.acting');
					expect(await banner.textContent()).toContain(
						lang === 'en' ? 'Acting for 赵桂芳' : '正在代 赵桂芳 办理'
					);
					await check(page, 'acting-services');
					// a record the grant does not cover: the message with the way back
					await page.goto(`/queue/${own.id}`);
					await page.locator('[data-acting-error]').first().waitFor();
					await check(page, 'acting-refused');
					await context.close();
				}
		expect(problems).toEqual({});
	});
});

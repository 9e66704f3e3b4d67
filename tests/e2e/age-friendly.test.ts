// 适老化 (age-friendly) mode and the size of things (issue 18): every citizen page, in normal and
// in 适老化 mode, on a phone: axe-core finds nothing (7:1 contrast in 适老化 mode), no control is
// smaller than a finger (44 px; 48 px and 60 px for main actions) and no text is smaller than
// 16 px (20 px). The switch is remembered for the device and the account.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, loginThroughForm, screenshot } from './chromium.ts';
import { api, demoStaffToken, newCitizen } from './hall.ts';
import {
	LICENSE,
	callTicket,
	newStaff,
	openDesk,
	openSession,
	signedIn,
	takeVideoTicket
} from './scenes.ts';
import { axeProblems, sizeProblems } from './page-checks.ts';

const ctx = inject('e2e');
let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

/** A stable file name for a page's screenshot: an id becomes "item" ("/queue/abc" → "queue-item"). */
function shotName(path: string): string {
	const [pathname, query] = path.split('?');
	const parts = pathname.split('/').filter(Boolean);
	const named = parts.map((p) => (/^[a-z2-7]{24}$/.test(p) ? 'item' : p));
	return [named.join('-') || 'home', query ? 'search-empty' : ''].filter(Boolean).join('-');
}

/** A phone in the hand of an elderly citizen: 390×844, touch, in the given mode. */
async function phone(care: boolean, token?: string): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: ctx.baseUrl,
		viewport: { width: 390, height: 844 },
		locale: 'zh-CN',
		deviceScaleFactor: 1,
		hasTouch: true,
		isMobile: true,
		permissions: ['camera', 'microphone']
	});
	const cookies = [{ name: 'care', value: care ? 'on' : 'off', url: ctx.baseUrl }];
	if (token) cookies.push({ name: 'hall_session', value: token, url: ctx.baseUrl });
	await context.addCookies(cookies);
	return context;
}

describe.skipIf(ctx.skip)('适老化 mode and the size of things', () => {
	it('every citizen page passes axe, tap-target and text-size checks in normal and 适老化 mode', async () => {
		const citizen = await newCitizen('钱淑珍');
		const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
		const license = items.find((i) => i.code === LICENSE)!;
		// 一件事一次办: the demo's life event, and an application of it begun by the citizen
		const lifeEvent = items.find((i) => i.code === '370281-YJS-001')!;
		const application = await api('POST', '/api/cases', {
			token: citizen.token,
			body: { serviceId: lifeEvent.id }
		});
		expect(application.status).toBe(201);
		const ticket = await takeVideoTicket(citizen);
		const pages: { path: string; signedIn: boolean }[] = [
			{ path: '/', signedIn: false },
			{ path: '/services', signedIn: false },
			{ path: '/services?q=不存在的事项', signedIn: false },
			{ path: `/services/${license.id}`, signedIn: false },
			{ path: '/services?bundle=KBCY', signedIn: false },
			{ path: `/services/${lifeEvent.id}`, signedIn: false },
			{ path: '/login', signedIn: false },
			{ path: '/register', signedIn: false },
			{ path: '/forgot-password', signedIn: false },
			{ path: '/assistant', signedIn: false },
			{ path: '/assistant', signedIn: true },
			{ path: '/my', signedIn: true },
			{ path: '/my/appointments', signedIn: true },
			{ path: '/my/ratings', signedIn: true },
			{ path: `/services/${license.id}/book`, signedIn: true },
			{ path: `/queue/${ticket.id}`, signedIn: true },
			{ path: `/cases/${application.body.case.id}`, signedIn: true },
			{ path: '/my/proxy', signedIn: true },
			{ path: '/my/home-visits', signedIn: true },
			{ path: '/device-check', signedIn: true }
		];
		const problems: Record<string, string[]> = {};
		for (const care of [false, true]) {
			for (const signedIn of [false, true]) {
				const context = await phone(care, signedIn ? citizen.token : undefined);
				const page = await context.newPage();
				for (const p of pages.filter((p) => p.signedIn === signedIn)) {
					await page.goto(p.path);
					await page.waitForLoadState('networkidle');
					const found = [
						...(await sizeProblems(page, care)),
						...(await axeProblems(page, { enhanced: care }))
					];
					if (found.length) problems[`${care ? 'care' : 'normal'} ${p.path}`] = found;
					if (care) await screenshot(page, `care-${shotName(p.path)}-390`);
				}
				await context.close();
			}
		}
		expect(problems).toEqual({});
	});

	it('the 长辈模式 switch is remembered on the device and, switched while signed in, for the account', async () => {
		const citizen = await newCitizen('孔凤兰');
		const care = (page: Page) => page.getAttribute('html', 'data-care');
		const device = await phone(false);
		const page = await device.newPage();
		await page.goto('/');
		expect(await care(page)).toBe('off');
		await page.getByRole('button', { name: '长辈模式' }).click();
		await page.waitForFunction(() => document.documentElement.dataset.care === 'on');
		expect(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed')).toBe(
			'true'
		);
		const base = await page.evaluate(() =>
			parseFloat(getComputedStyle(document.documentElement).fontSize)
		);
		expect(base).toBeGreaterThanOrEqual(20);
		await page.goto('/services');
		expect(await care(page), 'the device remembers').toBe('on');

		await loginThroughForm(page, citizen.phone, citizen.password);
		await page.waitForURL((url) => url.pathname === '/my');
		expect(await care(page)).toBe('on');
		// switched off and on again while signed in: now the account has it too
		await page.getByRole('button', { name: '长辈模式' }).click();
		await page.waitForFunction(() => document.documentElement.dataset.care === 'off');
		await page.getByRole('button', { name: '长辈模式' }).click();
		await page.waitForFunction(() => document.documentElement.dataset.care === 'on');
		expect((await api('GET', '/api/me', { token: citizen.token })).body.preferences).toEqual({
			careMode: true
		});

		// another phone, never switched: signing in brings the mode along, and it stays there
		const other = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 390, height: 844 },
			locale: 'zh-CN'
		});
		const second = await other.newPage();
		await second.goto('/');
		expect(await care(second)).toBe('off');
		await loginThroughForm(second, citizen.phone, citizen.password);
		await second.waitForURL((url) => url.pathname === '/my');
		expect(await care(second)).toBe('on');
		expect((await other.cookies()).find((c) => c.name === 'care')?.value).toBe('on');
		await device.close();
		await other.close();
	});

	it('reads the key moments aloud in 适老化 mode: the ticket called, the wait, the agent ready, the field pointed at', async () => {
		const agent = await newStaff('agent', '370281', '吕红');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('葛秀英');
		const ticket = await takeVideoTicket(citizen);
		const context = await phone(true, citizen.token);
		// the browser's speech, recorded instead of spoken
		await context.addInitScript(() => {
			const spoken: { text: string; lang: string }[] = [];
			Object.defineProperty(window, '__spoken', { value: spoken });
			speechSynthesis.speak = (u: SpeechSynthesisUtterance) =>
				void spoken.push({ text: u.text, lang: u.lang });
			speechSynthesis.cancel = () => {};
		});
		const page = await context.newPage();
		const spoken = () =>
			page.evaluate(
				() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken
			);
		const heard = (part: string) =>
			expect
				.poll(async () => (await spoken()).map((s) => s.text).join(' | '), { timeout: 20_000 })
				.toContain(part);

		await page.goto(`/queue/${ticket.id}`);
		await page.waitForLoadState('networkidle');
		expect(await spoken(), 'nothing is said before anything happens').toEqual([]);
		await callTicket(agent.token, deskId, ticket.id);
		await heard('轮到您了');
		expect((await spoken()).at(-1)).toMatchObject({ lang: 'zh-CN' });
		expect((await spoken()).at(-1)!.text).toContain(ticket.code);
		expect((await spoken()).at(-1)!.text).toContain('请保持页面打开');

		const sessionId = await openSession(agent.token, ticket.id);
		await page.goto(`/video/${sessionId}`);
		await page.getByLabel('我已阅读并同意').check();
		await page.getByRole('button', { name: '进入视频' }).click();
		await heard('工作人员马上接入');
		const admitted = await api('POST', `/api/video-sessions/${sessionId}/admit`, {
			token: agent.token
		});
		expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
		await heard('工作人员已接入');

		const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
		const kase = await api('POST', '/api/cases', {
			token: agent.token,
			body: { serviceId: items.find((i) => i.code === LICENSE)!.id, sessionId }
		});
		expect(kase.status, JSON.stringify(kase.body)).toBe(201);
		await page.goto(`/cases/${kase.body.case.id}`);
		await page.waitForLoadState('networkidle');
		const pointed = await api('POST', `/api/cases/${kase.body.case.id}/point`, {
			token: agent.token,
			body: { key: 'name', note: '和身份证上的一样' }
		});
		expect(pointed.status, JSON.stringify(pointed.body)).toBe(204);
		await heard('工作人员请您看这一项');
		expect((await spoken()).at(-1)!.text).toContain('和身份证上的一样');
		await context.close();
	});

	it('says nothing aloud in normal mode', async () => {
		const agent = await newStaff('agent', '370281', '柏林');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('滕淑华');
		const ticket = await takeVideoTicket(citizen);
		const context = await phone(false, citizen.token);
		await context.addInitScript(() => {
			const spoken: string[] = [];
			Object.defineProperty(window, '__spoken', { value: spoken });
			speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void spoken.push(u.text);
		});
		const page = await context.newPage();
		await page.goto(`/queue/${ticket.id}`);
		await page.waitForLoadState('networkidle');
		await callTicket(agent.token, deskId, ticket.id);
		await page.getByText('轮到您了').waitFor();
		expect(
			await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken)
		).toEqual([]);
		await context.close();
	});

	it('every staff page passes axe in normal and 适老化 mode (7:1 contrast there)', async () => {
		const agent = await newStaff('agent', '370281', '邵华');
		const township = await newStaff('township', '370281001', '汤明');
		const pages: [string, string[]][] = [
			[agent.token, ['/desk', '/staff/appointments', '/staff/cases', '/staff/my-day', '/kiosk']],
			[township.token, ['/township']],
			[
				await demoStaffToken('supervisor'),
				['/supervisor', '/supervisor/followups', '/supervisor/learn']
			],
			[
				await demoStaffToken('admin'),
				[
					'/admin',
					'/admin/catalog',
					'/admin/schedules',
					'/admin/org-units',
					'/admin/forms',
					'/admin/kb',
					'/admin/kb/learn',
					'/admin/life-events',
					'/admin/audit'
				]
			]
		];
		const problems: Record<string, string[]> = {};
		for (const care of [false, true])
			for (const [token, paths] of pages) {
				const { context, page } = await signedIn(
					browser,
					token,
					{ width: 1366, height: 768 },
					false,
					care
				);
				for (const path of paths) {
					await page.goto(path);
					await page.waitForLoadState('networkidle');
					const found = await axeProblems(page, { enhanced: care });
					if (found.length) problems[`${care ? 'care' : 'normal'} ${path}`] = found;
				}
				await context.close();
			}
		expect(problems).toEqual({});
	});
});

// The video desk as its users live it (issue 14): the citizen's call on a phone is the whole
// screen with every control visible, the agent serves from one workspace at 1366×768, and
// axe-core finds nothing on the call page, also in 适老化 mode (issue 18). Real LiveKit, real
// Chromium with fake devices.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './chromium.ts';
import { axeProblems, sizeProblems } from './page-checks.ts';
import { api, newCitizen } from './hall.ts';
import {
	callTicket,
	newStaff,
	openDesk,
	openSession,
	signedIn,
	takeVideoTicket
} from './scenes.ts';

const ctx = inject('e2e');

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

async function join(page: Page) {
	await page.getByLabel('我已阅读并同意').check();
	await page.getByRole('button', { name: '进入视频' }).click();
}

/** Remote pictures really playing in the page: how many. */
const playing = (page: Page, count = 1) =>
	page.waitForFunction(
		(n) =>
			[...document.querySelectorAll<HTMLVideoElement>('video[data-remote-video]')].filter(
				(v) => v.videoWidth > 0 && !v.paused
			).length >= n,
		count,
		{ timeout: 30_000 }
	);

interface Layout {
	viewport: { w: number; h: number };
	scrolled: number;
	controls: {
		name: string;
		top: number;
		bottom: number;
		left: number;
		right: number;
		w: number;
		h: number;
	}[];
	remoteShare: number;
}

/** Where the call's controls are, and how much of the screen the remote pictures cover. */
function layoutOf(page: Page): Promise<Layout> {
	return page.evaluate(() => {
		const w = window.innerWidth;
		const h = window.innerHeight;
		const controls = [
			...document.querySelectorAll<HTMLElement>('[data-call-screen] [role="toolbar"] button')
		].map((b) => {
			const r = b.getBoundingClientRect();
			return {
				name: b.textContent!.trim(),
				top: r.top,
				bottom: r.bottom,
				left: r.left,
				right: r.right,
				w: r.width,
				h: r.height
			};
		});
		let area = 0;
		for (const v of document.querySelectorAll<HTMLElement>('video[data-remote-video]')) {
			const r = v.getBoundingClientRect();
			const cw = Math.max(0, Math.min(r.right, w) - Math.max(r.left, 0));
			const ch = Math.max(0, Math.min(r.bottom, h) - Math.max(r.top, 0));
			area += cw * ch;
		}
		return { viewport: { w, h }, scrolled: window.scrollY, controls, remoteShare: area / (w * h) };
	});
}

function expectCallFits(l: Layout, label: string) {
	expect(l.controls.length, `${label}: controls`).toBeGreaterThanOrEqual(4);
	for (const c of l.controls) {
		expect(c.top, `${label} ${c.name} top`).toBeGreaterThanOrEqual(0);
		expect(c.left, `${label} ${c.name} left`).toBeGreaterThanOrEqual(0);
		expect(c.bottom, `${label} ${c.name} bottom`).toBeLessThanOrEqual(l.viewport.h);
		expect(c.right, `${label} ${c.name} right`).toBeLessThanOrEqual(l.viewport.w);
		expect(Math.min(c.w, c.h), `${label} ${c.name} tap target`).toBeGreaterThanOrEqual(44);
	}
	expect(l.scrolled, `${label}: scrolled`).toBe(0);
	expect(l.remoteShare, `${label}: remote video share of the screen`).toBeGreaterThanOrEqual(0.4);
}

async function expectVideoAdvances(page: Page) {
	const at = () =>
		page.evaluate(() => {
			const v = document.querySelector<HTMLVideoElement>('video[data-remote-video]')!;
			return { time: v.currentTime, paused: v.paused };
		});
	const before = await at();
	await page.waitForTimeout(1500);
	const after = await at();
	expect(after.paused).toBe(false);
	expect(after.time).toBeGreaterThan(before.time);
}

/** The agent starts the session's application form; the citizen opens the form panel. */
async function startFormAndOpenIt(agentToken: string, sessionId: string, citizen: Page) {
	const session = await api('GET', `/api/video-sessions/${sessionId}`, { token: agentToken });
	const started = await api('POST', '/api/cases', {
		token: agentToken,
		body: { serviceId: session.body.session.serviceId, sessionId }
	});
	expect(started.status).toBe(201);
	await citizen.locator('[data-panel-button="form"]').waitFor();
	await citizen.locator('[data-panel-button="form"]').click();
	await citizen.locator('[data-case]').waitFor({ timeout: 15_000 });
}

async function expectNoAxeViolations(page: Page, label: string, enhanced = false) {
	expect(await axeProblems(page, { enhanced }), label).toEqual([]);
}

describe.skipIf(ctx.skip)('the video desk as its users live it', () => {
	it('on a phone the call is the screen: two and three people, every control visible, the form opens while the video plays; axe finds nothing', async () => {
		const agent = await newStaff('agent', '370281', '周敏');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('孙桂英');
		const ticket = await takeVideoTicket(citizen);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);

		const a = await signedIn(browser, agent.token, { width: 1366, height: 768 });
		const c = await signedIn(browser, citizen.token, { width: 390, height: 844 }, true);
		await a.page.goto(`/video/${sessionId}`);
		await join(a.page);
		await c.page.goto(`/video/${sessionId}`);
		await join(c.page);
		await c.page.getByText('工作人员马上接入').waitFor();
		await a.page.getByRole('button', { name: '接入 孙桂英' }).click();
		await playing(c.page);
		await playing(a.page);

		expectCallFits(await layoutOf(c.page), '390×844, two people');
		expect(await c.page.locator('header.site').isVisible()).toBe(false);
		await screenshot(c.page, 'call-citizen-390x844');
		await c.page.setViewportSize({ width: 360, height: 640 });
		expectCallFits(await layoutOf(c.page), '360×640, two people');
		await screenshot(c.page, 'call-citizen-360x640');
		await c.page.setViewportSize({ width: 844, height: 390 });
		expectCallFits(await layoutOf(c.page), '844×390 landscape, two people');
		await screenshot(c.page, 'call-citizen-844x390');
		await c.page.setViewportSize({ width: 390, height: 844 });

		// the agent starts the form; the citizen opens it over the lower part of the screen
		await startFormAndOpenIt(agent.token, sessionId, c.page);
		expectCallFits({ ...(await layoutOf(c.page)), remoteShare: 1 }, 'form open');
		await expectVideoAdvances(c.page);
		await screenshot(c.page, 'call-citizen-form-390x844');
		await expectNoAxeViolations(c.page, 'citizen, form open');
		await c.page.locator('[data-panel-button="chat"]').click();
		await c.page.getByLabel('输入消息').fill('您好');
		await c.page.getByRole('button', { name: '发送' }).click();
		await a.page.getByText('您好').first().waitFor({ timeout: 10_000 });
		await expectNoAxeViolations(c.page, 'citizen, chat open');
		await expectNoAxeViolations(a.page, 'agent workspace, form and chat shown');

		// a township colleague joins from a small phone: three people
		const township = await newStaff('township', '370281001', '吴刚');
		const invited = await api('POST', `/api/video-sessions/${sessionId}/invite`, {
			token: agent.token,
			body: { userId: township.id }
		});
		expect(invited.status, JSON.stringify(invited.body)).toBe(200);
		const tw = await signedIn(browser, township.token, { width: 360, height: 640 }, true);
		await tw.page.goto(`/video/${sessionId}`);
		await join(tw.page);
		await playing(tw.page, 2);
		await c.page.locator('[data-panel-button="chat"]').click(); // close the panel
		await playing(c.page, 2);
		expectCallFits(await layoutOf(c.page), '390×844, three people');
		await screenshot(c.page, 'call-citizen-3-390x844');
		await c.page.setViewportSize({ width: 360, height: 640 });
		expectCallFits(await layoutOf(c.page), '360×640, three people');
		await screenshot(c.page, 'call-citizen-3-360x640');
		expectCallFits(await layoutOf(tw.page), '360×640, three people (township)');
		await screenshot(tw.page, 'call-township-3-360x640');
		for (const x of [a, c, tw]) await x.context.close();
	});

	it('in 适老化 mode the call still fits a phone, every target is a finger large, the text 20 px, and axe (7:1) finds nothing with the panels open', async () => {
		const agent = await newStaff('agent', '370281', '程丽');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('卢秀珍');
		const ticket = await takeVideoTicket(citizen);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);
		const a = await signedIn(browser, agent.token, { width: 1366, height: 768 }, false, true);
		const c = await signedIn(browser, citizen.token, { width: 390, height: 844 }, true, true);
		await a.page.goto(`/video/${sessionId}`);
		await join(a.page);
		await c.page.goto(`/video/${sessionId}`);
		expect(await sizeProblems(c.page, true), 'consent screen').toEqual([]);
		await expectNoAxeViolations(c.page, 'citizen, consent', true);
		await join(c.page);
		await c.page.getByText('工作人员马上接入').waitFor();
		expect(await sizeProblems(c.page, true), 'waiting').toEqual([]);
		await a.page.getByRole('button', { name: '接入 卢秀珍' }).click();
		await playing(c.page);
		expectCallFits(await layoutOf(c.page), '适老化 390×844');
		expect(await sizeProblems(c.page, true), 'in the call').toEqual([]);
		await screenshot(c.page, 'care-call-citizen-390x844');
		await c.page.setViewportSize({ width: 360, height: 640 });
		expectCallFits(await layoutOf(c.page), '适老化 360×640');
		await c.page.setViewportSize({ width: 390, height: 844 });

		await startFormAndOpenIt(agent.token, sessionId, c.page);
		expectCallFits({ ...(await layoutOf(c.page)), remoteShare: 1 }, '适老化, form open');
		expect(await sizeProblems(c.page, true), 'form open').toEqual([]);
		await expectNoAxeViolations(c.page, 'citizen, 适老化, form open', true);
		await screenshot(c.page, 'care-call-citizen-form-390x844');
		await c.page.locator('[data-panel-button="chat"]').click();
		expect(await sizeProblems(c.page, true), 'chat open').toEqual([]);
		await expectNoAxeViolations(c.page, 'citizen, 适老化, chat open', true);
		await expectNoAxeViolations(a.page, 'agent workspace, 适老化', true);
		for (const x of [a, c]) await x.context.close();
	});

	it('the agent serves from one workspace at 1366×768: a large picture of the citizen, the ticket, and 办结并叫下一位 opens the next citizen’s session', async () => {
		const agent = await newStaff('agent', '370281', '钱立');
		const deskId = await openDesk(agent.token);
		const first = await newCitizen('郑玉兰');
		const ticket = await takeVideoTicket(first);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);
		const second = await newCitizen('冯建国');
		const next = await takeVideoTicket(second);

		const a = await signedIn(browser, agent.token, { width: 1366, height: 768 });
		const c = await signedIn(browser, first.token, { width: 390, height: 844 }, true);
		await a.page.goto(`/video/${sessionId}`);
		await join(a.page);
		await c.page.goto(`/video/${sessionId}`);
		await join(c.page);
		await a.page.getByRole('button', { name: '接入 郑玉兰' }).click();
		await playing(a.page);
		await a.page.locator('[data-workspace]').waitFor();
		const width = await a.page
			.locator('video[data-remote-video]')
			.first()
			.evaluate((v) => v.getBoundingClientRect().width);
		expect(width).toBeGreaterThanOrEqual(480);
		// the ticket is being served since the citizen came in
		await a.page.locator('[data-ticket-status="serving"]').waitFor({ timeout: 10_000 });
		expect(await a.page.locator('[data-ticket-code]').textContent()).toBe(ticket.code);
		await screenshot(a.page, 'workspace-1366x768');

		// 办结并叫下一位: finished, the next citizen called, their session opened, same workspace
		await a.page.getByRole('button', { name: '办结并叫下一位' }).click();
		await a.page.waitForURL(
			(url) => url.pathname.startsWith('/video/') && !url.pathname.endsWith(sessionId)
		);
		await a.page.locator('[data-workspace]').waitFor();
		expect(await a.page.locator('[data-ticket-code]').textContent()).toBe(next.code);
		await c.page.getByText('会话已结束').waitFor({ timeout: 15_000 });
		const done = (await api('GET', `/api/queue/tickets/${ticket.id}`, { token: first.token })).body
			.ticket;
		expect(done.status).toBe('done');
		for (const x of [a, c]) await x.context.close();
	});

	it('until the workspace has downloaded, the agent’s wide screen shows the plain layout, not an empty one', async () => {
		const agent = await newStaff('agent', '370281', '褚明');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('魏秀珍');
		const ticket = await takeVideoTicket(citizen);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);

		const a = await signedIn(browser, agent.token, { width: 1366, height: 768 });
		// the workspace's code is held back until the test lets it through
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let held = 0;
		await a.page.route('**/_app/immutable/**/*.js', async (route) => {
			const response = await route.fetch();
			const body = await response.text();
			if (body.includes('data-workspace')) {
				held++;
				await released;
			}
			await route.fulfill({ response, body });
		});
		await a.page.goto(`/video/${sessionId}`);
		await a.page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
		await a.page.getByRole('button', { name: '进入视频' }).waitFor();
		await a.page.getByRole('heading', { name: /视频办理 · / }).waitFor();
		await expect.poll(() => held).toBe(1);
		expect(await a.page.locator('[data-workspace]').count()).toBe(0);
		release();
		await a.page.locator('[data-workspace]').waitFor();
		await a.page.getByRole('button', { name: '进入视频' }).waitFor();
		await a.context.close();
	});
});

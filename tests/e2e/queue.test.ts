// A citizen takes a number at home; an agent calls it from the desk page; the citizen's page
// shows it is their turn without reloading, naming the agent and never a window (video); the
// queue board shows onsite calls only and drops a finished one. A citizen picks the township
// hall on the item page and the township's desk calls them.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import {
	api,
	chooseCategories,
	closeDesksOf,
	closeDesksWhenDone,
	demoStaffToken,
	newCitizen
} from './hall.ts';

const skip = inject('e2e').skip;

describe.skipIf(skip)('queue in the browser (云上排队叫号)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a citizen queues from home, an agent calls, the citizen is alerted live and the board shows it', async () => {
		// a citizen of this test alone: no other ticket of theirs, nobody else's state
		const me = await newCitizen('排队群众');
		const citizenCtx = await phoneContext(browser);
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
		await citizen.waitForURL((url) => url.pathname === '/my');
		await citizen.goto('/services?q=' + encodeURIComponent('灵活就业'));
		await citizen.getByRole('link', { name: '灵活就业人员参保登记' }).click();
		await citizen.waitForURL(/\/services\/[a-z2-7]+$/);
		const serviceId = new URL(citizen.url()).pathname.split('/').pop()!;
		await citizen.getByLabel('绿色通道（可选）').selectOption('elderly');
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\/[a-z2-7]+$/);
		const code = (await citizen.locator('.code').textContent())!.trim();
		expect(code).toMatch(/^B\d{3}$/);
		expect(await citizen.getByText('下一位就是您').isVisible()).toBe(true);
		expect(await fitsWidth(citizen)).toBe(true);
		await screenshot(citizen, 'ticket-waiting-360');

		const boardCtx = await browser.newContext({
			baseURL: inject('e2e').baseUrl,
			viewport: { width: 1280, height: 720 },
			locale: 'zh-CN'
		});
		const board = await boardCtx.newPage();
		await board.goto('/board/370281');
		expect(await board.getByRole('heading', { name: '胶州市 叫号屏' }).isVisible()).toBe(true);

		const agentCtx = await phoneContext(browser, { width: 1024 });
		const agent = await agentCtx.newPage();
		await loginThroughForm(agent, 'agent', DEMO_PASSWORD);
		await agent.waitForURL((url) => url.pathname === '/desk');
		await closeDesksWhenDone(agentCtx);
		await chooseCategories(agent, '1号窗口', ['A', 'B']); // as the demo hall opens it
		await agent.getByRole('button', { name: '开窗 1号窗口' }).click();
		await agent.getByRole('heading', { name: '我的窗口：1号窗口' }).waitFor();
		await agent.getByRole('button', { name: '叫下一位' }).click();
		await agent.locator('[data-current-code]').waitFor();
		expect((await agent.locator('[data-current-code]').textContent())!.trim()).toBe(code);
		expect(await agent.getByText('绿色通道：老年人').isVisible()).toBe(true);
		await screenshot(agent, 'desk-called');

		// no reload: the SSE event updates the citizen's page; a video ticket names the agent
		await citizen.getByText('轮到您了！').waitFor({ timeout: 10_000 });
		const alert = (await citizen.getByRole('alert').textContent())!;
		expect(alert).toContain('视频办理');
		expect(alert).toContain('李静');
		expect(await citizen.locator('main').textContent()).not.toContain('窗口');
		await screenshot(citizen, 'ticket-called-360');

		// the board never shows the video call
		await board.reload();
		expect(await board.locator(`[data-now-code="${code}"]`).count()).toBe(0);

		// an onsite citizen waits at the hall: called, the board shows them; finished, it drops them
		const walkIn = await newCitizen('现场群众');
		const taken = await api('POST', '/api/queue/tickets', {
			token: walkIn.token,
			body: { serviceId, channel: 'onsite' }
		});
		expect(taken.status).toBe(201);
		const onsiteCode = taken.body.ticket.code as string;
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await citizen.getByText('已办结').waitFor({ timeout: 10_000 });
		// all e2e files share one hall: a number another file left waiting is called (and finished)
		// first, as the desk would
		for (let i = 0; i < 10; i++) {
			const before = await agent.locator('[data-current-code]').count();
			await agent.getByRole('button', { name: '叫下一位' }).click();
			const current = agent.locator('[data-current-code]');
			if (before === 0) await current.waitFor();
			await expect.poll(() => current.textContent()).not.toBe('');
			if ((await current.textContent())!.trim() === onsiteCode) break;
			await agent.getByRole('button', { name: '办结', exact: true }).click();
			await current.waitFor({ state: 'detached' });
		}
		await agent.locator('[data-current-code]', { hasText: onsiteCode }).waitFor();
		await board.locator(`[data-now-code="${onsiteCode}"]`).waitFor({ timeout: 10_000 });
		expect(await board.locator('.now-call').textContent()).toContain('1号窗口');
		await screenshot(board, 'board');
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await board
			.locator(`[data-now-code="${onsiteCode}"]`)
			.waitFor({ state: 'detached', timeout: 10_000 });
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([citizenCtx.close(), boardCtx.close(), agentCtx.close()]);
	});

	it('a citizen picks the township hall on the item page and the township desk calls them', async () => {
		const me = await newCitizen('街道群众');
		const township = await demoStaffToken('township');
		onTestFinished(() => closeDesksOf(township));
		// at 1366 px only a look; then at 360 px the citizen takes the number (which makes the
		// township their default from then on)
		for (const [width, name] of [
			[1366, 'service-halls-1366'],
			[360, 'service-halls-360']
		] as const) {
			const ctx = await phoneContext(browser, { width });
			const page = await ctx.newPage();
			await loginThroughForm(page, me.phone, me.password);
			await page.waitForURL((url) => url.pathname === '/my');
			await page.goto('/services?q=' + encodeURIComponent('个体工商户'));
			await page.getByRole('link', { name: '个体工商户设立登记' }).click();
			await page.waitForURL(/\/services\/[a-z2-7]+$/);
			const group = page.getByRole('group', { name: '在哪里办理' });
			expect(await group.getByRole('radio', { name: /胶州市/ }).isChecked()).toBe(true);
			expect(await fitsWidth(page)).toBe(true);
			await screenshot(page, name);
			if (width === 1366) {
				await ctx.close();
				continue;
			}
			await group.getByRole('radio', { name: /阜安街道/ }).check();
			await page.getByRole('button', { name: '取号（现场办理）' }).click();
			await page.waitForURL(/\/queue\/[a-z2-7]+$/);
			expect(await page.locator('.facts').textContent()).toContain('阜安街道');
			const code = (await page.locator('.code').textContent())!.trim();
			const desk = (
				(await api('GET', '/api/desks', { token: township })).body.desks as {
					id: string;
					name: string;
				}[]
			).find((d) => d.name === '阜安街道便民服务窗口')!;
			expect(
				(
					await api('POST', `/api/desks/${desk.id}/open`, {
						token: township,
						body: { categories: ['A'] }
					})
				).status
			).toBe(200);
			const called = await api('POST', `/api/desks/${desk.id}/call-next`, { token: township });
			expect(called.body.ticket.code).toBe(code);
			// the call may land before the page's event stream is connected: then the page's own
			// 20-second refetch shows it
			await page.getByText('请到 阜安街道便民服务窗口 办理').waitFor({ timeout: 25_000 });
			await screenshot(page, 'ticket-township-called-360');
			await ctx.close();
		}
	});
});

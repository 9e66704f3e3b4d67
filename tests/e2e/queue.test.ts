// A citizen takes a number at home; an agent calls it from the desk page; the citizen's page
// shows it is their turn without reloading; the queue board shows the call.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import { chooseCategories, closeDesksWhenDone, newCitizen } from './hall.ts';

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
			viewport: { width: 1280, height: 720 }
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

		// no reload: the SSE event updates the citizen's page
		await citizen.getByText('轮到您了！').waitFor({ timeout: 10_000 });
		expect(await citizen.getByRole('alert').textContent()).toContain('请到 1号窗口 办理');
		await screenshot(citizen, 'ticket-called-360');

		await board.locator(`[data-now-code="${code}"]`).waitFor({ timeout: 10_000 });
		expect(await board.locator('.now-call').textContent()).toContain('1号窗口');
		await screenshot(board, 'board');

		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await citizen.getByText('已办结').waitFor({ timeout: 10_000 });
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([citizenCtx.close(), boardCtx.close(), agentCtx.close()]);
	});
});

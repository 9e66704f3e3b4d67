// Ratings and the dashboard in the browser: after a video session ends the citizen rates it
// 非常不满意; the bad rating is a follow-up on the supervisor's page, handled there, and the
// citizen sees the outcome; the dashboard draws its charts with data and exports CSV.
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

describe.skipIf(skip)('ratings, follow-up and dashboard (好差评 · 数据看板)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a citizen rates an ended session badly; the supervisor follows up; the dashboard shows it', async () => {
		// a citizen of this test alone
		const me = await newCitizen('王桂兰');
		const citizenCtx = await phoneContext(browser);
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
		await citizen.waitForURL((url) => url.pathname === '/my');
		await citizen.goto('/services?q=' + encodeURIComponent('灵活就业'));
		await citizen.getByRole('link', { name: '灵活就业人员参保登记' }).click();
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\/[a-z2-7]+$/);
		const code = (await citizen.locator('.code').textContent())!.trim();

		const agentCtx = await phoneContext(browser, { width: 1280 });
		const agent = await agentCtx.newPage();
		await loginThroughForm(agent, 'agent', DEMO_PASSWORD);
		await agent.waitForURL((url) => url.pathname === '/desk');
		await closeDesksWhenDone(agentCtx);
		await chooseCategories(agent, '1号窗口', ['A', 'B']); // as the demo hall opens it
		await agent.getByRole('button', { name: '开窗 1号窗口' }).click();
		await agent.getByRole('button', { name: '叫下一位' }).click();
		await agent.locator('[data-current-code]').waitFor();
		expect((await agent.locator('[data-current-code]').textContent())!.trim()).toBe(code);
		await agent.getByRole('button', { name: '发起视频' }).click();
		await agent.waitForURL(/\/video\/[a-z2-7]+$/);
		const sessionId = new URL(agent.url()).pathname.split('/').pop()!;
		// finishing the ticket ends its session
		await agent.goto('/desk');
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		// the agent's own day counts the ticket just finished
		await agent.goto('/staff/my-day');
		await agent.locator('[data-my-day]').waitFor();
		expect(Number(await agent.locator('[data-served]').textContent())).toBeGreaterThanOrEqual(1);
		await screenshot(agent, 'my-day');

		await citizen.goto(`/video/${sessionId}`);
		const form = citizen.locator('[data-rating]');
		await form.waitFor();
		await form.getByLabel('非常不满意').check();
		await form.getByLabel('等候时间长').check();
		await form.getByLabel('意见和建议（可选）').fill('排队太久了，视频里也没人说明原因。');
		await screenshot(citizen, 'rating-form-360');
		expect(await fitsWidth(citizen)).toBe(true);
		await form.getByRole('button', { name: '提交评价' }).click();
		await form.locator('[data-rated]').waitFor();
		expect(await form.textContent()).toContain('15 个工作日');

		const supervisorCtx = await phoneContext(browser, { width: 1280 });
		const supervisor = await supervisorCtx.newPage();
		await loginThroughForm(supervisor, 'supervisor', DEMO_PASSWORD);
		await supervisor.waitForURL((url) => url.pathname === '/supervisor');
		await supervisor.goto('/supervisor/followups');
		const card = supervisor.locator('[data-followup]', { hasText: '排队太久了' });
		await card.waitFor();
		expect(await card.textContent()).toContain('非常不满意');
		expect(await card.textContent()).toContain('等候时间长');
		await card.getByLabel('回访记录').fill('已电话联系王女士，致歉并说明当时排队情况。');
		await card.getByRole('button', { name: '已联系' }).click();
		await card.getByText('已联系，整改中').waitFor();
		await card.getByLabel('整改情况').fill('增加上午视频窗口，超过 15 分钟主动告知等候原因。');
		await screenshot(supervisor, 'followup-contacted');
		await card.getByRole('button', { name: '整改完成，答复群众' }).click();
		await card.getByText('已整改', { exact: true }).waitFor();

		await citizen.goto('/my/ratings');
		const given = citizen.locator('[data-followup-status]', { hasText: '已整改' });
		await given.waitFor();
		expect(await given.textContent()).toContain('增加上午视频窗口');

		// the dashboard: live figures and charts with data, each with its table and CSV
		await supervisor.goto('/supervisor');
		await supervisor.locator('[data-live]').waitFor();
		for (const id of ['volumes', 'waits', 'service', 'noShows', 'ratings', 'assistant'])
			await supervisor.locator(`[data-chart="${id}"] canvas`).waitFor();
		const ratings = supervisor.locator('[data-chart="ratings"]');
		expect(await ratings.locator('[data-rating-summary]').textContent()).toMatch(/共 \d+ 条评价/);
		const volumes = await supervisor.locator('[data-chart="volumes"] tbody tr').count();
		expect(volumes).toBe(14);
		// a drawn chart has coloured pixels, not a blank canvas
		const painted = await supervisor
			.locator('[data-chart="ratings"] canvas')
			.evaluate((canvas: HTMLCanvasElement) => {
				const ctx = canvas.getContext('2d')!;
				const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
				let n = 0;
				for (let i = 0; i < data.length; i += 4) if (data[i] > 150 && data[i + 1] < 100) n++;
				return n;
			});
		expect(painted).toBeGreaterThan(50);
		await screenshot(supervisor, 'dashboard');
		// printable: the controls go, the charts stay
		await supervisor.emulateMedia({ media: 'print' });
		expect(await supervisor.locator('form.range').isVisible()).toBe(false);
		expect(await supervisor.locator('[data-chart="ratings"] canvas').isVisible()).toBe(true);
		await screenshot(supervisor, 'dashboard-print');
		await supervisor.emulateMedia({ media: 'screen' });

		const href = (await supervisor.locator('[data-csv="ratings"]').getAttribute('href'))!;
		const csv = await supervisor.request.get(href);
		expect(csv.status()).toBe(200);
		const text = (await csv.body()).toString('utf8');
		const lines = text.replace(/^\uFEFF/, '').split('\r\n');
		expect(lines[0]).toBe('score,count,share');
		const worst = lines.find((l) => l.startsWith('1,'))!;
		expect(Number(worst.split(',')[1])).toBeGreaterThanOrEqual(1);

		await Promise.all([citizenCtx.close(), agentCtx.close(), supervisorCtx.close()]);
	}, 180_000); // several browsers (and LiveKit): generous for a slow, busy 2-core machine
});

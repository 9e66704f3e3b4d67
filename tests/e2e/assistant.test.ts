// The assistant in the browser: a question on the home page gets an answer card whose 预约
// button leads to booking; a follow-up and a "don't know"; the hand-off takes a video ticket
// whose conversation the agent sees in the desk console.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';

const skip = inject('e2e').skip;

async function askOn(page: Page, question: string) {
	const answers = page.locator('[data-assistant] .turn');
	const before = await answers.count();
	await page.getByLabel('您的问题').fill(question);
	await page.getByRole('button', { name: '提问', exact: true }).click();
	await expect.poll(() => answers.count()).toBe(before + 1);
	return answers.nth(before);
}

describe.skipIf(skip)('the assistant (智能问答 · 转人工)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('answers 怎么办理营业执照 on the home page with a card whose 预约 button leads to booking', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/');
		const turn = await askOn(page, '怎么办理营业执照');
		const card = turn.locator('[data-answer]');
		await card.waitFor();
		expect(await card.getByRole('heading').textContent()).toContain('个体工商户设立登记');
		// the answer is announced: it is inside the polite live log
		expect(await page.locator('[role="log"][aria-live="polite"]').count()).toBe(1);
		const follow = await askOn(page, '需要带什么材料');
		expect(await follow.locator('[data-answer]').textContent()).toMatch(/身份证/);
		const unknown = await askOn(page, '今天天气怎么样');
		await unknown.locator('[data-unknown]').waitFor();
		expect(await page.getByRole('link', { name: '登录后可以转人工视频咨询' }).isVisible()).toBe(
			true
		);
		await screenshot(page, 'assistant-home-360');
		expect(await fitsWidth(page)).toBe(true);

		await card.getByRole('link', { name: '预约', exact: true }).click();
		// booking needs an account: signing in continues to the booking page
		await page.waitForURL(
			(url) => url.pathname === '/login' && /\/book$/.test(url.searchParams.get('next') ?? '')
		);
		await page.getByLabel(/手机号或工作人员账号/).fill('13800000001');
		await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL(/\/services\/[a-z2-7]+\/book/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
			'个体工商户设立登记'
		);
		await context.close();
	});

	it('hands off to a person: a video ticket whose conversation the agent sees when calling it', async () => {
		const citizenContext = await phoneContext(browser);
		const citizen = await citizenContext.newPage();
		await loginThroughForm(citizen, '13800000001', DEMO_PASSWORD);
		await citizen.waitForURL((url) => url.pathname === '/my');
		await citizen.goto('/');
		await askOn(citizen, '个体户执照咋办');
		await askOn(citizen, '要交钱吗');
		await screenshot(citizen, 'assistant-before-handoff-360');
		await citizen.getByRole('button', { name: '转人工', exact: true }).click();
		await citizen.waitForURL(/\/queue\/[a-z2-7]+$/);
		const code = (await citizen.locator('.code').textContent())!.trim();
		expect(code).toMatch(/^A\d{3}$/);

		const agentContext = await phoneContext(browser, { width: 1024 });
		const agent = await agentContext.newPage();
		await loginThroughForm(agent, 'agent', DEMO_PASSWORD);
		await agent.waitForURL((url) => url.pathname === '/desk');
		await agent.getByRole('button', { name: '开窗 1号窗口' }).click();
		await agent.getByRole('heading', { name: '我的窗口：1号窗口' }).waitFor();
		await agent.getByRole('button', { name: '叫下一位' }).click();
		await agent.locator('[data-current-code]').waitFor();
		expect((await agent.locator('[data-current-code]').textContent())!.trim()).toBe(code);
		const conversation = agent.locator('[data-conversation]');
		await conversation.waitFor();
		expect(await conversation.textContent()).toContain('个体户执照咋办');
		expect(await conversation.textContent()).toContain('要交钱吗');
		await screenshot(agent, 'desk-handoff-conversation');

		await agent.getByRole('button', { name: '办结' }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([agentContext.close(), citizenContext.close()]);
	});
});

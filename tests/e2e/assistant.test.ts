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
import { chooseCategories, closeDesksWhenDone, newCitizen } from './hall.ts';

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
		// a citizen of this test alone
		const me = await newCitizen('刘建国');
		const citizenContext = await phoneContext(browser);
		const citizen = await citizenContext.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
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
		await closeDesksWhenDone(agentContext);
		await chooseCategories(agent, '1号窗口', ['A', 'B']); // as the demo hall opens it
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

		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([agentContext.close(), citizenContext.close()]);
	});

	it('an admin imports FAQs (a bad line is reported by number) and adds one the assistant answers at once', async () => {
		const context = await phoneContext(browser, { width: 1024 });
		const page = await context.newPage();
		await loginThroughForm(page, 'admin', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/admin');
		await page.goto('/admin/kb');
		const file = [
			JSON.stringify({ id: 'faq-e2e-1', title: '大厅有没有母婴室？', body: '有，在一楼东侧。' }),
			JSON.stringify({ id: 'faq-e2e-2', title: '没有答案' })
		].join('\n');
		await page.getByLabel('选择文件').setInputFiles({
			name: 'faqs.jsonl',
			mimeType: 'application/jsonl',
			buffer: Buffer.from(file)
		});
		await page.getByRole('button', { name: '导入', exact: true }).click();
		await page.getByRole('alert').filter({ hasText: '未导入任何内容' }).waitFor();
		const cells = page.locator('table').first().locator('tbody tr').first().locator('td');
		expect(await cells.nth(0).textContent()).toBe('2');
		expect(await cells.nth(1).textContent()).toBe('body');
		await screenshot(page, 'admin-kb-import-rejected');

		await page.getByLabel('编号').fill('faq-e2e-wifi');
		await page.getByLabel('问题', { exact: true }).fill('大厅有免费无线网吗？密码是多少？');
		await page
			.getByLabel('答案')
			.fill('大厅提供免费无线网络“政务大厅-访客”，无需密码，连接后按提示验证手机号。');
		await page.getByLabel('标签（可选）').fill('WiFi，上网');
		await page.getByRole('button', { name: '保存' }).click();
		await page.getByRole('status').filter({ hasText: 'faq-e2e-wifi' }).waitFor();

		await page.goto('/');
		const turn = await askOn(page, '大厅里能蹭网吗 wifi密码多少');
		expect(await turn.locator('[data-answer]').textContent()).toContain('政务大厅-访客');
		// leave the knowledge base as it was
		await page.goto('/admin/kb');
		await page.getByRole('button', { name: '删除 faq-e2e-wifi' }).click();
		await expect.poll(() => page.getByText('faq-e2e-wifi').count()).toBe(0);
		await context.close();
	});
});

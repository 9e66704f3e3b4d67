// The assistant's learning loop in the browser (issue 25 item 3): a question it cannot answer
// is told apart from an off-topic one, waits in the admin's queue, is linked there to an entry,
// and is answered the next time it is asked.
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

describe.skipIf(skip)('the assistant learns from what it could not answer', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a gap is said to be one, linked on the admin page, and answered the next time', async () => {
		// words of this run only, so the queue has exactly this group for them
		const mark = Date.now().toString(36).slice(-4);
		const question = `俺那小铺子${mark}的照咋整下来`;
		const citizenCtx = await phoneContext(browser);
		const citizen = await citizenCtx.newPage();
		await citizen.goto('/assistant');
		const gap = await askOn(citizen, question);
		await gap.locator('[data-unknown="gap"]').getByText('我这里还没有准备好答案').waitFor();
		const off = await askOn(citizen, '红烧肉怎么做好吃');
		await off.locator('[data-unknown="off_topic"]').getByText('不属于政务服务大厅').waitFor();

		const adminCtx = await phoneContext(browser, { width: 1366 });
		const admin = await adminCtx.newPage();
		await loginThroughForm(admin, 'admin', DEMO_PASSWORD);
		await admin.waitForURL(/\/admin/);
		await admin.getByRole('link', { name: '智能问答学习' }).click();
		await admin.waitForURL(/\/admin\/kb\/learn/);
		const group = admin.locator(`[data-question="${question}"]`);
		await group.waitFor();
		await screenshot(admin, 'assistant-learning-admin-1366');
		expect(await fitsWidth(admin)).toBe(true);
		await group.getByLabel('关联到其他答案').selectOption({ label: '个体工商户设立登记' });
		await group.getByRole('button', { name: '关联', exact: true }).click();
		await admin.getByText('已关联').waitFor();
		await group.waitFor({ state: 'detached' });

		// asked again in a new conversation: answered with the item
		await expect
			.poll(
				async () => {
					const page = await citizenCtx.newPage();
					await page.goto('/assistant');
					const turn = await askOn(page, question);
					const card = turn.locator('[data-answer]');
					const answered =
						(await card.count()) > 0 ? await card.getByRole('heading').textContent() : null;
					await page.close();
					return answered ?? '';
				},
				{ timeout: 10_000, interval: 500 }
			)
			.toContain('个体工商户设立登记');
		await Promise.all([citizenCtx.close(), adminCtx.close()]);
	}, 120_000);
});

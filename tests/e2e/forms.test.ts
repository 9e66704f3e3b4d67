// 智能表单 · 远程帮办: an agent and a citizen fill one application together in a live video
// session on a real LiveKit server, then the citizen uploads, signs and submits.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, loginThroughForm, phoneContext, screenshot } from './chromium.ts';
import { newCitizen } from './hall.ts';
import { agentCallsIntoForm, drawSignature } from './video-call.ts';

const ctx = inject('e2e');

/** The next Monday-to-Friday after today in the hall (no holiday near the end of 2026). */
function nextWorkingDay(): string {
	const day = new Date(
		`${new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' })}T00:00:00Z`
	);
	do day.setUTCDate(day.getUTCDate() + 1);
	while ([0, 6].includes(day.getUTCDay()));
	return day.toISOString().slice(0, 10);
}

async function type(page: Page, label: string, value: string) {
	const field = page.getByLabel(label, { exact: false }).first();
	await field.fill(value);
	await field.press('Tab');
}

describe.skipIf(ctx.skip)('co-guided form in a live session (智能表单)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('agent points, both type, staff values are confirmed, the citizen uploads, signs and submits; reloads keep it all', async () => {
		// a citizen of this test alone
		const me = await newCitizen('吴桂英');
		const citizenCtx = await phoneContext(browser, { width: 420 });
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
		await citizen.waitForURL((url) => url.pathname === '/my');
		await citizen.goto('/services?q=' + encodeURIComponent('个体工商户'));
		await citizen.getByRole('link', { name: '个体工商户设立登记' }).click();
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\//);

		const { agentCtx, agent } = await agentCallsIntoForm(browser, citizen, me.name);

		// the agent points at a field with a note: it is highlighted on the citizen's screen
		await agent.getByLabel('给群众的留言').fill('写到门牌号');
		await agent.getByRole('button', { name: '指给群众看：经营场所' }).click();
		await citizen
			.locator('[data-field="address"][data-pointed="true"]')
			.waitFor({ timeout: 10_000 });
		await citizen.getByText('工作人员请您看这一项：写到门牌号').waitFor();

		// the citizen types, the agent sees it
		await type(citizen, '姓名', '王秀兰');
		await expect
			.poll(() => agent.locator('#cf-name').inputValue(), { timeout: 10_000 })
			.toBe('王秀兰');

		// the agent fills a field: the citizen sees it marked and confirms it
		await type(agent, '经营范围', '日用百货零售；预包装食品销售');
		await expect
			.poll(() => citizen.locator('#cf-scope').inputValue(), { timeout: 10_000 })
			.toBe('日用百货零售；预包装食品销售');
		await citizen.locator('[data-field="scope"] [data-by-staff]').waitFor();
		await citizen.locator('[data-field="scope"]').getByRole('button', { name: '确认无误' }).click();
		await citizen.locator('[data-field="scope"]').getByText('已确认').waitFor();

		// a mistyped ID number: the server's reason on the field and in the list beside the submit
		// button, never the network message
		await type(citizen, '居民身份证号码', '110105194912310021');
		await citizen
			.locator('[data-refused="idNumber"]')
			.getByText('身份证号校验位不正确')
			.waitFor({ timeout: 10_000 });
		const blockers = citizen.locator('[data-blockers]');
		await blockers.getByRole('link', { name: '居民身份证号码：身份证号校验位不正确' }).waitFor();
		expect(await citizen.getByText('网络恢复后自动保存').count()).toBe(0);
		await screenshot(citizen, 'case-refused-id');
		await type(citizen, '居民身份证号码', '11010519491231002X');
		await citizen.locator('[data-refused="idNumber"]').waitFor({ state: 'detached' });
		await type(citizen, '联系电话', '13800000001');
		await type(citizen, '经营场所', '胶州市阜安街道郑州路 88 号');
		await type(citizen, '资金数额（元）', '50000');
		await citizen.getByLabel('个人经营').check();
		await expect
			.poll(() => agent.locator('#cf-capital').inputValue(), { timeout: 10_000 })
			.toBe('50000');

		const jpeg = Buffer.alloc(4096);
		jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
		await citizen
			.getByLabel('经营者身份证明 *')
			.setInputFiles({ name: 'id-card.jpg', mimeType: 'image/jpeg', buffer: jpeg });
		await citizen.getByText('已上传：id-card.jpg').waitFor({ timeout: 10_000 });
		// each material still missing is a link in the list to its upload control
		await blockers.getByRole('link', { name: '上传材料：经营场所使用证明' }).click();
		expect(await citizen.evaluate(() => decodeURIComponent(location.hash))).toBe(
			'#doc-经营场所使用证明'
		);
		await citizen
			.getByLabel('个体工商户登记（备案）申请书 *')
			.setInputFiles({ name: 'application.jpg', mimeType: 'image/jpeg', buffer: jpeg });
		await citizen.getByText('已上传：application.jpg').waitFor({ timeout: 10_000 });
		// 容缺受理: the lease is owed on the citizen's written promise, recorded by the agent
		await agent.getByRole('button', { name: '容缺受理：经营场所使用证明' }).click();
		await agent.getByLabel('群众的书面承诺').fill('本人承诺在约定日期前补交租赁合同');
		await agent.getByLabel('承诺补交日期（工作日）').fill(nextWorkingDay());
		await agent
			.locator('[data-material="经营场所使用证明"]')
			.screenshot({ path: 'test-results/screens/case-agent-owe-form.png' });
		await agent.getByRole('button', { name: '记录容缺受理' }).click();
		await agent.locator('[data-owed="经营场所使用证明"]').waitFor({ timeout: 10_000 });
		await agent
			.locator('[data-material="经营场所使用证明"]')
			.screenshot({ path: 'test-results/screens/case-agent-owed.png' });
		await citizen
			.locator('[data-owed="经营场所使用证明"]')
			.getByText(/容缺受理：承诺于 \d{4}-\d{2}-\d{2} 前补交（李静 记录）/)
			.waitFor({ timeout: 10_000 });
		expect(await blockers.getByRole('link', { name: /上传材料/ }).count()).toBe(0);
		await blockers.getByRole('link', { name: '在表单上签名' }).waitFor();

		await drawSignature(citizen, citizen);
		await citizen.getByRole('button', { name: '确认签名' }).click();
		await citizen.locator('[data-signed]').waitFor({ timeout: 10_000 });

		await blockers.waitFor({ state: 'detached' });
		await citizen.getByRole('button', { name: '提交申请' }).click();
		await citizen.getByText(/申请已提交，受理编号 SL\d{8}/).waitFor({ timeout: 10_000 });
		await screenshot(citizen, 'case-submitted');

		// both pages reloaded show the same state
		await Promise.all([citizen.reload(), agent.reload()]);
		for (const page of [citizen, agent]) {
			await page.locator('[data-case]').waitFor();
			expect(await page.locator('#cf-name').inputValue()).toBe('王秀兰');
			expect(await page.locator('#cf-scope').inputValue()).toBe('日用百货零售；预包装食品销售');
			await page.getByText(/申请已提交，受理编号/).waitFor();
		}
		await screenshot(agent, 'case-agent-after-reload');

		// the receipt opens in a new tab: the citizen stays in the call
		const [receipt] = await Promise.all([
			citizenCtx.waitForEvent('page'),
			citizen.getByRole('link', { name: /申请回执/ }).click()
		]);
		await receipt.locator('[data-receipt-no]').waitFor();
		expect(await receipt.locator('[data-receipt-no]').textContent()).toMatch(/^SL\d{8}/);
		await screenshot(receipt, 'case-receipt');
		await receipt.close();

		// leave the hall as it was
		agent.once('dialog', (d) => void d.accept());
		await agent.getByRole('button', { name: '结束会话' }).click();
		await agent.goto('/desk');
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([citizenCtx.close(), agentCtx.close()]);
	}, 180_000); // several browsers (and LiveKit): generous for a slow, busy 2-core machine
});

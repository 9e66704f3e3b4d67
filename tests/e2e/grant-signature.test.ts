// 代办授权 signed in the video call (issue 23 item 1): the grantor on a 360x640 phone is in a
// call with a desk agent; the agent's workspace lists her pending proxy request and asks her to
// sign; her call screen shows what she authorises and a signature pad with its button inside the
// screen (no scrolling during the call); she signs and the grant is active, confirmed by
// signature; /my/proxy says so.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './chromium.ts';
import { api, newCitizen, smsCodeFor, type Citizen } from './hall.ts';
import { callTicket, newStaff, openDesk, openSession, takeVideoTicket } from './scenes.ts';

const ctx = inject('e2e');
const SMALL_PHONE = { width: 360, height: 640 };
const DESK = { width: 1366, height: 768 };

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

async function browserOf(
	token: string,
	viewport: { width: number; height: number }
): Promise<{ context: BrowserContext; page: Page }> {
	const phone = viewport.width < 500;
	const context = await browser.newContext({
		baseURL: ctx.baseUrl,
		viewport,
		locale: 'zh-CN',
		deviceScaleFactor: 1,
		hasTouch: phone,
		isMobile: phone,
		permissions: ['camera', 'microphone']
	});
	await context.addCookies([
		{ name: 'hall_session', value: token, url: ctx.baseUrl },
		{ name: 'care', value: 'off', url: ctx.baseUrl },
		{ name: 'lang', value: 'zh-CN', url: ctx.baseUrl }
	]);
	return { context, page: await context.newPage() };
}

/** The son asks; the request waits for his mother's confirmation. */
async function pendingGrant(proxy: Citizen, grantor: Citizen): Promise<string> {
	const before = smsCodeFor(grantor.phone);
	const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
	const asked = await api('POST', '/api/proxy/grants', {
		token: proxy.token,
		body: { grantorPhone: grantor.phone, items: 'all', validUntil }
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(202);
	await expect.poll(() => smsCodeFor(grantor.phone)).not.toBe(before);
	return asked.body.grantId as string;
}

async function join(page: Page) {
	await page.getByLabel('我已阅读并同意').check();
	await page.getByRole('button', { name: '进入视频' }).click();
}

describe.skipIf(ctx.skip)('代办授权 signed in the video call', () => {
	it('the agent asks, the grantor signs on a 360x640 phone without scrolling, the grant is active', async () => {
		const mother = await newCitizen('周玉珍');
		const son = await newCitizen('陈志强');
		const grantId = await pendingGrant(son, mother);
		const agent = await newStaff('agent', '370281', '马丽');
		const deskId = await openDesk(agent.token);
		const ticket = await takeVideoTicket(mother);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);

		const a = await browserOf(agent.token, DESK);
		const m = await browserOf(mother.token, SMALL_PHONE);
		await a.page.goto(`/video/${sessionId}`);
		await m.page.goto(`/video/${sessionId}`);
		await join(a.page);
		await join(m.page);
		const admitted = await api('POST', `/api/video-sessions/${sessionId}/admit`, {
			token: agent.token
		});
		expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
		await m.page.locator('[data-call-screen]').waitFor({ timeout: 30_000 });

		// the agent's workspace: her pending request, the proxy masked, and the ask
		const request = a.page.locator(`[data-session-grant="${grantId}"]`);
		await request.waitFor({ timeout: 15_000 });
		expect(await request.textContent()).toContain('代办人 陈*强');
		expect(await request.textContent()).toContain('全部事项');
		await request.getByRole('button', { name: '请群众签名确认' }).click();
		await request.getByText('已请群众签名，等待签名').waitFor();
		await screenshot(a.page, 'grant-sign-agent-1366x768');

		// her call screen: what she authorises, the pad and its button inside the screen
		const sheet = m.page.locator(`[data-grant-sign="${grantId}"]`);
		await sheet.waitFor({ timeout: 15_000 });
		expect(await sheet.textContent()).toContain('陈*强');
		expect(await sheet.textContent()).toContain('全部事项');
		const button = sheet.getByRole('button', { name: '签名确认' });
		const pad = sheet.locator('[data-signature-pad]');
		for (const [what, el] of [
			['pad', pad],
			['button', button]
		] as const) {
			const box = (await el.boundingBox())!;
			expect(box.y, `${what} top`).toBeGreaterThanOrEqual(0);
			expect(box.y + box.height, `${what} bottom`).toBeLessThanOrEqual(SMALL_PHONE.height);
			expect(box.height, `${what} height`).toBeGreaterThanOrEqual(44);
		}
		expect(await m.page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
		await screenshot(m.page, 'grant-sign-grantor-360x640');

		const box = (await pad.boundingBox())!;
		await m.page.mouse.move(box.x + 20, box.y + box.height / 2);
		await m.page.mouse.down();
		for (let i = 1; i <= 10; i++)
			await m.page.mouse.move(box.x + 20 + i * 25, box.y + box.height / 2 + (i % 2 ? 12 : -12));
		await m.page.mouse.up();
		await button.click();
		await m.page.locator('[data-grant-done]').waitFor();
		await screenshot(m.page, 'grant-sign-done-360x640');

		const grants = (await api('GET', '/api/proxy/grants', { token: son.token })).body.grants as {
			id: string;
			status: string;
			confirmedVia: string;
		}[];
		expect(grants.find((g) => g.id === grantId)).toMatchObject({
			status: 'active',
			confirmedVia: 'signature'
		});
		await a.page.locator('[data-grant-signed]').waitFor({ timeout: 15_000 });

		// 我的 › 代办授权 says how it was confirmed
		const s = await browserOf(son.token, SMALL_PHONE);
		await s.page.goto('/my/proxy');
		const via = s.page.locator(`[data-grant="${grantId}"] [data-confirmed-via]`);
		expect(await via.getAttribute('data-confirmed-via')).toBe('signature');
		expect(await via.textContent()).toContain('视频办理中本人签名确认');

		for (const c of [a, m, s]) await c.context.close();
	});
});

// Steps of a video call the browser tests share: entering a call, an agent calling a citizen
// who waits with a video ticket into a session and starting the form, and drawing a signature.
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { loginThroughForm, phoneContext } from './chromium.ts';
import { chooseCategories, closeDesksWhenDone } from './hall.ts';

/** Consents and enters the call from the video page. */
export async function joinCall(page: Page) {
	await page.getByLabel('我已阅读并同意').check();
	await page.getByRole('button', { name: '进入视频' }).click();
}

/**
 * The demo agent opens 1号窗口, calls the next ticket (the citizen's, waiting on its ticket
 * page), starts the video, both join, the agent admits them and starts the form; the citizen
 * opens it over the call. Returns the agent's context and page (the desks close when it closes).
 */
export async function agentCallsIntoForm(browser: Browser, citizen: Page, citizenName: string) {
	const agentCtx = await phoneContext(browser, { width: 1280 });
	const agent = await agentCtx.newPage();
	await loginThroughForm(agent, 'agent', DEMO_PASSWORD);
	await agent.waitForURL((url) => url.pathname === '/desk');
	await closeDesksWhenDone(agentCtx);
	await chooseCategories(agent, '1号窗口', ['A', 'B']); // as the demo hall opens it
	await agent.getByRole('button', { name: '开窗 1号窗口' }).click();
	await agent.getByRole('button', { name: '叫下一位' }).click();
	await agent.getByRole('button', { name: '发起视频' }).click();
	await agent.waitForURL(/\/video\//);
	await joinCall(agent);
	await citizen.getByRole('link', { name: '进入视频办理' }).first().click();
	await citizen.waitForURL(/\/video\//);
	await joinCall(citizen);
	await agent.getByRole('button', { name: `接入 ${citizenName}` }).click();
	await agent.getByRole('button', { name: '开始填表' }).click();
	await agent.locator('[data-case]').waitFor();
	// in the call the citizen's form opens over the lower part of the screen
	await citizen.locator('[data-panel-button="form"]').click({ timeout: 10_000 });
	await citizen.locator('[data-case]').waitFor({ timeout: 10_000 });
	return { agentCtx, agent };
}

/** Draws a zigzag across the signature pad inside `within`, as a finger would. */
export async function drawSignature(page: Page, within: Page | Locator) {
	// drawn before the page's code runs, the strokes would not count: wait for it
	const pad = within.locator('[data-signature-pad][data-ready]');
	await pad.scrollIntoViewIfNeeded();
	const box = (await pad.boundingBox())!;
	await page.mouse.move(box.x + 20, box.y + box.height / 2);
	await page.mouse.down();
	for (let i = 1; i <= 10; i++)
		await page.mouse.move(
			box.x + 20 + i * Math.min(25, (box.width - 40) / 10),
			box.y + box.height / 2 + (i % 2 ? 15 : -15)
		);
	await page.mouse.up();
}

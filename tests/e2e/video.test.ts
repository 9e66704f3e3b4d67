// A real video session (视频办) between a citizen and an agent on a real LiveKit server, with
// township staff invited in and removed, chat both ways, and the end, as users click it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { launchChromium, loginThroughForm, phoneContext, screenshot } from './chromium.ts';
import { chooseCategories, closeDesksWhenDone, newCitizen } from './hall.ts';
import { joinCall } from './video-call.ts';

const ctx = inject('e2e');

/** True once a remote participant's video is really playing in the page. */
const remoteVideoPlays = (page: Page) =>
	page.waitForFunction(
		() =>
			[...document.querySelectorAll<HTMLVideoElement>('video[data-remote-video]')].some(
				(v) => v.videoWidth > 0 && !v.paused
			),
		undefined,
		{ timeout: 20_000 }
	);

describe.skipIf(ctx.skip)('video session with a real LiveKit (视频办)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('citizen waits, agent admits, both see video, township joins and is removed, chat crosses, agent ends', async () => {
		const rooms = new RoomServiceClient(
			ctx.livekit.url.replace(/^ws/, 'http'),
			ctx.livekit.apiKey,
			ctx.livekit.apiSecret
		);

		// a citizen of this test alone
		const me = await newCitizen('周晓燕');
		const citizenCtx = await phoneContext(browser, { width: 420 });
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, me.phone, me.password);
		await citizen.waitForURL((url) => url.pathname === '/my');
		await citizen.goto('/services?q=' + encodeURIComponent('医保'));
		await citizen.getByRole('link', { name: '城乡居民基本医疗保险参保登记' }).click();
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\/[a-z2-7]+$/);
		const code = (await citizen.locator('.code').textContent())!.trim();
		const citizenId = (await citizen.evaluate(
			async () => (await (await fetch('/api/me')).json()).user.id
		)) as string;

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
		const room = new URL(agent.url()).pathname.split('/').pop()!;
		await joinCall(agent);

		// the citizen's ticket page learns of the session without a reload
		await citizen.getByRole('link', { name: '进入视频办理' }).first().click();
		await citizen.waitForURL(/\/video\//);
		await joinCall(citizen);
		await citizen.getByText('工作人员马上接入').waitFor();
		await screenshot(citizen, 'video-waiting-room');

		await agent.getByRole('button', { name: `接入 ${me.name}` }).click();
		await Promise.all([remoteVideoPlays(citizen), remoteVideoPlays(agent)]);
		await screenshot(agent, 'video-agent-two');

		// township staff are invited, get an in-app alert with a join link, and join
		await agent.getByLabel('邀请谁').selectOption({ label: '赵磊（阜安街道）' });
		await agent.getByRole('button', { name: '邀请协办' }).click();
		const townshipCtx = await phoneContext(browser, { width: 1024 });
		const township = await townshipCtx.newPage();
		await loginThroughForm(township, 'township', DEMO_PASSWORD);
		await township.waitForURL((url) => url.pathname === '/township');
		await township.getByRole('link', { name: /邀请您加入视频会话/ }).click();
		await township.waitForURL(/\/video\//);
		await joinCall(township);
		await remoteVideoPlays(township);
		await expect
			.poll(async () => (await rooms.listParticipants(room)).length, { timeout: 15_000 })
			.toBe(3);

		await agent.getByRole('button', { name: '移出 赵磊' }).click();
		await township.getByText('您已被移出本次会话').waitFor({ timeout: 15_000 });
		await expect
			.poll(async () => (await rooms.listParticipants(room)).length, { timeout: 15_000 })
			.toBe(2);

		// in the call the citizen's chat opens over the lower part of the screen
		await citizen.locator('[data-panel-button="chat"]').click();
		await agent.getByLabel('输入消息').fill('请把身份证放到镜头前');
		await agent.getByRole('button', { name: '发送' }).click();
		await citizen.getByText('请把身份证放到镜头前').waitFor({ timeout: 10_000 });
		await citizen.getByLabel('输入消息').fill('好的，稍等');
		await citizen.getByRole('button', { name: '发送' }).click();
		await agent.getByText('好的，稍等').waitFor({ timeout: 10_000 });
		await screenshot(citizen, 'video-citizen-call');

		agent.once('dialog', (d) => void d.accept());
		await agent.getByRole('button', { name: '结束会话' }).click();
		await citizen.getByText('会话已结束').waitFor({ timeout: 15_000 });
		await screenshot(citizen, 'video-ended');

		// the server's record holds the joins and leaves LiveKit reported through its webhooks
		await expect
			.poll(
				async () => {
					const session = await agent.evaluate(
						async (id) => (await (await fetch(`/api/video-sessions/${id}`)).json()).session,
						room
					);
					const seen = (type: string) =>
						session.timeline.some(
							(e: { type: string; actorId: string }) => e.type === type && e.actorId === citizenId
						);
					return seen('livekit.participant_joined') && seen('livekit.participant_left');
				},
				{ timeout: 20_000, interval: 500 }
			)
			.toBe(true);
		// the agent finishes the ticket and closes the desk, leaving the hall as it was
		await agent.goto('/desk');
		await agent.getByRole('button', { name: '办结', exact: true }).click();
		await agent.getByRole('button', { name: '关闭窗口' }).click();
		await agent.getByRole('button', { name: '开窗 1号窗口' }).waitFor();
		await Promise.all([citizenCtx.close(), agentCtx.close(), townshipCtx.close()]);
	}, 180_000); // several browsers (and LiveKit): generous for a slow, busy 2-core machine
});

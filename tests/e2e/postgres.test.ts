// The whole hall on PostgreSQL (issue 21; project e2e-postgres): the production build started
// as `DATABASE_URL=postgres://… npm start` starts it (postgres-setup.ts), driven in a real
// browser: health names the engine, a citizen's video ticket is called and both sides see each
// other on the real LiveKit, the assistant answers on the home page, and the supervisor's
// dashboard shows the hall's live figures.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { launchChromium, phoneContext } from './chromium.ts';
import { api, demoStaffToken, newCitizen } from './hall.ts';
import {
	LICENSE,
	callTicket,
	newStaff,
	openDesk,
	openSession,
	signedIn,
	takeVideoTicket
} from './scenes.ts';

const ctx = inject('e2e');

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

async function join(page: Page) {
	await page.getByLabel('我已阅读并同意').check();
	await page.getByRole('button', { name: '进入视频' }).click();
}

/** True once a remote participant's video is really playing in the page. */
const remoteVideoPlays = (page: Page) =>
	page.waitForFunction(
		() =>
			[...document.querySelectorAll<HTMLVideoElement>('video[data-remote-video]')].some(
				(v) => v.videoWidth > 0 && !v.paused
			),
		undefined,
		{ timeout: 30_000 }
	);

/** A figure of the dashboard's live tiles, by its label. */
const tile = (page: Page, label: string) =>
	page.locator('[data-live] .tile').filter({ hasText: label }).locator('.figure');

describe.skipIf(ctx.skip)('the whole hall on PostgreSQL (DATABASE_URL)', () => {
	it('/api/health, opened in the browser, says the database is PostgreSQL and all is well', async () => {
		expect(ctx.databaseUrl).toMatch(/^postgres:\/\//);
		const context = await phoneContext(browser);
		const page = await context.newPage();
		const res = await page.goto('/api/health');
		expect(res?.status()).toBe(200);
		const health = JSON.parse((await page.locator('body').textContent())!);
		expect(health.status).toBe('ok');
		expect(health.database).toMatchObject({ ok: true, engine: 'postgres' });
		expect(health.database.schemaVersion).toBeGreaterThan(0);
		expect(health.livekit.ok).toBe(true);
		// and the pages are the hall's, its services read from PostgreSQL
		await page.goto('/services?q=' + encodeURIComponent('个体工商户'));
		await page.getByRole('link', { name: '个体工商户设立登记' }).first().waitFor();
		await context.close();
	});

	it('a video ticket is called, the agent admits the citizen, both see and hear each other on LiveKit; the supervisor dashboard shows it', async () => {
		const agent = await newStaff('agent', '370281', '冯建华');
		const deskId = await openDesk(agent.token);
		const citizen = await newCitizen('韩秀梅');
		const ticket = await takeVideoTicket(citizen);
		await callTicket(agent.token, deskId, ticket.id);
		const sessionId = await openSession(agent.token, ticket.id);

		const a = await signedIn(browser, agent.token, { width: 1280, height: 800 });
		const c = await signedIn(browser, citizen.token, { width: 390, height: 844 }, true);
		await a.page.goto(`/video/${sessionId}`);
		await join(a.page);
		await c.page.goto(`/video/${sessionId}`);
		await join(c.page);
		await c.page.getByText('工作人员马上接入').waitFor({ timeout: 20_000 });
		await a.page.getByRole('button', { name: `接入 ${citizen.name}` }).click();
		await Promise.all([remoteVideoPlays(c.page), remoteVideoPlays(a.page)]);
		const rooms = new RoomServiceClient(
			ctx.livekit.url.replace(/^ws/, 'http'),
			ctx.livekit.apiKey,
			ctx.livekit.apiSecret
		);
		expect((await rooms.listParticipants(sessionId)).length).toBe(2);

		// chat crosses through the app's realtime, its messages stored in PostgreSQL
		await c.page.locator('[data-panel-button="chat"]').click();
		await a.page.getByLabel('输入消息').fill('请出示身份证');
		await a.page.getByRole('button', { name: '发送' }).click();
		await c.page.getByText('请出示身份证').waitFor({ timeout: 10_000 });

		// LiveKit's webhooks reached the app and their joins are in the session's record
		await expect
			.poll(
				async () => {
					const s = (await api('GET', `/api/video-sessions/${sessionId}`, { token: agent.token }))
						.body.session as { timeline: { type: string; actorId: string }[] };
					return s.timeline.some(
						(e) => e.type === 'livekit.participant_joined' && e.actorId === citizen.id
					);
				},
				{ timeout: 20_000, interval: 500 }
			)
			.toBe(true);

		// the supervisor's dashboard: the live figures while the call is on …
		const supervisor = await signedIn(browser, await demoStaffToken('supervisor'), {
			width: 1280,
			height: 800
		});
		await supervisor.page.goto('/supervisor');
		await supervisor.page.locator('[data-live]').waitFor();
		await supervisor.page.getByRole('status').filter({ hasText: '实时' }).waitFor();
		expect(Number(await tile(supervisor.page, '视频办理中').textContent())).toBeGreaterThanOrEqual(
			1
		);
		expect(await tile(supervisor.page, '开放窗口').textContent()).toMatch(/^[1-9]\d* \/ \d+$/);
		const waiting = Number(await supervisor.page.locator('[data-live-waiting]').textContent());
		// … and a ticket taken now is counted, live (the dashboard's stream, woken by the event bus)
		const second = await newCitizen('曹玉珍');
		await takeVideoTicket(second);
		await expect
			.poll(
				async () => Number(await supervisor.page.locator('[data-live-waiting]').textContent()),
				{
					timeout: 10_000
				}
			)
			.toBe(waiting + 1);
		for (const id of ['volumes', 'waits', 'ratings'])
			await supervisor.page.locator(`[data-chart="${id}"] canvas`).waitFor();

		await Promise.all([a.context.close(), c.context.close(), supervisor.context.close()]);
	}, 120_000);

	it('the assistant answers 怎么办理营业执照 on the home page from the knowledge base in PostgreSQL', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/');
		const turns = page.locator('[data-assistant] .turn');
		await page.getByLabel('您的问题').fill('怎么办理营业执照');
		await page.getByRole('button', { name: '提问', exact: true }).click();
		const card = turns.first().locator('[data-answer]');
		await card.waitFor();
		expect(await card.getByRole('heading').textContent()).toContain('个体工商户设立登记');
		// its 预约 button books the service it names
		const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
		const license = items.find((i) => i.code === LICENSE)!;
		expect(await card.getByRole('link', { name: '预约', exact: true }).getAttribute('href')).toBe(
			`/services/${license.id}/book`
		);
		await context.close();
	});
});

// Live pages when too much was missed to replay: the server says `refetch` and the page loads its
// data again (the ticket page, the video page), and the video page keeps its chat however many
// other events the database holds. Events are written straight into the app's database file, as
// another process of the hall would.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { sqliteStore } from '../../server/db/store.ts';
import { createQueueRepo } from '../../server/queue/repo.ts';
import { createVideoRepo } from '../../server/video/repo.ts';
import { MAX_REPLAY } from '../../server/realtime/sse.ts';
import { launchChromium, loginThroughForm, phoneContext } from './chromium.ts';
import { api, closeDesksOf, demoStaffToken, newCitizen } from './hall.ts';

const ctx = inject('e2e');
const LICENSE = '370281-XZSP-001';

describe.skipIf(ctx.skip)('refetch on live pages', () => {
	let browser: Browser;
	let db: Db;
	beforeAll(async () => {
		browser = await launchChromium();
		db = openDatabase(loadConfig({ DATA_DIR: ctx.dataDir }).databasePath);
	});
	afterAll(async () => {
		await browser?.close();
		db?.close();
	});

	/** The agent at 1号窗口 (closed again when the test ends) and a citizen's video ticket. */
	async function videoTicket(name: string) {
		const agent = await demoStaffToken('agent');
		onTestFinished(() => closeDesksOf(agent));
		const desk = (
			(await api('GET', '/api/desks', { token: agent })).body.desks as {
				id: string;
				name: string;
				orgUnitId: string;
			}[]
		).find((d) => d.name === '1号窗口')!;
		const opened = await api('POST', `/api/desks/${desk.id}/open`, {
			token: agent,
			body: { categories: ['A', 'B'] }
		});
		expect(opened.status).toBe(200);
		const item = (
			(await api('GET', '/api/services')).body.items as { id: string; code: string }[]
		).find((i) => i.code === LICENSE)!;
		const citizen = await newCitizen(name);
		const taken = await api('POST', '/api/queue/tickets', {
			token: citizen.token,
			body: { serviceId: item.id, channel: 'video' }
		});
		expect(taken.status).toBe(201);
		return { agent, desk, citizen, ticket: taken.body.ticket as { id: string; hallId: string } };
	}

	/** Events of other topics: another hall's log grows by n. */
	async function otherHallEvents(hallId: string, n: number) {
		const store = sqliteStore(db);
		const other = (await createQueueRepo(store).halls()).find((x) => x.id !== hallId)!;
		await store.transaction(async (tx) => {
			const repo = createQueueRepo(tx);
			for (let i = 0; i < n; i++)
				await repo.appendEvent(other.id, null, 'desk.closed', { deskId: 'e2e-filler' }, Date.now());
		});
	}

	async function signedIn(phone: string, password: string): Promise<Page> {
		const context = await phoneContext(browser, { width: 420 });
		onTestFinished(() => context.close());
		const page = await context.newPage();
		await loginThroughForm(page, phone, password);
		await page.waitForURL((url) => url.pathname === '/my');
		return page;
	}

	it('the video page shows its chat after a reload with 10,000 other events, and reloads it on refetch', async () => {
		const { agent, desk, citizen, ticket } = await videoTicket('视频重连');
		const called = await api('POST', `/api/desks/${desk.id}/call-next`, { token: agent });
		expect(called.body.ticket.id).toBe(ticket.id);
		const session = (
			await api('POST', '/api/video-sessions', { token: agent, body: { ticketId: ticket.id } })
		).body.session as { id: string };
		const said = await api('POST', `/api/video-sessions/${session.id}/chat`, {
			token: agent,
			body: { text: '请准备好身份证' }
		});
		expect(said.status).toBe(201);
		await otherHallEvents(ticket.hallId, 10_000);

		const page = await signedIn(citizen.phone, citizen.password);
		await page.goto(`/video/${session.id}`);
		await page.getByText('请准备好身份证').waitFor({ timeout: 10_000 });
		await page.reload();
		await page.getByText('请准备好身份证').waitFor({ timeout: 10_000 });

		// between loading the page and opening its stream, more of this session's chat than can
		// be replayed: the server says refetch, and the page loads the session's chat again
		const agentId = (await api('GET', '/api/me', { token: agent })).body.user.id as string;
		let written = false;
		await page.route('**/api/video-sessions/*/events**', async (route) => {
			if (!written) {
				written = true;
				await sqliteStore(db).transaction(async (tx) => {
					const repo = createVideoRepo(tx);
					for (let i = 0; i < MAX_REPLAY; i++)
						await repo.appendChat(session.id, agentId, `补充说明 ${i}`, Date.now());
					await repo.appendChat(session.id, agentId, '最后一条：请看屏幕', Date.now());
				});
			}
			await route.continue();
		});
		await page.reload();
		await page.getByText('最后一条：请看屏幕').waitFor({ timeout: 15_000 });
		expect(await page.getByText('请准备好身份证').count()).toBe(1);
	}, 120_000);

	it('the ticket page loads its ticket again when told to refetch', async () => {
		const { agent, desk, citizen, ticket } = await videoTicket('排队重连');
		const page = await signedIn(citizen.phone, citizen.password);
		// the first stream ends at once (as when a connection drops); while the page is away the
		// ticket is called and more than can be replayed happens in its hall
		let round = 0;
		await page.route('**/api/queue/events**', async (route) => {
			round++;
			if (round === 1) {
				const newest = await createQueueRepo(sqliteStore(db)).lastEventId(ticket.hallId);
				await route.fulfill({
					status: 200,
					headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
					body: `retry: 500\nid: ${newest}\nevent: ready\ndata: {"lastEventId":${newest}}\n\n`
				});
				return;
			}
			if (round === 2) {
				const called = await api('POST', `/api/desks/${desk.id}/call-next`, { token: agent });
				expect(called.body.ticket.id).toBe(ticket.id);
				await sqliteStore(db).transaction(async (tx) => {
					const repo = createQueueRepo(tx);
					for (let i = 0; i <= MAX_REPLAY; i++)
						await repo.appendEvent(
							ticket.hallId,
							null,
							'desk.closed',
							{ deskId: 'e2e-filler' },
							Date.now()
						);
				});
			}
			await route.continue();
		});
		await page.goto(`/queue/${ticket.id}`);
		await page.locator('.code').waitFor();
		// within the page's 0–5 s spread for a refetch, well before its 20 s safety net
		await page.getByText('轮到您了！').waitFor({ timeout: 12_000 });
		expect(round).toBeGreaterThanOrEqual(2);
	}, 120_000);
});

// A city on one machine (issue 22; project e2e-cluster, cluster-setup.ts): two app nodes on one
// PostgreSQL behind nginx. The citizen's browser goes through the balancer pinned to node A, the
// agent's pinned to node B (the hall_node cookie; the other node is the backup). One journey:
// take a number on A → the agent calls it on B → the citizen's ticket page reacts (the event
// crosses nodes) → a photo uploaded through A is viewed through B (the bytes are in
// PostgreSQL) → node A is killed and the citizen's page carries on through the balancer on B,
// the event of the moment A died delivered once, none missed, none twice.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { PIN_COOKIE, UPSTREAM_HEADER } from '../../scripts/nginx-process.ts';
import { launchChromium } from './chromium.ts';
import { newCitizen } from './hall.ts';
import { LICENSE, newStaff, openDesk } from './scenes.ts';

const skip = inject('e2e').skip;
const cluster = inject('cluster');
const ID_PROOF = '经营者身份证明';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** One API call straight to an app node (the agent's go to node B, as their browser's do). */
async function callNode(
	base: string,
	method: string,
	path: string,
	o: { token: string; body?: unknown }
): Promise<{ status: number; body: Json }> {
	const res = await fetch(`${base}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${o.token}`,
			...(o.body !== undefined ? { 'content-type': 'application/json' } : {})
		},
		body: o.body !== undefined ? JSON.stringify(o.body) : undefined
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** host:port of app node i, as the balancer's X-Hall-Upstream names it. */
const host = (i: number) => new URL(cluster.nodes[i].url).host;
/**
 * The node that answered: the last one X-Hall-Upstream names (nginx lists every node it tried,
 * "A, B" when A refused the connection and B answered).
 */
const servedBy = (res: Response | null) => res?.headers()[UPSTREAM_HEADER]?.split(', ').at(-1);

/** A browser context signed in with `token`, its requests through the balancer to node `node`. */
async function pinnedTo(
	browser: Browser,
	node: number,
	token: string,
	viewport: { width: number; height: number }
): Promise<BrowserContext> {
	const url = cluster.balancerUrl;
	const context = await browser.newContext({
		baseURL: url,
		viewport,
		locale: 'zh-CN',
		permissions: ['camera', 'microphone'],
		deviceScaleFactor: 1
	});
	await context.addCookies([
		{ name: 'hall_session', value: token, url },
		{ name: 'care', value: 'off', url },
		{ name: PIN_COOKIE, value: String(node), url }
	]);
	return context;
}

/**
 * Runs first in the citizen's pages: every hall event an EventSource delivers is written down
 * (type, id, ticket), so the test can tell what came by the stream and how often.
 */
const RECORD_STREAM = `(() => {
	const seen = [];
	Object.defineProperty(window, '__hallStream', { value: seen });
	const Native = window.EventSource;
	const TYPES = ['ready', 'ticket.called', 'ticket.finished', 'ticket.started', 'ticket.video', 'refetch'];
	window.EventSource = class extends Native {
		constructor(url, init) {
			super(url, init);
			for (const type of TYPES)
				this.addEventListener(type, (e) => {
					let ticket = null;
					try { ticket = JSON.parse(e.data || '{}').ticketId ?? JSON.parse(e.data || '{}').id ?? null; } catch {}
					seen.push({ type, id: e.lastEventId, ticket, data: String(e.data || '') });
				});
		}
	};
})();`;

interface Seen {
	type: string;
	id: string;
	ticket: string | null;
	data: string;
}
const streamSeen = (page: Page) =>
	page.evaluate(() => (window as unknown as { __hallStream: Seen[] }).__hallStream);

/** A real PNG of width × height (a pale card with a red band), drawn in code. */
function cardPng(width = 480, height = 300): Buffer {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++)
			raw.set(y < 48 ? [183, 38, 29] : [223, 233, 245], y * (width * 3 + 1) + 1 + x * 3);
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(zlib.crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const control = async (action: 'kill' | 'restart', node: number) => {
	const res = await fetch(`${cluster.control}/${action}/${node}`, { method: 'POST' });
	expect(res.status, await res.text()).toBe(204);
};

describe.skipIf(skip)('a city on one machine: two app nodes behind nginx', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('numbered on A, called on B, a document from A viewed on B; A dies and the citizen carries on through B, nothing missed', async () => {
		const [A, B] = [0, 1];
		const nodeB = cluster.nodes[B].url;
		const agent = await newStaff('agent', '370281', '冯建华');
		await openDesk(agent.token);
		const person = await newCitizen('韩秀梅');

		// the citizen takes a video number on node A
		const citizenCtx = await pinnedTo(browser, A, person.token, { width: 390, height: 844 });
		await citizenCtx.addInitScript(RECORD_STREAM);
		const citizen = await citizenCtx.newPage();
		const home = await citizen.goto('/services?q=' + encodeURIComponent('个体工商户'));
		expect(servedBy(home)).toBe(host(A));
		await citizen.getByRole('link', { name: '个体工商户设立登记' }).first().click();
		await citizen.waitForURL(/\/services\/[a-z2-7]+$/);
		await citizen.getByRole('button', { name: '取号（视频办理）' }).click();
		await citizen.waitForURL(/\/queue\/[a-z2-7]+$/);
		const ticketId = new URL(citizen.url()).pathname.split('/').pop()!;
		const code = (await citizen.locator('.code').textContent())!.trim();
		// its event stream is open (on A) before the call
		await expect
			.poll(async () => (await streamSeen(citizen)).some((e) => e.type === 'ready'))
			.toBe(true);

		// the agent calls it on node B
		const agentCtx = await pinnedTo(browser, B, agent.token, { width: 1280, height: 800 });
		const desk = await agentCtx.newPage();
		expect(servedBy(await desk.goto('/desk'))).toBe(host(B));
		await desk.getByRole('button', { name: '叫下一位' }).click();
		await desk.locator('[data-current-code]').waitFor();
		expect((await desk.locator('[data-current-code]').textContent())!.trim()).toBe(code);

		// the call made on B reaches the citizen's stream on A: the page reacts without a reload
		await citizen.getByText('轮到您了！').waitFor({ timeout: 10_000 });
		expect(await citizen.getByRole('alert').textContent()).toContain('冯建华');

		// a photo uploaded through A is viewed through B (the bytes are in PostgreSQL)
		const items = (await callNode(nodeB, 'GET', '/api/services', { token: agent.token })).body
			.items as { id: string; code: string }[];
		const session = await callNode(nodeB, 'POST', '/api/video-sessions', {
			token: agent.token,
			body: { ticketId }
		});
		expect(session.status, JSON.stringify(session.body)).toBe(201);
		const kase = await callNode(nodeB, 'POST', '/api/cases', {
			token: agent.token,
			body: {
				serviceId: items.find((i) => i.code === LICENSE)!.id,
				sessionId: session.body.session.id
			}
		});
		expect(kase.status, JSON.stringify(kase.body)).toBe(201);
		const caseId = kase.body.case.id as string;
		const photo = cardPng();
		const upload = await citizenCtx.newPage();
		expect(servedBy(await upload.goto(`/cases/${caseId}`))).toBe(host(A));
		await upload.locator('[data-case]').waitFor();
		const [uploaded] = await Promise.all([
			upload.waitForResponse((r) => r.request().method() === 'POST' && /\/documents/.test(r.url())),
			upload
				.getByLabel(`${ID_PROOF} *`)
				.setInputFiles({ name: 'idcard.png', mimeType: 'image/png', buffer: photo })
		]);
		expect(servedBy(uploaded)).toBe(host(A));
		await upload
			.locator(`[data-material="${ID_PROOF}"]`)
			.getByText('已上传，待工作人员审核')
			.waitFor({ timeout: 10_000 });
		const review = await agentCtx.newPage();
		await review.goto(`/cases/${caseId}`);
		const open = review.getByRole('button', { name: '查看 idcard.png' });
		await open.waitFor({ timeout: 10_000 });
		const [file] = await Promise.all([
			review.waitForResponse((r) => /\/documents\/[^/]+\/(file|thumb)/.test(r.url()) && r.ok()),
			open.scrollIntoViewIfNeeded() // thumbnails load lazily, when they come into view
		]);
		expect(servedBy(file)).toBe(host(B));
		await open.click();
		await expect
			.poll(() =>
				review
					.locator('[data-document-viewer] img')
					.evaluate((img: HTMLImageElement) => img.naturalWidth)
			)
			.toBe(480);
		const docs = await callNode(nodeB, 'GET', `/api/cases/${caseId}`, { token: agent.token });
		const doc = (docs.body.case.documents as { id: string; fileName?: string; name?: string }[])[0];
		const bytes = await fetch(`${nodeB}/api/cases/${caseId}/documents/${doc.id}/file`, {
			headers: { authorization: `Bearer ${agent.token}` }
		});
		expect(bytes.status).toBe(200);
		const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
		expect(sha(new Uint8Array(await bytes.arrayBuffer()))).toBe(sha(photo));
		await Promise.all([upload.close(), review.close()]);

		// node A dies; at that moment the agent finishes the ticket on B
		const before = await streamSeen(citizen);
		const streams: string[] = [];
		citizen.on('response', (r) => {
			if (new URL(r.url()).pathname === '/api/queue/events') streams.push(servedBy(r) ?? '');
		});
		await control('kill', A);
		onTestFinished(() => control('restart', A));
		await desk.getByRole('button', { name: '办结', exact: true }).click();
		await desk.locator('[data-current-code]').waitFor({ state: 'detached' });

		// the citizen's page reconnects through the balancer, now to B, and shows what happened
		// while it was away: by its stream (Last-Event-ID), before the page's own slow refetch
		await citizen.getByText('已办结').waitFor({ timeout: 15_000 });
		expect(streams.length).toBeGreaterThan(0);
		expect(streams, `the streams after A died came from ${host(B)}`).toEqual(
			streams.map(() => host(B))
		);
		const after = await streamSeen(citizen);
		const mine = (type: string) =>
			after.filter((e) => e.type === type && e.data.includes(ticketId)).length;
		expect(mine('ticket.called'), 'the call, once').toBe(1);
		expect(mine('ticket.finished'), 'the finish, by the stream, once').toBe(1);
		expect(after.slice(before.length).some((e) => e.type === 'ready')).toBe(true);
		// event ids only grow: a replay after the reconnect repeats nothing
		const ids = after.filter((e) => e.type.startsWith('ticket.')).map((e) => Number(e.id));
		expect(ids).toEqual([...ids].sort((x, y) => x - y));
		expect(new Set(ids).size).toBe(ids.length);

		// and the page still works through the balancer with A gone
		const reloaded = await citizen.reload();
		expect(servedBy(reloaded)).toBe(host(B));
		await citizen.getByText('已办结').waitFor();

		await Promise.all([citizenCtx.close(), agentCtx.close()]);
	}, 180_000);
});

// 材料审核 in real browsers: a citizen uploads a photo of the ID card into the case of a live
// session, the agent opens it in the viewer (zoom, rotate, keyboard stays inside, Escape closes),
// asks for a new upload with a reason, and the citizen's open form shows that reason at once;
// the new upload shows as waiting again.
//
// The session and the case are made through the API from the test process and both people use
// the case page (/cases/:id, the same CaseForm the video page embeds): this test is about the
// materials, not the video page, which changes independently.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { launchChromium, loginThroughForm, phoneContext, screenshot } from './chromium.ts';
import { api, closeDesksWhenDone, newCitizen, tokenOf } from './hall.ts';

const ctx = inject('e2e');
const ID_PROOF = '经营者身份证明';
const REASON = '照片模糊，请拍清楚身份证号码';

/**
 * A real PNG drawn in code: a pale blue card with a red band on top, a grey portrait box on the
 * right and dark "text" lines on the left, so a turned or zoomed image is plain to see.
 */
function idCardPng(width = 480, height = 300): Buffer {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		raw[row] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			let rgb = [223, 233, 245];
			if (y < 48) rgb = [183, 38, 29];
			else if (x > 340 && x < 450 && y > 80 && y < 230) rgb = [140, 140, 150];
			else if (x > 30 && x < 300 && (y - 90) % 40 < 12 && y < 250) rgb = [40, 40, 60];
			raw.set(rgb, row + 1 + x * 3);
		}
	}
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
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** A one-page PDF with a line of text (offsets of the cross-reference table computed). */
function leasePdf(): Buffer {
	const stream = 'BT /F1 28 Tf 72 720 Td (Lease contract, page 1) Tj ET';
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

/**
 * 李静 opens 1号窗口, calls the citizen's video ticket, opens its session and starts the licence
 * case in it (the caller has the desk closed when the test ends: closeDesksWhenDone).
 */
async function caseInLiveSession(agentToken: string, citizenToken: string): Promise<string> {
	const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	const license = items.find((i) => i.code === '370281-XZSP-001')!;
	const desks = (await api('GET', '/api/desks', { token: agentToken })).body.desks as {
		id: string;
		name: string;
	}[];
	const desk = desks.find((d) => d.name === '1号窗口')!;
	expect(
		(
			await api('POST', `/api/desks/${desk.id}/open`, {
				token: agentToken,
				body: { categories: ['A'] }
			})
		).status
	).toBe(200);
	const ticket = await api('POST', '/api/queue/tickets', {
		token: citizenToken,
		body: { serviceId: license.id, channel: 'video' }
	});
	expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
	const called = await api('POST', `/api/desks/${desk.id}/call-next`, { token: agentToken });
	expect(called.body?.ticket?.id, 'the citizen’s ticket is the one called').toBe(
		ticket.body.ticket.id
	);
	const session = await api('POST', '/api/video-sessions', {
		token: agentToken,
		body: { ticketId: ticket.body.ticket.id }
	});
	expect(session.status, JSON.stringify(session.body)).toBe(201);
	const kase = await api('POST', '/api/cases', {
		token: agentToken,
		body: { serviceId: license.id, sessionId: session.body.session.id }
	});
	expect(kase.status, JSON.stringify(kase.body)).toBe(201);
	return kase.body.case.id;
}

const naturalWidth = (page: Page, selector: string) =>
	page.locator(selector).evaluate((img: HTMLImageElement) => img.naturalWidth);

describe.skipIf(ctx.skip)('materials staff can see (材料审核)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('the agent views the uploaded photo, turns and zooms it, asks for a new upload; the citizen sees why', async () => {
		const person = await newCitizen('孙玉梅');
		const citizenCtx = await phoneContext(browser, { width: 420 });
		const citizen = await citizenCtx.newPage();
		await loginThroughForm(citizen, person.phone, person.password);
		await citizen.waitForURL((url) => url.pathname === '/my');

		const agentCtx = await phoneContext(browser, { width: 1280 });
		const agent = await agentCtx.newPage();
		await loginThroughForm(agent, 'agent', DEMO_PASSWORD);
		await agent.waitForURL((url) => url.pathname === '/desk');
		await closeDesksWhenDone(agentCtx);
		const caseId = await caseInLiveSession(await tokenOf(agentCtx), person.token);

		await Promise.all([citizen.goto(`/cases/${caseId}`), agent.goto(`/cases/${caseId}`)]);
		await citizen.locator('[data-case]').waitFor();
		await agent.locator('[data-case]').waitFor();

		// the citizen takes a photo of the ID card
		const material = (page: Page) => page.locator(`[data-material="${ID_PROOF}"]`);
		await citizen
			.getByLabel(`${ID_PROOF} *`)
			.setInputFiles({ name: 'idcard.png', mimeType: 'image/png', buffer: idCardPng() });
		await material(citizen).getByText('已上传，待工作人员审核').waitFor({ timeout: 10_000 });
		await expect
			.poll(() => naturalWidth(citizen, `[data-material="${ID_PROOF}"] .thumb img`))
			.toBe(480);

		// the agent's form shows it live; the thumbnail opens the viewer
		const open = agent.getByRole('button', { name: '查看 idcard.png' });
		await open.waitFor({ timeout: 10_000 });
		await open.scrollIntoViewIfNeeded(); // thumbnails load lazily, when they come into view
		await expect
			.poll(() => naturalWidth(agent, `[data-material="${ID_PROOF}"] .thumb img`))
			.toBe(480);
		await open.click();
		const viewer = agent.getByRole('dialog', { name: `查看材料：${ID_PROOF}` });
		await viewer.waitFor();
		const image = viewer.getByRole('img', { name: 'idcard.png' });
		await expect.poll(() => naturalWidth(agent, '[data-document-viewer] img')).toBe(480);
		const before = (await image.boundingBox())!;
		expect(before.width).toBeGreaterThan(before.height);
		await screenshot(agent, 'documents-viewer-open');

		// every tool is a labelled button of at least 44 × 44 px
		for (const name of ['缩小', '放大', '向左旋转', '向右旋转', '还原大小和方向']) {
			const box = (await viewer.getByRole('button', { name }).boundingBox())!;
			expect(box.width, name).toBeGreaterThanOrEqual(44);
			expect(box.height, name).toBeGreaterThanOrEqual(44);
		}

		// turned upright and enlarged
		await viewer.getByRole('button', { name: '向右旋转' }).click();
		await viewer.getByRole('button', { name: '放大' }).click();
		await viewer.getByText('缩放 150%').waitFor();
		await expect.poll(() => image.getAttribute('data-rotation')).toBe('90');
		const turned = (await image.boundingBox())!;
		expect(turned.height, 'a quarter turn stands the card up').toBeGreaterThan(turned.width);
		expect(turned.height).toBeGreaterThan(before.width);
		await screenshot(agent, 'documents-viewer-rotated-zoomed');
		await viewer.getByRole('button', { name: '还原大小和方向' }).click();
		await viewer.getByText('缩放 100%').waitFor();
		await expect.poll(() => image.getAttribute('data-rotation')).toBe('0');

		// the keyboard stays in the dialog; Escape closes it and gives focus back
		for (let i = 0; i < 14; i++) await agent.keyboard.press('Tab');
		expect(
			await agent.evaluate(() =>
				document.querySelector('[data-document-viewer]')!.contains(document.activeElement)
			)
		).toBe(true);
		await agent.keyboard.press('Escape');
		await viewer.waitFor({ state: 'hidden' });
		await expect.poll(() => open.evaluate((b) => b === document.activeElement)).toBe(true);

		// 请重新上传 needs a reason
		await open.click();
		await viewer.waitFor();
		await viewer.getByRole('button', { name: '请重新上传' }).click();
		await viewer.getByText('请写明需要重新上传的原因').waitFor();
		await viewer.getByLabel(/原因/).fill(REASON);
		await viewer.getByRole('button', { name: '请重新上传' }).click();
		await viewer.getByRole('status').getByText('已保存').waitFor();
		await viewer.getByText(`当前结果：请重新上传：${REASON}`).waitFor();
		await screenshot(agent, 'documents-viewer-reupload');
		await viewer.getByRole('button', { name: '关闭' }).click();
		await viewer.waitFor({ state: 'hidden' });

		// the citizen's open form shows the reason beside the upload button, without a reload
		const verdict = material(citizen).locator('[data-doc-status="reupload"]');
		await verdict.waitFor({ timeout: 10_000 });
		expect(await verdict.textContent()).toContain(`请重新上传：${REASON}`);
		await verdict.scrollIntoViewIfNeeded();
		await screenshot(citizen, 'documents-citizen-reupload');

		// a new photo: waiting for staff again; the agent sees the new one
		await citizen
			.getByLabel(`${ID_PROOF} *`)
			.setInputFiles({ name: 'idcard-2.png', mimeType: 'image/png', buffer: idCardPng(600, 380) });
		await material(citizen).locator('[data-doc-status="pending"]').waitFor({ timeout: 10_000 });
		await agent.getByRole('button', { name: '查看 idcard-2.png' }).waitFor({ timeout: 10_000 });
		await screenshot(citizen, 'documents-citizen-uploaded-again');

		// a PDF is opened by the browser in a new tab
		await citizen
			.getByLabel('经营场所使用证明 *')
			.setInputFiles({ name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: leasePdf() });
		const pdfLink = agent.getByRole('link', { name: '打开 PDF：租赁合同.pdf（新标签页）' });
		await pdfLink.waitFor({ timeout: 10_000 });
		expect(await pdfLink.getAttribute('target')).toBe('_blank');
		expect(await pdfLink.getAttribute('rel')).toBe('noopener');
		const [tab] = await Promise.all([agentCtx.waitForEvent('page'), pdfLink.click()]);
		await tab.waitForLoadState();
		expect(tab.url()).toMatch(/\/api\/cases\/[^/]+\/documents\/[^/]+\/file$/);
		await tab.waitForTimeout(1000);
		await screenshot(tab, 'documents-pdf-tab');
		await tab.close();
		await screenshot(agent, 'documents-agent-materials');

		await Promise.all([citizenCtx.close(), agentCtx.close()]);
	});
});

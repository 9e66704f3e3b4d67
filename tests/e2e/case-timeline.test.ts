// The case page's record of who did what (issue 23 item 3): each step says who acted and, apart
// from that, for whom. A son acting for his mother fills, hands in and submits her application:
// her page and his (acting) name him as 代办人 for her, her signature as her own. A grid worker
// at a resident's home (入户办) fills and uploads in the video session: the resident's page names
// the grid worker helping her, and the agent's people panel lists the grid worker. Checked on a
// 360×640 phone and a 1366×768 desktop, in Chinese and English: axe, sizes, fit, screenshots.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fitsWidth, launchChromium, screenshot } from './chromium.ts';
import { api, demoStaffToken, newCitizen, smsCodeFor, type Citizen } from './hall.ts';
import { LICENSE, callTicket, newStaff, openDesk, openSession } from './scenes.ts';
import { axeProblems, sizeProblems } from './page-checks.ts';

const ctx = inject('e2e');
const COMMUNITY = '370281001001'; // 郑州路社区 of the demo
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1366, height: 768 };

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
});

async function browserOf(
	token: string,
	viewport: { width: number; height: number },
	lang: 'zh-CN' | 'en' = 'zh-CN'
): Promise<{ context: BrowserContext; page: Page }> {
	const phone = viewport.width < 500;
	const context = await browser.newContext({
		baseURL: ctx.baseUrl,
		viewport,
		locale: lang,
		deviceScaleFactor: 1,
		hasTouch: phone,
		isMobile: phone,
		permissions: ['camera', 'microphone']
	});
	await context.addCookies([
		{ name: 'hall_session', value: token, url: ctx.baseUrl },
		{ name: 'care', value: 'off', url: ctx.baseUrl },
		{ name: 'lang', value: lang, url: ctx.baseUrl }
	]);
	return { context, page: await context.newPage() };
}

async function expectSound(page: Page, label: string) {
	expect(await axeProblems(page), `axe: ${label}`).toEqual([]);
	expect(await sizeProblems(page, false), `sizes: ${label}`).toEqual([]);
	expect(await fitsWidth(page), `fits: ${label}`).toBe(true);
}

async function licenceId(): Promise<string> {
	const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	return items.find((i) => i.code === LICENSE)!.id;
}

const PNG =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const LICENSE_VALUES = {
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};

async function upload(token: string, caseId: string, material: string) {
	const jpeg = new Uint8Array(1024);
	jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
	const form = new FormData();
	form.set('material', material);
	form.set('file', new File([jpeg], 'material.jpg', { type: 'image/jpeg' }));
	const res = await fetch(`${ctx.baseUrl}/api/cases/${caseId}/documents`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${token}` }
	});
	expect(res.status).toBe(201);
}

/** Writes each value at the field's current revision, as `token`. */
async function fill(token: string, caseId: string, values: Record<string, unknown>) {
	for (const [key, value] of Object.entries(values)) {
		const kase = (await api('GET', `/api/cases/${caseId}`, { token })).body.case as {
			fields: { key: string; revision: number }[];
		};
		const revision = kase.fields.find((f) => f.key === key)!.revision;
		const put = await api('PUT', `/api/cases/${caseId}/fields/${key}`, {
			token,
			body: { value, revision }
		});
		expect(put.status, `${key}: ${JSON.stringify(put.body)}`).toBe(200);
	}
}

/** The son asks, the mother's SMS code confirms, he acts for her. */
async function actingFor(son: Citizen, mother: Citizen) {
	const before = smsCodeFor(mother.phone);
	const asked = await api('POST', '/api/proxy/grants', {
		token: son.token,
		body: {
			grantorPhone: mother.phone,
			items: 'all',
			validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
		}
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(202);
	await expect.poll(() => smsCodeFor(mother.phone)).not.toBe(before);
	const confirmed = await api('POST', `/api/proxy/grants/${asked.body.grantId}/confirm`, {
		token: son.token,
		body: { code: smsCodeFor(mother.phone) }
	});
	expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
	const acting = await api('POST', '/api/proxy/acting', {
		token: son.token,
		body: { grantId: asked.body.grantId }
	});
	expect(acting.status, JSON.stringify(acting.body)).toBe(200);
}

/** One line of the timeline: who, for whom, what. */
async function line(page: Page, step: string) {
	const entry = page.locator(`[data-case-timeline] li[data-timeline-entry="${step}"]`).last();
	await entry.waitFor();
	return {
		who: await entry.locator('[data-who]').textContent(),
		forWhom: (await entry.locator('[data-for]').count())
			? await entry.locator('[data-for]').textContent()
			: null,
		text: (await entry.locator('p').textContent())!.replace(/\s+/g, ' ').trim()
	};
}

let serial = 0;
/** A grid worker of this test alone, attached to the demo community by the demo admin. */
async function newGridWorker(name: string) {
	const admin = await demoStaffToken('admin');
	const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
		id: string;
		code: string;
	}[];
	const username = `e2e-tl-${process.pid}-${Date.now().toString(36)}-${serial++}`;
	const created = await api('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username,
			name,
			role: 'grid',
			orgUnitId: orgs.find((o) => o.code === COMMUNITY)!.id,
			password: 'E2e#Staff2026'
		}
	});
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const login = await api('POST', '/api/auth/login', {
		body: { login: username, password: 'E2e#Staff2026' }
	});
	expect(login.status, JSON.stringify(login.body)).toBe(200);
	return { id: created.body.user.id as string, token: login.body.token as string, name };
}

describe.skipIf(ctx.skip)('the case record: who acted, and for whom', () => {
	it('代办: the son filled and submitted for his mother, she signed herself; her page and his say so, in Chinese and English, on a phone and a desktop', async () => {
		const mother = await newCitizen('王秀兰');
		const son = await newCitizen('王小明');
		await actingFor(son, mother);
		const created = await api('POST', '/api/cases', {
			token: son.token,
			body: { serviceId: await licenceId() }
		});
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		const kase = created.body.case as { id: string; materials: { name: string }[] };
		await fill(son.token, kase.id, LICENSE_VALUES);
		for (const m of kase.materials) await upload(son.token, kase.id, m.name);
		const signed = await api('POST', `/api/cases/${kase.id}/signature`, {
			token: mother.token,
			body: { image: PNG }
		});
		expect(signed.status, JSON.stringify(signed.body)).toBe(200);
		const submitted = await api('POST', `/api/cases/${kase.id}/submit`, { token: son.token });
		expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
		const receiptNo = submitted.body.case.receiptNo as string;

		const her = await browserOf(mother.token, PHONE);
		await her.page.goto(`/cases/${kase.id}`);
		expect(await line(her.page, 'submitted')).toEqual({
			who: '王小明（代办人）',
			forWhom: '代 王秀兰',
			text: `王小明（代办人） 代 王秀兰 提交申请（回执号 ${receiptNo}）`
		});
		expect(await line(her.page, 'signed')).toEqual({
			who: '王秀兰（本人）',
			forWhom: null,
			text: '王秀兰（本人） 签名'
		});
		const filled = await line(her.page, 'filled');
		expect(filled.who).toBe('王小明（代办人）');
		expect(filled.forWhom).toBe('代 王秀兰');
		// a run of writes is one line naming the fields, by their labels
		expect(filled.text).toBe(
			'王小明（代办人） 代 王秀兰 填写 姓名、居民身份证号码、联系电话、经营场所、经营范围、组成形式、资金数额（元）'
		);
		expect((await line(her.page, 'uploaded')).text).toContain(
			`王小明（代办人） 代 王秀兰 上传 ${kase.materials.at(-1)!.name}`
		);
		await her.page.locator('[data-case-timeline]').scrollIntoViewIfNeeded();
		await expectSound(her.page, 'timeline, applicant, phone');
		await screenshot(her.page, 'case-timeline-proxy-360x640');
		await her.context.close();

		// the son, still acting for her, on a desktop and in English
		const his = await browserOf(son.token, DESKTOP, 'en');
		await his.page.goto(`/cases/${kase.id}`);
		expect(await line(his.page, 'submitted')).toEqual({
			who: '王小明 (proxy)',
			forWhom: 'for 王秀兰',
			text: `王小明 (proxy) for 王秀兰 submitted the application (receipt no. ${receiptNo})`
		});
		expect((await line(his.page, 'signed')).text).toBe('王秀兰 (applicant) signed');
		await expectSound(his.page, 'timeline, proxy, desktop, English');
		await screenshot(his.page, 'case-timeline-proxy-en-1366x768');
		await his.context.close();
	});

	it('入户办: the resident’s page names the grid worker helping her; the agent’s people panel lists the grid worker', async () => {
		const resident = await newCitizen('王秀兰');
		const grid = await newGridWorker('赵秀梅');
		const communities = (await api('GET', '/api/communities', { token: resident.token })).body
			.communities as { id: string; code: string }[];
		const asked = await api('POST', '/api/home-visits', {
			token: resident.token,
			body: {
				serviceId: await licenceId(),
				communityId: communities.find((c) => c.code === COMMUNITY)!.id,
				address: '郑州路 12 号 3 单元 201',
				reason: 'elderly'
			}
		});
		expect(asked.status, JSON.stringify(asked.body)).toBe(201);
		const visitId = asked.body.visit.id as string;
		const step = async (path: string, body?: unknown) => {
			const res = await api('POST', `/api/home-visits/${visitId}/${path}`, {
				token: grid.token,
				body
			});
			expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
			return res.body;
		};
		await step('accept');
		await step('schedule', { at: new Date(Date.now() + 3_600_000).toISOString() });
		await step('consent', { method: 'verbal' });
		const ticketId = (await step('start-ticket')).ticket.id as string;

		const agent = await newStaff('agent', '370281', '周敏');
		const deskId = await openDesk(agent.token);
		await callTicket(agent.token, deskId, ticketId);
		const sessionId = await openSession(agent.token, ticketId);
		const admitted = await api('POST', `/api/video-sessions/${sessionId}/admit`, {
			token: agent.token
		});
		expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
		const created = await api('POST', '/api/cases', {
			token: agent.token,
			body: { serviceId: await licenceId(), sessionId }
		});
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		const kase = created.body.case as { id: string; materials: { name: string }[] };
		await fill(grid.token, kase.id, { phone: '13800000001', address: '郑州路 12 号 3 单元 201' });
		const material = kase.materials[0].name;
		await upload(grid.token, kase.id, material);

		// the agent's workspace: the people panel names the grid worker beside the resident
		const a = await browserOf(agent.token, DESKTOP);
		await a.page.goto(`/video/${sessionId}`);
		const listed = a.page.locator('[data-participant="赵秀梅"]');
		await listed.waitFor();
		expect((await listed.textContent())!.replace(/\s+/g, ' ')).toContain('赵秀梅 · 网格员');
		expect(await a.page.locator('[data-participant="王秀兰"]').textContent()).toContain('群众');
		// the tablet goes out with the resident: no remove button of its own
		expect(await listed.getByRole('button').count()).toBe(0);
		await screenshot(a.page, 'case-timeline-people-panel-1366x768');
		await a.context.close();

		// the resident's own case page on her phone
		const r = await browserOf(resident.token, PHONE);
		await r.page.goto(`/cases/${kase.id}`);
		expect(await line(r.page, 'uploaded')).toEqual({
			who: '网格员 赵秀梅',
			forWhom: '协助 王秀兰',
			text: `网格员 赵秀梅 协助 王秀兰 上传 ${material}`
		});
		const filled = await line(r.page, 'filled');
		expect(filled.text).toBe('网格员 赵秀梅 协助 王秀兰 填写 联系电话、经营场所');
		await r.page.locator('[data-case-timeline]').scrollIntoViewIfNeeded();
		await expectSound(r.page, 'timeline, 入户办, phone');
		await screenshot(r.page, 'case-timeline-grid-360x640');
		await r.context.close();
	});
});

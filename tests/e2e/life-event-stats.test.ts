// 一件事一次办 on the supervisor's dashboard (issue 24 item 7) in a real browser: an application of
// the demo's 我要开餐馆 filed through the API, its licence and pension parts approved by their
// departments; the supervisor's two cards (per life event, per department) show it in a chart,
// a table and a CSV, at 1366x768 and at 360x640, in Chinese and in English.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fitsWidth, launchChromium, screenshot } from './chromium.ts';
import { api, demoStaffToken, newCitizen, type Citizen } from './hall.ts';
import { axeProblems, sizeProblems } from './page-checks.ts';

const ctx = inject('e2e');
const THEME = '370281-YJS-001';
const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const VALUES = {
	sellsAlcohol: 'no',
	name: '韩淑芬',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '热食类食品制售',
	form: 'person',
	capital: 80000,
	foodKinds: ['hot'],
	area: 60,
	safetyManager: '韩淑芬',
	grade: '60'
};

/** A valid 统一社会信用代码 with this 17-character stem (GB 32100-2015 check character). */
function creditCode(stem: string): string {
	const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
	const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
	const sum = weights.reduce((s, w, i) => s + w * chars.indexOf(stem[i]), 0);
	return stem + chars[(31 - (sum % 31)) % 31];
}

/** The citizen's application of the demo life event: filled, documented, signed, submitted. */
async function submittedApplication(citizen: Citizen) {
	const services = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	const created = await api('POST', '/api/cases', {
		token: citizen.token,
		body: { serviceId: services.find((s) => s.code === THEME)!.id }
	});
	expect(created.status).toBe(201);
	const id = created.body.case.id as string;
	for (const [key, value] of Object.entries(VALUES)) {
		const res = await api('PUT', `/api/cases/${id}/fields/${key}`, {
			token: citizen.token,
			body: { value, revision: 0 }
		});
		expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(200);
	}
	const kase = (await api('GET', `/api/cases/${id}`, { token: citizen.token })).body.case;
	for (const m of kase.materials as { name: string; required: boolean }[]) {
		if (!m.required) continue;
		const form = new FormData();
		form.set('material', m.name);
		form.set('file', new File([Buffer.from(PNG_BASE64, 'base64')], `${m.name}.png`));
		const res = await fetch(`${ctx.baseUrl}/api/cases/${id}/documents`, {
			method: 'POST',
			body: form,
			headers: { authorization: `Bearer ${citizen.token}` }
		});
		expect(res.status, m.name).toBe(201);
	}
	const signed = await api('POST', `/api/cases/${id}/signature`, {
		token: citizen.token,
		body: { image: `data:image/png;base64,${PNG_BASE64}` }
	});
	expect(signed.status).toBe(200);
	const submitted = await api('POST', `/api/cases/${id}/submit`, { token: citizen.token });
	expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
	return submitted.body.case as { application: { parts: { caseId: string | null }[] } };
}

async function approve(login: string, caseId: string, resultNo?: string) {
	const token = await demoStaffToken(login);
	for (const step of ['accept', 'forward'])
		expect((await api('POST', `/api/cases/${caseId}/${step}`, { token, body: {} })).status).toBe(
			200
		);
	const res = await api('POST', `/api/cases/${caseId}/approve`, {
		token,
		body: resultNo ? { resultNo } : {}
	});
	expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe.skipIf(ctx.skip)('一件事一次办 on the dashboard', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	async function supervisorPage(
		viewport: { width: number; height: number },
		lang: 'zh-CN' | 'en'
	): Promise<{ context: BrowserContext; page: Page }> {
		const phone = viewport.width < 500;
		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport,
			locale: lang,
			deviceScaleFactor: 1,
			hasTouch: phone,
			isMobile: phone
		});
		await context.addCookies([
			{ name: 'hall_session', value: await demoStaffToken('supervisor'), url: ctx.baseUrl },
			{ name: 'lang', value: lang, url: ctx.baseUrl }
		]);
		return { context, page: await context.newPage() };
	}

	it('shows the life event and its departments in charts, tables and CSV, on a tablet and a phone', async () => {
		const app = await submittedApplication(await newCitizen('韩淑芬'));
		const [licence, , pension] = app.application.parts.map((p) => p.caseId);
		await approve('xzsp', licence!, creditCode('92370281MA3C4D7E8'));
		await approve('rsj', pension!);

		for (const [viewport, lang] of [
			[{ width: 1366, height: 768 }, 'zh-CN'],
			[{ width: 360, height: 640 }, 'zh-CN'],
			[{ width: 1366, height: 768 }, 'en']
		] as const) {
			const label = `${viewport.width}x${viewport.height} ${lang}`;
			const s = await supervisorPage(viewport, lang);
			await s.page.goto('/supervisor');
			const card = s.page.locator('[data-chart="lifeEvents"]');
			await card.locator('canvas').waitFor();
			const departments = s.page.locator('[data-chart="lifeEventDepartments"]');
			await departments.locator('canvas').waitFor();
			expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe(
				lang === 'en' ? 'Life events (one application, many items)' : '一件事一次办'
			);
			for (const c of [card, departments]) {
				await c.locator('summary').click();
				await c.locator('table').waitFor();
			}
			const row = card.locator('tbody tr', { hasText: '我要开餐馆' });
			const cells = await row.locator('th, td').allTextContents();
			// at least this test's application (others add theirs): started, submitted
			expect(Number(cells[1]), label).toBeGreaterThanOrEqual(1);
			expect(Number(cells[2]), label).toBeGreaterThanOrEqual(1);
			expect(await departments.locator('tbody th').allTextContents(), label).toEqual(
				expect.arrayContaining([
					'我要开餐馆（一件事一次办） · 胶州市行政审批服务局',
					'我要开餐馆（一件事一次办） · 胶州市人力资源和社会保障局'
				])
			);
			expect(await axeProblems(s.page), `axe: ${label}`).toEqual([]);
			expect(await sizeProblems(s.page, false), `sizes: ${label}`).toEqual([]);
			expect(await fitsWidth(s.page), `fits: ${label}`).toBe(true);
			await card.scrollIntoViewIfNeeded();
			await screenshot(s.page, `life-event-dashboard-${viewport.width}x${viewport.height}-${lang}`);
			if (lang === 'zh-CN' && viewport.width > 500)
				for (const [id, header] of [
					[
						'lifeEvents',
						'theme_item_id,theme_name,time_limit_days,started,submitted,completed,rejected,in_progress,returned_once,median_working_days,mean_working_days,slowest_department_name,slowest_department_mean_hours'
					],
					[
						'lifeEventDepartments',
						'theme_item_id,theme_name,department_id,department_name,parts,approved,mean_hours,median_hours'
					]
				]) {
					const href = (await s.page.locator(`[data-csv="${id}"]`).getAttribute('href'))!;
					const csv = await s.page.request.get(href);
					expect(csv.status(), id).toBe(200);
					const lines = (await csv.body())
						.toString('utf8')
						.replace(/^\uFEFF/, '')
						.split('\r\n');
					expect(lines[0]).toBe(header);
					expect(
						lines.some((l) => l.includes('我要开餐馆')),
						id
					).toBe(true);
				}
			await s.context.close();
		}
	});
});

// 一件事一次办, the admin's side (/admin/life-events): the demo's 我要开餐馆 is edited with the
// page's controls (参保 made to hang on a new question), the live preview shows the change before
// publishing, and publishing makes the next version; a definition the API refuses shows the
// API's problem beside the control it names. Each test puts back the definition it found.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { fitsWidth, launchChromium, loginThroughForm, screenshot } from './chromium.ts';
import { api, demoStaffToken } from './hall.ts';

const ctx = inject('e2e');
const THEME = '我要开餐馆（一件事一次办）';

/** The restaurant's theme item and its newest published version, as the API has it. */
async function restaurant(token: string) {
	const offers = await api('GET', '/api/life-events');
	const theme = (offers.body.lifeEvents as { themeItemId: string; themeName: string }[]).find(
		(e) => e.themeName === THEME
	)!;
	const latest = await api('GET', `/api/admin/life-events/${theme.themeItemId}`, { token });
	expect(latest.status).toBe(200);
	return { id: theme.themeItemId, lifeEvent: latest.body.lifeEvent };
}

async function openEditor(page: Page) {
	await loginThroughForm(page, 'admin', DEMO_PASSWORD);
	await page.waitForURL(/\/admin/);
	await page.goto('/admin/life-events');
	await page.getByRole('link', { name: `编辑 ${THEME}` }).click();
	await page.getByRole('heading', { name: `编辑：${THEME}` }).waitFor();
	// the preview is built once every item's form has arrived
	await page.locator('[data-section="shared"]').waitFor();
}

describe.skipIf(ctx.skip)('life events on the admin page', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('makes 参保 hang on a new question, previews it and publishes the next version', async () => {
		const admin = await demoStaffToken('admin');
		const before = await restaurant(admin);
		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 1366, height: 768 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		try {
			await openEditor(page);
			await page.getByRole('button', { name: '添加问题' }).click();
			const question = page.getByRole('group', { name: '问题 2', exact: true });
			await question.getByLabel('问题代码（英文字母开头）').fill('needsPension');
			await question.getByLabel('问题', { exact: true }).fill('需要办理灵活就业参保吗？');
			await question.getByLabel('答案 1 的文字').fill('不需要');
			await question.getByLabel('答案 2 的文字').fill('需要');

			const pension = page.getByRole('group', { name: '事项 3：灵活就业人员参保登记' });
			await pension.getByLabel('何时办理').selectOption({ label: '需要办理灵活就业参保吗？' });
			await pension.getByRole('checkbox', { name: '需要', exact: true }).check();

			// the preview: 参保's own fields now asked only for that answer, its 居民身份证 still
			// shared with the items that always apply
			const grade = page.locator('.preview li[data-field="grade"]');
			await expect
				.poll(() => grade.textContent())
				.toContain('需要办理灵活就业参保吗？选“需要”时填写');
			await expect
				.poll(() => page.locator('.preview [data-section="lifeEvent"]').textContent())
				.toContain('需要办理灵活就业参保吗？');
			expect(
				await page.locator('.preview li[data-material="居民身份证"]').textContent()
			).not.toContain('按条件提交');
			await screenshot(page, 'admin-life-events-1366');

			await page.getByRole('button', { name: '发布新版本' }).click();
			const next = before.lifeEvent.version + 1;
			await page.getByText(`已发布第 ${next} 版`).waitFor();
			await page
				.getByRole('row', { name: new RegExp(THEME) })
				.getByText(`第 ${next} 版`)
				.waitFor();

			const after = await restaurant(admin);
			expect(after.lifeEvent.version).toBe(next);
			const definition = after.lifeEvent.definition;
			expect(definition.questions.map((q: { key: string }) => q.key)).toEqual([
				'sellsAlcohol',
				'needsPension'
			]);
			expect(definition.parts[2].when).toEqual({ question: 'needsPension', in: ['yes'] });
			// the rest as it was
			expect(definition.parts[1]).toEqual(before.lifeEvent.definition.parts[1]);
			expect(definition.sharedMaterials).toEqual(before.lifeEvent.definition.sharedMaterials);
			const pensionSection = after.lifeEvent.template.definition.sections.find(
				(s: { fields: { key: string }[] }) => s.fields.some((f) => f.key === 'grade')
			);
			expect(pensionSection.fields[0].visibleIf).toEqual({ field: 'needsPension', in: ['yes'] });
		} finally {
			await context.close();
			// the demo's definition back, for the other tests (as a newer version)
			const restored = await api('POST', `/api/admin/life-events/${before.id}/versions`, {
				token: admin,
				body: before.lifeEvent.definition
			});
			expect(restored.status).toBe(201);
		}
	});

	it('puts a staff member into a department of their org unit from the staff list', async () => {
		const admin = await demoStaffToken('admin');
		const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
			id: string;
			code: string;
		}[];
		const username = `e2e-dept-${Date.now().toString(36)}`;
		const created = await api('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username,
				name: '部门测试',
				role: 'agent',
				orgUnitId: orgs.find((o) => o.code === '370281')!.id,
				password: 'E2e#Staff2026'
			}
		});
		expect(created.status).toBe(201);
		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 1366, height: 768 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		try {
			await loginThroughForm(page, 'admin', DEMO_PASSWORD);
			await page.waitForURL(/\/admin/);
			const row = page.locator(`tr[data-staff="${username}"]`);
			await row
				.getByLabel(`${username} 的部门`, { exact: true })
				.selectOption({ label: '胶州市商务局' });
			await row.getByRole('button', { name: `保存 ${username} 的部门` }).click();
			const departments = (await api('GET', '/api/departments')).body.departments as {
				id: string;
				code: string;
			}[];
			const commerce = departments.find((d) => d.code === 'JZ-SWJ')!.id;
			await expect
				.poll(
					async () =>
						(
							(await api('GET', '/api/admin/staff-departments', { token: admin })).body
								.assignments as { userId: string; departmentId: string | null }[]
						).find((a) => a.userId === created.body.user.id)?.departmentId
				)
				.toBe(commerce);
			// the page shows it after a reload
			await page.reload();
			expect(await row.getByLabel(`${username} 的部门`, { exact: true }).inputValue()).toBe(
				commerce
			);
		} finally {
			await context.close();
		}
	});

	it('shows the API’s problem beside the control it names, and publishes nothing', async () => {
		const admin = await demoStaffToken('admin');
		const before = await restaurant(admin);
		const context = await browser.newContext({
			baseURL: ctx.baseUrl,
			viewport: { width: 390, height: 844 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		try {
			await openEditor(page);
			// 参保 made to wait for the alcohol filing, which comes after it and may not apply
			const pension = page.getByRole('group', { name: '事项 3：灵活就业人员参保登记' });
			const waits = pension.getByLabel('等待哪个事项办结后再开始');
			await waits.selectOption({ label: '酒类商品零售经营备案' });
			await page.getByRole('button', { name: '发布新版本' }).click();

			const problem = page.locator('#le-parts-2-waitsFor-itemId-error');
			await problem.waitFor();
			expect(await problem.textContent()).toContain('must be an item named before this one');
			expect(await waits.getAttribute('aria-invalid')).toBe('true');
			expect(await waits.getAttribute('aria-describedby')).toBe('le-parts-2-waitsFor-itemId-error');
			// focus is taken to the control named
			expect(await page.evaluate(() => document.activeElement?.id)).toBe(
				'le-parts-2-waitsFor-itemId'
			);
			// the summary links to it
			await page.locator('#le-summary a[href="#le-parts-2-waitsFor-itemId"]').waitFor();
			expect(await fitsWidth(page)).toBe(true);
			await screenshot(page, 'admin-life-events-problem-390');

			expect((await restaurant(admin)).lifeEvent.version).toBe(before.lifeEvent.version);
		} finally {
			await context.close();
		}
	});
});

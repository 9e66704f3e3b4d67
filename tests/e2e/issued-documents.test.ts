// The documents a hall hands over, opened from the case page in a new tab (a citizen in a video
// call never leaves it): the 申请回执 after submission, the 受理通知书 after acceptance; and the
// admin page where org units get their address, phone and opening hours.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';
import { api, demoStaffToken, newCitizen, type Citizen } from './hall.ts';

const ctx = inject('e2e');
const PNG =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const complete = {
	name: '孙丽',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};

async function staffToken(login: string): Promise<string> {
	return demoStaffToken(login);
}

/** An online application for a business licence, complete, signed and submitted through the API. */
async function submittedCase(me: Citizen): Promise<string> {
	const items = await api('GET', `/api/services?q=${encodeURIComponent('个体工商户设立登记')}`);
	const serviceId = items.body.items[0].id as string;
	const created = await api('POST', '/api/cases', { token: me.token, body: { serviceId } });
	expect(created.status).toBe(201);
	const kase = created.body.case as { id: string; materials: { name: string }[] };
	for (const [key, value] of Object.entries(complete))
		expect(
			(
				await api('PUT', `/api/cases/${kase.id}/fields/${key}`, {
					token: me.token,
					body: { value, revision: 0 }
				})
			).status
		).toBe(200);
	const jpeg = new Uint8Array(1024);
	jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
	for (const [i, m] of kase.materials.entries()) {
		const form = new FormData();
		form.set('material', m.name);
		form.set('file', new File([jpeg], `material-${i + 1}.jpg`, { type: 'image/jpeg' }));
		const res = await fetch(`${ctx.baseUrl}/api/cases/${kase.id}/documents`, {
			method: 'POST',
			body: form,
			headers: { authorization: `Bearer ${me.token}` }
		});
		expect(res.status).toBe(201);
	}
	await api('POST', `/api/cases/${kase.id}/signature`, { token: me.token, body: { image: PNG } });
	const submitted = await api('POST', `/api/cases/${kase.id}/submit`, { token: me.token });
	expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
	return kase.id;
}

/** Clicks a link that opens a new tab; the first page stays where it was. */
async function openInNewTab(context: BrowserContext, page: Page, name: RegExp): Promise<Page> {
	const link = page.getByRole('link', { name });
	expect(await link.getAttribute('target')).toBe('_blank');
	expect(await link.getAttribute('rel')).toContain('noopener');
	const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
	await tab.waitForLoadState();
	return tab;
}

describe.skipIf(ctx.skip)('申请回执 and 受理通知书', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('the citizen opens the receipt after submitting and the notice after acceptance, each in a new tab', async () => {
		const me = await newCitizen('孙丽');
		const caseId = await submittedCase(me);
		for (const width of [360, 1366]) {
			const context = await phoneContext(browser, { width });
			const page = await context.newPage();
			await loginThroughForm(page, me.phone, me.password);
			await page.waitForURL((url) => url.pathname === '/my');
			await page.goto(`/cases/${caseId}`);
			const receipt = await openInNewTab(context, page, /申请回执/);
			expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}`); // the case page stays
			expect(new URL(receipt.url()).pathname).toBe(`/cases/${caseId}/receipt`);
			expect(await receipt.locator('[data-receipt-no]').textContent()).toMatch(/^SL\d{8}/);
			expect(await receipt.locator('[data-id-number]').textContent()).toBe('1101**********002X');
			await receipt.getByText('经营场所使用证明').waitFor();
			const qr = receipt.locator('[data-qr]');
			expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
			expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true);
			expect(await fitsWidth(receipt)).toBe(true);
			await screenshot(receipt, `issued-receipt-${width}`);
			await context.close();
		}

		const accepted = await api('POST', `/api/cases/${caseId}/accept`, {
			token: await staffToken('agent')
		});
		expect(accepted.status).toBe(200);
		for (const width of [360, 1366]) {
			const context = await phoneContext(browser, { width });
			const page = await context.newPage();
			await loginThroughForm(page, me.phone, me.password);
			await page.waitForURL((url) => url.pathname === '/my');
			await page.goto(`/cases/${caseId}`);
			const notice = await openInNewTab(context, page, /受理通知书/);
			expect(new URL(notice.url()).pathname).toBe(`/cases/${caseId}/notice`);
			expect(await notice.locator('[data-accepting-org]').textContent()).toBe('胶州市');
			expect(await notice.locator('[data-expected]').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(await notice.locator('[data-contact-phone]').textContent()).toMatch(/^0532-/);
			await notice.getByText(/就近领取：胶州市/).waitFor();
			expect(await fitsWidth(notice)).toBe(true);
			await screenshot(notice, `issued-notice-${width}`);
			// printed: the document alone, without the site's navigation and the print button
			await notice.emulateMedia({ media: 'print' });
			expect(await notice.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
			expect(await notice.locator('header.site nav').isVisible()).toBe(false);
			expect(await notice.locator('[data-contact-phone]').isVisible()).toBe(true);
			await screenshot(notice, `issued-notice-print-${width}`);
			await context.close();
		}
	});

	it('an admin sees a bad phone refused on its field, and saves address, phone and hours', async () => {
		for (const width of [360, 1366]) {
			const context = await phoneContext(browser, { width });
			const page = await context.newPage();
			await loginThroughForm(page, 'admin', DEMO_PASSWORD);
			await page.waitForURL((url) => url.pathname === '/admin');
			await page.goto('/admin/org-units');
			const fuan = page.locator('[data-org-unit="370281002"]');
			await fuan.getByLabel('联系电话').fill('12ab');
			await fuan.getByRole('button', { name: '保存' }).click();
			await fuan.getByText('请输入固定电话（如 0532-87212345）或 11 位手机号').waitFor();
			expect(await fitsWidth(page)).toBe(true);
			await screenshot(page, `org-units-admin-${width}`);
			await fuan.getByLabel('联系电话').fill('0532-80001102');
			await fuan.getByRole('button', { name: '保存' }).click();
			await fuan.getByText('已保存“九龙街道”的信息。').waitFor();
			await context.close();
		}
	});
});

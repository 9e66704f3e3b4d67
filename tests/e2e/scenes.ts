// Scenes of the hall for e2e tests, built through the API from the test process: staff of a
// test alone, a desk opened and closed again, a citizen's video ticket called, its session.
import { expect, inject, onTestFinished } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, closeDesksOf, demoStaffToken, type Citizen } from './hall.ts';

export const LICENSE = '370281-XZSP-001'; // 个体工商户设立登记, category A, by video at 胶州市

let serial = 0;
/** A staff account of this test alone, created by the demo admin; returns its session token. */
export async function newStaff(role: 'agent' | 'township', orgCode: string, name: string) {
	const admin = await demoStaffToken('admin');
	const orgs = (await api('GET', '/api/org-units', { token: admin })).body.orgUnits as {
		id: string;
		code: string;
	}[];
	const username = `e2e-${role}-${process.pid}-${Date.now().toString(36)}-${serial++}`;
	const created = await api('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username,
			name,
			role,
			orgUnitId: orgs.find((o) => o.code === orgCode)!.id,
			password: 'E2e#Staff2026'
		}
	});
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const login = await api('POST', '/api/auth/login', {
		body: { login: username, password: 'E2e#Staff2026' }
	});
	return { id: created.body.user.id as string, token: login.body.token as string, name };
}

/** A browser context already signed in with the given session token (in 适老化 mode: `care`). */
export async function signedIn(
	browser: Browser,
	token: string,
	viewport: { width: number; height: number },
	phone = false,
	care = false
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		baseURL: inject('e2e').baseUrl,
		viewport,
		locale: 'zh-CN',
		permissions: ['camera', 'microphone'],
		deviceScaleFactor: 1,
		hasTouch: phone,
		isMobile: phone
	});
	const url = inject('e2e').baseUrl;
	await context.addCookies([
		{ name: 'hall_session', value: token, url },
		{ name: 'care', value: care ? 'on' : 'off', url }
	]);
	return { context, page: await context.newPage() };
}

/** Opens a free desk of 胶州市 for the agent; closed again when the test ends. */
export async function openDesk(agent: string) {
	const desks = (await api('GET', '/api/desks', { token: agent })).body.desks as {
		id: string;
		name: string;
		servedBy: unknown;
	}[];
	const desk = desks.find((d) => !d.servedBy && /号窗口$/.test(d.name));
	if (!desk) throw new Error('no free desk at 胶州市');
	const opened = await api('POST', `/api/desks/${desk.id}/open`, {
		token: agent,
		body: { categories: ['A'] }
	});
	expect(opened.status, JSON.stringify(opened.body)).toBe(200);
	onTestFinished(() => closeDesksOf(agent));
	return desk.id;
}

export async function takeVideoTicket(citizen: Citizen) {
	const items = (await api('GET', '/api/services')).body.items as { id: string; code: string }[];
	const res = await api('POST', '/api/queue/tickets', {
		token: citizen.token,
		body: { serviceId: items.find((i) => i.code === LICENSE)!.id, channel: 'video' }
	});
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body.ticket as { id: string; code: string };
}

/** Calls until the citizen's ticket is at the desk (finishing any other test's leftovers). */
export async function callTicket(agent: string, deskId: string, ticketId: string) {
	for (let i = 0; i < 50; i++) {
		const called = await api('POST', `/api/desks/${deskId}/call-next`, { token: agent });
		expect(called.status, JSON.stringify(called.body)).toBe(200);
		if (called.body.ticket.id === ticketId) return;
		await api('POST', `/api/queue/tickets/${called.body.ticket.id}/finish`, { token: agent });
	}
	throw new Error('the ticket was never called');
}

export async function openSession(agent: string, ticketId: string) {
	const res = await api('POST', '/api/video-sessions', { token: agent, body: { ticketId } });
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body.session.id as string;
}

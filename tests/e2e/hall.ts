// Test data and clean-up for the e2e tests, through the app's own API from the test process.
// All e2e files share one app server (global-setup.ts) and run in any order, so a test makes
// its own citizen and leaves desks and tickets as it found them, also when it fails.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject, onTestFinished } from 'vitest';

export interface Citizen {
	id: string;
	name: string;
	phone: string;
	password: string;
	token: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** One call to the app's API as the given user (Bearer token), from the test process. */
export async function api(
	method: string,
	path: string,
	o: { token?: string; body?: unknown } = {}
): Promise<{ status: number; body: Json }> {
	const res = await fetch(`${inject('e2e').baseUrl}${path}`, {
		method,
		headers: {
			...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
			...(o.body !== undefined ? { 'content-type': 'application/json' } : {})
		},
		body: o.body !== undefined ? JSON.stringify(o.body) : undefined
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * A citizen account of this test alone (a new, random phone number), registered through the
 * API. When the test ends, passed or failed, the citizen's tickets still waiting are cancelled.
 */
export async function newCitizen(name: string): Promise<Citizen> {
	const password = 'E2e#Citizen2026';
	for (let attempt = 0; attempt < 5; attempt++) {
		const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
		const sent = await api('POST', '/api/auth/phone-codes', {
			body: { phone, purpose: 'register' }
		});
		expect(sent.status, `code for ${phone}: ${JSON.stringify(sent.body)}`).toBe(202);
		const code = smsCodeFor(phone);
		if (!code) continue; // that number is taken (its SMS says so, without a code): draw another
		const res = await api('POST', '/api/auth/register', { body: { phone, code, password, name } });
		expect(res.status, `register ${phone}: ${JSON.stringify(res.body)}`).toBe(201);
		const citizen = { id: res.body.user.id, name, phone, password, token: res.body.token };
		onTestFinished(() => cancelWaitingTickets(citizen.token));
		return citizen;
	}
	throw new Error('could not find a free phone number for a new citizen');
}

/** The code in the last text message the app wrote for a phone (its DATA_DIR/sms.log). */
export function smsCodeFor(phone: string): string | null {
	const file = path.join(inject('e2e').dataDir, 'sms.log');
	if (!fs.existsSync(file)) return null;
	const mine = fs
		.readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as { to: string; text: string })
		.filter((m) => m.to === phone);
	return mine.at(-1)?.text.match(/\d{6}/)?.[0] ?? null;
}

/** Cancels the citizen's tickets that are still waiting (the called ones are the desk's). */
export async function cancelWaitingTickets(token: string): Promise<void> {
	const mine = await api('GET', '/api/queue/tickets', { token });
	for (const t of (mine.body?.tickets ?? []) as { id: string; status: string }[])
		if (t.status === 'waiting') await api('POST', `/api/queue/tickets/${t.id}/cancel`, { token });
}

/** The session token of whoever is signed in in the browser context (its hall_session cookie). */
export async function tokenOf(context: BrowserContext): Promise<string> {
	const cookie = (await context.cookies()).find((c) => c.name === 'hall_session');
	if (!cookie) throw new Error('nobody is signed in in this browser context');
	return cookie.value;
}

/**
 * Once the staff member signed in in the context has a session: when the test ends, passed or
 * failed, every desk they serve has its current ticket finished (which ends its video session)
 * and is closed, so the next test finds the desks closed and nobody called.
 */
export async function closeDesksWhenDone(context: BrowserContext): Promise<void> {
	const token = await tokenOf(context);
	onTestFinished(() => closeDesksOf(token));
}

/** Finishes the current ticket of each desk the staff member serves, and closes the desk. */
export async function closeDesksOf(token: string): Promise<void> {
	const me = (await api('GET', '/api/me', { token })).body?.user?.id;
	const desks = (await api('GET', '/api/desks', { token })).body?.desks ?? [];
	for (const desk of desks as {
		id: string;
		servedBy: { id: string } | null;
		current: { id: string } | null;
	}[]) {
		if (!me || desk.servedBy?.id !== me) continue;
		if (desk.current) await api('POST', `/api/queue/tickets/${desk.current.id}/finish`, { token });
		const closed = await api('POST', `/api/desks/${desk.id}/close`, { token });
		if (closed.status !== 200)
			console.warn(`e2e clean-up: desk ${desk.id} not closed: ${JSON.stringify(closed.body)}`);
	}
}

/**
 * Ticks exactly these categories on the desk's 开窗 form (on the desk page), which otherwise
 * shows the categories the desk was last opened with, by whichever test that was.
 */
export async function chooseCategories(page: Page, deskName: string, codes: string[]) {
	const card = page
		.locator('li.card')
		.filter({ has: page.getByRole('heading', { name: deskName, exact: true }) });
	const boxes = card.locator('input[name="categories"]');
	await boxes.first().waitFor();
	for (const box of await boxes.all())
		await box.setChecked(codes.includes((await box.getAttribute('value')) ?? ''));
}

// Test data and clean-up for the e2e tests, through the app's own API from the test process.
// All e2e files share one app server (global-setup.ts) and run in any order, so a test makes
// its own citizen and leaves desks and tickets as it found them, also when it fails.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject, onTestFinished } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { TOTP_PERIOD_SECONDS, totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../server/demo/hall.ts';

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
 * Signs in through the API and, when asked, gives the second factor: a real code of
 * `totpSecret` (the demo staff's by default), trying steps c-1, c and c+1 while the account
 * already used one, then waiting for the next step. Answers the login's body (token, user).
 */
export async function signInThroughApi(
	login: string,
	password = DEMO_PASSWORD,
	totpSecret = DEMO_TOTP_SECRET
): Promise<Json> {
	const res = await api('POST', '/api/auth/login', { body: { login, password } });
	expect(res.status, `login ${login}: ${JSON.stringify(res.body)}`).toBe(200);
	if (res.body.secondFactor !== 'verify') return res.body;
	const key = decodeBase32IgnorePadding(totpSecret);
	for (let round = 0; round < 3; round++) {
		const current = totpStep(Date.now());
		for (const step of [current - 1, current, current + 1]) {
			const verified = await api('POST', '/api/auth/two-factor/verify', {
				token: res.body.token,
				body: { code: totpCode(key, step) }
			});
			if (verified.status === 200) return res.body;
			// a code sent just as the step moved past its window is wrong, not used: try the next
			const expiredInFlight = totpStep(Date.now()) > step + 1;
			if (verified.body?.error?.code !== 'code_already_used' && !expiredInFlight)
				throw new Error(`second factor of ${login}: ${JSON.stringify(verified.body)}`);
		}
		const nextStepAt = (current + 1) * TOTP_PERIOD_SECONDS * 1000;
		await new Promise((r) => setTimeout(r, nextStepAt - Date.now() + 250));
	}
	throw new Error(`second factor of ${login}: no unused code`);
}

const demoTokens = new Map<string, string>();
/**
 * A session token of a demo staff account (DEMO_PASSWORD and DEMO_TOTP_SECRET), reused within
 * the file while it is still signed in: each sign-in uses up one of the account's codes.
 */
export async function demoStaffToken(login: string): Promise<string> {
	const cached = demoTokens.get(login);
	if (cached && (await api('GET', '/api/me', { token: cached })).status === 200) return cached;
	const token = (await signInThroughApi(login)).token as string;
	demoTokens.set(login, token);
	return token;
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

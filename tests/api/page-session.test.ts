// The pages' hook (web/hooks.server.ts) asks server/http/page-session.ts who is signed in instead
// of calling GET /api/me on every page: both answer the same user, the same 适老化 mode, the same
// 代办 (whom the sign-in acts for) and the same Set-Cookie (renewed or removed), from one rule,
// validateSessionToken.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { confirmedGrant, startActing } from './builders.ts';
import { newCitizen } from './booking-helpers.ts';
import { pageVisitor } from '../../server/http/page-session.ts';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';

const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

/** What GET /api/me answers to a browser sending the session cookie. */
async function meByCookie(token: string) {
	const res = await h.request('GET', '/api/me', { cookie: `hall_session=${token}` });
	return {
		status: res.status,
		body: res.status === 200 ? await res.json() : null,
		setCookie: res.headers.get('set-cookie')
	};
}

async function signIn(phone: string): Promise<string> {
	const res = await h.request('POST', '/api/auth/login', {
		body: { login: phone, password: 'Citizen#2026' }
	});
	return ((await res.json()) as { token: string }).token;
}

describe('who a page is for', () => {
	it('names the signed-in citizen and the account’s 适老化 mode as /api/me does, without a cookie while the session is fresh', async () => {
		const citizen = await newCitizen(h, '页面');
		const visitor = await pageVisitor(h.deps, citizen.token);
		const me = await meByCookie(citizen.token);
		expect(visitor).toEqual({ user: me.body.user, careMode: false, acting: null, setCookie: null });
		expect(me.setCookie).toBeNull();

		await h.request('PUT', '/api/me/preferences', {
			token: citizen.token,
			body: { careMode: true }
		});
		expect((await pageVisitor(h.deps, citizen.token)).careMode).toBe(true);
		expect((await meByCookie(citizen.token)).body.preferences.careMode).toBe(true);
	});

	it('renews a session in the second half of its life with the very cookie the API sends', async () => {
		const citizen = await newCitizen(h, '续期');
		const other = await signIn(citizen.phone);
		h.clock.advance(16 * DAY);
		const visitor = await pageVisitor(h.deps, citizen.token);
		const me = await meByCookie(other);
		expect(visitor.user?.id).toBe(citizen.id);
		expect(visitor.setCookie).toMatch(/HttpOnly/);
		expect(visitor.setCookie!.replace(citizen.token, 'TOKEN')).toBe(
			me.setCookie!.replace(other, 'TOKEN')
		);
		// renewed once: the next page within the period sends no cookie again
		expect((await pageVisitor(h.deps, citizen.token)).setCookie).toBeNull();
	});

	it('removes the cookie of an unknown or expired session as the API does, and names nobody', async () => {
		const bogus = 'a'.repeat(32);
		const visitor = await pageVisitor(h.deps, bogus);
		const me = await meByCookie(bogus);
		expect(me.status).toBe(401);
		expect(visitor).toEqual({ user: null, careMode: false, acting: null, setCookie: me.setCookie });
		expect(visitor.setCookie).toMatch(/Max-Age=0/);

		const citizen = await newCitizen(h, '过期');
		h.clock.advance(31 * DAY);
		expect(await pageVisitor(h.deps, citizen.token)).toEqual(visitor);
	});

	it('names nobody for a session still awaiting its second factor, and keeps its cookie', async () => {
		const res = await h.request('POST', '/api/auth/login', {
			body: { login: 'agent', password: DEMO_PASSWORD },
			ip: '198.51.100.200'
		});
		const { token, secondFactor } = (await res.json()) as { token: string; secondFactor: string };
		expect(secondFactor).toBe('verify');
		const me = await meByCookie(token);
		expect(me.status).toBe(401);
		expect(me.setCookie).toBeNull();
		expect(await pageVisitor(h.deps, token)).toEqual({
			user: null,
			careMode: false,
			acting: null,
			setCookie: null
		});
	});

	it('names whom a sign-in acts for (代办) as /api/me does, and the grant ended once revoked', async () => {
		const proxy = await newCitizen(h, '代办人');
		const grantor = await newCitizen(h, '委托人');
		const grantId = await confirmedGrant(h, proxy, grantor);
		expect((await pageVisitor(h.deps, proxy.token)).acting).toBeNull();
		await startActing(h, proxy, grantId);

		const acting = (await pageVisitor(h.deps, proxy.token)).acting;
		expect(acting).toEqual((await meByCookie(proxy.token)).body.acting);
		expect(acting).toMatchObject({ grantId, state: 'active' });

		const revoked = await h.request('POST', `/api/proxy/grants/${grantId}/revoke`, {
			token: grantor.token
		});
		expect(revoked.status).toBe(200);
		const ended = (await pageVisitor(h.deps, proxy.token)).acting;
		expect(ended).toEqual((await meByCookie(proxy.token)).body.acting);
		expect(ended).toMatchObject({ grantId, state: 'ended' });
		// the grantor's own pages act for nobody
		expect((await pageVisitor(h.deps, grantor.token)).acting).toBeNull();
	});
});

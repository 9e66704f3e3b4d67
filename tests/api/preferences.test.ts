// 适老化 mode kept for the account (issue 18): each signed-in user sets their own, /me reads it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const prefs = async (token: string) =>
	(await (await h.request('GET', '/api/me', { token })).json()).preferences;

describe('preferences', () => {
	it('a user switches 适老化 mode for their own account only; /me reads it back', async () => {
		const a = await newCitizen(h, '甲');
		const b = await newCitizen(h, '乙');
		expect(await prefs(a.token)).toEqual({ careMode: false });
		const on = await h.request('PUT', '/api/me/preferences', {
			token: a.token,
			body: { careMode: true }
		});
		expect(on.status).toBe(200);
		expect(await on.json()).toEqual({ preferences: { careMode: true } });
		expect(await prefs(a.token)).toEqual({ careMode: true });
		expect(await prefs(b.token)).toEqual({ careMode: false });
		const staff = await h.loginAs('agent');
		expect(await prefs(staff)).toEqual({ careMode: false });
		await h.request('PUT', '/api/me/preferences', { token: a.token, body: { careMode: false } });
		expect(await prefs(a.token)).toEqual({ careMode: false });
	});

	it('rejects bad input naming the field and changes nothing; 401 without a session', async () => {
		const a = await newCitizen(h, '丙');
		const bad = await h.request('PUT', '/api/me/preferences', {
			token: a.token,
			body: { careMode: 'yes' }
		});
		expect(bad.status).toBe(400);
		expect(Object.keys((await bad.json()).error.fields)).toEqual(['careMode']);
		expect(await prefs(a.token)).toEqual({ careMode: false });
		const anonymous = await h.request('PUT', '/api/me/preferences', { body: { careMode: true } });
		expect(anonymous.status).toBe(401);
	});
});

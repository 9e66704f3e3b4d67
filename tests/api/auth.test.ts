import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, createHarness, lastSmsCode, type Harness } from './harness.ts';

// Every test on a fresh hall with its own clock: no accounts but the demo ones, no failed logins.
let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const DAY = 24 * 60 * 60 * 1000;

/** Registers as a citizen does: a code by SMS (read back from sms.log), then the form. */
async function register(phone: string, password = 'Secret#123', name = '刘芳') {
	const sent = await h.request('POST', '/api/auth/phone-codes', {
		body: { phone, purpose: 'register' }
	});
	expect(sent.status).toBe(202);
	const code = lastSmsCode(h.dir, phone.normalize('NFKC').replace(/\s/g, ''));
	return h.request('POST', '/api/auth/register', { body: { phone, code, password, name } });
}

function sessionCookie(res: Response): string {
	const set = res.headers.get('set-cookie') ?? '';
	const m = /hall_session=([^;]*)/.exec(set);
	if (!m) throw new Error(`no session cookie in ${set}`);
	return `hall_session=${m[1]}`;
}

describe('registration', () => {
	it('registers a citizen, signs them in and sets an HttpOnly SameSite=Lax cookie', async () => {
		const res = await register('13912345678');
		expect(res.status).toBe(201);
		const body = await res.json();
		expect(body.user).toMatchObject({
			role: 'citizen',
			phone: '13912345678',
			name: '刘芳',
			orgUnitId: null
		});
		expect(body.token).toMatch(/^[a-z2-7]{32}$/);
		const cookie = res.headers.get('set-cookie')!;
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		const me = await h.request('GET', '/api/me', { cookie: sessionCookie(res) });
		expect((await me.json()).user.phone).toBe('13912345678');
	});

	it('stores only a hash of the session token and an Argon2id password hash', async () => {
		const res = await register('13912340000', 'Another#Pass1');
		const { token, user } = await res.json();
		const sessions = await h.store.all<{ id: string }>(
			'SELECT id FROM sessions WHERE user_id = ?',
			[user.id]
		);
		expect(sessions).toHaveLength(1);
		expect(sessions[0].id).not.toContain(token);
		expect(sessions[0].id).toMatch(/^[0-9a-f]{64}$/);
		const row = (await h.store.get<{ password_hash: string }>(
			'SELECT password_hash FROM users WHERE id = ?',
			[user.id]
		))!;
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
	});

	it.each([
		['missing fields', {}, ['phone', 'code', 'password', 'name']],
		[
			'a 10-digit phone',
			{ phone: '1391234567', code: '123456', password: 'Secret#123', name: '刘' },
			['phone']
		],
		[
			'a 12-digit phone',
			{ phone: '139123456789', code: '123456', password: 'Secret#123', name: '刘' },
			['phone']
		],
		[
			'a phone not starting with 1',
			{ phone: '23912345678', code: '123456', password: 'Secret#123', name: '刘' },
			['phone']
		],
		[
			'wrong types',
			{ phone: 13912345678, code: 123456, password: 12345678, name: ['x'] },
			['phone', 'code', 'password', 'name']
		],
		[
			'a short password',
			{ phone: '13912349999', code: '123456', password: 'short', name: '刘' },
			['password']
		],
		[
			'a 5-digit code',
			{ phone: '13912349999', code: '12345', password: 'Secret#123', name: '刘' },
			['code']
		],
		[
			'a blank name',
			{ phone: '13912349999', code: '123456', password: 'Secret#123', name: '   ' },
			['name']
		]
	])('rejects %s with 400 naming each bad field and writes nothing', async (_, body, fields) => {
		const users = await count(h.store, 'users');
		const sessions = await count(h.store, 'sessions');
		const res = await h.request('POST', '/api/auth/register', { body });
		expect(res.status).toBe(400);
		const json = await res.json();
		expect(json.error.code).toBe('validation_failed');
		expect(Object.keys(json.error.fields).sort()).toEqual([...fields].sort());
		expect(await count(h.store, 'users')).toBe(users);
		expect(await count(h.store, 'sessions')).toBe(sessions);
	});

	it('accepts full-width digits and spaces in a phone number, stored normalised', async () => {
		const res = await register('１３９ １２３４ ５５５５');
		expect(res.status).toBe(201);
		expect((await res.json()).user.phone).toBe('13912345555');
	});

	it('rejects a body that is not JSON with 400, and an oversized body with 413, writing nothing', async () => {
		const users = await count(h.store, 'users');
		const bad = await h.request('POST', '/api/auth/register', { body: '{"phone": ' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.code).toBeTruthy();
		const huge = await h.request('POST', '/api/auth/register', {
			body: { phone: '13900000000', password: 'Secret#123', name: 'x'.repeat(2 * 1024 * 1024) }
		});
		expect(huge.status).toBe(413);
		expect((await huge.json()).error.code).toBe('payload_too_large');
		// as node:http sends them: with the body's length declared, judged by the header alone
		const body = JSON.stringify({
			phone: '13900000000',
			password: 'Secret#123',
			name: 'x'.repeat(2 * 1024 * 1024)
		});
		const declared = await h.request('POST', '/api/auth/register', {
			body,
			headers: { 'content-type': 'application/json', 'content-length': String(body.length) }
		});
		expect(declared.status).toBe(413);
		expect((await declared.json()).error.code).toBe('payload_too_large');
		expect(await count(h.store, 'users')).toBe(users);
		// a body within its declared length is read and judged by the route: a field's reason
		const small = JSON.stringify({ phone: '123', password: 'Secret#123', name: '李四' });
		const read = await h.request('POST', '/api/auth/register', {
			body: small,
			headers: {
				'content-type': 'application/json',
				'content-length': String(Buffer.byteLength(small))
			}
		});
		expect(read.status).toBe(400);
		expect((await read.json()).error.fields).toHaveProperty('phone');
		expect(await count(h.store, 'users')).toBe(users);
	});
});

describe('login', () => {
	it('signs a citizen in by phone and staff by username, with cookie and Bearer both accepted', async () => {
		const citizen = await h.request('POST', '/api/auth/login', {
			body: { login: '13800000001', password: 'Demo@2026' }
		});
		expect(citizen.status).toBe(200);
		const { token, user } = await citizen.json();
		expect(user.role).toBe('citizen');
		const viaBearer = await h.request('GET', '/api/me', { token });
		expect((await viaBearer.json()).user.id).toBe(user.id);
		const viaCookie = await h.request('GET', '/api/me', { cookie: sessionCookie(citizen) });
		expect((await viaCookie.json()).user.id).toBe(user.id);

		const staff = await h.request('POST', '/api/auth/login', {
			body: { login: 'Agent', password: 'Demo@2026' }
		});
		expect(staff.status).toBe(200);
		expect((await staff.json()).user).toMatchObject({ role: 'agent', username: 'agent' });
	});

	it('answers a wrong password and an unknown login alike with 401', async () => {
		const wrong = await h.request('POST', '/api/auth/login', {
			body: { login: 'agent', password: 'nope-nope' }
		});
		const unknown = await h.request('POST', '/api/auth/login', {
			body: { login: 'nobody', password: 'nope-nope' }
		});
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		expect((await wrong.json()).error).toEqual((await unknown.json()).error);
		expect(wrong.headers.get('set-cookie')).toBeNull();
	});

	it('locks an account after 5 failures in 15 minutes, even for the right password, until the lock ends', async () => {
		await register('13700000077', 'Right#Pass1');
		const attempt = (password: string) =>
			h.request('POST', '/api/auth/login', {
				body: { login: '13700000077', password },
				ip: '192.0.2.50'
			});
		for (let i = 0; i < 4; i++) expect((await attempt('wrong-pass')).status).toBe(401);
		h.clock.advance(60_000); // failures spread over time still count within the window
		expect((await attempt('wrong-pass')).status).toBe(401);
		const locked = await attempt('Right#Pass1');
		expect(locked.status).toBe(429);
		expect((await locked.json()).error.code).toBe('account_locked');
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
		h.clock.advance(15 * 60_000);
		expect((await attempt('Right#Pass1')).status).toBe(200);
		// success clears the count: one more failure does not lock again
		expect((await attempt('wrong-pass')).status).toBe(401);
		expect((await attempt('Right#Pass1')).status).toBe(200);
	});

	it('limits attempts per address per minute', async () => {
		const ip = '192.0.2.99';
		let last: Response | undefined;
		for (let i = 0; i < 31; i++)
			last = await h.request('POST', '/api/auth/login', {
				body: { login: `user${i}`, password: 'x' },
				ip
			});
		expect(last!.status).toBe(429);
		expect((await last!.json()).error.code).toBe('rate_limited');
		h.clock.advance(61_000);
		const again = await h.request('POST', '/api/auth/login', {
			body: { login: 'agent', password: 'Demo@2026' },
			ip
		});
		expect(again.status).toBe(200);
	});

	// On PostgreSQL these run at once on several connections: the counts must be one upsert each
	it('counts attempts made at the same moment: exactly the per-minute limit gets through', async () => {
		const ip = '192.0.2.98';
		const results = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				h.request('POST', '/api/auth/login', { body: { login: `at-once${i}`, password: 'x' }, ip })
			)
		);
		const statuses = results.map((r) => r.status);
		expect(statuses.filter((s) => s === 401)).toHaveLength(30);
		expect(statuses.filter((s) => s === 429)).toHaveLength(10);
	});

	it('locks an account once when wrong passwords arrive at the same moment', async () => {
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, i) =>
				h.request('POST', '/api/auth/login', {
					body: { login: 'agent', password: `wrong-${i}` },
					ip: `192.0.2.${120 + i}`
				})
			)
		);
		expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
		const locked = await h.store.all("SELECT seq FROM audit_log WHERE action = 'auth.locked'");
		expect(locked).toHaveLength(1);
		const right = await h.request('POST', '/api/auth/login', {
			body: { login: 'agent', password: 'Demo@2026' },
			ip: '192.0.2.130'
		});
		expect((await right.json()).error.code).toBe('account_locked');
	});

	it('rejects a login body with missing fields, naming them', async () => {
		const res = await h.request('POST', '/api/auth/login', { body: { login: '' } });
		expect(res.status).toBe(400);
		expect(Object.keys((await res.json()).error.fields).sort()).toEqual(['login', 'password']);
	});
});

describe('sessions', () => {
	it('logs out: the token stops working and the cookie is cleared', async () => {
		const token = await h.loginAs('supervisor');
		const out = await h.request('POST', '/api/auth/logout', { token });
		expect(out.status).toBe(204);
		expect(out.headers.get('set-cookie')).toMatch(/hall_session=;/);
		expect((await h.request('GET', '/api/me', { token })).status).toBe(401);
		expect((await h.request('POST', '/api/auth/logout', { token })).status).toBe(401);
	});

	it('expires a session after 30 days unused, and slides it forward when used in its second half', async () => {
		// a citizen's: staff sessions end far sooner, after 30 idle minutes (staff-idle.test.ts)
		const token = await h.loginAs('citizen');
		h.clock.advance(20 * DAY);
		const renewed = await h.request('GET', '/api/me', { cookie: `hall_session=${token}` });
		expect(renewed.status).toBe(200);
		expect(renewed.headers.get('set-cookie')).toMatch(/hall_session=/); // expiry moved forward
		h.clock.advance(20 * DAY); // 40 days after login, 20 after the renewal
		expect((await h.request('GET', '/api/me', { token })).status).toBe(200);
		h.clock.advance(31 * DAY);
		const expired = await h.request('GET', '/api/me', { token });
		expect(expired.status).toBe(401);
		expect((await expired.json()).error.code).toBe('unauthenticated');
	});

	it('rejects a malformed or unknown token with 401', async () => {
		expect((await h.request('GET', '/api/me', { token: 'garbage' })).status).toBe(401);
		expect((await h.request('GET', '/api/me', { token: 'a'.repeat(32) })).status).toBe(401);
		expect((await h.request('GET', '/api/me')).status).toBe(401);
	});
});

// Proving a phone by SMS: registration and 忘记密码 (issue 17). Codes are read back from
// DATA_DIR/sms.log, as an outside tool would, with the harness clock moving time.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { count, createHarness, lastSmsCode, type Harness } from './harness.ts';
import { createLogSmsGateway } from '../../server/notify/sms.ts';

const MINUTE = 60_000;
let h: Harness;
afterEach(() => h?.close());

let next = 0;
/** A phone number no other test uses. */
function freshPhone(): string {
	return `137${String(process.pid % 10000).padStart(4, '0')}${String(next++).padStart(4, '0')}`;
}

function askCode(phone: string, purpose: 'register' | 'reset' = 'register', ip = '198.51.100.20') {
	return h.request('POST', '/api/auth/phone-codes', { body: { phone, purpose }, ip });
}

function register(phone: string, code: string | null, ip = '198.51.100.20') {
	return h.request('POST', '/api/auth/register', {
		body: { phone, code: code ?? '000000', password: 'Secret#123', name: '周梅' },
		ip
	});
}

function smsLines(): { to: string; text: string; at: string }[] {
	const file = path.join(h.dir, 'sms.log');
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l));
}

/** A code that is not the one sent. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('a registration code by SMS', () => {
	it('is written at once to sms.log as {to, text, at}, stored only as a hash, and registers the phone', async () => {
		h = await createHarness();
		const phone = freshPhone();
		const res = await askCode(phone);
		expect(res.status).toBe(202);
		expect(await res.json()).toEqual({
			phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
			expiresInSeconds: 300,
			resendAfterSeconds: 60
		});
		const [line] = smsLines();
		expect(line).toEqual({
			to: phone,
			text: expect.stringMatching(/\d{6}/),
			at: expect.any(String)
		});
		const code = lastSmsCode(h.dir, phone)!;
		const stored = await h.store.all('SELECT * FROM phone_codes WHERE phone = ?', [phone]);
		expect(JSON.stringify(stored)).not.toContain(code);

		const ok = await register(phone, code);
		expect(ok.status).toBe(201);
		expect((await ok.json()).user.phone).toBe(phone);
		// used once: the same code cannot register again
		expect((await register(phone, code)).status).toBe(400);
	});

	it('lives 5 minutes', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		const code = lastSmsCode(h.dir, phone)!;
		h.clock.advance(5 * MINUTE);
		const users = await count(h.store, 'users');
		const late = await register(phone, code);
		expect(late.status).toBe(400);
		expect((await late.json()).error).toMatchObject({
			code: 'invalid_code',
			fields: { code: expect.any(String) }
		});
		expect(await count(h.store, 'users')).toBe(users);
	});

	it('allows 5 attempts: after 5 wrong codes the right one is refused too', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		const code = lastSmsCode(h.dir, phone)!;
		for (let i = 0; i < 4; i++) expect((await register(phone, wrong(code))).status).toBe(400);
		// four wrong, the fifth attempt still works
		expect((await register(phone, code)).status).toBe(201);

		const other = freshPhone();
		await askCode(other);
		const code2 = lastSmsCode(h.dir, other)!;
		for (let i = 0; i < 5; i++) expect((await register(other, wrong(code2))).status).toBe(400);
		const users = await count(h.store, 'users');
		expect((await register(other, code2)).status).toBe(400);
		expect(await count(h.store, 'users')).toBe(users);
	});

	it('counts wrong codes given at the same moment: never more than 5 are checked', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		const code = lastSmsCode(h.dir, phone)!;
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) => register(phone, wrong(code), `198.51.100.${70 + i}`))
		);
		expect(results.every((r) => r.status === 400)).toBe(true);
		// on PostgreSQL the code row is locked while an attempt is checked and counted
		const row = await h.store.get<{ attempts: number }>(
			'SELECT attempts FROM phone_codes WHERE phone = ?',
			[phone]
		);
		expect(row!.attempts).toBe(5);
		expect((await register(phone, code, '198.51.100.80')).status).toBe(400);
	});

	it('is replaced by a new code: the older one no longer works', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		const first = lastSmsCode(h.dir, phone)!;
		h.clock.advance(MINUTE);
		await askCode(phone);
		const second = lastSmsCode(h.dir, phone)!;
		if (first !== second) expect((await register(phone, first)).status).toBe(400);
		expect((await register(phone, second)).status).toBe(201);
	});
});

describe('limits on codes', () => {
	it('per phone: one a minute, SMS_CODES_PER_PHONE_PER_HOUR an hour, with Retry-After', async () => {
		h = await createHarness({ env: { SMS_CODES_PER_PHONE_PER_HOUR: '3' } });
		const phone = freshPhone();
		expect((await askCode(phone)).status).toBe(202);
		const soon = await askCode(phone, 'register', '198.51.100.99');
		expect(soon.status).toBe(429);
		expect((await soon.json()).error.code).toBe('code_too_soon');
		expect(Number(soon.headers.get('retry-after'))).toBeGreaterThan(0);
		h.clock.advance(MINUTE);
		expect((await askCode(phone)).status).toBe(202);
		h.clock.advance(MINUTE);
		// a reset code counts toward the same phone's limit (no flooding through either form)
		expect((await askCode(phone, 'reset')).status).toBe(202);
		h.clock.advance(MINUTE);
		const over = await askCode(phone, 'register', '198.51.100.98');
		expect(over.status).toBe(429);
		expect((await over.json()).error.code).toBe('rate_limited');
		expect(smsLines().filter((m) => m.to === phone)).toHaveLength(2); // the reset went nowhere
		h.clock.advance(60 * MINUTE);
		expect((await askCode(phone)).status).toBe(202);
	});

	// On PostgreSQL these run at once on several connections: the phone's lock lets one through
	it('per phone, asked at the same moment: one code is sent, the others are told to wait', async () => {
		h = await createHarness();
		const phone = freshPhone();
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, i) => askCode(phone, 'register', `198.51.100.${60 + i}`))
		);
		expect(results.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429, 429, 429, 429]);
		const open = await h.store.get<{ n: number }>(
			'SELECT count(*) AS n FROM phone_codes WHERE phone = ? AND spent_at IS NULL',
			[phone]
		);
		expect(open!.n).toBe(1);
		expect(smsLines().filter((m) => m.to === phone)).toHaveLength(1);
	});

	it('per address: SMS_CODES_PER_IP_PER_HOUR codes and REGISTER_PER_IP_PER_HOUR registrations', async () => {
		h = await createHarness({
			env: { SMS_CODES_PER_IP_PER_HOUR: '2', REGISTER_PER_IP_PER_HOUR: '2' }
		});
		const ip = '198.51.100.30';
		const phones = [freshPhone(), freshPhone(), freshPhone()];
		expect((await askCode(phones[0], 'register', ip)).status).toBe(202);
		expect((await askCode(phones[1], 'register', ip)).status).toBe(202);
		const third = await askCode(phones[2], 'register', ip);
		expect(third.status).toBe(429);
		expect(third.headers.get('retry-after')).toBeTruthy();
		expect(smsLines().some((m) => m.to === phones[2])).toBe(false);
		// another address is not held up
		expect((await askCode(phones[2], 'register', '198.51.100.31')).status).toBe(202);

		expect((await register(phones[0], wrong(lastSmsCode(h.dir, phones[0])!), ip)).status).toBe(400);
		expect((await register(phones[0], lastSmsCode(h.dir, phones[0]), ip)).status).toBe(201);
		const users = await count(h.store, 'users');
		const limited = await register(phones[1], lastSmsCode(h.dir, phones[1]), ip);
		expect(limited.status).toBe(429);
		expect(await count(h.store, 'users')).toBe(users);
		h.clock.advance(60 * MINUTE);
		expect((await register(phones[1], lastSmsCode(h.dir, phones[1]), ip)).status).toBe(400); // expired by now
	});
});

describe('no one learns which phones have accounts', () => {
	it('answers a registered and a free phone alike; the registered one is told by SMS, without a code', async () => {
		h = await createHarness();
		const taken = freshPhone();
		await askCode(taken);
		expect((await register(taken, lastSmsCode(h.dir, taken))).status).toBe(201);
		h.clock.advance(MINUTE);
		const free = freshPhone();

		const a = await askCode(taken);
		const b = await askCode(free);
		expect(a.status).toBe(b.status);
		const mask = (body: { phone: string }) => ({ ...body, phone: 'masked' });
		expect(mask(await a.json())).toEqual(mask(await b.json()));
		const notice = smsLines()
			.filter((m) => m.to === taken)
			.at(-1)!;
		expect(notice.text).toContain('已有账号');
		expect(notice.text).not.toMatch(/\d{6}/);

		const guessTaken = await register(taken, '123456');
		const guessFree = await register(free, wrong(lastSmsCode(h.dir, free)!));
		expect(guessTaken.status).toBe(400);
		expect(guessFree.status).toBe(400);
		expect(await guessTaken.json()).toEqual(await guessFree.json());
	});
});

describe('忘记密码', () => {
	it('resets the password by SMS code, ends every other session and signs in afresh (audited)', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		const first = await register(phone, lastSmsCode(h.dir, phone));
		const { token: oldToken, user } = await first.json();
		const login = await h.request('POST', '/api/auth/login', {
			body: { login: phone, password: 'Secret#123' }
		});
		const otherToken = (await login.json()).token;
		h.clock.advance(MINUTE);

		expect((await askCode(phone, 'reset')).status).toBe(202);
		const code = lastSmsCode(h.dir, phone)!;
		expect(smsLines().at(-1)!.text).toContain('重置密码');
		const reset = await h.request('POST', '/api/auth/password-reset', {
			body: { phone, code, password: 'Brand#New2026' }
		});
		expect(reset.status).toBe(200);
		const { token: newToken } = await reset.json();
		expect(reset.headers.get('set-cookie')).toMatch(/hall_session=/);

		for (const t of [oldToken, otherToken])
			expect((await h.request('GET', '/api/me', { token: t })).status).toBe(401);
		expect((await h.request('GET', '/api/me', { token: newToken })).status).toBe(200);
		const oldPassword = await h.request('POST', '/api/auth/login', {
			body: { login: phone, password: 'Secret#123' }
		});
		expect(oldPassword.status).toBe(401);
		const newPassword = await h.request('POST', '/api/auth/login', {
			body: { login: phone, password: 'Brand#New2026' }
		});
		expect(newPassword.status).toBe(200);
		const audit = await h.store.all<{ detail: string }>(
			"SELECT detail FROM audit_log WHERE action = 'account.password_reset' AND target_id = ?",
			[user.id]
		);
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0].detail)).toEqual({ sessionsEnded: 2 });
		expect(audit[0].detail).not.toContain(code);
		// the code is spent
		const again = await h.request('POST', '/api/auth/password-reset', {
			body: { phone, code, password: 'Other#New2026' }
		});
		expect(again.status).toBe(400);
	});

	it('lifts a lock from wrong passwords', async () => {
		h = await createHarness();
		const phone = freshPhone();
		await askCode(phone);
		await register(phone, lastSmsCode(h.dir, phone));
		for (let i = 0; i < 5; i++)
			await h.request('POST', '/api/auth/login', { body: { login: phone, password: 'Wrong#123' } });
		const locked = await h.request('POST', '/api/auth/login', {
			body: { login: phone, password: 'Secret#123' }
		});
		expect(locked.status).toBe(429);
		h.clock.advance(MINUTE);
		await askCode(phone, 'reset');
		const reset = await h.request('POST', '/api/auth/password-reset', {
			body: { phone, code: lastSmsCode(h.dir, phone), password: 'Brand#New2026' }
		});
		expect(reset.status).toBe(200);
		const login = await h.request('POST', '/api/auth/login', {
			body: { login: phone, password: 'Brand#New2026' }
		});
		expect(login.status).toBe(200);
	});

	it('for a phone with no account answers alike and sends nothing', async () => {
		h = await createHarness();
		const nobody = freshPhone();
		const res = await askCode(nobody, 'reset');
		expect(res.status).toBe(202);
		expect(smsLines().filter((m) => m.to === nobody)).toEqual([]);
		const reset = await h.request('POST', '/api/auth/password-reset', {
			body: { phone: nobody, code: '123456', password: 'Brand#New2026' }
		});
		expect(reset.status).toBe(400);
		expect((await reset.json()).error.code).toBe('invalid_code');
	});

	it('rejects bad input naming each field and changes nothing', async () => {
		h = await createHarness();
		const res = await h.request('POST', '/api/auth/password-reset', {
			body: { phone: '123', code: 'abc', password: 'short' }
		});
		expect(res.status).toBe(400);
		expect(Object.keys((await res.json()).error.fields).sort()).toEqual([
			'code',
			'password',
			'phone'
		]);
		const bad = await h.request('POST', '/api/auth/phone-codes', {
			body: { phone: '13900000000', purpose: 'login' }
		});
		expect(bad.status).toBe(400);
		expect(Object.keys((await bad.json()).error.fields)).toEqual(['purpose']);
	});
});

describe('the SMS edge', () => {
	it('without SMS_GATEWAY: codes answer 503 sms_unavailable and health says no SMS can be sent', async () => {
		h = await createHarness({ env: { SMS_GATEWAY: '' } });
		const res = await askCode(freshPhone());
		expect(res.status).toBe(503);
		expect((await res.json()).error.code).toBe('sms_unavailable');
		const health = await (await h.request('GET', '/api/health')).json();
		expect(health.sms).toMatchObject({ gateway: 'none', delivered: false });
	});

	it('with SMS_GATEWAY=log health says messages are not really delivered', async () => {
		h = await createHarness();
		const health = await (await h.request('GET', '/api/health')).json();
		expect(health.sms).toEqual({
			gateway: 'log',
			delivered: false,
			note: expect.stringContaining('sms.log')
		});
	});

	it('the log gateway keeps the text out of the server log (it may carry a code)', async () => {
		h = await createHarness();
		const logged: unknown[] = [];
		const gateway = createLogSmsGateway((event, fields) => logged.push({ event, fields }), h.dir);
		await gateway.send('13900001111', '【云上大厅】您的注册验证码是246810');
		expect(JSON.stringify(logged)).not.toContain('246810');
		expect(JSON.stringify(logged)).not.toContain('13900001111');
		expect(lastSmsCode(h.dir, '13900001111')).toBe('246810');
	});
});

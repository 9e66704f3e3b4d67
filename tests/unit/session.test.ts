import { describe, expect, it } from 'vitest';
import { generateSessionToken, sessionIdFromToken } from '../../server/auth/session.ts';
import { redact } from '../../server/log.ts';
import { toIso } from '../../server/time.ts';
import { phoneSchema } from '../../shared/schemas/auth.ts';

describe('session tokens', () => {
	it('are 160-bit base32 strings, never repeated, stored as their SHA-256', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
		for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{32}$/);
		const id = sessionIdFromToken('abc');
		expect(id).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('helpers', () => {
	it('logs never carry secrets', () => {
		expect(
			redact({ password: 'x', token: 'y', Authorization: 'z', idNumber: '1', user: 'u' })
		).toEqual({
			password: '[redacted]',
			token: '[redacted]',
			Authorization: '[redacted]',
			idNumber: '[redacted]',
			user: 'u'
		});
	});

	it('formats times in the hall time zone with its offset', () => {
		expect(toIso(Date.parse('2026-11-26T01:02:03.004Z'), 'Asia/Shanghai')).toBe(
			'2026-11-26T09:02:03.004+08:00'
		);
		expect(toIso(Date.parse('2026-11-26T01:02:03Z'), 'UTC')).toBe('2026-11-26T01:02:03.000+00:00');
	});

	it('phone numbers: 11 digits starting with 1, full-width folded', () => {
		expect(phoneSchema.parse('１３８ ０００0-0001')).toBe('13800000001');
		expect(phoneSchema.safeParse('1380000000').success).toBe(false);
		expect(phoneSchema.safeParse('12800000001').success).toBe(false);
	});
});

// Row ids: newId is random; newTimeOrderedId (tickets) sorts by the millisecond it was made and
// looks like newId to everything else (24 characters of the same alphabet).
import { describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { newId, newTimeOrderedId } from '../../server/ids.ts';

const SHAPE = /^[a-z2-7]{24}$/;

describe('row ids', () => {
	it('are 24 base32 characters, and time-ordered ones sort as their instants do', () => {
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const instants = [
			0,
			1,
			255,
			256,
			Date.parse('2026-12-01T08:30:00Z'),
			2 ** 48 - 1,
			...Array.from({ length: 500 }, () => Math.floor(random() * 2 ** 47))
		];
		const ids = instants.map((ms) => ({ ms, id: newTimeOrderedId(ms) }));
		for (const { id } of ids) expect(id).toMatch(SHAPE);
		expect(newId()).toMatch(SHAPE);
		const byText = [...ids].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		const byTime = [...ids].sort((a, b) => a.ms - b.ms);
		expect(byText.map((x) => x.ms)).toEqual(byTime.map((x) => x.ms));
	});

	it('keep 72 random bits within one millisecond: no two alike', () => {
		const at = Date.parse('2026-12-01T08:30:00Z');
		const ids = new Set(Array.from({ length: 10_000 }, () => newTimeOrderedId(at)));
		expect(ids.size).toBe(10_000);
		// the first 48 bits (9.6 characters) are the instant's, the same for all of them
		expect(new Set([...ids].map((id) => id.slice(0, 9))).size).toBe(1);
	});

	it('newId is RFC 4648 base32 of 120 random bits, and no bytes are handed out twice across refills of the pool', () => {
		// 2,000 ids take 30,000 bytes: the 4 KiB pool is refilled several times on the way
		const ids = Array.from({ length: 2000 }, () => newId());
		for (const id of ids) {
			const bytes = decodeBase32IgnorePadding(id.toUpperCase());
			expect(bytes).toHaveLength(15);
			expect(encodeBase32LowerCaseNoPadding(bytes)).toBe(id);
		}
		expect(new Set(ids).size).toBe(ids.length);
		// every character of the alphabet turns up in every position (the bits are all used)
		for (let position = 0; position < 24; position++)
			expect(new Set(ids.map((id) => id[position])).size).toBe(32);
	});
});

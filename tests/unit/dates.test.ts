import { describe, expect, it } from 'vitest';
import {
	addDays,
	isDateString,
	isoWeekday,
	localDate,
	localTime,
	zonedTime
} from '../../shared/dates.ts';

describe('dates in the hall time zone', () => {
	it('converts wall-clock times to instants and back', () => {
		const ms = zonedTime('2026-11-27', '09:30', 'Asia/Shanghai');
		expect(new Date(ms).toISOString()).toBe('2026-11-27T01:30:00.000Z');
		expect(localDate(ms, 'Asia/Shanghai')).toBe('2026-11-27');
		expect(localTime(ms, 'Asia/Shanghai')).toBe('09:30');
		// an instant late in the UTC day is already tomorrow in Shanghai
		expect(localDate(Date.parse('2026-11-26T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-27');
	});

	it('gives the date and time Intl gives, across daylight-saving changes and odd offsets', () => {
		const zones = [
			'Asia/Shanghai',
			'Europe/Berlin',
			'America/New_York',
			'Australia/Lord_Howe',
			'Asia/Kathmandu',
			'Pacific/Chatham',
			'America/St_Johns'
		];
		const from = Date.parse('1995-01-01T00:00:00Z');
		const to = Date.parse('2040-01-01T00:00:00Z');
		let seed = 19;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (const timeZone of zones) {
			const date = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' });
			const time = new Intl.DateTimeFormat('en-GB', {
				timeZone,
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			});
			const instants = Array.from(
				{ length: 1500 },
				() => from + Math.floor(random() * (to - from))
			);
			// every hour of a year and the minutes beside it: every change of offset is among them
			const year = Date.parse('2026-01-01T00:00:00Z');
			for (let ms = year; ms < year + 366 * 86_400_000; ms += 3_600_000)
				instants.push(ms - 60_000, ms, ms + 60_000);
			const wrong = instants
				.map((ms) => ({
					at: new Date(ms).toISOString(),
					ours: `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}`,
					intl: `${date.format(new Date(ms))} ${time.format(new Date(ms))}`
				}))
				.filter((r) => r.ours !== r.intl);
			expect(wrong.slice(0, 5), timeZone).toEqual([]);
		}
	});

	it('answers alike when zones and instants interleave within one quarter hour', () => {
		// 15:59 and 16:01 UTC straddle midnight in Shanghai, not in New York
		const before = Date.parse('2026-11-26T15:59:00Z');
		const after = Date.parse('2026-11-26T16:01:00Z');
		const asked = [before, after, before, after].flatMap((ms) => [
			localDate(ms, 'Asia/Shanghai'),
			localDate(ms, 'America/New_York')
		]);
		expect(asked).toEqual([
			...['2026-11-26', '2026-11-26', '2026-11-27', '2026-11-26'],
			...['2026-11-26', '2026-11-26', '2026-11-27', '2026-11-26']
		]);
	});

	it('handles a daylight-saving zone', () => {
		expect(new Date(zonedTime('2026-03-29', '09:00', 'Europe/Berlin')).toISOString()).toBe(
			'2026-03-29T07:00:00.000Z'
		);
		expect(new Date(zonedTime('2026-03-28', '09:00', 'Europe/Berlin')).toISOString()).toBe(
			'2026-03-28T08:00:00.000Z'
		);
	});

	it('adds days and names weekdays (ISO: Monday = 1)', () => {
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(isoWeekday('2026-11-26')).toBe(4);
		expect(isoWeekday('2026-11-29')).toBe(7);
	});

	it('validates date strings', () => {
		expect(isDateString('2026-02-28')).toBe(true);
		expect(isDateString('2026-02-30')).toBe(false);
		expect(isDateString('2026-2-3')).toBe(false);
	});
});

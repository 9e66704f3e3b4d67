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

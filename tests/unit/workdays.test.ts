import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates.ts';
import {
	addWorkingDays,
	isWorkingDay,
	type CalendarKind,
	type WorkCalendar
} from '../../shared/workdays.ts';

const NONE: WorkCalendar = new Map();

function span(from: string, to: string, kind: CalendarKind): [string, CalendarKind][] {
	const days: [string, CalendarKind][] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) days.push([d, kind]);
	return days;
}

/** The official 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04). */
const CN_2026: WorkCalendar = new Map([
	...span('2026-01-01', '2026-01-03', 'holiday'),
	...span('2026-02-15', '2026-02-23', 'holiday'),
	...span('2026-04-04', '2026-04-06', 'holiday'),
	...span('2026-05-01', '2026-05-05', 'holiday'),
	...span('2026-06-19', '2026-06-21', 'holiday'),
	...span('2026-09-25', '2026-09-27', 'holiday'),
	...span('2026-10-01', '2026-10-07', 'holiday'),
	...['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'].map(
		(d) => [d, 'workday'] as [string, CalendarKind]
	)
]);

describe('working days', () => {
	it('are Monday to Friday unless the calendar says otherwise', () => {
		expect(isWorkingDay('2026-11-27', NONE)).toBe(true); // Friday
		expect(isWorkingDay('2026-11-28', NONE)).toBe(false); // Saturday
		expect(isWorkingDay('2026-11-29', NONE)).toBe(false); // Sunday
		expect(isWorkingDay('2026-10-01', CN_2026)).toBe(false); // Thursday, 国庆节
		expect(isWorkingDay('2026-10-10', CN_2026)).toBe(true); // Saturday, 调休上班
	});

	it('count from the day after, skipping a weekend', () => {
		expect(addWorkingDays('2026-11-27', 1, NONE)).toBe('2026-11-30'); // Fri → Mon
		expect(addWorkingDays('2026-11-28', 1, NONE)).toBe('2026-11-30'); // Sat → Mon
		expect(addWorkingDays('2026-11-26', 5, NONE)).toBe('2026-12-03');
		// the follow-up deadline of a bad rating on Thursday 2026-11-26: three weeks later
		expect(addWorkingDays('2026-11-26', 15, NONE)).toBe('2026-12-17');
		expect(addWorkingDays('2026-11-26', 0, NONE)).toBe('2026-11-26');
	});

	it('skip a holiday on a weekday (constructed calendar)', () => {
		const calendar: WorkCalendar = new Map([['2026-11-30', 'holiday']]); // a Monday
		expect(addWorkingDays('2026-11-27', 1, calendar)).toBe('2026-12-01');
		expect(addWorkingDays('2026-11-26', 15, calendar)).toBe('2026-12-18');
		// a holiday on a weekend changes nothing
		expect(addWorkingDays('2026-11-26', 15, new Map([['2026-11-28', 'holiday']]))).toBe(
			'2026-12-17'
		);
	});

	it('count a Saturday worked in exchange (调休, constructed calendar)', () => {
		const calendar: WorkCalendar = new Map([['2026-11-28', 'workday']]);
		expect(addWorkingDays('2026-11-27', 1, calendar)).toBe('2026-11-28');
		expect(addWorkingDays('2026-11-27', 2, calendar)).toBe('2026-11-30');
		expect(addWorkingDays('2026-11-26', 15, calendar)).toBe('2026-12-16');
	});

	it('follow the 2026 National Day week: 10-01..07 off, Sunday 09-20 and Saturday 10-10 worked', () => {
		expect(addWorkingDays('2026-09-30', 1, CN_2026)).toBe('2026-10-08');
		expect(addWorkingDays('2026-09-30', 3, CN_2026)).toBe('2026-10-10'); // the 调休 Saturday
		expect(addWorkingDays('2026-09-30', 4, CN_2026)).toBe('2026-10-12');
		expect(addWorkingDays('2026-09-19', 1, CN_2026)).toBe('2026-09-20'); // the 调休 Sunday
		expect(addWorkingDays('2026-09-24', 1, CN_2026)).toBe('2026-09-28'); // over 中秋节
		// 15 working days from Friday 2026-09-18 span 中秋节 and 国庆节
		expect(addWorkingDays('2026-09-18', 15, CN_2026)).toBe('2026-10-15');
		// starting on a holiday: the day itself never counts
		expect(addWorkingDays('2026-10-03', 1, CN_2026)).toBe('2026-10-08');
	});

	it('follow the 2026 Spring Festival (02-15..23 off, Saturdays 02-14 and 02-28 worked)', () => {
		expect(addWorkingDays('2026-02-13', 1, CN_2026)).toBe('2026-02-14');
		expect(addWorkingDays('2026-02-13', 2, CN_2026)).toBe('2026-02-24');
		expect(addWorkingDays('2026-02-24', 4, CN_2026)).toBe('2026-02-28');
		expect(addWorkingDays('2025-12-31', 1, CN_2026)).toBe('2026-01-04'); // 元旦, Sunday worked
	});

	it('cross a year end', () => {
		expect(addWorkingDays('2026-12-30', 3, NONE)).toBe('2027-01-04');
	});

	it('refuse bad input and calendars without working days', () => {
		expect(() => addWorkingDays('2026-02-30', 1, NONE)).toThrow(RangeError);
		expect(() => addWorkingDays('2026-11-26', -1, NONE)).toThrow(RangeError);
		expect(() => addWorkingDays('2026-11-26', 1.5, NONE)).toThrow(RangeError);
		const allOff = new Map(span('2026-11-27', '2037-01-01', 'holiday'));
		expect(() => addWorkingDays('2026-11-26', 1, allOff)).toThrow(/no 1 working days/);
	});
});

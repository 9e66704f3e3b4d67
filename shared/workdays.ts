// Working days (工作日) in the Chinese sense: Monday to Friday, except public holidays, plus the
// weekend days worked in exchange (调休上班). Pure: the calendar of exceptions is passed in.
import { addDays, isDateString, isoWeekday, type DateString } from './dates.ts';

export type CalendarKind = 'holiday' | 'workday';
/** Days that differ from the Monday-to-Friday rule, keyed by 'YYYY-MM-DD'. */
export type WorkCalendar = ReadonlyMap<DateString, CalendarKind>;

/** How far addWorkingDays looks before giving up (a calendar without working days). */
const MAX_SCAN_DAYS = 3660;

export function isWorkingDay(day: DateString, calendar: WorkCalendar): boolean {
	const kind = calendar.get(day);
	if (kind === 'holiday') return false;
	if (kind === 'workday') return true;
	return isoWeekday(day) <= 5;
}

/**
 * The n-th working day after `day` (the day itself never counts, whatever it is): a deadline of
 * "15 working days after the rating". n = 0 returns `day` unchanged.
 */
export function addWorkingDays(day: DateString, n: number, calendar: WorkCalendar): DateString {
	if (!isDateString(day)) throw new RangeError(`not a date (YYYY-MM-DD): ${day}`);
	if (!Number.isInteger(n) || n < 0)
		throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
	let current = day;
	let left = n;
	for (let scanned = 0; left > 0; scanned++) {
		if (scanned >= MAX_SCAN_DAYS)
			throw new RangeError(`no ${n} working days within ${MAX_SCAN_DAYS} days after ${day}`);
		current = addDays(current, 1);
		if (isWorkingDay(current, calendar)) left--;
	}
	return current;
}

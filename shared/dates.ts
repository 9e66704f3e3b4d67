// Calendar dates ("YYYY-MM-DD") and wall-clock times in a named time zone, without a date
// library: Intl knows the zones' offsets.

export type DateString = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateString(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

// Building an Intl.DateTimeFormat is far costlier than using one: keep one per zone and kind.
const formatters = new Map<string, Intl.DateTimeFormat>();
const OPTIONS: Record<'date' | 'parts', [string, Intl.DateTimeFormatOptions]> = {
	date: ['en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }],
	parts: [
		'en-US',
		{
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		}
	]
};
function formatter(kind: keyof typeof OPTIONS, timeZone: string): Intl.DateTimeFormat {
	const key = `${kind}|${timeZone}`;
	let f = formatters.get(key);
	if (!f) {
		const [locale, options] = OPTIONS[kind];
		f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
		formatters.set(key, f);
	}
	return f;
}

/**
 * The calendar date of an instant in a time zone. From the zone's offset (kept per quarter hour,
 * below) rather than Intl's format: every ticket read asks for today's date, and formatting cost
 * ~3 µs a call against a fraction of that. tests/unit/dates.test.ts compares both on many instants.
 */
export function localDate(ms: number, timeZone: string): DateString {
	// within one quarter hour the date is one value (offsets are whole quarter hours, below), and
	// the reads of one moment ask for it several times: the last answer is kept
	if (ms >= lastDate.from && ms < lastDate.from + QUARTER_HOUR && timeZone === lastDate.timeZone)
		return lastDate.date;
	const wall = new Date(ms + offsetMs(ms, timeZone));
	const year = wall.getUTCFullYear();
	if (year < 1000 || year > 9999) return formatter('date', timeZone).format(new Date(ms));
	const date = wall.toISOString().slice(0, 10);
	lastDate = { timeZone, from: quarterHourOf(ms), date };
	return date;
}
let lastDate = { timeZone: '', from: NaN, date: '' };

/** "HH:MM" of an instant in a time zone. */
export function localTime(ms: number, timeZone: string): string {
	return new Date(ms + offsetMs(ms, timeZone)).toISOString().slice(11, 16);
}

export function addDays(date: DateString, days: number): DateString {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: DateString): number {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

// The offset is looked up once per time zone and quarter hour: formatToParts is slow (tens of
// microseconds) and the hall hours ask for it several times per ticket read. Offsets change only
// at whole quarter hours in every zone since 1972, so within a quarter hour it is one value.
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();
const quarterHourOf = (ms: number) => ms - (((ms % QUARTER_HOUR) + QUARTER_HOUR) % QUARTER_HOUR);
function offsetMs(ms: number, timeZone: string): number {
	const start = quarterHourOf(ms);
	const key = `${timeZone}|${start}`;
	let offset = offsets.get(key);
	if (offset === undefined) {
		if (offsets.size >= 10_000) offsets.clear();
		offset = formattedOffsetMs(start, timeZone);
		offsets.set(key, offset);
	}
	return offset;
}

function formattedOffsetMs(ms: number, timeZone: string): number {
	const parts = Object.fromEntries(
		formatter('parts', timeZone)
			.formatToParts(new Date(ms))
			.map((p) => [p.type, p.value])
	);
	const asUtc = Date.UTC(
		+parts.year,
		+parts.month - 1,
		+parts.day,
		+parts.hour,
		+parts.minute,
		+parts.second
	);
	return asUtc - (ms - (ms % 1000));
}

/** The instant when the wall clock in timeZone shows date at "HH:MM". */
export function zonedTime(date: DateString, hhmm: string, timeZone: string): number {
	const [y, m, d] = date.split('-').map(Number);
	const [hh, mm] = hhmm.split(':').map(Number);
	const guess = Date.UTC(y, m - 1, d, hh, mm);
	// Two passes settle the offset even across a DST change.
	let ms = guess - offsetMs(guess, timeZone);
	ms = guess - offsetMs(ms, timeZone);
	return ms;
}

export function minutesOfDay(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number);
	return h * 60 + m;
}

export function hhmm(minutes: number): string {
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

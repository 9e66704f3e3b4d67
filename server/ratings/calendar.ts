// The working-day calendar (工作日历): public holidays and the weekend days worked in exchange
// (调休). Follow-up deadlines are counted in it; admins keep it up to date, and a change moves
// the due days of follow-ups still unresolved.
import { lockKey } from '../db/dialect.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { addDays, isoWeekday, localDate } from '../../shared/dates.ts';
import { addWorkingDays, type CalendarKind, type WorkCalendar } from '../../shared/workdays.ts';
import {
	FOLLOWUP_WORKING_DAYS,
	type CalendarDay,
	type CalendarDayInput
} from '../../shared/schemas/ratings.ts';
import { createRatingsRepo, type CalendarRow } from './repo.ts';

/**
 * China's official arrangement for 2026 (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04):
 * holiday spans (weekend days inside a span included, as the notice counts them) and the
 * weekend days worked in exchange. 2027 is not published yet: admins add it on /admin.
 */
const CN_2026 = {
	holidays: [
		['2026-01-01', '2026-01-03', '元旦'],
		['2026-02-15', '2026-02-23', '春节'],
		['2026-04-04', '2026-04-06', '清明节'],
		['2026-05-01', '2026-05-05', '劳动节'],
		['2026-06-19', '2026-06-21', '端午节'],
		['2026-09-25', '2026-09-27', '中秋节'],
		['2026-10-01', '2026-10-07', '国庆节']
	],
	workdays: [
		['2026-01-04', '元旦调休上班'],
		['2026-02-14', '春节调休上班'],
		['2026-02-28', '春节调休上班'],
		['2026-05-09', '劳动节调休上班'],
		['2026-09-20', '国庆节调休上班'],
		['2026-10-10', '国庆节调休上班']
	]
} as const;

export function publicHolidays2026(): CalendarRow[] {
	const rows: CalendarRow[] = [];
	for (const [from, to, name] of CN_2026.holidays)
		for (let day: string = from; day <= to; day = addDays(day, 1))
			rows.push({ day, kind: 'holiday', name });
	for (const [day, name] of CN_2026.workdays) rows.push({ day, kind: 'workday', name });
	return rows.sort((a, b) => a.day.localeCompare(b.day));
}

/** Called by the demo seed (inside its transaction): days already set are left alone. */
export async function seedPublicHolidays(deps: Deps): Promise<number> {
	const repo = createRatingsRepo(deps.store);
	let inserted = 0;
	for (const row of publicHolidays2026()) if (await repo.insertCalendarDayIfAbsent(row)) inserted++;
	return inserted;
}

export async function loadCalendar(deps: Deps): Promise<WorkCalendar> {
	return new Map(
		(await createRatingsRepo(deps.store).calendarDays()).map(
			(r) => [r.day, r.kind] as [string, CalendarKind]
		)
	);
}

/** The due day of a follow-up opened at `at`: 15 working days after that hall-local day. */
export async function followUpDueDay(
	deps: Deps,
	at: number,
	calendar?: WorkCalendar
): Promise<string> {
	return addWorkingDays(
		localDate(at, deps.config.timeZone),
		FOLLOWUP_WORKING_DAYS,
		calendar ?? (await loadCalendar(deps))
	);
}

const toDay = (r: CalendarRow): CalendarDay => ({
	day: r.day,
	kind: r.kind,
	name: r.name,
	weekday: isoWeekday(r.day)
});

export async function listCalendarDays(deps: Deps, year?: string): Promise<CalendarDay[]> {
	const repo = createRatingsRepo(deps.store);
	return (await (year ? repo.calendarDaysOf(year) : repo.calendarDays())).map(toDay);
}

/** Recomputes the due days of unresolved follow-ups after a calendar change; returns how many moved. */
async function rescheduleFollowUps(deps: Deps): Promise<number> {
	const repo = createRatingsRepo(deps.store);
	const calendar = await loadCalendar(deps);
	let moved = 0;
	for (const f of await repo.unresolvedFollowUps()) {
		const due = await followUpDueDay(deps, f.created_at, calendar);
		if (due !== f.due_day) {
			await repo.setDueDay(f.id, due, deps.now());
			moved++;
		}
	}
	return moved;
}

export async function setCalendarDay(deps: Deps, day: string, input: CalendarDayInput) {
	if (input.kind === 'workday' && isoWeekday(day) <= 5)
		throw AppError.validation({
			kind: 'Monday to Friday is already a working day; workday is for a weekend day worked (调休)'
		});
	return deps.store.transaction(async (tx) => {
		// PostgreSQL: calendar edits (and bad ratings' due days) one at a time, so each recount
		// sees every other edit
		await lockKey(tx, 'calendar');
		const row: CalendarRow = { day, kind: input.kind, name: input.name };
		await createRatingsRepo(tx).upsertCalendarDay(row);
		return {
			day: toDay(row),
			rescheduledFollowUps: await rescheduleFollowUps({ ...deps, store: tx })
		};
	});
}

export async function deleteCalendarDay(
	deps: Deps,
	day: string
): Promise<{ rescheduledFollowUps: number }> {
	return deps.store.transaction(async (tx) => {
		await lockKey(tx, 'calendar'); // as in setCalendarDay
		if (!(await createRatingsRepo(tx).deleteCalendarDay(day)))
			throw AppError.notFound('Calendar day');
		return { rescheduledFollowUps: await rescheduleFollowUps({ ...deps, store: tx }) };
	});
}

// When a citizen can book (云上预约): the next BOOKING_DAYS days of an item's schedules, each
// slot with its places left or why it cannot be booked, and the check a chosen slot must pass
// under the booking transaction (schedule, calendar, cut-off, closures).
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import { addDays, isDateString, isoWeekday, localDate } from '../../shared/dates.ts';
import type { Day, Slot } from '../../shared/schemas/booking.ts';
import type { Channel } from '../../shared/schemas/catalog.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { createBookingRepo, type ScheduleRow } from './repo.ts';
import { parseSlotId, slotId, slotTimesOn } from './slots.ts';

/** Citizens book from today up to this many days ahead (today included). */
export const BOOKING_DAYS = 14;
const MINUTE = 60_000;

export function today(deps: Deps): string {
	return localDate(deps.now(), deps.config.timeZone);
}

/** The service item, offered on the channel (404 for no such item, 400 for another channel). */
export async function requireService(deps: Deps, serviceId: string, channel: Channel) {
	const item = await findServiceSummary(deps, serviceId);
	if (!item) throw AppError.notFound('Service item');
	if (!item.channels.includes(channel))
		throw AppError.validation({ channel: `this item is not offered on the ${channel} channel` });
	return item;
}

async function closureNotices(deps: Deps, schedule: ScheduleRow, date: string) {
	return (
		await createBookingRepo(deps.store).closuresOn(
			date,
			schedule.org_unit_id,
			schedule.service_item_id
		)
	).map((c) => ({ kind: c.kind, notice: c.notice }));
}

/**
 * The schedules over some days (first to last, in order), read at once: two queries for any
 * number of schedules and days, instead of a few per schedule and day.
 */
async function scheduleDays(deps: Deps, schedules: ScheduleRow[], dates: string[]) {
	const tz = deps.config.timeZone;
	const times = new Map(
		schedules.flatMap((s) => dates.map((d) => [`${s.id}|${d}`, slotTimesOn(s, d, tz)] as const))
	);
	const all = [...times.values()].flat();
	const repo = createBookingRepo(deps.store);
	const closureRows = schedules.length
		? await repo.closuresBetween(dates[0], dates[dates.length - 1], [
				...new Set(schedules.map((s) => s.org_unit_id))
			])
		: [];
	const counts = all.length
		? await repo.bookedCountsOf(
				schedules.map((s) => s.id),
				all.reduce((min, t) => Math.min(min, t.start), Infinity),
				all.reduce((max, t) => Math.max(max, t.end), -Infinity)
			)
		: new Map<string, number>();
	/** The schedule's closure notices on the date (what closureNotices reads for one). */
	const closures = (schedule: ScheduleRow, date: string) =>
		closureRows
			.filter(
				(c) =>
					c.date === date &&
					c.org_unit_id === schedule.org_unit_id &&
					(c.service_item_id === null || c.service_item_id === schedule.service_item_id)
			)
			.map((c) => ({ kind: c.kind, notice: c.notice }));
	return {
		/** Every schedule's closure notices on the date, in schedule order. */
		closuresOn: (date: string) => schedules.flatMap((s) => closures(s, date)),
		/** Every schedule's slots on the date, in schedule order. */
		slotsOn: (date: string) =>
			schedules.flatMap((s) =>
				closures(s, date).length
					? []
					: slotsOf(deps, s, times.get(`${s.id}|${date}`)!, (start) =>
							counts.get(`${s.id}|${start}`)
						)
			)
	};
}

function slotsOf(
	deps: Deps,
	schedule: ScheduleRow,
	times: { start: number; end: number }[],
	booked: (start: number) => number | undefined
): Slot[] {
	const tz = deps.config.timeZone;
	const now = deps.now();
	return times.map(({ start, end }) => {
		const remaining = Math.max(0, schedule.capacity - (booked(start) ?? 0));
		const reason =
			start <= now
				? 'past'
				: now > start - schedule.cutoff_minutes * MINUTE
					? 'cutoff'
					: remaining === 0
						? 'full'
						: null;
		return {
			id: slotId(schedule.id, start),
			start: toIso(start, tz),
			end: toIso(end, tz),
			capacity: schedule.capacity,
			remaining,
			orgUnitId: schedule.org_unit_id,
			orgUnitName: schedule.org_unit_name,
			bookable: reason === null,
			reason
		};
	});
}

/** The item's schedules on the channel, of one hall when hallId is given. */
async function schedulesIn(deps: Deps, serviceId: string, channel: Channel, hallId?: string) {
	return (await createBookingRepo(deps.store).schedulesFor(serviceId, channel)).filter(
		(s) => !hallId || s.org_unit_id === hallId
	);
}

/** The halls with a schedule for the item on the channel: where it can be booked. */
export async function bookableHalls(deps: Deps, serviceId: string, channel: Channel) {
	const halls = new Map<string, string>();
	for (const s of await schedulesIn(deps, serviceId, channel))
		halls.set(s.org_unit_id, s.org_unit_name);
	return [...halls].map(([id, name]) => ({ id, name }));
}

export async function listDays(
	deps: Deps,
	serviceId: string,
	channel: Channel,
	hallId?: string
): Promise<Day[]> {
	await requireService(deps, serviceId, channel);
	const schedules = await schedulesIn(deps, serviceId, channel, hallId);
	const first = today(deps);
	const dates = Array.from({ length: BOOKING_DAYS }, (_, i) => addDays(first, i));
	const view = await scheduleDays(deps, schedules, dates);
	return dates.map((date) => {
		const closures = view.closuresOn(date);
		const slots = view.slotsOn(date);
		const remaining = slots.filter((s) => s.bookable).reduce((sum, s) => sum + s.remaining, 0);
		return { date, weekday: isoWeekday(date), open: slots.length > 0, remaining, closures };
	});
}

export async function listSlots(
	deps: Deps,
	serviceId: string,
	channel: Channel,
	date: string,
	hallId?: string
) {
	await requireService(deps, serviceId, channel);
	if (!isDateString(date)) throw AppError.validation({ date: 'is not a calendar date' });
	const schedules = await schedulesIn(deps, serviceId, channel, hallId);
	const view = await scheduleDays(deps, schedules, [date]);
	return {
		date,
		closures: view.closuresOn(date),
		slots: view.slotsOn(date).sort((a, b) => a.start.localeCompare(b.start))
	};
}

/** A slot chosen to book: its schedule, hall-local date and times. */
export interface SlotChoice {
	schedule: ScheduleRow;
	date: string;
	start: number;
	end: number;
}

/** Checks a slot id against its schedule and the calendar; returns the schedule and times. */
export async function resolveBookableSlot(
	deps: Deps,
	id: string,
	serviceId: string,
	channel: Channel
): Promise<SlotChoice> {
	const parsed = parseSlotId(id);
	const schedule = parsed && (await createBookingRepo(deps.store).findSchedule(parsed.scheduleId));
	if (!parsed || !schedule || !schedule.active)
		throw AppError.validation({ slotId: 'no such slot' });
	if (schedule.service_item_id !== serviceId)
		throw AppError.validation({ slotId: 'belongs to another service item' });
	if (schedule.channel !== channel)
		throw AppError.validation({ slotId: `is not a ${channel} slot` });
	const tz = deps.config.timeZone;
	const date = localDate(parsed.start, tz);
	const time = slotTimesOn(schedule, date, tz).find((t) => t.start === parsed.start);
	if (!time) throw AppError.validation({ slotId: 'no such slot' });
	const now = deps.now();
	if (time.start <= now) throw AppError.conflict('slot_in_past', 'This time has already passed');
	if (now > time.start - schedule.cutoff_minutes * MINUTE)
		throw AppError.conflict(
			'booking_closed',
			`Booking closes ${schedule.cutoff_minutes} minutes before the start`
		);
	if (date > addDays(today(deps), BOOKING_DAYS - 1))
		throw AppError.conflict(
			'too_far_ahead',
			`Appointments can be booked up to ${BOOKING_DAYS} days ahead`
		);
	const closures = await closureNotices(deps, schedule, date);
	if (closures.length)
		throw AppError.conflict('day_closed', `Closed that day: ${closures[0].notice}`);
	return { schedule, date, ...time };
}

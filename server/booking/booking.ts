// Appointment booking (云上预约): slots, booking, cancel, reschedule, no-show, waitlist.
// Every rule that limits winners (slot capacity, one booking per citizen, item and day) is
// checked inside one BEGIN IMMEDIATE transaction, so it holds across processes.
import type { Deps } from '../deps.ts';
import { immediate } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { addDays, isDateString, isoWeekday, localDate, localTime } from '../../shared/dates.ts';
import type {
	Appointment,
	BookInput,
	Day,
	Slot,
	WaitlistEntry
} from '../../shared/schemas/booking.ts';
import type { Channel } from '../../shared/schemas/catalog.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { maskPhone } from '../accounts/accounts.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { cancelNotices, enqueueNotice } from '../notify/outbox.ts';
import {
	createBookingRepo,
	type AppointmentRow,
	type ScheduleRow,
	type WaitlistRow
} from './repo.ts';
import { parseSlotId, slotId, slotTimesOn } from './slots.ts';

/** Citizens book from today up to this many days ahead (today included). */
export const BOOKING_DAYS = 14;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function today(deps: Deps): string {
	return localDate(deps.now(), deps.config.timeZone);
}

function requireService(deps: Deps, serviceId: string, channel: Channel) {
	const item = findServiceSummary(deps, serviceId);
	if (!item) throw AppError.notFound('Service item');
	if (!item.channels.includes(channel))
		throw AppError.validation({ channel: `this item is not offered on the ${channel} channel` });
	return item;
}

function closureNotices(deps: Deps, schedule: ScheduleRow, date: string) {
	return createBookingRepo(deps.db)
		.closuresOn(date, schedule.org_unit_id, schedule.service_item_id)
		.map((c) => ({ kind: c.kind, notice: c.notice }));
}

function slotsOf(deps: Deps, schedule: ScheduleRow, date: string): Slot[] {
	const repo = createBookingRepo(deps.db);
	const tz = deps.config.timeZone;
	const times = slotTimesOn(schedule, date, tz);
	if (!times.length || closureNotices(deps, schedule, date).length) return [];
	const counts = repo.bookedCounts(schedule.id, times[0].start, times[times.length - 1].end);
	const now = deps.now();
	return times.map(({ start, end }) => {
		const remaining = Math.max(0, schedule.capacity - (counts.get(start) ?? 0));
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

export function listDays(deps: Deps, serviceId: string, channel: Channel): Day[] {
	requireService(deps, serviceId, channel);
	const schedules = createBookingRepo(deps.db).schedulesFor(serviceId, channel);
	const first = today(deps);
	return Array.from({ length: BOOKING_DAYS }, (_, i) => {
		const date = addDays(first, i);
		const closures = schedules.flatMap((s) => closureNotices(deps, s, date));
		const slots = schedules.flatMap((s) => slotsOf(deps, s, date));
		const remaining = slots.filter((s) => s.bookable).reduce((sum, s) => sum + s.remaining, 0);
		return { date, weekday: isoWeekday(date), open: slots.length > 0, remaining, closures };
	});
}

export function listSlots(deps: Deps, serviceId: string, channel: Channel, date: string) {
	requireService(deps, serviceId, channel);
	if (!isDateString(date)) throw AppError.validation({ date: 'is not a calendar date' });
	const schedules = createBookingRepo(deps.db).schedulesFor(serviceId, channel);
	return {
		date,
		closures: schedules.flatMap((s) => closureNotices(deps, s, date)),
		slots: schedules
			.flatMap((s) => slotsOf(deps, s, date))
			.sort((a, b) => a.start.localeCompare(b.start))
	};
}

export function toAppointment(deps: Deps, row: AppointmentRow, withCitizen = false): Appointment {
	const tz = deps.config.timeZone;
	const changeableUntil = row.start_at - row.cutoff_minutes * MINUTE;
	return {
		id: row.id,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		orgUnitId: row.org_unit_id,
		orgUnitName: row.org_unit_name,
		channel: row.channel,
		start: toIso(row.start_at, tz),
		end: toIso(row.end_at, tz),
		date: row.local_date,
		status: row.status,
		cancelReason: row.cancel_reason,
		changeableUntil: toIso(changeableUntil, tz),
		changeable: row.status === 'booked' && deps.now() <= changeableUntil,
		...(withCitizen
			? {
					citizen: {
						id: row.citizen_id,
						name: row.citizen_name,
						phone: maskPhone(row.citizen_phone)
					}
				}
			: {})
	};
}

/** Checks a slot id against its schedule and the calendar; returns the schedule and times. */
function resolveBookableSlot(deps: Deps, id: string, serviceId: string, channel: Channel) {
	const parsed = parseSlotId(id);
	const schedule = parsed && createBookingRepo(deps.db).findSchedule(parsed.scheduleId);
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
	const closures = closureNotices(deps, schedule, date);
	if (closures.length)
		throw AppError.conflict('day_closed', `Closed that day: ${closures[0].notice}`);
	return { schedule, date, ...time };
}

function describe(
	deps: Deps,
	row: { start_at: number; local_date: string },
	serviceName: string,
	orgUnitName: string
) {
	const when = `${row.local_date} ${localTime(row.start_at, deps.config.timeZone)}`;
	return { serviceName, orgUnitName, when, start: toIso(row.start_at, deps.config.timeZone) };
}

/** Booking confirmation and the 24 h / 30 min reminders (skipped when already past). */
function enqueueBookingNotices(
	deps: Deps,
	appt: { id: string; citizen_id: string; start_at: number; local_date: string },
	serviceName: string,
	orgUnitName: string
) {
	const params = describe(deps, appt, serviceName, orgUnitName);
	const link = '/my/appointments';
	const now = deps.now();
	enqueueNotice(deps, {
		userId: appt.citizen_id,
		kind: 'appointment_booked',
		params,
		link,
		dueAt: now,
		key: `booked:${appt.id}`,
		channels: ['in_app']
	});
	for (const [kind, before, tag] of [
		['appointment_reminder_24h', 24 * HOUR, 'r24'],
		['appointment_reminder_30m', 30 * MINUTE, 'r30']
	] as const) {
		const dueAt = appt.start_at - before;
		if (dueAt > now)
			enqueueNotice(deps, {
				userId: appt.citizen_id,
				kind,
				params,
				link,
				dueAt,
				key: `${tag}:${appt.id}`,
				channels: ['in_app', 'sms']
			});
	}
}

function cancelReminders(deps: Deps, appointmentId: string) {
	cancelNotices(deps, `r24:${appointmentId}:`);
	cancelNotices(deps, `r30:${appointmentId}:`);
}

interface SlotChoice {
	schedule: ScheduleRow;
	date: string;
	start: number;
	end: number;
}

/** Inside a transaction: capacity and one-per-day checks, then the insert. */
function insertBooking(
	deps: Deps,
	citizenId: string,
	slot: SlotChoice,
	idempotencyKey: string | null
): AppointmentRow {
	const repo = createBookingRepo(deps.db);
	if (repo.bookedCount(slot.schedule.id, slot.start) >= slot.schedule.capacity)
		throw AppError.conflict(
			'slot_full',
			'This time is fully booked; choose another or join the waitlist'
		);
	const sameDay = repo.findActiveSameDay(citizenId, slot.schedule.service_item_id, slot.date);
	if (sameDay)
		throw AppError.conflict(
			'already_booked_that_day',
			`You already have an appointment for this item on ${slot.date}; cancel or reschedule it instead`
		);
	const id = newId();
	repo.insertAppointment({
		id,
		citizen_id: citizenId,
		service_item_id: slot.schedule.service_item_id,
		schedule_id: slot.schedule.id,
		org_unit_id: slot.schedule.org_unit_id,
		channel: slot.schedule.channel,
		start_at: slot.start,
		end_at: slot.end,
		local_date: slot.date,
		idempotency_key: idempotencyKey,
		now: deps.now()
	});
	const row = repo.findAppointment(id)!;
	enqueueBookingNotices(deps, row, row.service_name, row.org_unit_name);
	return row;
}

export function bookAppointment(
	deps: Deps,
	citizen: User,
	input: BookInput,
	idempotencyKey: string | null
): { appointment: Appointment; replayed: boolean } {
	const repo = createBookingRepo(deps.db);
	const replay = () => {
		const existing = idempotencyKey
			? repo.findByIdempotencyKey(citizen.id, idempotencyKey)
			: undefined;
		if (!existing) return null;
		if (
			slotId(existing.schedule_id, existing.start_at) !== input.slotId ||
			existing.service_item_id !== input.serviceId
		)
			throw new AppError(
				422,
				'idempotency_key_reused',
				'This Idempotency-Key was used for a different booking'
			);
		return { appointment: toAppointment(deps, existing), replayed: true };
	};
	const early = replay();
	if (early) return early;
	requireService(deps, input.serviceId, input.channel);
	return immediate(deps.db, () => {
		const again = replay(); // a retry that raced the first attempt
		if (again) return again;
		// checked under the write lock, so a closure or schedule change cannot slip in between
		const slot = resolveBookableSlot(deps, input.slotId, input.serviceId, input.channel);
		return {
			appointment: toAppointment(deps, insertBooking(deps, citizen.id, slot, idempotencyKey)),
			replayed: false
		};
	});
}

function ownAppointment(deps: Deps, user: User, id: string): AppointmentRow {
	const row = createBookingRepo(deps.db).findAppointment(id);
	if (!row || row.citizen_id !== user.id) throw AppError.notFound('Appointment');
	return row;
}

export function getAppointment(deps: Deps, user: User, id: string): Appointment {
	if (user.role === 'citizen') return toAppointment(deps, ownAppointment(deps, user, id));
	const row = createBookingRepo(deps.db).findAppointment(id);
	if (!row || !staffSeesOrgUnit(deps, user, row.org_unit_id))
		throw AppError.notFound('Appointment');
	return toAppointment(deps, row, true);
}

function requireChangeable(deps: Deps, row: AppointmentRow, action: string) {
	if (row.status !== 'booked')
		throw AppError.conflict('not_active', `Only a booked appointment can be ${action}`);
	if (deps.now() > row.start_at - row.cutoff_minutes * MINUTE)
		throw AppError.conflict(
			'change_closed',
			`Appointments can be ${action} until ${row.cutoff_minutes} minutes before the start`
		);
}

/**
 * A place in (schedule, start) was freed: offer it to the first waiter. One who chose
 * auto-booking gets it at once (when they have no other booking for the item that day);
 * otherwise they are told the place is free and book it like anyone else.
 */
function offerFreedPlace(deps: Deps, scheduleId: string, start: number) {
	const repo = createBookingRepo(deps.db);
	const schedule = repo.findSchedule(scheduleId)!;
	const now = deps.now();
	if (now > start - schedule.cutoff_minutes * MINUTE) return;
	for (const waiter of repo.waitersFor(scheduleId, start)) {
		const date = localDate(start, deps.config.timeZone);
		const params = describe(
			deps,
			{ start_at: start, local_date: date },
			schedule.service_name,
			schedule.org_unit_name
		);
		if (waiter.auto_book) {
			if (repo.findActiveSameDay(waiter.citizen_id, schedule.service_item_id, date)) continue;
			const appt = insertBooking(
				deps,
				waiter.citizen_id,
				{ schedule, date, start, end: start + schedule.slot_minutes * MINUTE },
				null
			);
			repo.setWaitlistStatus({ id: waiter.id, status: 'booked', appointment_id: appt.id, now });
			enqueueNotice(deps, {
				userId: waiter.citizen_id,
				kind: 'waitlist_booked',
				params,
				link: '/my/appointments',
				dueAt: now,
				key: `wl-booked:${waiter.id}`,
				channels: ['in_app', 'sms']
			});
		} else {
			repo.setWaitlistStatus({ id: waiter.id, status: 'offered', appointment_id: null, now });
			enqueueNotice(deps, {
				userId: waiter.citizen_id,
				kind: 'waitlist_offer',
				params,
				link: `/services/${schedule.service_item_id}/book?channel=${schedule.channel}&date=${date}`,
				dueAt: now,
				key: `wl-offer:${waiter.id}`,
				channels: ['in_app', 'sms']
			});
		}
		return;
	}
}

function cancelInTx(
	deps: Deps,
	row: AppointmentRow,
	reason: NonNullable<AppointmentRow['cancel_reason']>,
	rescheduledTo: string | null = null
) {
	createBookingRepo(deps.db).setAppointmentStatus({
		id: row.id,
		status: 'cancelled',
		cancel_reason: reason,
		rescheduled_to: rescheduledTo,
		now: deps.now()
	});
	cancelReminders(deps, row.id);
}

export function cancelAppointment(deps: Deps, user: User, id: string): Appointment {
	return immediate(deps.db, () => {
		const row = ownAppointment(deps, user, id);
		requireChangeable(deps, row, 'cancelled');
		cancelInTx(deps, row, 'citizen');
		offerFreedPlace(deps, row.schedule_id, row.start_at);
		return toAppointment(deps, createBookingRepo(deps.db).findAppointment(id)!);
	});
}

export function rescheduleAppointment(
	deps: Deps,
	user: User,
	id: string,
	newSlotId: string
): Appointment {
	const current = ownAppointment(deps, user, id);
	return immediate(deps.db, () => {
		const slot = resolveBookableSlot(deps, newSlotId, current.service_item_id, current.channel);
		const row = ownAppointment(deps, user, id);
		requireChangeable(deps, row, 'rescheduled');
		if (row.schedule_id === slot.schedule.id && row.start_at === slot.start)
			throw AppError.validation({ slotId: 'is the time you already have' });
		cancelInTx(deps, row, 'rescheduled');
		const next = insertBooking(deps, user.id, slot, null);
		createBookingRepo(deps.db).setAppointmentStatus({
			id: row.id,
			status: 'cancelled',
			cancel_reason: 'rescheduled',
			rescheduled_to: next.id,
			now: deps.now()
		});
		offerFreedPlace(deps, row.schedule_id, row.start_at);
		return toAppointment(deps, next);
	});
}

export function markNoShow(deps: Deps, staff: User, id: string): Appointment {
	return immediate(deps.db, () => {
		const repo = createBookingRepo(deps.db);
		const row = repo.findAppointment(id);
		if (!row || !staffSeesOrgUnit(deps, staff, row.org_unit_id))
			throw AppError.notFound('Appointment');
		if (row.status !== 'booked' && row.status !== 'checked_in')
			throw AppError.conflict('not_active', 'Only a booked appointment can be marked as a no-show');
		if (deps.now() < row.start_at)
			throw AppError.conflict('too_early', 'A no-show can be recorded once the slot has started');
		repo.setAppointmentStatus({
			id,
			status: 'no_show',
			cancel_reason: null,
			rescheduled_to: null,
			now: deps.now()
		});
		cancelReminders(deps, id);
		return toAppointment(deps, repo.findAppointment(id)!, true);
	});
}

/** Appointment check-in opens this long before the slot and closes at its end. */
export const CHECK_IN_EARLY_MINUTES = 60;

/**
 * Inside the caller's transaction: the citizen checks in for their booked appointment (the
 * queue then issues its ticket). Returns where, what for and when.
 */
export function checkInAppointment(deps: Deps, citizen: User, id: string) {
	const repo = createBookingRepo(deps.db);
	const appt = repo.findAppointment(id);
	if (!appt || appt.citizen_id !== citizen.id) throw AppError.notFound('Appointment');
	if (appt.status !== 'booked')
		throw AppError.conflict('not_active', 'This appointment cannot be checked in');
	const now = deps.now();
	if (now < appt.start_at - CHECK_IN_EARLY_MINUTES * MINUTE)
		throw AppError.conflict(
			'check_in_not_open',
			`Check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the appointment`
		);
	if (now > appt.end_at) throw AppError.conflict('check_in_closed', 'The appointment time is over');
	repo.setAppointmentStatus({
		id: appt.id,
		status: 'checked_in',
		cancel_reason: null,
		rescheduled_to: null,
		now
	});
	return {
		id: appt.id,
		orgUnitId: appt.org_unit_id,
		serviceId: appt.service_item_id,
		channel: appt.channel,
		startAt: appt.start_at
	};
}

export function listMyAppointments(deps: Deps, user: User): Appointment[] {
	return createBookingRepo(deps.db)
		.listForCitizen(user.id)
		.map((r) => toAppointment(deps, r));
}

export function listOrgAppointments(
	deps: Deps,
	staff: User,
	date: string | undefined
): Appointment[] {
	const day = date ?? today(deps);
	if (!isDateString(day)) throw AppError.validation({ date: 'is not a calendar date' });
	return createBookingRepo(deps.db)
		.listForOrgUnits(staffOrgUnits(deps, staff), day)
		.map((r) => toAppointment(deps, r, true));
}

function toWaitlistEntry(deps: Deps, row: WaitlistRow): WaitlistEntry {
	const position =
		row.status === 'waiting'
			? createBookingRepo(deps.db)
					.waitersFor(row.schedule_id, row.start_at)
					.findIndex((w) => w.id === row.id) + 1
			: null;
	return {
		id: row.id,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		slotId: slotId(row.schedule_id, row.start_at),
		start: toIso(row.start_at, deps.config.timeZone),
		autoBook: row.auto_book === 1,
		status: row.status,
		position,
		appointmentId: row.appointment_id
	};
}

export function joinWaitlist(
	deps: Deps,
	citizen: User,
	input: BookInput & { autoBook: boolean }
): WaitlistEntry {
	requireService(deps, input.serviceId, input.channel);
	return immediate(deps.db, () => {
		const slot = resolveBookableSlot(deps, input.slotId, input.serviceId, input.channel);
		const repo = createBookingRepo(deps.db);
		if (repo.bookedCount(slot.schedule.id, slot.start) < slot.schedule.capacity)
			throw AppError.conflict('slot_available', 'This time still has places; book it directly');
		if (repo.findActiveSameDay(citizen.id, input.serviceId, slot.date))
			throw AppError.conflict(
				'already_booked_that_day',
				`You already have an appointment for this item on ${slot.date}`
			);
		const id = newId();
		try {
			repo.insertWaitlistEntry({
				id,
				citizen_id: citizen.id,
				service_item_id: input.serviceId,
				schedule_id: slot.schedule.id,
				start_at: slot.start,
				auto_book: input.autoBook ? 1 : 0,
				now: deps.now()
			});
		} catch (err) {
			if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
				throw AppError.conflict('already_waiting', 'You are already on the waitlist for this time');
			throw err;
		}
		return toWaitlistEntry(deps, repo.findWaitlistEntry(id)!);
	});
}

export function listMyWaitlist(deps: Deps, citizen: User): WaitlistEntry[] {
	return createBookingRepo(deps.db)
		.listWaitlistOf(citizen.id)
		.map((r) => toWaitlistEntry(deps, r));
}

export function leaveWaitlist(deps: Deps, citizen: User, id: string): WaitlistEntry {
	return immediate(deps.db, () => {
		const repo = createBookingRepo(deps.db);
		const row = repo.findWaitlistEntry(id);
		if (!row || row.citizen_id !== citizen.id) throw AppError.notFound('Waitlist entry');
		if (row.status === 'waiting' || row.status === 'offered')
			repo.setWaitlistStatus({ id, status: 'cancelled', appointment_id: null, now: deps.now() });
		return toWaitlistEntry(deps, repo.findWaitlistEntry(id)!);
	});
}

/** For the closure feature: cancels a day's bookings and tells each citizen why. */
export function cancelBookingsForClosure(
	deps: Deps,
	orgUnitId: string,
	date: string,
	serviceId: string | null,
	notice: string
): number {
	const repo = createBookingRepo(deps.db);
	const rows = repo.listBookedOnDay(orgUnitId, date, serviceId);
	for (const row of rows) {
		cancelInTx(deps, row, 'closure');
		enqueueNotice(deps, {
			userId: row.citizen_id,
			kind: 'appointment_cancelled_closure',
			params: { ...describe(deps, row, row.service_name, row.org_unit_name), notice },
			link: `/services/${row.service_item_id}`,
			dueAt: deps.now(),
			key: `closure:${row.id}`,
			channels: ['in_app', 'sms']
		});
	}
	return rows.length;
}

// The waitlist of a full slot: a citizen joins it (optionally asking to be booked at once) and
// the first waiter gets a freed place, booked or offered.
import type { Deps } from '../deps.ts';
import { immediate } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { addDays, localDate, zonedTime } from '../../shared/dates.ts';
import type { BookInput, WaitlistEntry } from '../../shared/schemas/booking.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { requireService, resolveBookableSlot } from './availability.ts';
import {
	appointmentNoticeParams,
	noticeWaitlistBooked,
	noticeWaitlistClosed,
	noticeWaitlistOffer
} from './notices.ts';
import { insertBooking } from './places.ts';
import { createBookingRepo, type WaitlistRow } from './repo.ts';
import { slotId } from './slots.ts';

const MINUTE = 60_000;

/**
 * A place in (schedule, start) was freed: offer it to the first waiter. One who chose
 * auto-booking gets it at once (when they have no other booking for the item that day);
 * otherwise they are told the place is free and book it like anyone else.
 */
export function offerFreedPlace(deps: Deps, scheduleId: string, start: number) {
	const repo = createBookingRepo(deps.db);
	const schedule = repo.findSchedule(scheduleId)!;
	const now = deps.now();
	if (now > start - schedule.cutoff_minutes * MINUTE) return;
	for (const waiter of repo.waitersFor(scheduleId, start)) {
		const date = localDate(start, deps.config.timeZone);
		const params = appointmentNoticeParams(
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
			noticeWaitlistBooked(deps, waiter, params);
		} else {
			repo.setWaitlistStatus({ id: waiter.id, status: 'offered', appointment_id: null, now });
			noticeWaitlistOffer(deps, waiter, schedule, date, params);
		}
		return;
	}
}

function toWaitlistEntry(deps: Deps, row: WaitlistRow): WaitlistEntry {
	const position = row.position;
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

/**
 * For the closure feature, inside its transaction: every waiting or offered entry of the closed
 * day (of the org unit, or of one item there) is closed, and its citizen told why, with a link
 * to book another day. Returns how many were closed.
 */
export function closeWaitlistForClosure(
	deps: Deps,
	orgUnitId: string,
	date: string,
	serviceId: string | null,
	notice: string
): number {
	const repo = createBookingRepo(deps.db);
	const tz = deps.config.timeZone;
	const from = zonedTime(date, '00:00', tz);
	const to = zonedTime(addDays(date, 1), '00:00', tz);
	const rows = repo.openWaitersOnDay(orgUnitId, from, to, serviceId);
	for (const row of rows) {
		repo.setWaitlistStatus({
			id: row.id,
			status: 'cancelled',
			appointment_id: null,
			now: deps.now()
		});
		const schedule = repo.findSchedule(row.schedule_id)!;
		noticeWaitlistClosed(
			deps,
			row,
			appointmentNoticeParams(
				deps,
				{ start_at: row.start_at, local_date: date },
				schedule.service_name,
				schedule.org_unit_name
			),
			notice
		);
	}
	return rows.length;
}

// A place in a slot (云上预约): taking one (slot capacity, one active booking per citizen, item
// and day) and giving one back. Every rule that limits winners is checked inside the caller's
// transaction, so it holds across processes: on SQLite under BEGIN IMMEDIATE's write lock, on
// PostgreSQL under the slot's schedule row lock (the caller takes it, lockSchedules) with the
// unique indexes behind what that lock does not cover (another hall's booking the same day).
import { isUniqueViolation } from '../db/dialect.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { SlotChoice } from './availability.ts';
import { cancelReminders, enqueueBookingNotices } from './notices.ts';
import { createBookingRepo, type AppointmentRow } from './repo.ts';
import { proxyActingFor, whoActsFor, type ActedBy } from '../access/acting.ts';

/** The citizen already has an active booking for the item that day. */
const alreadyBookedThatDay = (date: string) =>
	AppError.conflict(
		'already_booked_that_day',
		`You already have an appointment for this item on ${date}; cancel or reschedule it instead`
	);

/** PostgreSQL names the unique index; SQLite's message names its columns instead. */
const violated = (err: unknown, index: string, sqliteColumn: string) =>
	isUniqueViolation(err, index) || isUniqueViolation(err, sqliteColumn);

/** A retried request's Idempotency-Key was taken by a concurrent attempt that committed first. */
export class IdempotencyKeyTaken extends Error {
	constructor() {
		super('Idempotency-Key already used by a concurrent booking');
	}
}

/**
 * Inside a transaction, with the slot's schedule row locked: capacity and one-per-day checks,
 * then the insert. A reschedule passes the appointment it replaces, so the confirmation tells the
 * move. `acted`: who made the booking (the citizen, or a proxy acting for them: issue 23).
 */
export async function insertBooking(
	deps: Deps,
	citizenId: string,
	slot: SlotChoice,
	idempotencyKey: string | null,
	rescheduledFrom: AppointmentRow | null = null,
	acted: ActedBy = whoActsFor(citizenId)
): Promise<AppointmentRow> {
	const repo = createBookingRepo(deps.store);
	if ((await repo.bookedCount(slot.schedule.id, slot.start)) >= slot.schedule.capacity)
		throw AppError.conflict(
			'slot_full',
			'This time is fully booked; choose another or join the waitlist'
		);
	const sameDay = await repo.findActiveSameDay(citizenId, slot.schedule.service_item_id, slot.date);
	if (sameDay) throw alreadyBookedThatDay(slot.date);
	const id = newId();
	try {
		// in a savepoint: a unique violation then loses only the insert (a PostgreSQL
		// transaction is aborted by one), and the caller may go on (the waitlist's next waiter)
		await deps.store.transaction((sp) =>
			createBookingRepo(sp).insertAppointment({
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
				acted_by: acted.actedBy,
				acted_as: acted.actedAs,
				now: deps.now()
			})
		);
	} catch (err) {
		// a booking at another schedule (another hall's lock) committed the same day meanwhile
		if (violated(err, 'appointments_one_per_day', 'appointments.local_date'))
			throw alreadyBookedThatDay(slot.date);
		if (violated(err, 'appointments_idempotency', 'appointments.idempotency_key'))
			throw new IdempotencyKeyTaken();
		throw err;
	}
	const row = (await repo.findAppointment(id))!;
	await enqueueBookingNotices(
		deps,
		row,
		row.service_name,
		row.org_unit_name,
		rescheduledFrom,
		acted.actedAs === 'proxy' ? proxyActingFor(citizenId) : null
	);
	return row;
}

/**
 * Inside a transaction: the booked appointment is cancelled and its reminders with it. False
 * (nothing done) when it is no longer booked: a check-in or no-show got there first.
 */
export async function cancelBookingInTx(
	deps: Deps,
	row: AppointmentRow,
	reason: NonNullable<AppointmentRow['cancel_reason']>
): Promise<boolean> {
	const cancelled = await createBookingRepo(deps.store).changeAppointmentStatus({
		id: row.id,
		from: ['booked'],
		status: 'cancelled',
		cancel_reason: reason,
		now: deps.now()
	});
	if (cancelled) await cancelReminders(deps, row.id);
	return cancelled;
}

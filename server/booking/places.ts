// A place in a slot (云上预约): taking one (slot capacity, one active booking per citizen, item
// and day) and giving one back. Every rule that limits winners is checked inside the caller's
// BEGIN IMMEDIATE transaction, so it holds across processes.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { SlotChoice } from './availability.ts';
import { cancelReminders, enqueueBookingNotices } from './notices.ts';
import { createBookingRepo, type AppointmentRow } from './repo.ts';

/**
 * Inside a transaction: capacity and one-per-day checks, then the insert. A reschedule passes the
 * appointment it replaces, so the confirmation tells the move.
 */
export async function insertBooking(
	deps: Deps,
	citizenId: string,
	slot: SlotChoice,
	idempotencyKey: string | null,
	rescheduledFrom: AppointmentRow | null = null
): Promise<AppointmentRow> {
	const repo = createBookingRepo(deps.store);
	if ((await repo.bookedCount(slot.schedule.id, slot.start)) >= slot.schedule.capacity)
		throw AppError.conflict(
			'slot_full',
			'This time is fully booked; choose another or join the waitlist'
		);
	const sameDay = await repo.findActiveSameDay(citizenId, slot.schedule.service_item_id, slot.date);
	if (sameDay)
		throw AppError.conflict(
			'already_booked_that_day',
			`You already have an appointment for this item on ${slot.date}; cancel or reschedule it instead`
		);
	const id = newId();
	await repo.insertAppointment({
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
	const row = (await repo.findAppointment(id))!;
	await enqueueBookingNotices(deps, row, row.service_name, row.org_unit_name, rescheduledFrom);
	return row;
}

/** Inside a transaction: the appointment is cancelled and its reminders with it. */
export async function cancelBookingInTx(
	deps: Deps,
	row: AppointmentRow,
	reason: NonNullable<AppointmentRow['cancel_reason']>,
	rescheduledTo: string | null = null
) {
	await createBookingRepo(deps.store).setAppointmentStatus({
		id: row.id,
		status: 'cancelled',
		cancel_reason: reason,
		rescheduled_to: rescheduledTo,
		now: deps.now()
	});
	await cancelReminders(deps, row.id);
}

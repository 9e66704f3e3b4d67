// A citizen's appointments (云上预约): book (idempotent), see, cancel and reschedule until the
// cut-off, check in at the hall; staff see their org units' day and mark no-shows; a closure
// cancels a day's bookings. Freed places go to the waitlist.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import { isDateString } from '../../shared/dates.ts';
import type { Appointment, BookInput } from '../../shared/schemas/booking.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { listableItems, requireGrantedItem } from '../access/acting.ts';
import { maskPhone } from '../accounts/accounts.ts';
import { requireService, resolveBookableSlot, today } from './availability.ts';
import {
	cancelReminders,
	noticeCitizenCancellation,
	noticeClosureCancellation
} from './notices.ts';
import { cancelBookingInTx, IdempotencyKeyTaken, insertBooking } from './places.ts';
import { createBookingRepo, type AppointmentRow } from './repo.ts';
import { parseSlotId, slotId } from './slots.ts';
import { offerFreedPlace } from './waitlist.ts';

const MINUTE = 60_000;

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
		actedBy: row.acted_as ? { id: row.acted_by, as: row.acted_as } : null,
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

export async function bookAppointment(
	deps: Deps,
	citizen: User,
	input: BookInput,
	idempotencyKey: string | null
): Promise<{ appointment: Appointment; replayed: boolean }> {
	const replay = async (d: Deps) => {
		const existing = idempotencyKey
			? await createBookingRepo(d.store).findByIdempotencyKey(citizen.id, idempotencyKey)
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
	const early = await replay(deps);
	if (early) return early;
	requireGrantedItem(input.serviceId);
	await requireService(deps, input.serviceId, input.channel);
	const scheduleId = parseSlotId(input.slotId)?.scheduleId;
	try {
		return await deps.store.transaction(async (tx) => {
			const inTx = { ...deps, store: tx };
			// PostgreSQL: the schedule row first, so the slot's bookings, a capacity edit and a
			// closure of its day happen one after the other (SQLite: the write lock already does)
			if (scheduleId) await createBookingRepo(tx).lockSchedules([scheduleId]);
			const again = await replay(inTx); // a retry that raced the first attempt
			if (again) return again;
			// checked under the lock, so a closure or schedule change cannot slip in between
			const slot = await resolveBookableSlot(inTx, input.slotId, input.serviceId, input.channel);
			return {
				appointment: toAppointment(
					deps,
					await insertBooking(inTx, citizen.id, slot, idempotencyKey)
				),
				replayed: false
			};
		});
	} catch (err) {
		// a retry that raced the first attempt on another lock (another slot): answer as a replay
		if (err instanceof IdempotencyKeyTaken) {
			const won = await replay(deps);
			if (won) return won;
		}
		throw err;
	}
}

async function ownAppointment(deps: Deps, user: User, id: string): Promise<AppointmentRow> {
	const row = await createBookingRepo(deps.store).findAppointment(id);
	if (!row || row.citizen_id !== user.id) throw AppError.notFound('Appointment');
	return row;
}

export async function getAppointment(deps: Deps, user: User, id: string): Promise<Appointment> {
	if (user.role === 'citizen') return toAppointment(deps, await ownAppointment(deps, user, id));
	const row = await createBookingRepo(deps.store).findAppointment(id);
	if (!row || !(await staffSeesOrgUnit(deps, user, row.org_unit_id)))
		throw AppError.notFound('Appointment');
	return toAppointment(deps, row, true);
}

const notActive = (action: string) =>
	AppError.conflict('not_active', `Only a booked appointment can be ${action}`);

function requireChangeable(deps: Deps, row: AppointmentRow, action: string) {
	if (row.status !== 'booked') throw notActive(action);
	if (deps.now() > row.start_at - row.cutoff_minutes * MINUTE)
		throw AppError.conflict(
			'change_closed',
			`Appointments can be ${action} until ${row.cutoff_minutes} minutes before the start`
		);
}

export async function cancelAppointment(deps: Deps, user: User, id: string): Promise<Appointment> {
	const current = await ownAppointment(deps, user, id);
	return deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		// the schedule row first (PostgreSQL): the freed place may be booked for a waiter
		await createBookingRepo(tx).lockSchedules([current.schedule_id]);
		const row = await ownAppointment(inTx, user, id);
		requireChangeable(deps, row, 'cancelled');
		// conditional: a concurrent check-in or no-show is not overwritten
		if (!(await cancelBookingInTx(inTx, row, 'citizen'))) throw notActive('cancelled');
		await noticeCitizenCancellation(inTx, row);
		await offerFreedPlace(inTx, row.schedule_id, row.start_at);
		return toAppointment(deps, (await createBookingRepo(tx).findAppointment(id))!);
	});
}

export async function rescheduleAppointment(
	deps: Deps,
	user: User,
	id: string,
	newSlotId: string
): Promise<Appointment> {
	const current = await ownAppointment(deps, user, id);
	const target = parseSlotId(newSlotId)?.scheduleId;
	return deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		// both schedule rows (PostgreSQL), in id order: the new slot is booked, the old place offered
		await createBookingRepo(tx).lockSchedules(
			target ? [current.schedule_id, target] : [current.schedule_id]
		);
		const slot = await resolveBookableSlot(
			inTx,
			newSlotId,
			current.service_item_id,
			current.channel
		);
		const row = await ownAppointment(inTx, user, id);
		requireChangeable(deps, row, 'rescheduled');
		if (row.schedule_id === slot.schedule.id && row.start_at === slot.start)
			throw AppError.validation({ slotId: 'is the time you already have' });
		if (!(await cancelBookingInTx(inTx, row, 'rescheduled'))) throw notActive('rescheduled');
		const next = await insertBooking(inTx, user.id, slot, null, row);
		await createBookingRepo(tx).setRescheduledTo(row.id, next.id, deps.now());
		await offerFreedPlace(inTx, row.schedule_id, row.start_at);
		return toAppointment(deps, next);
	});
}

export async function markNoShow(deps: Deps, staff: User, id: string): Promise<Appointment> {
	return deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createBookingRepo(tx);
		const row = await repo.findAppointment(id);
		if (!row || !(await staffSeesOrgUnit(inTx, staff, row.org_unit_id)))
			throw AppError.notFound('Appointment');
		const noShowRefused = () =>
			AppError.conflict('not_active', 'Only a booked appointment can be marked as a no-show');
		if (row.status !== 'booked' && row.status !== 'checked_in') throw noShowRefused();
		if (deps.now() < row.start_at)
			throw AppError.conflict('too_early', 'A no-show can be recorded once the slot has started');
		// conditional: a concurrent cancel or a second no-show changes nothing
		if (
			!(await repo.changeAppointmentStatus({
				id,
				from: ['booked', 'checked_in'],
				status: 'no_show',
				cancel_reason: null,
				now: deps.now()
			}))
		)
			throw noShowRefused();
		await cancelReminders(inTx, id);
		return toAppointment(deps, (await repo.findAppointment(id))!, true);
	});
}

/** Appointment check-in opens this long before the slot and closes at its end. */
export const CHECK_IN_EARLY_MINUTES = 60;

/**
 * Inside the caller's transaction (deps.store is its handle): the citizen checks in for their
 * booked appointment (the queue then issues its ticket). Returns where, what for and when.
 */
export async function checkInAppointment(deps: Deps, citizen: User, id: string) {
	const repo = createBookingRepo(deps.store);
	const appt = await repo.findAppointment(id);
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
	// conditional: a concurrent cancel (or a second check-in) leaves it alone
	if (
		!(await repo.changeAppointmentStatus({
			id: appt.id,
			from: ['booked'],
			status: 'checked_in',
			cancel_reason: null,
			now
		}))
	)
		throw AppError.conflict('not_active', 'This appointment cannot be checked in');
	return {
		id: appt.id,
		orgUnitId: appt.org_unit_id,
		serviceId: appt.service_item_id,
		channel: appt.channel,
		startAt: appt.start_at
	};
}

export async function listMyAppointments(deps: Deps, user: User): Promise<Appointment[]> {
	return (await createBookingRepo(deps.store).listForCitizen(user.id, listableItems())).map((r) =>
		toAppointment(deps, r)
	);
}

export async function listOrgAppointments(
	deps: Deps,
	staff: User,
	date: string | undefined
): Promise<Appointment[]> {
	const day = date ?? today(deps);
	if (!isDateString(day)) throw AppError.validation({ date: 'is not a calendar date' });
	return (
		await createBookingRepo(deps.store).listForOrgUnits(await staffOrgUnits(deps, staff), day)
	).map((r) => toAppointment(deps, r, true));
}

/**
 * For the closure feature, inside its transaction (the day's schedule rows locked): cancels a
 * day's bookings and tells each citizen why. Returns how many it cancelled.
 */
export async function cancelBookingsForClosure(
	deps: Deps,
	orgUnitId: string,
	date: string,
	serviceId: string | null,
	notice: string
): Promise<number> {
	const repo = createBookingRepo(deps.store);
	const rows = await repo.listBookedOnDay(orgUnitId, date, serviceId);
	let cancelled = 0;
	for (const row of rows) {
		// a check-in that got there first keeps its appointment (and its citizen is not told)
		if (!(await cancelBookingInTx(deps, row, 'closure'))) continue;
		await noticeClosureCancellation(deps, row, notice);
		cancelled++;
	}
	return cancelled;
}

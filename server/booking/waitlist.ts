// The waitlist of a full slot: a citizen joins it (optionally asking to be booked at once) and
// the first waiter gets a freed place, booked or offered.
import { isUniqueViolation } from '../db/dialect.ts';
import type { Deps } from '../deps.ts';
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
import { createBookingRepo, type ScheduleRow, type WaitlistRow } from './repo.ts';
import { parseSlotId, slotId } from './slots.ts';

const MINUTE = 60_000;

/**
 * A place in (schedule, start) was freed: offer it to the first waiter. One who chose
 * auto-booking gets it at once (when they have no other booking for the item that day);
 * otherwise they are told the place is free and book it like anyone else. Inside the caller's
 * transaction, with the schedule row locked (lockSchedules). A waiter who left meanwhile (or,
 * auto-booking, booked the item elsewhere that day meanwhile) is passed over for the next.
 */
export async function offerFreedPlace(deps: Deps, scheduleId: string, start: number) {
	const repo = createBookingRepo(deps.store);
	const schedule = (await repo.findSchedule(scheduleId))!;
	const now = deps.now();
	if (now > start - schedule.cutoff_minutes * MINUTE) return;
	for (const waiter of await repo.waitersFor(scheduleId, start)) {
		const date = localDate(start, deps.config.timeZone);
		const params = appointmentNoticeParams(
			deps,
			{ start_at: start, local_date: date },
			schedule.service_name,
			schedule.org_unit_name
		);
		if (waiter.auto_book) {
			if (await repo.findActiveSameDay(waiter.citizen_id, schedule.service_item_id, date)) continue;
			// claim, book and tell in a savepoint: when the waiter cannot have it after all, only
			// this waiter's part is undone and the next one is asked
			const booked = await deps.store
				.transaction(async (sp) => {
					const inSp = { ...deps, store: sp };
					const spRepo = createBookingRepo(sp);
					const claim = { id: waiter.id, status: 'booked' as const, now };
					if (
						!(await spRepo.changeWaitlistStatus({
							...claim,
							from: ['waiting'],
							appointment_id: null
						}))
					)
						return false;
					const appt = await insertBooking(
						inSp,
						waiter.citizen_id,
						{ schedule, date, start, end: start + schedule.slot_minutes * MINUTE },
						null,
						null,
						// the waiter's own waitlist entry booked it, whoever freed the place
						{ actedBy: waiter.citizen_id, actedAs: 'self' }
					);
					await spRepo.changeWaitlistStatus({
						...claim,
						from: ['booked'],
						appointment_id: appt.id
					});
					await noticeWaitlistBooked(inSp, waiter, params);
					return true;
				})
				.catch((err: unknown) => {
					if (err instanceof AppError && err.code === 'already_booked_that_day') return false;
					throw err;
				});
			if (!booked) continue;
		} else {
			const offered = await repo.changeWaitlistStatus({
				id: waiter.id,
				from: ['waiting'],
				status: 'offered',
				appointment_id: null,
				now
			});
			if (!offered) continue;
			await noticeWaitlistOffer(deps, waiter, schedule, date, params);
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

export async function joinWaitlist(
	deps: Deps,
	citizen: User,
	input: BookInput & { autoBook: boolean }
): Promise<WaitlistEntry> {
	await requireService(deps, input.serviceId, input.channel);
	const scheduleId = parseSlotId(input.slotId)?.scheduleId;
	return deps.store.transaction(async (tx) => {
		// the schedule row first (PostgreSQL): a place freed meanwhile is either seen as free
		// here or offered to this waiter by the cancel
		if (scheduleId) await createBookingRepo(tx).lockSchedules([scheduleId]);
		const slot = await resolveBookableSlot(
			{ ...deps, store: tx },
			input.slotId,
			input.serviceId,
			input.channel
		);
		const repo = createBookingRepo(tx);
		if ((await repo.bookedCount(slot.schedule.id, slot.start)) < slot.schedule.capacity)
			throw AppError.conflict('slot_available', 'This time still has places; book it directly');
		if (await repo.findActiveSameDay(citizen.id, input.serviceId, slot.date))
			throw AppError.conflict(
				'already_booked_that_day',
				`You already have an appointment for this item on ${slot.date}`
			);
		const id = newId();
		try {
			await repo.insertWaitlistEntry({
				id,
				citizen_id: citizen.id,
				service_item_id: input.serviceId,
				schedule_id: slot.schedule.id,
				start_at: slot.start,
				auto_book: input.autoBook ? 1 : 0,
				now: deps.now()
			});
		} catch (err) {
			// waitlist_once (the transaction ends with this error, so no savepoint is needed)
			if (isUniqueViolation(err))
				throw AppError.conflict('already_waiting', 'You are already on the waitlist for this time');
			throw err;
		}
		return toWaitlistEntry(deps, (await repo.findWaitlistEntry(id))!);
	});
}

export async function listMyWaitlist(deps: Deps, citizen: User): Promise<WaitlistEntry[]> {
	return (await createBookingRepo(deps.store).listWaitlistOf(citizen.id)).map((r) =>
		toWaitlistEntry(deps, r)
	);
}

export async function leaveWaitlist(deps: Deps, citizen: User, id: string): Promise<WaitlistEntry> {
	return deps.store.transaction(async (tx) => {
		const repo = createBookingRepo(tx);
		const row = await repo.findWaitlistEntry(id);
		if (!row || row.citizen_id !== citizen.id) throw AppError.notFound('Waitlist entry');
		// conditional: an entry the waitlist has just booked stays booked (and is shown so)
		await repo.changeWaitlistStatus({
			id,
			from: ['waiting', 'offered'],
			status: 'cancelled',
			appointment_id: null,
			now: deps.now()
		});
		return toWaitlistEntry(deps, (await repo.findWaitlistEntry(id))!);
	});
}

/**
 * For the closure feature, inside its transaction: every waiting or offered entry of the closed
 * day (of the org unit, or of one item there) is closed, and its citizen told why, with a link
 * to book another day. Returns how many were closed.
 */
export async function closeWaitlistForClosure(
	deps: Deps,
	orgUnitId: string,
	date: string,
	serviceId: string | null,
	notice: string
): Promise<number> {
	const repo = createBookingRepo(deps.store);
	const tz = deps.config.timeZone;
	const from = zonedTime(date, '00:00', tz);
	const to = zonedTime(addDays(date, 1), '00:00', tz);
	const rows = await repo.openWaitersOnDay(orgUnitId, from, to, serviceId);
	// the day's entries share a few schedules: each is read once
	const schedules = new Map<string, ScheduleRow>();
	let closed = 0;
	for (const row of rows) {
		// conditional: one that left meanwhile is neither closed again nor told
		const changed = await repo.changeWaitlistStatus({
			id: row.id,
			from: ['waiting', 'offered'],
			status: 'cancelled',
			appointment_id: null,
			now: deps.now()
		});
		if (!changed) continue;
		closed++;
		let schedule = schedules.get(row.schedule_id);
		if (!schedule) {
			schedule = (await repo.findSchedule(row.schedule_id))!;
			schedules.set(row.schedule_id, schedule);
		}
		await noticeWaitlistClosed(
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
	return closed;
}

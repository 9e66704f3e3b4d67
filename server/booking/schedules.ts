// Admin side of booking: schedules (opening hours, slot length, capacity) and closures.
import { isUniqueViolation } from '../db/dialect.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { isDateString } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type {
	Closure,
	ClosureInput,
	Schedule,
	ScheduleInput
} from '../../shared/schemas/booking.ts';
import { getOrgUnit } from '../accounts/accounts.ts';
import { staffSeesOrgUnit } from '../access/org-units.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { createBookingRepo, type ScheduleRow } from './repo.ts';
import { cancelBookingsForClosure } from './appointments.ts';
import { closeWaitlistForClosure } from './waitlist.ts';

function toSchedule(row: ScheduleRow): Schedule {
	return {
		id: row.id,
		orgUnitId: row.org_unit_id,
		orgUnitName: row.org_unit_name,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		channel: row.channel,
		slotMinutes: row.slot_minutes,
		capacity: row.capacity,
		cutoffMinutes: row.cutoff_minutes,
		hours: JSON.parse(row.hours),
		active: row.active === 1
	};
}

export async function listSchedules(deps: Deps): Promise<Schedule[]> {
	return (await createBookingRepo(deps.store).listSchedules()).map(toSchedule);
}

/** The org unit and item exist, and the org unit is the admin's own or below it. */
async function checkRefs(
	deps: Deps,
	admin: User,
	input: { orgUnitId: string; serviceId?: string }
) {
	const fields: Record<string, string> = {};
	if (!(await getOrgUnit(deps, input.orgUnitId))) fields.orgUnitId = 'no such org unit';
	else if (!(await staffSeesOrgUnit(deps, admin, input.orgUnitId)))
		fields.orgUnitId = 'is outside your org unit';
	if (input.serviceId && !(await findServiceSummary(deps, input.serviceId)))
		fields.serviceId = 'no such service item';
	if (Object.keys(fields).length) throw AppError.validation(fields);
}

function sortedHours(hours: ScheduleInput['hours']): string {
	const out: Record<string, [string, string][]> = {};
	for (const day of Object.keys(hours).sort()) {
		const ranges = [...(hours[day as keyof typeof hours] ?? [])].sort((a, b) =>
			a[0].localeCompare(b[0])
		);
		for (let i = 1; i < ranges.length; i++)
			if (ranges[i][0] < ranges[i - 1][1])
				throw AppError.validation({ [`hours.${day}`]: 'time ranges overlap' });
		out[day] = ranges;
	}
	return JSON.stringify(out);
}

export async function createSchedule(
	deps: Deps,
	admin: User,
	input: ScheduleInput
): Promise<Schedule> {
	await checkRefs(deps, admin, input);
	const repo = createBookingRepo(deps.store);
	const id = newId();
	try {
		await deps.store.transaction((tx) =>
			createBookingRepo(tx).insertSchedule({
				id,
				org_unit_id: input.orgUnitId,
				service_item_id: input.serviceId,
				channel: input.channel,
				slot_minutes: input.slotMinutes,
				capacity: input.capacity,
				cutoff_minutes: input.cutoffMinutes,
				hours: sortedHours(input.hours),
				active: input.active ? 1 : 0,
				created_at: deps.now()
			})
		);
	} catch (err) {
		// UNIQUE (org_unit_id, service_item_id, channel): a schedule created by someone else first
		if (isUniqueViolation(err))
			throw AppError.conflict(
				'schedule_exists',
				'This org unit already has a schedule for the item on this channel; edit it',
				{
					serviceId: 'already scheduled here on this channel'
				}
			);
		throw err;
	}
	return toSchedule((await repo.findSchedule(id))!);
}

/** Changes hours, slot length, capacity or cut-off. Existing appointments keep their times. */
export async function updateSchedule(
	deps: Deps,
	admin: User,
	id: string,
	input: ScheduleInput
): Promise<Schedule> {
	await checkRefs(deps, admin, input);
	const repo = createBookingRepo(deps.store);
	const row = await repo.findSchedule(id);
	if (!row) throw AppError.notFound('Schedule');
	if (
		row.org_unit_id !== input.orgUnitId ||
		row.service_item_id !== input.serviceId ||
		row.channel !== input.channel
	)
		throw AppError.validation({
			_: 'org unit, service item and channel of a schedule cannot change; create another'
		});
	await deps.store.transaction((tx) =>
		createBookingRepo(tx).updateSchedule({
			id,
			slot_minutes: input.slotMinutes,
			capacity: input.capacity,
			cutoff_minutes: input.cutoffMinutes,
			hours: sortedHours(input.hours),
			active: input.active ? 1 : 0
		})
	);
	return toSchedule((await repo.findSchedule(id))!);
}

export async function listClosures(deps: Deps, from: string): Promise<Closure[]> {
	return (await createBookingRepo(deps.store).closuresFrom(from)).map((c) => ({
		id: c.id,
		orgUnitId: c.org_unit_id,
		orgUnitName: c.org_unit_name,
		serviceId: c.service_item_id,
		date: c.date,
		kind: c.kind,
		notice: c.notice
	}));
}

/**
 * Closes a day for an org unit (or one item there): its bookings are cancelled and its waitlist
 * entries closed, and every citizen told.
 */
export async function closeDay(deps: Deps, admin: User, input: ClosureInput): Promise<Closure> {
	if (!isDateString(input.date)) throw AppError.validation({ date: 'is not a calendar date' });
	await checkRefs(deps, admin, input);
	const id = newId();
	const { cancelled, closedWaiters } = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createBookingRepo(tx);
		// PostgreSQL: the schedule rows the closure applies to, in id order, before it is written;
		// a booking checks the closures under its schedule's lock, so neither slips past the other
		await repo.lockSchedulesOfOrgUnit(input.orgUnitId, input.serviceId ?? null);
		await repo.insertClosure({
			id,
			org_unit_id: input.orgUnitId,
			service_item_id: input.serviceId ?? null,
			date: input.date,
			kind: input.kind,
			notice: input.notice,
			created_by: admin.id,
			created_at: deps.now()
		});
		const serviceId = input.serviceId ?? null;
		return {
			cancelled: await cancelBookingsForClosure(
				inTx,
				input.orgUnitId,
				input.date,
				serviceId,
				input.notice
			),
			closedWaiters: await closeWaitlistForClosure(
				inTx,
				input.orgUnitId,
				input.date,
				serviceId,
				input.notice
			)
		};
	});
	const org = (await getOrgUnit(deps, input.orgUnitId))!;
	return {
		id,
		orgUnitId: input.orgUnitId,
		orgUnitName: org.name,
		serviceId: input.serviceId ?? null,
		date: input.date,
		kind: input.kind,
		notice: input.notice,
		cancelledAppointments: cancelled,
		closedWaitlistEntries: closedWaiters
	};
}

import { inItems, jsonValues } from '../db/dialect.ts';
import type { Dialect, Store } from '../db/store.ts';

export interface ScheduleRow {
	id: string;
	org_unit_id: string;
	service_item_id: string;
	channel: 'video' | 'onsite';
	slot_minutes: number;
	capacity: number;
	cutoff_minutes: number;
	hours: string;
	active: number;
	org_unit_name: string;
	service_name: string;
}

export interface AppointmentRow {
	id: string;
	citizen_id: string;
	service_item_id: string;
	schedule_id: string;
	org_unit_id: string;
	channel: 'video' | 'onsite';
	start_at: number;
	end_at: number;
	local_date: string;
	status: 'booked' | 'cancelled' | 'no_show' | 'checked_in' | 'completed';
	cancel_reason: 'citizen' | 'rescheduled' | 'closure' | 'staff' | null;
	rescheduled_to: string | null;
	idempotency_key: string | null;
	acted_by: string | null;
	acted_as: 'self' | 'proxy' | 'grid' | 'staff' | null;
	created_at: number;
	updated_at: number;
	service_name: string;
	org_unit_name: string;
	cutoff_minutes: number;
	citizen_name: string;
	citizen_phone: string | null;
}

export interface ClosureRow {
	id: string;
	org_unit_id: string;
	service_item_id: string | null;
	date: string;
	kind: 'holiday' | 'closure';
	notice: string;
	org_unit_name: string;
}

export interface WaitlistRow {
	id: string;
	citizen_id: string;
	service_item_id: string;
	schedule_id: string;
	start_at: number;
	auto_book: number;
	status: 'waiting' | 'offered' | 'booked' | 'cancelled' | 'expired';
	appointment_id: string | null;
	created_at: number;
	service_name: string;
	/** 1-based place among the slot's waiting entries; null unless waiting. */
	position: number | null;
}

// Names by correlated subqueries, not JOINs (both columns are NOT NULL foreign keys, so the rows
// are the same): a JOIN with a bound parameter is re-planned on every run (catalog/repo.ts).
const SCHEDULE = `SELECT s.*, (SELECT name FROM org_units WHERE id = s.org_unit_id) AS org_unit_name,
	(SELECT name FROM service_items WHERE id = s.service_item_id) AS service_name FROM schedules s`;
const SCHEDULE_ORG_CODE = '(SELECT code FROM org_units WHERE id = s.org_unit_id)';
const SCHEDULE_ITEM_CODE = '(SELECT code FROM service_items WHERE id = s.service_item_id)';
// subqueries, not JOINs, as SCHEDULE (all four are NOT NULL foreign keys)
const APPOINTMENT = `SELECT a.*, (SELECT name FROM service_items WHERE id = a.service_item_id) AS service_name,
	(SELECT name FROM org_units WHERE id = a.org_unit_id) AS org_unit_name,
	(SELECT cutoff_minutes FROM schedules WHERE id = a.schedule_id) AS cutoff_minutes,
	(SELECT name FROM users WHERE id = a.citizen_id) AS citizen_name,
	(SELECT phone FROM users WHERE id = a.citizen_id) AS citizen_phone
	FROM appointments a`;
/**
 * Ties on created_at (the same millisecond) in the order the rows were inserted, for rows never
 * updated while they are ranked (waiting entries, closures): SQLite's rowid; PostgreSQL has no
 * rowid and the ids are random, so the inserting transaction's id (xmin; the inserts of one
 * slot's waitlist are serialised by the schedule row lock), then the id.
 */
const insertedOrder = (dialect: Dialect, alias: string) =>
	dialect === 'postgres' ? [`${alias}.xmin::text::bigint`, `${alias}.id`] : [`${alias}.rowid`];

// The place in line comes with the row (one query for a whole list, over the waitlist_slot index),
// in the order waiters are offered a freed place: first come, first served.
const waitlistSelect = (dialect: Dialect) => {
	const ahead = ['ahead.created_at', ...insertedOrder(dialect, 'ahead')].join(', ');
	const mine = ['w.created_at', ...insertedOrder(dialect, 'w')].join(', ');
	// SQLite keeps its comparison as it was; PostgreSQL compares the row values
	const before =
		dialect === 'postgres'
			? `(${ahead}) <= (${mine})`
			: '(ahead.created_at < w.created_at OR (ahead.created_at = w.created_at AND ahead.rowid <= w.rowid))';
	return `SELECT w.*, i.name AS service_name,
	CASE WHEN w.status = 'waiting' THEN (
		SELECT count(*) FROM waitlist_entries ahead
		WHERE ahead.schedule_id = w.schedule_id AND ahead.start_at = w.start_at AND ahead.status = 'waiting'
		  AND ${before}
	) END AS position
	FROM waitlist_entries w JOIN service_items i ON i.id = w.service_item_id`;
};

/** A status change that applies only from the given statuses (its row count says whether it did). */
const statusIn = (from: readonly string[]) =>
	`status IN (${from.map((_, i) => `@from${i}`).join(', ')})`;
const fromParams = (from: readonly string[]) =>
	Object.fromEntries(from.map((status, i) => [`from${i}`, status]));

export function createBookingRepo(db: Store) {
	const WAITLIST = waitlistSelect(db.dialect);
	return {
		/**
		 * Locks the schedules' rows until commit, in id order (PostgreSQL's FOR NO KEY UPDATE: it
		 * serialises bookings, waitlist joins and closures of a schedule and leaves foreign-key
		 * checks alone). On SQLite BEGIN IMMEDIATE already holds the write lock: nothing to do.
		 */
		lockSchedules: async (ids: string[]) => {
			if (db.dialect !== 'postgres' || !ids.length) return;
			await db.all(
				`SELECT id FROM schedules WHERE id IN (${jsonValues(db)}) ORDER BY id FOR NO KEY UPDATE`,
				[JSON.stringify(ids)]
			);
		},
		/** As lockSchedules, for every schedule of an org unit (or of one item there). */
		lockSchedulesOfOrgUnit: async (orgUnitId: string, serviceId: string | null) => {
			if (db.dialect !== 'postgres') return;
			await db.all(
				`SELECT id FROM schedules WHERE org_unit_id = @org AND (@service = '' OR service_item_id = @service)
		 ORDER BY id FOR NO KEY UPDATE`,
				{ org: orgUnitId, service: serviceId ?? '' }
			);
		},
		findSchedule: (id: string) => db.get<ScheduleRow>(`${SCHEDULE} WHERE s.id = ?`, [id]),
		schedulesFor: (serviceId: string, channel: string) =>
			db.all<ScheduleRow>(
				`${SCHEDULE} WHERE s.service_item_id = ? AND s.channel = ? AND s.active = 1 ORDER BY ${SCHEDULE_ORG_CODE}`,
				[serviceId, channel]
			),
		schedulesOfOrgUnit: (orgUnitId: string) =>
			db.all<ScheduleRow>(`${SCHEDULE} WHERE s.org_unit_id = ? AND s.active = 1`, [orgUnitId]),
		listSchedules: () =>
			db.all<ScheduleRow>(
				`${SCHEDULE} ORDER BY ${SCHEDULE_ORG_CODE}, ${SCHEDULE_ITEM_CODE}, s.channel`
			),
		insertSchedule: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO schedules (id, org_unit_id, service_item_id, channel, slot_minutes, capacity, cutoff_minutes, hours, active, created_at)
		 VALUES (@id, @org_unit_id, @service_item_id, @channel, @slot_minutes, @capacity, @cutoff_minutes, @hours, @active, @created_at)`,
				row
			);
		},
		updateSchedule: async (row: Record<string, unknown>) => {
			await db.run(
				`UPDATE schedules SET slot_minutes = @slot_minutes, capacity = @capacity, cutoff_minutes = @cutoff_minutes,
		   hours = @hours, active = @active WHERE id = @id`,
				row
			);
		},
		closuresOn: (date: string, orgUnitId: string, serviceId: string) =>
			db.all<ClosureRow>(
				// the name by a subquery, not a JOIN (re-planned on every run: SCHEDULE above)
				`SELECT c.*, (SELECT name FROM org_units WHERE id = c.org_unit_id) AS org_unit_name FROM closures c
		 WHERE c.date = ? AND c.org_unit_id = ? AND (c.service_item_id IS NULL OR c.service_item_id = ?)`,
				[date, orgUnitId, serviceId]
			),
		closuresFrom: (date: string) =>
			db.all<ClosureRow>(
				`SELECT c.*, o.name AS org_unit_name FROM closures c JOIN org_units o ON o.id = c.org_unit_id
		 WHERE c.date >= ? ORDER BY c.date, o.code`,
				[date]
			),
		/** Closures of the org units from one date to another (both included), by date. */
		closuresBetween: (from: string, to: string, orgUnitIds: string[]) =>
			db.all<ClosureRow>(
				`SELECT c.*, o.name AS org_unit_name FROM closures c JOIN org_units o ON o.id = c.org_unit_id
		 WHERE c.date >= ? AND c.date <= ? AND c.org_unit_id IN (${jsonValues(db)})
		 ORDER BY c.date, ${insertedOrder(db.dialect, 'c').join(', ')}`,
				[from, to, JSON.stringify(orgUnitIds)]
			),
		insertClosure: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO closures (id, org_unit_id, service_item_id, date, kind, notice, created_by, created_at)
		 VALUES (@id, @org_unit_id, @service_item_id, @date, @kind, @notice, @created_by, @created_at)`,
				row
			);
		},
		bookedCount: async (scheduleId: string, start: number) =>
			(await db.get<{ n: number }>(
				"SELECT count(*) AS n FROM appointments WHERE schedule_id = ? AND start_at = ? AND status IN ('booked', 'checked_in')",
				[scheduleId, start]
			))!.n,
		/** Booked places per schedule and start (key `<scheduleId>|<start>`), starts in from..to. */
		bookedCountsOf: async (scheduleIds: string[], from: number, to: number) =>
			new Map(
				(
					await db.all<{ schedule_id: string; start_at: number; n: number }>(
						`SELECT schedule_id, start_at, count(*) AS n FROM appointments
		 WHERE schedule_id IN (${jsonValues(db)}) AND start_at >= ? AND start_at < ?
		 AND status IN ('booked', 'checked_in') GROUP BY schedule_id, start_at`,
						[JSON.stringify(scheduleIds), from, to]
					)
				).map((r) => [`${r.schedule_id}|${r.start_at}`, r.n])
			),
		findAppointment: (id: string) => db.get<AppointmentRow>(`${APPOINTMENT} WHERE a.id = ?`, [id]),
		findByIdempotencyKey: (citizenId: string, key: string) =>
			db.get<AppointmentRow>(`${APPOINTMENT} WHERE a.citizen_id = ? AND a.idempotency_key = ?`, [
				citizenId,
				key
			]),
		findActiveSameDay: (citizenId: string, serviceId: string, date: string) =>
			db.get<AppointmentRow>(
				`${APPOINTMENT} WHERE a.citizen_id = ? AND a.service_item_id = ? AND a.local_date = ? AND a.status IN ('booked', 'checked_in')`,
				[citizenId, serviceId, date]
			),
		/** The citizen's latest appointments, of these items only (代办: a grant of chosen items). */
		listForCitizen: (citizenId: string, items: 'all' | readonly string[]) => {
			const only = inItems(db, 'a.service_item_id', items);
			return db.all<AppointmentRow>(
				`${APPOINTMENT} WHERE a.citizen_id = ?${only.sql} ORDER BY a.start_at DESC LIMIT 100`,
				[citizenId, ...only.params]
			);
		},
		listForOrgUnits: (orgUnitIds: string[], date: string) =>
			db.all<AppointmentRow>(
				`${APPOINTMENT} WHERE a.org_unit_id IN (${jsonValues(db)}) AND a.local_date = ? ORDER BY a.start_at, (SELECT code FROM service_items WHERE id = a.service_item_id)`,
				[JSON.stringify(orgUnitIds), date]
			),
		listBookedOnDay: (orgUnitId: string, date: string, serviceId: string | null) =>
			db.all<AppointmentRow>(
				`${APPOINTMENT} WHERE a.org_unit_id = @org AND a.local_date = @date AND a.status = 'booked'
		 AND (@service = '' OR a.service_item_id = @service)`,
				{ org: orgUnitId, date, service: serviceId ?? '' }
			),
		insertAppointment: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO appointments (id, citizen_id, service_item_id, schedule_id, org_unit_id, channel, start_at, end_at,
		   local_date, status, idempotency_key, acted_by, acted_as, created_at, updated_at)
		 VALUES (@id, @citizen_id, @service_item_id, @schedule_id, @org_unit_id, @channel, @start_at, @end_at,
		   @local_date, 'booked', @idempotency_key, @acted_by, @acted_as, @now, @now)`,
				row
			);
		},
		/**
		 * Moves an appointment to a status only from one of `from` (a concurrent check-in, no-show
		 * or cancel is not overwritten); false when it was no longer in one of them.
		 */
		changeAppointmentStatus: async (row: {
			id: string;
			from: readonly AppointmentRow['status'][];
			status: AppointmentRow['status'];
			cancel_reason: AppointmentRow['cancel_reason'];
			now: number;
		}) =>
			(
				await db.run(
					`UPDATE appointments SET status = @status, cancel_reason = @cancel_reason, updated_at = @now
		 WHERE id = @id AND ${statusIn(row.from)}`,
					{
						id: row.id,
						status: row.status,
						cancel_reason: row.cancel_reason,
						now: row.now,
						...fromParams(row.from)
					}
				)
			).changes === 1,
		/** A rescheduled appointment names the one that replaced it. */
		setRescheduledTo: async (id: string, to: string, now: number) => {
			await db.run('UPDATE appointments SET rescheduled_to = ?, updated_at = ? WHERE id = ?', [
				to,
				now,
				id
			]);
		},
		findWaitlistEntry: (id: string) => db.get<WaitlistRow>(`${WAITLIST} WHERE w.id = ?`, [id]),
		waitersFor: (scheduleId: string, start: number) =>
			db.all<WaitlistRow>(
				`${WAITLIST} WHERE w.schedule_id = ? AND w.start_at = ? AND w.status = 'waiting' ORDER BY w.created_at, ${insertedOrder(db.dialect, 'w').join(', ')}`,
				[scheduleId, start]
			),
		listWaitlistOf: (citizenId: string) =>
			db.all<WaitlistRow>(
				`${WAITLIST} WHERE w.citizen_id = ? ORDER BY w.created_at DESC LIMIT 50`,
				[citizenId]
			),
		/** Waiting or offered entries of an org unit's day (from..to, epoch ms), optionally one item's. */
		openWaitersOnDay: (orgUnitId: string, from: number, to: number, serviceId: string | null) =>
			db.all<WaitlistRow>(
				`${WAITLIST} JOIN schedules s ON s.id = w.schedule_id
		 WHERE s.org_unit_id = @org AND w.start_at >= @from AND w.start_at < @to
		 AND w.status IN ('waiting', 'offered') AND (@service = '' OR w.service_item_id = @service)`,
				{ org: orgUnitId, from, to, service: serviceId ?? '' }
			),
		insertWaitlistEntry: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO waitlist_entries (id, citizen_id, service_item_id, schedule_id, start_at, auto_book, status, created_at, updated_at)
		 VALUES (@id, @citizen_id, @service_item_id, @schedule_id, @start_at, @auto_book, 'waiting', @now, @now)`,
				row
			);
		},
		/** As changeAppointmentStatus, for a waitlist entry: false when it was no longer in `from`. */
		changeWaitlistStatus: async (row: {
			id: string;
			from: readonly WaitlistRow['status'][];
			status: WaitlistRow['status'];
			appointment_id: string | null;
			now: number;
		}) =>
			(
				await db.run(
					`UPDATE waitlist_entries SET status = @status, appointment_id = @appointment_id, updated_at = @now
		 WHERE id = @id AND ${statusIn(row.from)}`,
					{
						id: row.id,
						status: row.status,
						appointment_id: row.appointment_id,
						now: row.now,
						...fromParams(row.from)
					}
				)
			).changes === 1
	};
}

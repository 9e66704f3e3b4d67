import type { Engine } from '../engine.ts';
import type { Store } from '../db/store.ts';
import { inItems, jsonValues, plannedOnce } from '../db/dialect.ts';

export interface TicketRow {
	id: string;
	hall_id: string;
	day: string;
	category: string;
	number: number;
	code: string;
	service_item_id: string;
	channel: 'video' | 'onsite';
	citizen_id: string | null;
	appointment_id: string | null;
	slot_start: number | null;
	priority: number;
	priority_reason: 'elderly' | 'disabled' | 'pregnant' | null;
	status: 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled';
	cancel_reason: 'citizen' | 'hall_closed' | null;
	order_key: number;
	target_desk_id: string | null;
	desk_id: string | null;
	called_by: string | null;
	called_at: number | null;
	recalls: number;
	started_at: number | null;
	finished_at: number | null;
	no_show_at: number | null;
	rejoins: number;
	created_at: number;
	hall_name: string;
	service_name: string;
	category_name: string;
	desk_name: string | null;
	agent_name: string | null;
	/** The ticket's open video session, if any. */
	video_session_id: string | null;
	/** who took the ticket (issue 23): the citizen, a proxy acting for them, or staff (kiosk) */
	acted_by: string | null;
	acted_as: 'self' | 'proxy' | 'grid' | 'staff' | null;
	/** 入户办: the home visit the ticket was started from, its grid worker and resident */
	home_visit_id: string | null;
	grid_worker_name: string | null;
	resident_name: string | null;
}

export interface DeskRow {
	id: string;
	org_unit_id: string;
	name: string;
	categories: string;
	served_by: string | null;
	opened_at: number | null;
	server_name: string | null;
}

export interface EventRow {
	id: number;
	hall_id: string;
	ticket_id: string | null;
	type: string;
	payload: string;
	created_at: number;
}

// Names by scalar subqueries, not joins: measured 7 µs against 72 µs for the same row with
// five joins (SQLite plans the joined `t.*` far worse), and a ticket is read on every page view.
// A home visit's three only for a ticket a grid worker started (入户办: acted_as 'grid', the
// only way a visit gets a ticket): CASE skips them for every other ticket.
const TICKET = `SELECT t.*, (SELECT name FROM org_units WHERE id = t.hall_id) AS hall_name,
	(SELECT name FROM service_items WHERE id = t.service_item_id) AS service_name,
	coalesce((SELECT name FROM service_categories WHERE code = t.category), t.category) AS category_name,
	(SELECT name FROM desks WHERE id = t.desk_id) AS desk_name,
	(SELECT name FROM users WHERE id = t.called_by) AS agent_name,
	(SELECT id FROM video_sessions WHERE ticket_id = t.id AND status = 'open') AS video_session_id,
	CASE WHEN t.acted_as = 'grid' THEN (SELECT id FROM home_visits WHERE ticket_id = t.id) END AS home_visit_id,
	CASE WHEN t.acted_as = 'grid' THEN (SELECT u.name FROM home_visits v JOIN users u ON u.id = v.grid_worker_id WHERE v.ticket_id = t.id) END AS grid_worker_name,
	CASE WHEN t.acted_as = 'grid' THEN (SELECT u.name FROM home_visits v JOIN users u ON u.id = v.citizen_id WHERE v.ticket_id = t.id) END AS resident_name
	FROM tickets t`;
const DESK = `SELECT d.*, (SELECT name FROM users WHERE id = d.served_by) AS server_name FROM desks d`;

const NEXT_NUMBER = `INSERT INTO ticket_counters (hall_id, day, category, last_number) VALUES (?, ?, ?, 1)
		 ON CONFLICT (hall_id, day, category) DO UPDATE SET last_number = ticket_counters.last_number + 1
		 RETURNING last_number`;
const INSERT_TICKET = `INSERT INTO tickets (id, hall_id, day, category, number, code, service_item_id, channel, citizen_id,
		   appointment_id, slot_start, priority, priority_reason, status, order_key, created_by, created_at,
		   acted_by, acted_as)
		 VALUES (@id, @hall_id, @day, @category, @number, @code, @service_item_id, @channel, @citizen_id,
		   @appointment_id, @slot_start, @priority, @priority_reason, 'waiting', @order_key, @created_by, @created_at,
		   @acted_by, @acted_as)`;
const UPDATE_TICKET = `UPDATE tickets SET status = @status, cancel_reason = @cancel_reason, category = @category, order_key = @order_key, target_desk_id = @target_desk_id,
		   desk_id = @desk_id, called_by = @called_by, called_at = @called_at, recalls = @recalls, started_at = @started_at,
		   finished_at = @finished_at, no_show_at = @no_show_at, rejoins = @rejoins
		 WHERE id = @id`;

interface WaitingEntryRow {
	id: string;
	category: string;
	priority: number;
	slot_start: number | null;
	order_key: number;
	number: number;
	target_desk_id: string | null;
}

export function createQueueRepo(db: Store) {
	const once = plannedOnce(db);
	return {
		nextNumber: async (hallId: string, day: string, category: string) =>
			(await db.get<{ last_number: number }>(NEXT_NUMBER, [hallId, day, category]))!.last_number,
		insertTicket: async (row: Record<string, unknown>) => {
			await db.run(INSERT_TICKET, row);
		},
		findTicket: (id: string) => db.get<TicketRow>(`${TICKET} WHERE t.id = ?`, [id]),
		/** A ticket's hall (it never changes: read before taking the hall's lock). */
		hallOfTicket: async (id: string) =>
			(await db.get<{ hall_id: string }>('SELECT hall_id FROM tickets WHERE id = ?', [id]))
				?.hall_id,
		/** A desk's hall (it never changes: read before taking the hall's lock). */
		hallOfDesk: async (id: string) =>
			(await db.get<{ org_unit_id: string }>('SELECT org_unit_id FROM desks WHERE id = ?', [id]))
				?.org_unit_id,
		waiting: (hallId: string, day: string) =>
			db.all<TicketRow>(
				`${TICKET} WHERE t.hall_id = ? AND t.day = ? AND t.status = 'waiting' ORDER BY t.order_key, t.number, t.id`,
				[hallId, day]
			),
		// only what the calling order needs, in the same order as waiting
		waitingEntries: async (hallId: string, day: string) =>
			(
				await db.all<WaitingEntryRow>(
					`SELECT id, category, priority, slot_start, order_key, number, target_desk_id FROM tickets
		 WHERE hall_id = ? AND day = ? AND status = 'waiting' ORDER BY order_key, number, id`,
					[hallId, day]
				)
			).map((r) => ({
				id: r.id,
				category: r.category,
				priority: r.priority === 1,
				slotStart: r.slot_start,
				orderKey: r.order_key,
				seq: r.number,
				targetDeskId: r.target_desk_id
			})),
		eventPayload: async (id: number) =>
			(await db.get<{ payload: string }>('SELECT payload FROM queue_events WHERE id = ?', [id]))
				?.payload ?? null,
		// the event log orders calls exactly, even within one millisecond
		lastCallWasPriority: async (hallId: string, day: string) => {
			const last = await db.get<{ priority: number; slot_start: number | null }>(
				`SELECT t.priority, t.slot_start FROM queue_events e JOIN tickets t ON t.id = e.ticket_id
		 WHERE e.hall_id = ? AND e.type = 'ticket.called' AND t.day = ? ORDER BY e.id DESC LIMIT 1`,
				[hallId, day]
			);
			return !!last && last.priority === 1 && last.slot_start === null;
		},
		updateTicket: async (row: TicketRow) => {
			await db.run(UPDATE_TICKET, row as unknown as Record<string, unknown>);
		},
		/** Cancels a ticket only while it still waits; whether it did. */
		cancelIfWaiting: async (id: string, reason: 'citizen' | 'hall_closed') =>
			(
				await db.run(
					`UPDATE tickets SET status = 'cancelled', cancel_reason = ? WHERE id = ? AND status = 'waiting'`,
					[reason, id]
				)
			).changes === 1,
		/** Starts serving a ticket only while it is still called; whether it did. */
		startIfCalled: async (id: string, now: number) =>
			(
				await db.run(
					`UPDATE tickets SET status = 'serving', started_at = ? WHERE id = ? AND status = 'called'`,
					[now, id]
				)
			).changes === 1,
		// also the tickets cancelled because their hall closed, from this day on, so the citizen sees why
		/** The citizen's live tickets, of these items only (代办: a grant of chosen items). */
		activeOfCitizen: (citizenId: string, closedSince: string, items: 'all' | readonly string[]) => {
			const only = inItems(db, 't.service_item_id', items);
			return db.all<TicketRow>(
				`${TICKET} WHERE t.citizen_id = ? AND (t.status IN ('waiting', 'called', 'serving', 'no_show')
		   OR (t.status = 'cancelled' AND t.cancel_reason = 'hall_closed' AND t.day >= ?))${only.sql}
		 ORDER BY t.created_at DESC LIMIT 20`,
				[citizenId, closedSince, ...only.params]
			);
		},
		/** The hall of the citizen's latest ticket among these halls. */
		lastHallOfCitizen: async (citizenId: string, hallIds: string[]) =>
			(
				await db.get<{ hall_id: string }>(
					`SELECT hall_id FROM tickets WHERE citizen_id = ? AND hall_id IN (${jsonValues(db)})
		 ORDER BY created_at DESC LIMIT 1`,
					[citizenId, JSON.stringify(hallIds)]
				)
			)?.hall_id,
		/** Tickets still waiting on this day or before (the closing sweep's work). */
		waitingUpTo: (day: string) =>
			db.all<TicketRow>(
				`${TICKET} WHERE t.status = 'waiting' AND t.day <= ? ORDER BY t.hall_id, t.order_key`,
				[day]
			),
		recentDurations: async (hallId: string, category: string, since: number) =>
			(
				await db.all<{ d: number }>(
					// planned once (dialect.ts): this runs on every take and call
					`SELECT finished_at - called_at AS d FROM tickets WHERE hall_id = ${once} AND category = ${once} AND status = 'done'
		 AND finished_at >= ${once} AND called_at IS NOT NULL ORDER BY finished_at DESC LIMIT 20`,
					[hallId, category, since]
				)
			).map((r) => r.d),
		currentAtDesk: (deskId: string) =>
			db.get<TicketRow>(
				`${TICKET} WHERE t.desk_id = ? AND t.status IN ('called', 'serving') ORDER BY t.called_at DESC LIMIT 1`,
				[deskId]
			),
		/** The ticket each desk is on now (its latest call), for a whole list of desks in one query. */
		async currentAtDesks(deskIds: string[]): Promise<Map<string, TicketRow>> {
			const byDesk = new Map<string, TicketRow>();
			const rows = await db.all<TicketRow>(
				`${TICKET} WHERE t.desk_id IN (${jsonValues(db)}) AND t.status IN ('called', 'serving')
		 ORDER BY t.called_at DESC`,
				[JSON.stringify(deskIds)]
			);
			for (const t of rows) if (t.desk_id && !byDesk.has(t.desk_id)) byDesk.set(t.desk_id, t);
			return byDesk;
		},
		findDesk: (id: string) => db.get<DeskRow>(`${DESK} WHERE d.id = ?`, [id]),
		desksIn: (orgUnitIds: string[]) =>
			db.all<DeskRow>(
				`${DESK} WHERE d.org_unit_id IN (${jsonValues(db)}) ORDER BY d.org_unit_id, d.name`,
				[JSON.stringify(orgUnitIds)]
			),
		openDesksOf: (hallId: string) =>
			db.all<DeskRow>(`${DESK} WHERE d.org_unit_id = ? AND d.served_by IS NOT NULL`, [hallId]),
		deskServedBy: (userId: string) => db.get<DeskRow>(`${DESK} WHERE d.served_by = ?`, [userId]),
		setDesk: async (row: {
			id: string;
			categories: string;
			served_by: string | null;
			opened_at: number | null;
		}) => {
			await db.run(
				'UPDATE desks SET categories = @categories, served_by = @served_by, opened_at = @opened_at WHERE id = @id',
				row
			);
		},
		/**
		 * Appends an event to the hall's log and returns its id (RETURNING: the Store reports no
		 * insert id). Rules call appendHallEvent, which also tells the hall's streams.
		 */
		appendEvent: async (
			hallId: string,
			ticketId: string | null,
			type: string,
			payload: unknown,
			now: number
		) =>
			(await db.get<{ id: number }>(
				'INSERT INTO queue_events (hall_id, ticket_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
				[hallId, ticketId, type, JSON.stringify(payload), now]
			))!.id,
		eventsAfter: (hallId: string, afterId: number, limit: number) =>
			db.all<EventRow>(
				'SELECT * FROM queue_events WHERE hall_id = ? AND id > ? ORDER BY id LIMIT ?',
				[hallId, afterId, limit]
			),
		lastEventId: async (hallId: string) =>
			(
				await db.get<{ id: number | null }>(
					`SELECT max(id) AS id FROM queue_events WHERE hall_id = ${once}`,
					[hallId]
				)
			)?.id ?? 0,
		// the board's calls: the latest call (or recall) of each onsite ticket still at a desk
		recentCalls: (hallId: string, limit: number, since: number) =>
			db.all<EventRow>(
				`SELECT * FROM queue_events WHERE id IN (
		   SELECT max(e.id) FROM queue_events e JOIN tickets t ON t.id = e.ticket_id
		   WHERE e.hall_id = ? AND e.type IN ('ticket.called', 'ticket.recalled') AND e.created_at >= ?
		   AND t.channel = 'onsite' AND t.status IN ('called', 'serving') GROUP BY e.ticket_id)
		 ORDER BY id DESC LIMIT ?`,
				[hallId, since, limit]
			),
		waitingCounts: (hallId: string, day: string) =>
			db.all<{ category: string; name: string; count: number }>(
				`SELECT t.category, coalesce(c.name, t.category) AS name, count(*) AS count FROM tickets t
		 LEFT JOIN service_categories c ON c.code = t.category
		 WHERE t.hall_id = ? AND t.day = ? AND t.status = 'waiting' AND t.channel = 'onsite'
		 GROUP BY t.category, c.name ORDER BY t.category`,
				[hallId, day]
			),
		halls: () =>
			db.all<{ id: string; code: string; name: string }>(
				'SELECT o.id, o.code, o.name FROM org_units o WHERE EXISTS (SELECT 1 FROM desks d WHERE d.org_unit_id = o.id) ORDER BY o.code'
			),
		findHall: (idOrCode: string) =>
			db.get<{ id: string; code: string; name: string }>(
				'SELECT id, code, name FROM org_units WHERE id = ? OR code = ?',
				[idOrCode, idOrCode]
			),
		categories: () =>
			db.all<{ code: string; name: string }>(
				'SELECT code, name FROM service_categories ORDER BY code'
			)
	};
}

/**
 * Appends a queue event on the deps' store (or open transaction) and tells the hall's streams;
 * the bus delivers after the transaction committed.
 */
export async function appendHallEvent(
	deps: { engine: Engine; store: Store },
	hallId: string,
	ticketId: string | null,
	type: string,
	payload: unknown,
	now: number
): Promise<number> {
	const id = await createQueueRepo(deps.store).appendEvent(hallId, ticketId, type, payload, now);
	deps.engine.events.publish(`hall:${hallId}`, id); // delivered once the transaction commits
	return id;
}

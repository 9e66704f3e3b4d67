// The virtual queue (云上排队叫号): issuing tickets, calling, serving, and what a citizen sees.
// Numbering and calling run inside write transactions (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
// counter row's upsert lock and the `hall:` advisory lock, see lockHall), so across processes a
// number is never issued twice or skipped, and two desks never call the same ticket.
import type { Deps } from '../deps.ts';
import type { Store } from '../db/store.ts';
import { groupCommit } from '../db/group-commit.ts';
import { isUniqueViolation, lockKey } from '../db/dialect.ts';
import { AppError } from '../http/errors.ts';
import { newTimeOrderedId } from '../ids.ts';
import { toIso } from '../time.ts';
import { addDays, localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Channel, ServiceSummary } from '../../shared/schemas/catalog.ts';
import type { Ticket, TakeTicketInput } from '../../shared/schemas/queue.ts';
import { staffSeesOrgUnit } from '../access/org-units.ts';
import { getOrgUnit } from '../accounts/accounts.ts';
import { checkInAppointment } from '../booking/appointments.ts';
import { hallClosingOn, hallOpenAt, nextHallOpening } from '../booking/hall-hours.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { requireHallOffering } from './halls.ts';
import { averageServiceMinutes, estimateWaitMinutes } from './estimate.ts';
import type { QueueEntry } from './order.ts';
import { aheadOf, waitingOrderOf, type WaitingChange } from './waiting-order.ts';
import { keptPerHallVersion } from './kept-per-hall.ts';
import { appendQueueEvent, orderBeforeChange } from './order-events.ts';
import { createQueueRepo, type DeskRow, type TicketRow } from './repo.ts';
import { listableItems, requireGrantedItem, whoActsFor, type ActedBy } from '../access/acting.ts';
import { noticeProxyTicket } from '../proxy/notices.ts';

const MINUTE = 60_000;
/** A no-show may rejoin once within this time, placed after this many waiting tickets. */
export const REJOIN_MINUTES = 30;
export const REJOIN_BEHIND = 3;

const today = (deps: Deps) => localDate(deps.now(), deps.config.timeZone);

export function toQueueEntry(row: TicketRow): QueueEntry {
	return {
		id: row.id,
		category: row.category,
		priority: row.priority === 1,
		slotStart: row.slot_start,
		orderKey: row.order_key,
		seq: row.number,
		targetDeskId: row.target_desk_id
	};
}

function deskCategories(desk: DeskRow): string[] {
	return desk.categories ? desk.categories.split(',') : [];
}

/**
 * Inside a transaction, before its first read of the hall's tickets, desks or events: the hall
 * lock (docs/transactions.md). On PostgreSQL it serialises every transaction that changes the
 * hall's queue (call-next reads the whole waiting pool) and makes its event ids commit in order;
 * on SQLite BEGIN IMMEDIATE already holds the whole database.
 */
export async function lockHall(tx: Store, hallId: string): Promise<void> {
	await lockKey(tx, `hall:${hallId}`);
}

/**
 * The hall lock of a ticket's hall; its hall_id, read before the lock, never changes. Returns
 * false when there is no such ticket.
 */
export async function lockHallOfTicket(tx: Store, ticketId: string): Promise<boolean> {
	const hallId = await createQueueRepo(tx).hallOfTicket(ticketId);
	if (hallId === undefined) return false;
	await lockHall(tx, hallId);
	return true;
}

/**
 * What a ticket view reads about its hall (open desks, hours, service times, the waiting order),
 * each read once per request however many tickets it shows: no query per ticket in a list.
 */
export function hallFacts(deps: Deps) {
	const repo = createQueueRepo(deps.store);
	const now = deps.now();
	// the read's promise is kept, so tickets mapped at once share one read
	const memo = new Map<string, Promise<unknown>>();
	const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
		if (!memo.has(key)) memo.set(key, read());
		return memo.get(key) as Promise<T>;
	};
	// one change stamp for the whole view, taken at its first read: the order is kept under it,
	// the hours check theirs only when it moved, and each costs statements (server/db/)
	let viewStamp: string | null | undefined;
	const stamp = () => (viewStamp ??= deps.store.inTransaction ? null : deps.engine.changeStamp());
	// today's waiting order carries the hall's version (its latest queue event id), under which
	// its open desks and recent service times are kept (kept-per-hall.ts); null in a transaction
	const order = (hallId: string, day: string) =>
		once(`order|${hallId}|${day}`, () => waitingOrderOf(deps, hallId, day, stamp()));
	const version = async (hallId: string) =>
		deps.store.inTransaction
			? null
			: (await order(hallId, localDate(now, deps.config.timeZone))).version;
	const openDesks = (hallId: string) =>
		once(`desks|${hallId}`, async () =>
			keptPerHallVersion(deps, `desks|${hallId}`, await version(hallId), MINUTE, async () =>
				(await repo.openDesksOf(hallId)).map(deskCategories)
			)
		);
	return {
		now,
		desksOpenFor: async (hallId: string, category: string) =>
			(await openDesks(hallId)).filter((categories) => categories.includes(category)).length,
		closesAt: (hallId: string, day: string) =>
			once(`closes|${hallId}|${day}`, async () => await hallClosingOn(deps, hallId, day, stamp())),
		opensAt: (hallId: string) =>
			once(`opens|${hallId}`, async () =>
				(await hallOpenAt(deps, hallId, now, stamp()))
					? null
					: await nextHallOpening(deps, hallId, now, stamp())
			),
		averageMinutes: (hallId: string, category: string) =>
			once(`average|${hallId}|${category}`, async () =>
				// the last week's services: a minute old is as good as now
				keptPerHallVersion(
					deps,
					`average|${hallId}|${category}`,
					await version(hallId),
					MINUTE,
					async () =>
						averageServiceMinutes(
							await repo.recentDurations(hallId, category, now - 7 * 24 * 60 * MINUTE)
						)
				)
			),
		order
	};
}
export type HallFacts = ReturnType<typeof hallFacts>;

export async function toTicket(
	deps: Deps,
	row: TicketRow,
	facts: HallFacts = hallFacts(deps)
): Promise<Ticket> {
	const tz = deps.config.timeZone;
	const now = facts.now;
	const openDesks = await facts.desksOpenFor(row.hall_id, row.category);
	let ahead: number | null = null;
	let estimate: number | null = null;
	let opensAt: number | null = null;
	const closesAt = await facts.closesAt(row.hall_id, row.day);
	if (row.status === 'waiting') {
		// from the hall's waiting order, computed once per change (waiting-order.ts)
		ahead = aheadOf(await facts.order(row.hall_id, row.day), row.id) ?? 0;
		// with no desk open there is nothing to estimate from: say when the hall opens instead
		if (openDesks > 0)
			estimate = estimateWaitMinutes(
				ahead,
				await facts.averageMinutes(row.hall_id, row.category),
				openDesks
			);
		else opensAt = await facts.opensAt(row.hall_id);
	}
	return {
		id: row.id,
		code: row.code,
		status: row.status,
		category: row.category,
		categoryName: row.category_name,
		hallId: row.hall_id,
		hallName: row.hall_name,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		channel: row.channel,
		priority: row.priority === 1,
		priorityReason: row.priority_reason,
		appointmentId: row.appointment_id,
		position: ahead === null ? null : ahead + 1,
		ahead,
		estimatedWaitMinutes: estimate,
		desksOpen: openDesks,
		opensAt: opensAt === null ? null : toIso(opensAt, tz),
		closesAt: closesAt === null ? null : toIso(closesAt, tz),
		pastClosing:
			row.status === 'waiting' && closesAt !== null && now + (estimate ?? 0) * MINUTE >= closesAt,
		desk: row.desk_id && row.desk_name ? { id: row.desk_id, name: row.desk_name } : null,
		agentName: row.called_by ? row.agent_name : null,
		cancelReason: row.cancel_reason,
		recalls: row.recalls,
		videoSessionId: row.video_session_id,
		canRejoin: canRejoin(deps, row),
		createdAt: toIso(row.created_at, tz),
		calledAt: row.called_at ? toIso(row.called_at, tz) : null,
		actedBy: row.acted_as ? { id: row.acted_by, as: row.acted_as } : null,
		homeVisit:
			row.home_visit_id && row.grid_worker_name
				? {
						id: row.home_visit_id,
						gridWorkerName: row.grid_worker_name,
						residentName: row.resident_name ?? ''
					}
				: null
	};
}

function canRejoin(deps: Deps, row: TicketRow): boolean {
	return (
		row.status === 'no_show' &&
		row.rejoins === 0 &&
		row.no_show_at !== null &&
		deps.now() - row.no_show_at <= REJOIN_MINUTES * MINUTE &&
		row.day === today(deps)
	);
}

/**
 * Public event payloads carry the code and desk, never who holds the ticket; and how the
 * waiting order moved since `before` (taken at the start of the transaction), for the pages.
 */
async function publish(
	deps: Deps,
	row: TicketRow,
	type: string,
	before: OrderBefore,
	change: WaitingChange
): Promise<void> {
	await appendQueueEvent(
		deps,
		{
			hallId: row.hall_id,
			ticketId: row.id,
			type,
			payload: { ticketId: row.id, code: row.code, category: row.category },
			categories: [row.category]
		},
		before,
		change
	);
}
type OrderBefore = Awaited<ReturnType<typeof orderBeforeChange>>;

interface Issue {
	hallId: string;
	/** the item as the take checked it (its category numbers the ticket) */
	item: ServiceSummary;
	channel: Channel;
	citizenId: string | null;
	appointmentId: string | null;
	slotStart: number | null;
	priorityReason: TicketRow['priority_reason'];
	createdBy: string;
	/** who took it: the citizen, a proxy acting for them (issue 23), or staff at the kiosk */
	acted: ActedBy | null;
}

/** Inside a transaction: the next number of the category, the ticket, and its event. */
async function issueTicket(deps: Deps, issue: Issue): Promise<TicketRow> {
	const repo = createQueueRepo(deps.store);
	// the counter row's upsert alone keeps the numbers serial; the lock orders the hall's events
	await lockHall(deps.store, issue.hallId);
	const item = issue.item;
	const day = today(deps);
	const before = await orderBeforeChange(deps, issue.hallId, day);
	const number = await repo.nextNumber(issue.hallId, day, item.category);
	const now = deps.now();
	const id = newTimeOrderedId(now);
	try {
		await repo.insertTicket({
			id,
			hall_id: issue.hallId,
			day,
			category: item.category,
			number,
			code: `${item.category}${String(number).padStart(3, '0')}`,
			service_item_id: item.id,
			channel: issue.channel,
			citizen_id: issue.citizenId,
			appointment_id: issue.appointmentId,
			slot_start: issue.slotStart,
			priority: issue.priorityReason ? 1 : 0,
			priority_reason: issue.priorityReason,
			order_key: now,
			created_by: issue.createdBy,
			created_at: now,
			acted_by: issue.acted?.actedBy ?? null,
			acted_as: issue.acted?.actedAs ?? null
		});
	} catch (err) {
		// on PostgreSQL the violation has aborted the transaction: the error ends it (the number
		// goes back with the rollback)
		if (isUniqueViolation(err))
			throw AppError.conflict('already_queued', 'You already hold a ticket for this item');
		throw err;
	}
	const row = (await repo.findTicket(id))!;
	await publish(deps, row, 'ticket.issued', before, { put: toQueueEntry(row) });
	if (issue.acted?.actedAs === 'proxy' && issue.citizenId)
		await noticeProxyTicket(deps, row, issue.citizenId);
	return row;
}

export async function takeTicket(
	deps: Deps,
	citizen: User,
	input: TakeTicketInput
): Promise<Ticket> {
	const issue = await ticketToIssue(deps, citizen, input);
	return toTicket(deps, await deps.store.transaction(issue));
}

/**
 * takeTicket for the HTTP route: the tickets asked for in the same turn of the event loop are
 * issued in one transaction (server/db/group-commit.ts), so a morning rush shares its fsyncs.
 */
export async function takeTicketGrouped(
	deps: Deps,
	citizen: User,
	input: TakeTicketInput
): Promise<Ticket> {
	const issue = await ticketToIssue(deps, citizen, input);
	// PostgreSQL: one transaction per ticket. A group would hold the counter rows and hall locks
	// of several halls in arrival order (two groups could deadlock), and PostgreSQL already
	// shares WAL flushes between concurrent commits
	const row =
		deps.store.dialect === 'postgres'
			? await deps.store.transaction(issue)
			: await groupCommit(deps.store, issue);
	return toTicket(deps, row);
}

/**
 * Checks a take and returns its write, to run inside a transaction (on its handle). Exported
 * for 入户办 (server/grid): the grid worker's visit and the resident's ticket commit together.
 */
export async function ticketToIssue(
	deps: Deps,
	citizen: User,
	input: TakeTicketInput
): Promise<(tx: Store) => Promise<TicketRow>> {
	if (input.appointmentId)
		return ticketForAppointment(deps, citizen, input.appointmentId, input.priorityReason ?? null);
	const item = await findServiceSummary(deps, input.serviceId!);
	if (!item) throw AppError.validation({ serviceId: 'no such service item' });
	requireGrantedItem(item.id);
	const channel = input.channel!;
	if (!item.channels.includes(channel))
		throw AppError.validation({ channel: `this item is not offered on the ${channel} channel` });
	const hallId = input.hallId ?? item.department.orgUnitId;
	if (!(await getOrgUnit(deps, hallId))) throw AppError.validation({ hallId: 'no such hall' });
	await requireHallOffering(deps, item, hallId);
	return (tx) =>
		issueTicket(
			{ ...deps, store: tx },
			{
				hallId,
				item,
				channel,
				citizenId: citizen.id,
				appointmentId: null,
				slotStart: null,
				priorityReason: input.priorityReason ?? null,
				createdBy: citizen.id,
				acted: whoActsFor(citizen.id)
			}
		);
}

/** An appointment's check-in and its ticket, in one transaction. */
function ticketForAppointment(
	deps: Deps,
	citizen: User,
	appointmentId: string,
	priorityReason: TicketRow['priority_reason']
): (tx: Store) => Promise<TicketRow> {
	return async (tx) => {
		const inTx = { ...deps, store: tx };
		const appt = await checkInAppointment(inTx, citizen, appointmentId);
		requireGrantedItem(appt.serviceId);
		const item = await findServiceSummary(inTx, appt.serviceId);
		if (!item) throw AppError.notFound('Service item');
		return issueTicket(inTx, {
			hallId: appt.orgUnitId,
			item,
			channel: appt.channel,
			citizenId: citizen.id,
			appointmentId: appt.id,
			slotStart: appt.startAt,
			priorityReason,
			createdBy: citizen.id,
			acted: whoActsFor(citizen.id)
		});
	};
}

/** A ticket from the hall's kiosk (onsite, no account), issued by the signed-in kiosk staff. */
export async function takeKioskTicket(
	deps: Deps,
	staff: User,
	input: { serviceId: string; hallId: string; priorityReason?: TicketRow['priority_reason'] }
): Promise<Ticket> {
	const item = await findServiceSummary(deps, input.serviceId);
	if (!item) throw AppError.validation({ serviceId: 'no such service item' });
	if (!item.channels.includes('onsite'))
		throw AppError.validation({ serviceId: 'this item is not handled on site' });
	if (!(await staffSeesOrgUnit(deps, staff, input.hallId)))
		throw AppError.validation({ hallId: 'not a hall of your org unit' });
	const row = await deps.store.transaction((tx) =>
		issueTicket(
			{ ...deps, store: tx },
			{
				hallId: input.hallId,
				item,
				channel: 'onsite',
				citizenId: null,
				appointmentId: null,
				slotStart: null,
				priorityReason: input.priorityReason ?? null,
				createdBy: staff.id,
				// a kiosk ticket has no account: the staff member at the kiosk issued it
				acted: { actedBy: staff.id, actedAs: 'staff' }
			}
		)
	);
	return toTicket(deps, row);
}

/** A ticket the user may see: a citizen their own, staff those of their halls; 404 otherwise. */
async function visibleTicket(deps: Deps, user: User, id: string): Promise<TicketRow> {
	const row = await createQueueRepo(deps.store).findTicket(id);
	if (!row) throw AppError.notFound('Ticket');
	if (
		user.role === 'citizen'
			? row.citizen_id !== user.id
			: user.role === 'grid'
				? // 入户办: the grid worker follows the resident's ticket they started on the tablet
					!(row.acted_as === 'grid' && row.acted_by === user.id)
				: !(await staffSeesOrgUnit(deps, user, row.hall_id))
	)
		throw AppError.notFound('Ticket');
	return row;
}

export async function getTicket(deps: Deps, user: User, id: string): Promise<Ticket> {
	return toTicket(deps, await visibleTicket(deps, user, id));
}

/**
 * A ticket's view by id, for a rule that has decided who may see it (入户办: the grid worker who
 * started the resident's ticket, whose community is not the ticket's hall).
 */
export async function ticketById(deps: Deps, id: string): Promise<Ticket | null> {
	const row = await createQueueRepo(deps.store).findTicket(id);
	return row ? toTicket(deps, row) : null;
}

/** 404 unless the user may see the ticket: for what belongs to a ticket (its conversation). */
export async function requireVisibleTicket(deps: Deps, user: User, id: string): Promise<void> {
	await visibleTicket(deps, user, id);
}

/** A ticket cancelled because its hall closed stays in its citizen's list this many days. */
export const CLOSED_TICKET_LISTED_DAYS = 7;

export async function listMyTickets(deps: Deps, citizen: User): Promise<Ticket[]> {
	const day = today(deps);
	const facts = hallFacts(deps);
	const rows = await createQueueRepo(deps.store).activeOfCitizen(
		citizen.id,
		addDays(day, -CLOSED_TICKET_LISTED_DAYS),
		listableItems()
	);
	// the hall's facts are read once for all of them (no query per ticket)
	return Promise.all(
		rows
			.filter(
				(r) =>
					(r.status === 'cancelled' && r.cancel_reason === 'hall_closed') ||
					(r.day === day && (r.status !== 'no_show' || canRejoin(deps, r)))
			)
			.map((r) => toTicket(deps, r, facts))
	);
}

export async function cancelTicket(deps: Deps, citizen: User, id: string): Promise<Ticket> {
	const row = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfTicket(tx, id);
		const t = await repo.findTicket(id);
		if (!t || t.citizen_id !== citizen.id) throw AppError.notFound('Ticket');
		if (t.status !== 'waiting' && t.status !== 'no_show')
			throw AppError.conflict('not_waiting', 'Only a waiting ticket can be cancelled');
		const before = await orderBeforeChange(inTx, t.hall_id, t.day);
		await repo.updateTicket({ ...t, status: 'cancelled', cancel_reason: 'citizen' });
		await publish(inTx, t, 'ticket.cancelled', before, { remove: t.id });
		return (await repo.findTicket(id))!;
	});
	return toTicket(deps, row);
}

export async function rejoinQueue(deps: Deps, citizen: User, id: string): Promise<Ticket> {
	const row = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfTicket(tx, id);
		const t = await repo.findTicket(id);
		if (!t || t.citizen_id !== citizen.id) throw AppError.notFound('Ticket');
		if (!canRejoin(deps, t))
			throw AppError.conflict(
				'cannot_rejoin',
				`A missed ticket can rejoin once, within ${REJOIN_MINUTES} minutes`
			);
		const before = await orderBeforeChange(inTx, t.hall_id, t.day);
		// placed after the next few waiting tickets of its category
		const sameCategory = (await repo.waiting(t.hall_id, t.day)).filter(
			(w) => w.category === t.category && !w.target_desk_id
		);
		const anchor = sameCategory[Math.min(REJOIN_BEHIND, sameCategory.length) - 1];
		const orderKey = anchor ? anchor.order_key + 1 : deps.now();
		await repo.updateTicket({
			...t,
			status: 'waiting',
			order_key: orderKey,
			rejoins: t.rejoins + 1,
			desk_id: null,
			target_desk_id: null
		});
		const rejoined = (await repo.findTicket(id))!;
		await publish(inTx, t, 'ticket.rejoined', before, { put: toQueueEntry(rejoined) });
		return rejoined;
	});
	return toTicket(deps, row);
}

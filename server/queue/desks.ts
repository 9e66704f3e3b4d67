// Desks (窗口): an agent opens one, chooses the categories it serves, calls the next ticket and
// serves it. Call-next is one write transaction under the hall's lock (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: the `hall:` advisory lock, taken before the first read): two desks pressing at
// once, in any processes, never get the same ticket. Every other transaction that changes the
// hall's tickets or desks takes the same lock first.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { Store } from '../db/store.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Desk, Ticket } from '../../shared/schemas/queue.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { pickNext, type DeskView } from './order.ts';
import { nextForDesk } from './waiting-order.ts';
import { createQueueRepo, type DeskRow, type TicketRow } from './repo.ts';
import {
	hallFacts,
	lockHall,
	lockHallOfTicket,
	toQueueEntry,
	toTicket,
	type HallFacts
} from './queue.ts';
import { localDate } from '../../shared/dates.ts';
import { appendQueueEvent, orderBeforeChange } from './order-events.ts';
import { closeRoom, endSessionOfTicket } from '../video/session-records.ts';

function deskCategories(desk: DeskRow): string[] {
	return desk.categories ? desk.categories.split(',') : [];
}

/** `current`: the desk's ticket when the caller read it for many desks at once. */
async function toDesk(
	deps: Deps,
	row: DeskRow,
	facts: HallFacts = hallFacts(deps),
	current?: TicketRow | null
): Promise<Desk> {
	if (current === undefined) current = await createQueueRepo(deps.store).currentAtDesk(row.id);
	return {
		id: row.id,
		name: row.name,
		orgUnitId: row.org_unit_id,
		open: row.served_by !== null,
		categories: row.categories ? row.categories.split(',') : [],
		servedBy: row.served_by ? { id: row.served_by, name: row.server_name ?? '' } : null,
		current: current ? await toTicket(deps, current, facts) : null
	};
}

export function listCategories(deps: Deps) {
	return createQueueRepo(deps.store).categories();
}

export async function listDesks(deps: Deps, staff: User): Promise<Desk[]> {
	const facts = hallFacts(deps);
	const repo = createQueueRepo(deps.store);
	const desks = await repo.desksIn(await staffOrgUnits(deps, staff));
	// one query for every listed desk's current ticket, not one per desk
	const current = await repo.currentAtDesks(desks.map((d) => d.id));
	return Promise.all(desks.map((d) => toDesk(deps, d, facts, current.get(d.id) ?? null)));
}

async function deskOf(deps: Deps, staff: User, id: string): Promise<DeskRow> {
	const desk = await createQueueRepo(deps.store).findDesk(id);
	if (!desk || !(await staffSeesOrgUnit(deps, staff, desk.org_unit_id)))
		throw AppError.notFound('Desk');
	return desk;
}

/** The hall lock of a desk's hall (its org unit, read before the lock, never changes). */
async function lockHallOfDesk(tx: Store, deskId: string): Promise<void> {
	const hallId = await createQueueRepo(tx).hallOfDesk(deskId);
	if (hallId !== undefined) await lockHall(tx, hallId);
}

/** The desk the staff member serves, with the guard every desk action shares. */
async function servedDesk(deps: Deps, staff: User, id: string): Promise<DeskRow> {
	const desk = await deskOf(deps, staff, id);
	if (desk.served_by !== staff.id)
		throw AppError.conflict(
			'not_your_desk',
			'Open this desk first; another agent serves it or it is closed'
		);
	return desk;
}

export async function openDesk(
	deps: Deps,
	staff: User,
	id: string,
	categories: string[]
): Promise<Desk> {
	const known = new Set((await createQueueRepo(deps.store).categories()).map((c) => c.code));
	const unknown = categories.filter((c) => !known.has(c));
	if (unknown.length)
		throw AppError.validation({ categories: `unknown categories: ${unknown.join(', ')}` });
	await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfDesk(tx, id);
		const desk = await deskOf(inTx, staff, id);
		if (desk.served_by && desk.served_by !== staff.id)
			throw AppError.conflict('desk_taken', `${desk.name} is served by ${desk.server_name}`);
		const other = await repo.deskServedBy(staff.id);
		if (other && other.id !== id)
			throw AppError.conflict('already_serving', `You are serving ${other.name}; close it first`);
		const serves = [...new Set(categories)].sort();
		try {
			await repo.setDesk({
				id,
				categories: serves.join(','),
				served_by: staff.id,
				opened_at: deps.now()
			});
		} catch (err) {
			// desks_one_per_agent: the agent opened a desk of another hall meanwhile (the hall
			// locks of two halls do not exclude each other)
			if (isUniqueViolation(err))
				throw AppError.conflict('already_serving', 'You are serving another desk; close it first');
			throw err;
		}
		// estimates of what the desk served and serves now change; nobody's place does
		await appendQueueEvent(
			inTx,
			{
				hallId: desk.org_unit_id,
				ticketId: null,
				type: 'desk.opened',
				payload: { deskId: id, deskName: desk.name },
				categories: [...new Set([...serves, ...deskCategories(desk)])]
			},
			'unchanged'
		);
	});
	return toDesk(deps, (await createQueueRepo(deps.store).findDesk(id))!);
}

export async function closeDesk(deps: Deps, staff: User, id: string): Promise<Desk> {
	await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfDesk(tx, id);
		const desk = await deskOf(inTx, staff, id);
		if (desk.served_by !== staff.id && staff.role !== 'supervisor')
			throw AppError.conflict(
				'not_your_desk',
				'Only the agent serving this desk, or a supervisor, may close it'
			);
		if (await repo.currentAtDesk(id))
			throw AppError.conflict('desk_busy', 'Finish or mark the current ticket first');
		await repo.setDesk({ id, categories: desk.categories, served_by: null, opened_at: null });
		await appendQueueEvent(
			inTx,
			{
				hallId: desk.org_unit_id,
				ticketId: null,
				type: 'desk.closed',
				payload: { deskId: id, deskName: desk.name },
				categories: deskCategories(desk)
			},
			'unchanged'
		);
	});
	return toDesk(deps, (await createQueueRepo(deps.store).findDesk(id))!);
}

/** Calls the next ticket to the desk, or returns null when nobody waits. */
export async function callNext(deps: Deps, staff: User, deskId: string): Promise<Ticket | null> {
	// every read below is inside the transaction, under the hall's lock taken at its start: two
	// desks calling at once never get the same ticket. Not FOR UPDATE SKIP LOCKED: the choice
	// runs over the whole waiting pool and the hall's previous call (the priority alternation)
	const called = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfDesk(tx, deskId);
		const desk = await servedDesk(inTx, staff, deskId);
		if (await repo.currentAtDesk(deskId))
			throw AppError.conflict('desk_busy', 'Finish or mark the current ticket first');
		const day = localDate(deps.now(), deps.config.timeZone);
		const view = { id: desk.id, categories: desk.categories.split(',') };
		const before = await orderBeforeChange(inTx, desk.org_unit_id, day);
		// today's waiting order, current under the lock: the heads of the desk's lines name the
		// next ticket without reading every waiting one. Its row is read to be called; were it
		// not waiting (a change that appended no event), the whole pool is read as before. The
		// order relies on every write to a waiting ticket appending a queue event (as the
		// positions do): one that did not would also leave a desk idle here while that ticket waits
		const named = before === 'unchanged' ? undefined : nextForDesk(before, view);
		const found = named && (await repo.findTicket(named.id));
		const row =
			named === null
				? null
				: found && found.status === 'waiting'
					? found
					: await nextByReadingAll(inTx, view, desk.org_unit_id, day);
		if (!row) return null;
		const next = toQueueEntry(row);
		await repo.updateTicket({
			...row,
			status: 'called',
			desk_id: desk.id,
			called_by: staff.id,
			called_at: deps.now(),
			target_desk_id: null
		});
		await appendQueueEvent(
			inTx,
			{
				hallId: row.hall_id,
				ticketId: row.id,
				type: 'ticket.called',
				payload: {
					ticketId: row.id,
					code: row.code,
					category: row.category,
					channel: row.channel,
					deskId: desk.id,
					deskName: desk.name
				},
				categories: [row.category],
				calledPriority: next.priority && next.slotStart === null
			},
			before,
			{ remove: row.id }
		);
		return (await repo.findTicket(row.id))!;
	});
	return called ? toTicket(deps, called) : null;
}

/** pickNext over every waiting ticket of the hall, read in the caller's transaction. */
async function nextByReadingAll(
	inTx: Deps,
	desk: DeskView,
	hallId: string,
	day: string
): Promise<TicketRow | null> {
	const repo = createQueueRepo(inTx.store);
	const waiting = await repo.waiting(hallId, day);
	const next = pickNext(
		desk,
		waiting.map(toQueueEntry),
		inTx.now(),
		await repo.lastCallWasPriority(hallId, day)
	);
	return next && waiting.find((t) => t.id === next.id)!;
}

type Action = 'recall' | 'no-show' | 'start' | 'finish';

const ALLOWED: Record<Action, TicketRow['status'][]> = {
	recall: ['called'],
	'no-show': ['called'],
	start: ['called'],
	finish: ['called', 'serving']
};

/** Recall (announce again), no-show (过号), start and finish, by the agent serving the ticket's desk. */
export async function actOnTicket(
	deps: Deps,
	staff: User,
	ticketId: string,
	action: Action
): Promise<Ticket> {
	let closedRoom: string | null = null;
	const row = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfTicket(tx, ticketId);
		const t = await repo.findTicket(ticketId);
		if (!t || !(await staffSeesOrgUnit(inTx, staff, t.hall_id))) throw AppError.notFound('Ticket');
		if (!t.desk_id) throw AppError.conflict('not_called', 'This ticket has not been called');
		const desk = await servedDesk(inTx, staff, t.desk_id);
		if (!ALLOWED[action].includes(t.status))
			throw AppError.conflict(
				'wrong_state',
				`A ${t.status} ticket cannot be ${action === 'no-show' ? 'marked as a no-show' : action + 'ed'}`
			);
		const now = deps.now();
		const next: TicketRow =
			action === 'recall'
				? { ...t, recalls: t.recalls + 1 }
				: action === 'no-show'
					? { ...t, status: 'no_show', no_show_at: now }
					: action === 'start'
						? { ...t, status: 'serving', started_at: now }
						: { ...t, status: 'done', finished_at: now, started_at: t.started_at ?? t.called_at };
		await repo.updateTicket(next);
		const type = {
			recall: 'ticket.recalled',
			'no-show': 'ticket.no_show',
			start: 'ticket.started',
			finish: 'ticket.finished'
		}[action];
		// a finish moves the category's average service time, so its estimates
		await appendQueueEvent(
			inTx,
			{
				hallId: t.hall_id,
				ticketId: t.id,
				type,
				payload: {
					ticketId: t.id,
					code: t.code,
					category: t.category,
					channel: t.channel,
					deskId: desk.id,
					deskName: desk.name
				},
				categories: action === 'finish' ? [t.category] : []
			},
			'unchanged'
		);
		// a finished or missed ticket closes its video session: no more tokens for it
		if (action === 'finish' || action === 'no-show')
			closedRoom = await endSessionOfTicket(inTx, t.id, staff.id, action);
		return (await repo.findTicket(t.id))!;
	});
	// after the commit, never from inside the transaction
	if (closedRoom) void closeRoom(deps, closedRoom);
	return toTicket(deps, row);
}

/** Sends a called or serving ticket back to the queue for another category or desk, keeping its place. */
export async function transferTicket(
	deps: Deps,
	staff: User,
	ticketId: string,
	to: { category?: string; deskId?: string }
): Promise<Ticket> {
	const row = await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		await lockHallOfTicket(tx, ticketId);
		const t = await repo.findTicket(ticketId);
		if (!t || !(await staffSeesOrgUnit(inTx, staff, t.hall_id))) throw AppError.notFound('Ticket');
		if (!t.desk_id || (t.status !== 'called' && t.status !== 'serving'))
			throw AppError.conflict('wrong_state', 'Only a called or serving ticket can be transferred');
		await servedDesk(inTx, staff, t.desk_id);
		if (to.category && !(await repo.categories()).some((c) => c.code === to.category))
			throw AppError.validation({ category: 'unknown category' });
		if (to.deskId) {
			const target = await repo.findDesk(to.deskId);
			if (!target || target.org_unit_id !== t.hall_id)
				throw AppError.validation({ deskId: 'not a desk of this hall' });
			if (target.id === t.desk_id) throw AppError.validation({ deskId: 'is the current desk' });
		}
		const before = await orderBeforeChange(inTx, t.hall_id, t.day);
		await repo.updateTicket({
			...t,
			status: 'waiting',
			category: to.category ?? t.category,
			target_desk_id: to.deskId ?? null,
			desk_id: null,
			called_at: null,
			called_by: null,
			started_at: null
		});
		const transferred = (await repo.findTicket(t.id))!;
		await appendQueueEvent(
			inTx,
			{
				hallId: t.hall_id,
				ticketId: t.id,
				type: 'ticket.transferred',
				payload: { ticketId: t.id, code: t.code, category: to.category ?? t.category },
				categories: [to.category ?? t.category]
			},
			before,
			{ put: toQueueEntry(transferred) }
		);
		return transferred;
	});
	return toTicket(deps, row);
}

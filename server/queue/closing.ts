// When a hall closes for the day (its last opening period ends, see booking/hall-hours.ts), the
// tickets taken before closing that are still waiting will not be called: they are cancelled
// (reason hall_closed, so they stay in the citizen's list with why) and each citizen is told,
// with a link to book the item for another day. Tickets of an earlier day still waiting (taken
// after closing, or at a hall with no opening hours) go the same way the next day. Runs with
// the notice loop, in one write transaction: the halls' locks are taken in the scan's hall order
// and each cancel is conditional (only a ticket still waiting), with its event and notice only
// when it changed the row, so two processes never cancel one twice nor a ticket called meanwhile.
import type { Deps } from '../deps.ts';
import { localDate } from '../../shared/dates.ts';
import { hallClosingOn } from '../booking/hall-hours.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { appendHallEvent, createQueueRepo, type TicketRow } from './repo.ts';
import { lockHall } from './queue.ts';

/** Cancels the tickets their hall's closing left waiting; returns how many. */
export async function cancelTicketsAtClosing(deps: Deps): Promise<number> {
	return deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const repo = createQueueRepo(tx);
		const now = deps.now();
		const today = localDate(now, deps.config.timeZone);
		const closing = new Map<string, number | null>();
		const closingOf = async (hallId: string) => {
			if (!closing.has(hallId)) closing.set(hallId, await hallClosingOn(inTx, hallId, today));
			return closing.get(hallId)!;
		};
		let cancelled = 0;
		const waiting = await repo.waitingUpTo(today);
		// in the scan's hall_id order, the same in every process: two sweeps never wait for each other
		for (const hallId of new Set(waiting.map((t) => t.hall_id))) await lockHall(tx, hallId);
		for (const t of waiting) {
			if (t.day === today) {
				const closesAt = await closingOf(t.hall_id);
				if (closesAt === null || now < closesAt || t.created_at >= closesAt) continue;
			}
			// called (or cancelled by another sweep) between the scan and the lock: left alone
			if (!(await repo.cancelIfWaiting(t.id, 'hall_closed'))) continue;
			await appendHallEvent(
				inTx,
				t.hall_id,
				t.id,
				'ticket.cancelled',
				{ ticketId: t.id, code: t.code, category: t.category, reason: 'hall_closed' },
				now
			);
			if (t.citizen_id) await noticeClosedTicket(inTx, t, t.citizen_id);
			cancelled++;
		}
		return cancelled;
	});
}

async function noticeClosedTicket(deps: Deps, t: TicketRow, citizenId: string) {
	await enqueueNotice(deps, {
		userId: citizenId,
		kind: 'ticket_cancelled_closing',
		params: { code: t.code, serviceName: t.service_name, hallName: t.hall_name, day: t.day },
		link: `/services/${t.service_item_id}/book?channel=${t.channel}`,
		dueAt: deps.now(),
		key: `ticket-closed:${t.id}`,
		channels: ['in_app', 'sms']
	});
}

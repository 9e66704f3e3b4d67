// What the video desk asks of the queue: the called video ticket a session opens for, and
// serving that ticket once its citizen is let into the session.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { staffSeesOrgUnit } from '../access/org-units.ts';
import { appendHallEvent, createQueueRepo } from './repo.ts';

/** A video ticket a session is opened for. */
export interface VideoTicket {
	id: string;
	code: string;
	hallId: string;
	serviceId: string;
	citizenId: string;
}

/**
 * Inside a transaction: the ticket the staff member may open a video session for: a video
 * ticket of a citizen with an account, called (or being served) by this staff member.
 */
export async function requireVideoTicketToOpen(
	deps: Deps,
	staff: User,
	ticketId: string
): Promise<VideoTicket> {
	const ticket = await createQueueRepo(deps.store).findTicket(ticketId);
	if (!ticket || !(await staffSeesOrgUnit(deps, staff, ticket.hall_id)))
		throw AppError.validation({ ticketId: 'no such ticket' });
	if (ticket.channel !== 'video') throw AppError.validation({ ticketId: 'is not a video ticket' });
	if (!ticket.citizen_id) throw AppError.validation({ ticketId: 'has no citizen account' });
	if (ticket.status !== 'called' && ticket.status !== 'serving')
		throw AppError.conflict('wrong_state', 'Call the ticket before opening its video session');
	if (ticket.called_by !== staff.id)
		throw AppError.forbidden('Only the agent who called this ticket opens its video session');
	return {
		id: ticket.id,
		code: ticket.code,
		hallId: ticket.hall_id,
		serviceId: ticket.service_item_id,
		citizenId: ticket.citizen_id
	};
}

/** Tells the hall's live pages that the ticket now has a video session. */
export async function announceTicketVideo(
	deps: Deps,
	ticket: VideoTicket,
	sessionId: string
): Promise<void> {
	await appendHallEvent(
		deps,
		ticket.hallId,
		ticket.id,
		'ticket.video',
		{ ticketId: ticket.id, code: ticket.code, sessionId },
		deps.now()
	);
}

/**
 * The citizen of a called video ticket was let into its session: service has begun, so the
 * ticket is being served (the desk then offers 办结 / 下一位, not 发起视频). Runs inside the
 * admitting transaction; a ticket in any other state is left alone.
 */
export async function startServingVideoTicket(deps: Deps, ticketId: string): Promise<void> {
	const repo = createQueueRepo(deps.store);
	const t = await repo.findTicket(ticketId);
	if (!t || t.status !== 'called') return;
	const now = deps.now();
	// conditional: a ticket finished or missed since the read is never brought back (PostgreSQL's
	// READ COMMITTED; the admitting transaction holds the session's lock, not the hall's)
	if (!(await repo.startIfCalled(t.id, now))) return;
	const desk = t.desk_id ? await repo.findDesk(t.desk_id) : undefined;
	await appendHallEvent(
		deps,
		t.hall_id,
		t.id,
		'ticket.started',
		{
			ticketId: t.id,
			code: t.code,
			category: t.category,
			deskId: t.desk_id,
			deskName: desk?.name ?? null
		},
		now
	);
}

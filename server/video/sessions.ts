// Video sessions (视频办): who may join which room, and a record of everything that happened.
// Room administration (remove, end) is done here through LiveKit's RoomService; clients never
// get admin grants.
import type { Deps } from '../deps.ts';
import { proxyActingFor } from '../access/acting.ts';
import { AppError } from '../http/errors.ts';
import { lockKey } from '../db/dialect.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { SessionEvent, VideoSession } from '../../shared/schemas/video.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import type { EventLog } from '../realtime/sse.ts';
import { liveKitReachability } from './reachability.ts';
import {
	mayFollowSession,
	requireActiveParticipant,
	requireHost,
	requireParticipant,
	type Participation
} from '../access/video-sessions.ts';
import {
	announceTicketVideo,
	requireVideoTicketToOpen,
	startServingVideoTicket
} from '../queue/video-tickets.ts';
import { caseIdOfSession } from '../cases/cases.ts';
import {
	addGuest,
	closeRoom,
	closeSession,
	onSessionTimeline,
	publishSessionEvent,
	recordSessionEvent
} from './session-records.ts';
import {
	createVideoRepo,
	type GridWorkerRow,
	type ParticipantRow,
	type SessionEventRow,
	type SessionRow
} from './repo.ts';

export function toSessionEvent(deps: Deps, e: SessionEventRow): SessionEvent {
	return {
		id: e.id,
		type: e.type,
		actorId: e.actor_id,
		actorName: e.actor_name,
		payload: JSON.parse(e.payload),
		at: toIso(e.created_at, deps.config.timeZone)
	};
}

async function toSession(
	deps: Deps,
	row: SessionRow,
	me: Pick<ParticipantRow, 'admitted_at' | 'removed_at'> & { kind: Participation['kind'] },
	staff: boolean
): Promise<VideoSession> {
	const repo = createVideoRepo(deps.store);
	const tz = deps.config.timeZone;
	// The newest event id first: the page's stream goes on from it, so an event written while the
	// rest is read (the reads are no longer one synchronous run) is replayed by the stream rather
	// than missed; the page keeps each chat message once, by id.
	const lastEventId = await repo.lastEventId(row.id);
	const caseId = await caseIdOfSession(deps, row.id);
	const participants = await repo.participants(row.id);
	const gridWorker = await repo.gridWorker(row.id);
	const timeline = staff ? await repo.eventsAfter(row.id, 0) : [];
	const chat = await repo.chat(row.id);
	return {
		id: row.id,
		status: row.status,
		ticketId: row.ticket_id,
		ticketCode: row.ticket_code,
		serviceId: row.service_item_id,
		caseId,
		serviceName: row.service_name,
		orgUnitId: row.org_unit_id,
		createdAt: toIso(row.created_at, tz),
		endedAt: row.ended_at ? toIso(row.ended_at, tz) : null,
		durationSeconds: row.ended_at ? Math.round((row.ended_at - row.created_at) / 1000) : null,
		me: { kind: me.kind, admitted: me.admitted_at !== null, removed: me.removed_at !== null },
		participants: participants.flatMap((p) => {
			const one = (kind: VideoSession['participants'][number]['kind'], r: GridWorkerRow) => ({
				userId: r.user_id,
				name: r.name,
				role: r.role,
				kind,
				admitted: r.admitted_at !== null,
				removed: r.removed_at !== null
			});
			// 入户办: the grid worker is listed beside the resident whose tablet it is
			return p.kind === 'citizen' && gridWorker
				? [one(p.kind, p), one('grid', gridWorker)]
				: [one(p.kind, p)];
		}),
		timeline: timeline.filter((e) => e.type !== 'chat').map((e) => toSessionEvent(deps, e)),
		chat: chat.map((e) => toSessionEvent(deps, e)),
		lastEventId
	};
}

/** The serving agent opens a session for a called video ticket (or gets the one already open). */
export async function openSessionForTicket(
	deps: Deps,
	staff: User,
	ticketId: string
): Promise<VideoSession> {
	const row = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createVideoRepo(tx);
		// The ticket's hall lock before the ticket is read: the desk's finish (actOnTicket) takes
		// it too, so a session never opens on a ticket finished meanwhile, and ticket.video keeps
		// the hall's event order. (No-op on SQLite, where BEGIN IMMEDIATE already serialises.)
		const hallId = await repo.hallOfTicket(ticketId);
		if (hallId) await lockKey(tx, `hall:${hallId}`);
		const ticket = await requireVideoTicketToOpen(txDeps, staff, ticketId);
		const existingSession = async () => {
			const existing = await repo.findByTicket(ticketId);
			if (existing?.status === 'ended')
				throw new AppError(410, 'session_ended', 'The session of this ticket has ended');
			return existing;
		};
		const existing = await existingSession();
		if (existing) return existing;
		const id = newId();
		const now = deps.now();
		const inserted = await repo.insertSession({
			id,
			ticket_id: ticketId,
			citizen_id: ticket.citizenId,
			created_by: staff.id,
			org_unit_id: ticket.hallId,
			service_item_id: ticket.serviceId,
			created_at: now
		});
		// the unique ticket_id as a backstop: another opening won, so its session is the one
		if (!inserted) return (await existingSession())!;
		await repo.addParticipant({
			session_id: id,
			user_id: staff.id,
			kind: 'host',
			invited_by: null,
			admitted_at: now,
			created_at: now
		});
		await repo.addParticipant({
			session_id: id,
			user_id: ticket.citizenId,
			kind: 'citizen',
			invited_by: staff.id,
			admitted_at: null,
			created_at: now
		});
		await recordSessionEvent(txDeps, id, 'session.opened', staff.id, { ticketCode: ticket.code });
		await announceTicketVideo(txDeps, ticket, id);
		return (await repo.findSession(id))!;
	});
	return getSession(deps, staff, row.id);
}

export async function getSession(deps: Deps, user: User, id: string): Promise<VideoSession> {
	const p = await requireParticipant(deps, user, id);
	const repo = createVideoRepo(deps.store);
	const session = (await repo.findSession(id))!;
	// 入户办: a grid worker takes part with the resident and has no row of their own
	const me = (await repo.participant(id, user.id)) ?? {
		kind: p.kind,
		admitted_at: p.admitted ? session.created_at : null,
		removed_at: p.removed ? session.created_at : null
	};
	const view = await toSession(deps, session, me, user.role !== 'citizen' && p.kind !== 'grid');
	// someone removed learns that, and nothing more of the session
	return me.removed_at ? { ...view, participants: [], timeline: [], chat: [] } : view;
}

/** A short-lived token for this room only, to admitted participants of an open session. */
export async function issueSessionToken(deps: Deps, user: User, id: string) {
	const { kind, admitted } = await requireActiveParticipant(deps, user, id);
	if (!admitted) throw AppError.conflict('not_admitted', 'Wait until the agent lets you in');
	if (!deps.livekit || !deps.config.livekit || !(await liveKitReachability(deps.livekit, 1500)).ok)
		throw new AppError(
			503,
			'video_unavailable',
			'Video is unavailable right now; use the chat or ask for a call back'
		);
	// 代办: a proxy joins in the applicant's place (the room knows participants by the applicant's
	// id), under their own name, and the metadata says for whom, so the agent sees who is there
	const proxy = proxyActingFor(user.id);
	const token = await deps.livekit.createToken({
		room: id,
		identity: user.id,
		name: proxy ? proxy.name : user.name,
		metadata: {
			role: user.role,
			kind,
			...(proxy ? { actedAs: 'proxy', actedBy: proxy.id, actingFor: user.name } : {}),
			// 入户办: the grid worker's tablet, with the resident beside them
			...(kind === 'grid' ? { actedAs: 'grid', actedBy: user.id } : {})
		},
		ttlSeconds: deps.config.livekit.tokenTtlSeconds,
		canPublish: true,
		canSubscribe: true,
		canPublishData: true
	});
	return { url: deps.livekit.url, token, room: id };
}

export async function markWaiting(deps: Deps, user: User, id: string): Promise<void> {
	const { sessionOpen, admitted } = await requireParticipant(deps, user, id);
	if (sessionOpen && !admitted) await recordSessionEvent(deps, id, 'participant.waiting', user.id);
}

export async function admitCitizen(deps: Deps, host: User, id: string): Promise<VideoSession> {
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createVideoRepo(tx);
		// A ticket's session: its hall lock first (the lock order puts it before the session's
		// timeline lock), so the ticket goes from called to serving only while no desk action on
		// it runs; a session's hall is its ticket's.
		const seen = await repo.findSession(id);
		if (seen?.ticket_id) await lockKey(tx, `hall:${seen.org_unit_id}`);
		await requireHost(txDeps, host, id);
		const session = (await repo.findSession(id))!;
		// conditional: the citizen is admitted once
		if (await repo.admit(id, session.citizen_id, deps.now())) {
			await recordSessionEvent(txDeps, id, 'participant.admitted', host.id, {
				userId: session.citizen_id
			});
			if (session.ticket_id) await startServingVideoTicket(txDeps, session.ticket_id);
		}
	});
	return getSession(deps, host, id);
}

export async function inviteToSession(
	deps: Deps,
	host: User,
	id: string,
	userId: string
): Promise<VideoSession> {
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createVideoRepo(tx);
		await requireHost(txDeps, host, id);
		const session = (await repo.findSession(id))!;
		const invitee = (await repo.invitable(id)).find((u) => u.id === userId);
		if (!invitee) throw AppError.validation({ userId: 'not a staff member who can be invited' });
		const now = deps.now();
		await addGuest(txDeps, id, userId, host.id);
		await recordSessionEvent(txDeps, id, 'participant.invited', host.id, {
			userId,
			name: invitee.name
		});
		await enqueueNotice(txDeps, {
			userId,
			kind: 'video_invite',
			params: { host: host.name, serviceName: session.service_name },
			link: `/video/${id}`,
			dueAt: now,
			key: `invite:${id}:${userId}:${now}`,
			channels: ['in_app']
		});
	});
	return getSession(deps, host, id);
}

export async function removeFromSession(
	deps: Deps,
	host: User,
	id: string,
	userId: string
): Promise<VideoSession> {
	await requireHost(deps, host, id);
	const target = await createVideoRepo(deps.store).participant(id, userId);
	if (!target || target.kind === 'host')
		throw AppError.validation({ userId: 'not a participant who can be removed' });
	await deps.store.transaction(async (tx) => {
		await createVideoRepo(tx).remove(id, userId, deps.now());
		await recordSessionEvent({ ...deps, store: tx }, id, 'participant.removed', host.id, {
			userId,
			name: target.name
		});
	});
	// The record changed first: even if LiveKit is slow, the removed user can get no new token.
	// (LiveKit is called only after the commit: no transaction waits on the network.)
	await deps.livekit?.removeParticipant(id, userId).catch(() => {});
	return getSession(deps, host, id);
}

export async function endSession(deps: Deps, host: User, id: string): Promise<VideoSession> {
	await requireHost(deps, host, id);
	await deps.store.transaction((tx) => closeSession({ ...deps, store: tx }, id, host.id));
	// the room is closed in LiveKit after the commit, never inside the transaction
	await closeRoom(deps, id);
	return getSession(deps, host, id);
}

export async function postChat(
	deps: Deps,
	user: User,
	id: string,
	text: string
): Promise<SessionEvent> {
	await requireActiveParticipant(deps, user, id);
	const repo = createVideoRepo(deps.store);
	const eventId = await onSessionTimeline(deps, id, (store) =>
		createVideoRepo(store).appendChat(id, user.id, text, deps.now())
	);
	publishSessionEvent(deps, id, eventId);
	return toSessionEvent(deps, (await repo.eventsAfter(id, eventId - 1, 1))[0]);
}

export async function invitableStaff(deps: Deps, host: User, id: string) {
	await requireHost(deps, host, id);
	return (await createVideoRepo(deps.store).invitable(id)).map((u) => ({
		id: u.id,
		name: u.name,
		role: u.role,
		orgUnitName: u.org_unit_name
	}));
}

/** The host asks the citizen to share their screen; the citizen's page shows the request. */
export async function requestScreenShare(
	deps: Deps,
	host: User,
	id: string
): Promise<VideoSession> {
	await requireHost(deps, host, id);
	await recordSessionEvent(deps, id, 'share.requested', host.id);
	return getSession(deps, host, id);
}

/** The session's live events, for its SSE stream; it stops when the caller is removed or the session ends. */
export async function sessionEventLog(deps: Deps, user: User, id: string): Promise<EventLog> {
	if ((await requireParticipant(deps, user, id)).removed)
		throw AppError.forbidden('You were removed from this session');
	const repo = createVideoRepo(deps.store);
	return {
		topic: `session:${id}`,
		allowed: () => mayFollowSession(deps, user, id),
		newestId: () => repo.lastEventId(id),
		after: async (after, limit) =>
			(await repo.eventsAfter(id, after, limit)).map((e) => ({
				id: e.id,
				event: e.type,
				data: JSON.stringify(toSessionEvent(deps, e))
			}))
	};
}

/** Whether the user is in a video call right now (LiveKit said they joined and not yet left). */
export function isInLiveCall(deps: Deps, userId: string): Promise<boolean> {
	return createVideoRepo(deps.store).inLiveCall(userId);
}

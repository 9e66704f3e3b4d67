// 入户办 (issue 23 item 2): a resident, or a proxy acting for them, asks their community's grid
// workers for a home visit; the first grid worker to accept takes it, schedules the visit
// (the resident is told in the hall and by SMS), records the resident's consent at the home
// and starts a video ticket for the resident. Every step is a home-visit event naming who acted
// and for whom, and the grid worker's steps are audited.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { localDate, localTime } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type {
	HomeVisit,
	HomeVisitRequest,
	HOME_VISIT_STATUSES
} from '../../shared/schemas/home-visits.ts';
import { recordAudit } from '../audit/audit.ts';
import { currentActor } from '../audit/context.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { blobStoreOf } from '../db/blobs.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { listableItems, requireGrantedItem, whoActsFor } from '../access/acting.ts';
import { gridWorkerCommunity, homeVisitAccess, requireVisitHolder } from '../access/home-visits.ts';
import { sniffType, MAX_SIGNATURE_BYTES } from '../cases/files.ts';
import { ticketById, ticketToIssue } from '../queue/queue.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';
import { createGridRepo, type HomeVisitEventRow, type HomeVisitRow } from './repo.ts';

type Status = (typeof HOME_VISIT_STATUSES)[number];

function toHomeVisit(
	deps: Deps,
	v: HomeVisitRow,
	events: HomeVisitEventRow[] | null = null
): HomeVisit {
	const tz = deps.config.timeZone;
	const at = (ms: number | null) => (ms === null ? null : toIso(ms, tz));
	return {
		id: v.id,
		status: v.status,
		resident: { id: v.citizen_id, name: v.resident_name },
		requestedBy: { id: v.requested_by, name: v.requester_name, as: v.requested_as },
		community: { id: v.community_id, name: v.community_name },
		serviceId: v.service_item_id,
		serviceName: v.service_name,
		address: v.address,
		phone: v.phone,
		reason: v.reason,
		note: v.note,
		gridWorker: v.grid_worker_id ? { id: v.grid_worker_id, name: v.grid_worker_name ?? '' } : null,
		acceptedAt: at(v.accepted_at),
		visitAt: at(v.visit_at),
		consent:
			v.consent_method && v.consent_recorded_by && v.consented_at !== null
				? {
						method: v.consent_method,
						signed: v.consent_signature_sha256 !== null,
						recordedBy: { id: v.consent_recorded_by, name: v.consent_recorder_name ?? '' },
						at: toIso(v.consented_at, tz)
					}
				: null,
		ticketId: v.ticket_id,
		startedAt: at(v.started_at),
		createdAt: toIso(v.created_at, tz),
		...(events
			? {
					events: events.map((e) => ({
						type: e.type,
						actor: { id: e.actor_id, name: e.actor_name },
						actedAs: e.acted_as,
						actedFor: e.acted_for ? { id: e.acted_for, name: e.acted_for_name ?? '' } : null,
						payload: JSON.parse(e.payload) as Record<string, unknown>,
						at: toIso(e.created_at, tz)
					}))
				}
			: {})
	};
}

/**
 * Inside the transaction of the change: the visit's event, naming who acted (the resident, a
 * proxy acting for them, or the grid worker) and, when it was not the resident, for whom.
 */
async function appendVisitEvent(
	deps: Deps,
	visit: Pick<HomeVisitRow, 'id' | 'citizen_id'>,
	type: string,
	payload: Record<string, unknown> = {}
): Promise<void> {
	const { actedBy, actedAs } = whoActsFor(visit.citizen_id);
	if (actedAs === 'staff') throw new Error(`a home visit event by staff: ${type}`);
	await createGridRepo(deps.store).appendEvent({
		visit_id: visit.id,
		type,
		actor_id: actedBy,
		acted_as: actedAs,
		acted_for: actedAs === 'self' ? null : visit.citizen_id,
		payload: JSON.stringify(payload),
		created_at: deps.now()
	});
}

/**
 * The home visit a video session serves, if the session is that of a visit's ticket: its
 * resident and the grid worker who started the ticket (the case rules ask: the grid worker fills
 * the resident's application with them during the session).
 */
export async function homeVisitOfSession(
	deps: Deps,
	sessionId: string
): Promise<{ visitId: string; residentId: string; gridWorkerId: string } | null> {
	const v = await createGridRepo(deps.store).visitOfSession(sessionId);
	return v ? { visitId: v.id, residentId: v.citizen_id, gridWorkerId: v.grid_worker_id } : null;
}

/** The community org units a resident chooses from (their own community, by name). */
export async function listCommunities(deps: Deps) {
	return (await createGridRepo(deps.store).communities()).map((c) => ({
		id: c.id,
		code: c.code,
		name: c.name,
		parentName: c.parent_name
	}));
}

/**
 * 入户办申请: the resident (or a proxy acting for them: `resident` is then the applicant, the
 * proxy the actor) asks the community they chose for a visit about one service item.
 */
export async function requestHomeVisit(
	deps: Deps,
	resident: User,
	input: HomeVisitRequest
): Promise<HomeVisit> {
	const repo = createGridRepo(deps.store);
	const item = await findServiceSummary(deps, input.serviceId);
	if (!item) throw AppError.validation({ serviceId: 'no such service item' });
	requireGrantedItem(item.id);
	if ((await repo.communityLevel(input.communityId)) !== 'community')
		throw AppError.validation({ communityId: 'is not a community (GET /api/communities)' });
	const acted = whoActsFor(resident.id);
	const id = newId();
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		await createGridRepo(tx).insertVisit({
			id,
			citizen_id: resident.id,
			community_id: input.communityId,
			service_item_id: item.id,
			address: input.address,
			phone: input.phone ?? null,
			reason: input.reason,
			note: input.note ?? null,
			requested_by: acted.actedBy,
			requested_as: acted.actedAs === 'proxy' ? 'proxy' : 'self',
			created_at: deps.now()
		});
		await appendVisitEvent(txDeps, { id, citizen_id: resident.id }, 'home_visit.requested', {
			reason: input.reason
		});
	});
	return toHomeVisit(deps, (await repo.findVisit(id))!);
}

/**
 * A resident's own visits (a proxy: only those of granted items); a grid worker's community's,
 * optionally of one status (open: the requests nobody has taken yet).
 */
export async function listHomeVisits(
	deps: Deps,
	user: User,
	status: Status | undefined
): Promise<HomeVisit[]> {
	const repo = createGridRepo(deps.store);
	if (user.role === 'citizen') {
		const mine = await repo.ofCitizen(user.id, listableItems());
		return mine.filter((v) => !status || v.status === status).map((v) => toHomeVisit(deps, v));
	}
	const rows = await repo.ofCommunity(gridWorkerCommunity(user), status ?? null);
	return rows.map((v) => toHomeVisit(deps, v));
}

async function visibleVisit(deps: Deps, user: User, id: string): Promise<HomeVisitRow> {
	const v = await createGridRepo(deps.store).findVisit(id);
	if (!v) throw AppError.notFound('Home visit');
	homeVisitAccess(user, v);
	return v;
}

export async function getHomeVisit(deps: Deps, user: User, id: string): Promise<HomeVisit> {
	const v = await visibleVisit(deps, user, id);
	return toHomeVisit(deps, v, await createGridRepo(deps.store).events(id));
}

/** First to accept wins: a conditional update; the second grid worker gets 409. */
export async function acceptHomeVisit(deps: Deps, grid: User, id: string): Promise<HomeVisit> {
	await visibleVisit(deps, grid, id);
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createGridRepo(tx);
		if (!(await repo.accept(id, grid.id, deps.now())))
			throw AppError.conflict('visit_taken', 'Another grid worker has already taken this visit');
		const v = (await repo.findVisit(id))!;
		await appendVisitEvent(txDeps, v, 'home_visit.accepted');
		await recordAudit(txDeps, {
			action: 'home_visit.accepted',
			target: { type: 'home_visit', id },
			detail: { residentId: v.citizen_id, communityId: v.community_id }
		});
	});
	return getHomeVisit(deps, grid, id);
}

/** The grid worker who took the visit says when they will come; the resident is told. */
export async function scheduleHomeVisit(
	deps: Deps,
	grid: User,
	id: string,
	at: string
): Promise<HomeVisit> {
	const v = await visibleVisit(deps, grid, id);
	requireVisitHolder(grid, v);
	const visitAt = Date.parse(at);
	if (visitAt <= deps.now()) throw AppError.validation({ at: 'is in the past' });
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createGridRepo(tx);
		if (!(await repo.schedule(id, grid.id, visitAt, deps.now())))
			throw AppError.conflict('visit_started', 'This visit has already started');
		await appendVisitEvent(txDeps, v, 'home_visit.scheduled', {
			at: toIso(visitAt, deps.config.timeZone)
		});
		const tz = deps.config.timeZone;
		await enqueueNotice(txDeps, {
			userId: v.citizen_id,
			kind: 'home_visit_scheduled',
			params: {
				gridWorkerName: grid.name,
				serviceName: v.service_name,
				when: `${localDate(visitAt, tz)} ${localTime(visitAt, tz)}`
			},
			link: `/my/home-visits/${id}`,
			dueAt: deps.now(),
			// a new time is a new notice; the same time asked twice is one
			key: `home_visit:${id}:scheduled:${visitAt}`,
			channels: ['in_app', 'sms']
		});
		await recordAudit(txDeps, {
			action: 'home_visit.scheduled',
			target: { type: 'home_visit', id },
			detail: { residentId: v.citizen_id, visitAt: toIso(visitAt, tz) }
		});
	});
	return getHomeVisit(deps, grid, id);
}

/**
 * At the home: the resident's consent to the visit and to the video session, recorded by the
 * grid worker who took it (verbal, or the resident's signature drawn on the tablet, kept by its
 * SHA-256 in the signature blob store).
 */
export async function recordVisitConsent(
	deps: Deps,
	grid: User,
	id: string,
	input: { method: 'signature' | 'verbal'; signature?: string }
): Promise<HomeVisit> {
	const v = await visibleVisit(deps, grid, id);
	requireVisitHolder(grid, v);
	let sha256: string | null = null;
	if (input.method === 'signature' && input.signature) {
		const data = Buffer.from(input.signature.slice(input.signature.indexOf(',') + 1), 'base64');
		if (data.byteLength > MAX_SIGNATURE_BYTES)
			throw new AppError(413, 'payload_too_large', 'The signature image is too large');
		if (sniffType(data) !== 'image/png')
			throw AppError.validation({ signature: 'is not a PNG image' });
		sha256 = createHash('sha256').update(data).digest('hex');
		// named by content: storing before the transaction leaves at most an unreferenced copy
		await blobStoreOf(deps).put('signatures', sha256, data);
	}
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createGridRepo(tx);
		const ok = await repo.recordConsent(id, grid.id, {
			method: input.method,
			signatureSha256: sha256,
			now: deps.now()
		});
		if (!ok) throw AppError.conflict('visit_started', 'This visit has already started');
		await appendVisitEvent(txDeps, v, 'home_visit.consented', {
			method: input.method,
			// the resident signed; the tablet was the grid worker's
			...(sha256 ? { signatureSha256: sha256, signedOnDeviceOf: grid.id } : {})
		});
		await recordAudit(txDeps, {
			action: 'home_visit.consented',
			target: { type: 'home_visit', id },
			detail: { residentId: v.citizen_id, method: input.method, signed: sha256 !== null }
		});
	});
	return getHomeVisit(deps, grid, id);
}

/**
 * The grid worker starts the resident's video ticket from the tablet: the queue's own take
 * (its checks, numbering and events) for the resident, acted_by the grid worker, acted_as
 * 'grid', in one transaction with the visit, so a visit starts one ticket. Consent first (409).
 */
export async function startVisitTicket(
	deps: Deps,
	grid: User,
	id: string
): Promise<{ visit: HomeVisit; ticket: Ticket }> {
	const v = await visibleVisit(deps, grid, id);
	requireVisitHolder(grid, v);
	if (v.status === 'started')
		throw AppError.conflict('visit_started', 'This visit has already started its ticket');
	if (v.consented_at === null)
		throw AppError.conflict(
			'consent_required',
			"Record the resident's consent to the visit and the video session first"
		);
	if (currentActor().user?.id !== grid.id) throw new Error('start-ticket outside the request');
	const resident: User = {
		id: v.citizen_id,
		role: 'citizen',
		name: v.resident_name,
		phone: null,
		username: null,
		orgUnitId: null
	};
	const issue = await ticketToIssue(deps, resident, {
		serviceId: v.service_item_id,
		channel: 'video',
		...(v.reason === 'elderly' || v.reason === 'disabled' || v.reason === 'pregnant'
			? { priorityReason: v.reason }
			: {})
	});
	const row = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const ticket = await issue(tx);
		if (!(await createGridRepo(tx).markStarted(id, grid.id, ticket.id, deps.now())))
			throw AppError.conflict('visit_started', 'This visit has already started its ticket');
		await appendVisitEvent(txDeps, v, 'home_visit.ticket_started', {
			ticketId: ticket.id,
			code: ticket.code
		});
		await recordAudit(txDeps, {
			action: 'home_visit.ticket_started',
			target: { type: 'home_visit', id },
			detail: { residentId: v.citizen_id, ticketId: ticket.id }
		});
		return ticket;
	});
	// read after the commit: the ticket's view names the visit it was started from
	return { visit: await getHomeVisit(deps, grid, id), ticket: (await ticketById(deps, row.id))! };
}

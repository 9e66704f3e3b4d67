// 远程协助: from a live session, township staff ask the approving department's org unit for an
// expert; the first online expert to accept wins (one conditional UPDATE under the write lock)
// and joins the same session with the same rights on the case. Waiting too long alerts a
// supervisor.
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { videoParticipation } from '../access/video-sessions.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { caseIdOfSession } from '../cases/cases.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { addGuest, findSessionFacts, recordSessionEvent } from '../video/session-records.ts';
import { createCollabRepo, type GuidanceRow } from './repo.ts';

export const ESCALATE_AFTER_MINUTES = 3;

function toRequest(deps: Deps, g: GuidanceRow) {
	return {
		id: g.id,
		sessionId: g.session_id,
		caseId: g.case_id,
		serviceName: g.service_name,
		requestedBy: g.requester_name,
		requestingOrgName: g.requesting_org_name,
		status: g.status,
		createdAt: toIso(g.created_at, deps.config.timeZone),
		escalated: g.escalated_at !== null
	};
}

export async function requestGuidance(deps: Deps, staff: User, sessionId: string) {
	const id = newId();
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const me = await videoParticipation(txDeps, staff, sessionId);
		if (!me || me.kind !== 'host')
			throw AppError.forbidden('Only the serving staff of the session ask for guidance');
		if (!me.sessionOpen) throw new AppError(410, 'session_ended', 'The session has ended');
		const session = (await findSessionFacts(txDeps, sessionId))!;
		const item = (await findServiceSummary(txDeps, session.serviceId))!;
		const caseId = await caseIdOfSession(txDeps, sessionId);
		try {
			// in a savepoint: on PostgreSQL a unique violation aborts the transaction, so only the
			// savepoint is lost and the 409 is answered cleanly
			await tx.transaction((sp) =>
				createCollabRepo(sp).insert({
					id,
					session_id: sessionId,
					case_id: caseId,
					service_item_id: item.id,
					requested_by: staff.id,
					requesting_org_id: staff.orgUnitId,
					expert_org_id: item.department.orgUnitId,
					created_at: deps.now()
				})
			);
		} catch (err) {
			if (isUniqueViolation(err))
				throw AppError.conflict(
					'already_requested',
					'Guidance was already requested for this session'
				);
			throw err;
		}
		await recordSessionEvent(txDeps, sessionId, 'guidance.requested', staff.id, {
			requestId: id
		});
	});
	return toRequest(deps, (await createCollabRepo(deps.store).find(id))!);
}

/** Waiting requests an expert can take: those addressed to their org unit or below. */
export async function guidancePool(deps: Deps, expert: User) {
	return (await createCollabRepo(deps.store).waitingFor(await staffOrgUnits(deps, expert))).map(
		(g) => toRequest(deps, g)
	);
}

export async function acceptGuidance(deps: Deps, expert: User, requestId: string) {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const collab = createCollabRepo(tx);
		const g = await collab.find(requestId);
		if (!g || !(await staffSeesOrgUnit(txDeps, expert, g.expert_org_id)))
			throw AppError.notFound('Guidance request');
		if (!(await collab.claim(requestId, expert.id, deps.now())))
			throw AppError.conflict('already_taken', 'Another expert has already taken this request');
		await addGuest(txDeps, g.session_id, expert.id, g.requested_by);
		await recordSessionEvent(txDeps, g.session_id, 'guidance.accepted', expert.id, { requestId });
		return { sessionId: g.session_id, request: toRequest(deps, (await collab.find(requestId))!) };
	});
}

/** Called by the notification loop: alerts the supervisors above the expert org unit once. */
export async function escalateWaitingGuidance(deps: Deps): Promise<number> {
	const now = deps.now();
	let count = 0;
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const collab = createCollabRepo(tx);
		for (const g of await collab.overdue(now - ESCALATE_AFTER_MINUTES * 60_000)) {
			// claimed first: of two processes sweeping at once only one alerts (README: PostgreSQL)
			if (!(await collab.markEscalated(g.id, now))) continue;
			for (const supervisor of await collab.supervisorsOver(g.expert_org_id))
				await enqueueNotice(txDeps, {
					userId: supervisor,
					kind: 'guidance_waiting',
					params: {
						serviceName: g.service_name,
						requestingOrgName: g.requesting_org_name,
						minutes: String(ESCALATE_AFTER_MINUTES)
					},
					link: '/desk',
					dueAt: now,
					key: `guidance-escalated:${g.id}:${supervisor}`,
					channels: ['in_app']
				});
			count++;
		}
	});
	return count;
}

export async function guidanceStats(deps: Deps, supervisor: User) {
	return (await createCollabRepo(deps.store).stats(await staffOrgUnits(deps, supervisor))).map(
		(s) => ({
			orgUnitId: s.org_unit_id,
			orgUnitName: s.org_name,
			count: s.count,
			minutes: Math.round(s.minutes)
		})
	);
}

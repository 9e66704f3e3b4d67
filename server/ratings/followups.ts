// 回访整改: supervisors of the serving org unit (or above) contact the citizen who gave a bad
// rating, record it, then record the fix; the citizen sees the outcome on the rating and gets a
// notice (in-app and SMS). open → contacted → resolved; cancelled when the citizen raised the
// rating in time. Supervisors of another branch do not see the follow-up at all (404).
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { FollowUp, FollowUpStatus, RatingTagCode } from '../../shared/schemas/ratings.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import { maskPhone } from '../accounts/accounts.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { recordAudit } from '../audit/audit.ts';
import { isOverdue } from './ratings.ts';
import { createRatingsRepo, type FollowUpRow } from './repo.ts';

function toFollowUp(deps: Deps, f: FollowUpRow): FollowUp {
	const tz = deps.config.timeZone;
	const iso = (ms: number | null) => (ms === null ? null : toIso(ms, tz));
	return {
		id: f.id,
		ratingId: f.rating_id,
		status: f.status,
		dueDay: f.due_day,
		overdue: isOverdue(deps, f.status, f.due_day),
		orgUnitId: f.org_unit_id,
		orgUnitName: f.org_unit_name,
		contactNote: f.contact_note,
		contactedAt: iso(f.contacted_at),
		resolution: f.resolution,
		resolvedAt: iso(f.resolved_at),
		handledByName: f.handled_by_name,
		createdAt: toIso(f.created_at, tz),
		rating: {
			subjectType: f.subject_type,
			subjectId: f.subject_id,
			serviceName: f.service_name,
			score: f.score,
			tags: JSON.parse(f.tags) as RatingTagCode[],
			comment: f.comment,
			createdAt: toIso(f.rating_created_at, tz),
			staffId: f.staff_id,
			staffName: f.staff_name,
			citizenName: f.citizen_name,
			citizenPhone: maskPhone(f.citizen_phone)
		}
	};
}

async function requireFollowUp(deps: Deps, supervisor: User, id: string): Promise<FollowUpRow> {
	const f = await createRatingsRepo(deps.store).findFollowUp(id);
	if (!f || !(await staffSeesOrgUnit(deps, supervisor, f.org_unit_id)))
		throw AppError.notFound('Follow-up');
	return f;
}

/** Follow-ups of the supervisor's org unit and below, by due day (cancelled ones only on request). */
export async function listFollowUps(
	deps: Deps,
	supervisor: User,
	query: { status?: FollowUpStatus; overdue?: 'true' | 'false' }
): Promise<FollowUp[]> {
	const rows = await createRatingsRepo(deps.store).followUpsFor(
		await staffOrgUnits(deps, supervisor),
		query.status ?? null
	);
	return rows
		.filter((f) => query.status || f.status !== 'cancelled')
		.map((f) => toFollowUp(deps, f))
		.filter((f) => query.overdue === undefined || f.overdue === (query.overdue === 'true'));
}

/** One follow-up; the citizen's phone masked like everywhere else (revealFollowUpPhone shows it). */
export async function getFollowUp(deps: Deps, supervisor: User, id: string): Promise<FollowUp> {
	return toFollowUp(deps, await requireFollowUp(deps, supervisor, id));
}

/**
 * 查看完整号码: the citizen's phone in full, for the call (回访). An explicit action of its own,
 * written to the audit trail, instead of a full number in every read of the follow-up.
 */
export async function revealFollowUpPhone(
	deps: Deps,
	supervisor: User,
	id: string
): Promise<{ phone: string | null }> {
	const f = await requireFollowUp(deps, supervisor, id);
	await recordAudit(deps, {
		action: 'pii.revealed',
		target: { type: 'rating_followup', id: f.id },
		detail: { field: 'phone', citizen: f.citizen_name }
	});
	return { phone: f.citizen_phone };
}

export async function contactFollowUp(
	deps: Deps,
	supervisor: User,
	id: string,
	note: string
): Promise<FollowUp> {
	await deps.store.transaction(async (tx) => {
		const f = await requireFollowUp({ ...deps, store: tx }, supervisor, id);
		const refused = (status: string) =>
			AppError.conflict('wrong_state', `A ${status} follow-up cannot be marked as contacted`);
		if (f.status !== 'open') throw refused(f.status);
		// conditional (WHERE status = 'open'): of two contacts at once, one records it
		if (!(await createRatingsRepo(tx).markContacted(id, note, supervisor.id, deps.now())))
			throw refused('contacted');
	});
	return getFollowUp(deps, supervisor, id);
}

export async function resolveFollowUp(
	deps: Deps,
	supervisor: User,
	id: string,
	resolution: string
): Promise<FollowUp> {
	await deps.store.transaction(async (tx) => {
		const inTx = { ...deps, store: tx };
		const f = await requireFollowUp(inTx, supervisor, id);
		if (f.status === 'open')
			throw AppError.conflict(
				'not_contacted',
				'Record the contact with the citizen before the resolution'
			);
		if (f.status !== 'contacted')
			throw AppError.conflict('wrong_state', `A ${f.status} follow-up cannot be resolved`);
		const now = deps.now();
		// conditional (WHERE status = 'contacted'): of two resolutions at once, one records it and
		// tells the citizen
		if (!(await createRatingsRepo(tx).markResolved(id, resolution, supervisor.id, now)))
			throw AppError.conflict('wrong_state', 'This follow-up was resolved or cancelled meanwhile');
		await enqueueNotice(inTx, {
			userId: f.citizen_id,
			kind: 'rating_followup_resolved',
			params: { serviceName: f.service_name, orgUnitName: f.org_unit_name },
			link: '/my/ratings',
			dueAt: now,
			key: `rating-followup-resolved:${f.id}:${now}`,
			channels: ['in_app', 'sms']
		});
	});
	return getFollowUp(deps, supervisor, id);
}

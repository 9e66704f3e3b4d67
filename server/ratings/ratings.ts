// 好差评: after a video session ends or a case completes, its citizen rates the service once
// (1-5, reason tags, a comment) and may change the rating for 24 hours. The rating names the
// org unit and the staff member who served; a bad one (1-2) opens a follow-up (回访整改) for
// that org unit, due 15 working days later.
import { lockKey } from '../db/dialect.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import {
	BAD_SCORE_MAX,
	RATING_CHANGE_WINDOW_HOURS,
	type ChangeRatingInput,
	type CreateRatingInput,
	type FollowUpStatus,
	type PendingRating,
	type Rating,
	type RatingTagCode
} from '../../shared/schemas/ratings.ts';
import { followUpDueDay } from './calendar.ts';
import { createRatingsRepo, type RatingRow } from './repo.ts';

const WINDOW_MS = RATING_CHANGE_WINDOW_HOURS * 3_600_000;

export const isBad = (score: number) => score <= BAD_SCORE_MAX;

/** Not resolved (or cancelled) and its due day has passed in the hall's time zone. */
export function isOverdue(deps: Deps, status: FollowUpStatus, dueDay: string): boolean {
	return (
		(status === 'open' || status === 'contacted') &&
		dueDay < localDate(deps.now(), deps.config.timeZone)
	);
}

function toRating(deps: Deps, r: RatingRow): Rating {
	const tz = deps.config.timeZone;
	const f = r.followup_status && r.followup_status !== 'cancelled' ? r : null;
	return {
		id: r.id,
		subjectType: r.subject_type,
		subjectId: r.subject_id,
		serviceId: r.service_item_id,
		serviceName: r.service_name,
		orgUnitId: r.org_unit_id,
		orgUnitName: r.org_unit_name,
		staffName: r.staff_name,
		score: r.score,
		tags: JSON.parse(r.tags) as RatingTagCode[],
		comment: r.comment,
		createdAt: toIso(r.created_at, tz),
		updatedAt: toIso(r.updated_at, tz),
		changeableUntil: toIso(r.created_at + WINDOW_MS, tz),
		changeable: deps.now() < r.created_at + WINDOW_MS,
		// the citizen sees where the follow-up stands and its outcome, not the internal contact note
		followUp: f
			? {
					status: f.followup_status!,
					dueDay: f.followup_due_day!,
					overdue: isOverdue(deps, f.followup_status!, f.followup_due_day!),
					contactedAt: f.followup_contacted_at ? toIso(f.followup_contacted_at, tz) : null,
					resolution: f.followup_resolution,
					resolvedAt: f.followup_resolved_at ? toIso(f.followup_resolved_at, tz) : null
				}
			: null
	};
}

function alreadyRated(deps: Deps, existing: { id: string; created_at: number }) {
	const until = existing.created_at + WINDOW_MS;
	return new AppError(
		409,
		'already_rated',
		deps.now() < until
			? 'You have already rated this service; you may change that rating until the window closes'
			: 'You have already rated this service',
		{
			body: {
				ratingId: existing.id,
				changeable: deps.now() < until,
				changeableUntil: toIso(until, deps.config.timeZone)
			}
		}
	);
}

/** Opens the follow-up of a rating that is bad now, or cancels one that is no longer needed. */
async function syncFollowUp(
	deps: Deps,
	rating: { id: string; org_unit_id: string; score: number }
) {
	const repo = createRatingsRepo(deps.store);
	const now = deps.now();
	const existing = await repo.followUpOfRating(rating.id);
	if (isBad(rating.score)) {
		// the due day is counted on the calendar as it stands at commit: a calendar edit (which
		// takes the same lock) either sees this follow-up or is seen by it
		await lockKey(deps.store, 'calendar');
		if (!existing)
			await repo.insertFollowUp({
				id: newId(),
				rating_id: rating.id,
				org_unit_id: rating.org_unit_id,
				due_day: await followUpDueDay(deps, now),
				now
			});
		else if (existing.status === 'cancelled')
			await repo.reopenFollowUp(existing.id, await followUpDueDay(deps, now), now);
	} else if (existing && (existing.status === 'open' || existing.status === 'contacted'))
		await repo.cancelFollowUp(existing.id, now);
}

export async function rateService(
	deps: Deps,
	citizen: User,
	input: CreateRatingInput
): Promise<Rating> {
	const id = newId();
	await deps.store.transaction(async (tx) => {
		const repo = createRatingsRepo(tx);
		const isSession = input.subjectType === 'session';
		const subject = isSession
			? await repo.sessionSubject(input.subjectId)
			: await repo.caseSubject(input.subjectId);
		// someone else's session or case does not exist, as far as this citizen can tell
		if (!subject || subject.citizen_id !== citizen.id)
			throw AppError.notFound(isSession ? 'Video session' : 'Case');
		if (isSession && subject.status !== 'ended')
			throw AppError.conflict(
				'session_not_ended',
				'A video session can be rated once it has ended'
			);
		if (!isSession && subject.status !== 'completed')
			throw AppError.conflict('case_not_completed', 'A case can be rated once it is completed');
		const existing = await repo.findBySubject(input.subjectType, input.subjectId);
		if (existing) throw alreadyRated(deps, existing);
		const row = {
			id,
			subject_type: input.subjectType,
			subject_id: input.subjectId,
			citizen_id: citizen.id,
			org_unit_id: subject.org_unit_id,
			staff_id: subject.staff_id,
			service_item_id: subject.service_item_id,
			score: input.score,
			tags: JSON.stringify(input.tags),
			comment: input.comment,
			now: deps.now()
		};
		// the unique index decides between concurrent first ratings (PostgreSQL: the loser waits
		// for the winner's commit, then writes nothing and reads it)
		if (!(await repo.insertRating(row)))
			throw alreadyRated(deps, (await repo.findBySubject(input.subjectType, input.subjectId))!);
		await syncFollowUp({ ...deps, store: tx }, row);
	});
	return toRating(deps, (await createRatingsRepo(deps.store).findRating(id))!);
}

/** Changes score, tags and comment within the window; a follow-up opens or is cancelled to match. */
export async function changeRating(
	deps: Deps,
	citizen: User,
	id: string,
	input: ChangeRatingInput
): Promise<Rating> {
	await deps.store.transaction(async (tx) => {
		const repo = createRatingsRepo(tx);
		// the row first (PostgreSQL): two changes at once apply one after the other, each with
		// its follow-up
		await repo.lockRating(id);
		const r = await repo.findRating(id);
		if (!r || r.citizen_id !== citizen.id) throw AppError.notFound('Rating');
		if (deps.now() >= r.created_at + WINDOW_MS)
			throw AppError.conflict(
				'rating_locked',
				`A rating can be changed only within ${RATING_CHANGE_WINDOW_HOURS} hours of giving it`
			);
		await repo.updateRating({
			id,
			score: input.score,
			tags: JSON.stringify(input.tags),
			comment: input.comment,
			now: deps.now()
		});
		await syncFollowUp(
			{ ...deps, store: tx },
			{ id, org_unit_id: r.org_unit_id, score: input.score }
		);
	});
	return toRating(deps, (await createRatingsRepo(deps.store).findRating(id))!);
}

export async function myRatings(deps: Deps, citizen: User): Promise<Rating[]> {
	return (await createRatingsRepo(deps.store).ratingsOf(citizen.id)).map((r) => toRating(deps, r));
}

/** The citizen's ended sessions and completed cases not yet rated, newest first. */
export async function pendingRatings(deps: Deps, citizen: User): Promise<PendingRating[]> {
	return (await createRatingsRepo(deps.store).pendingOf(citizen.id)).map((p) => ({
		subjectType: p.subject_type,
		subjectId: p.subject_id,
		serviceId: p.service_item_id,
		serviceName: p.service_name,
		orgUnitName: p.org_unit_name,
		finishedAt: toIso(p.finished_at, deps.config.timeZone)
	}));
}

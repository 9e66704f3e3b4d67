import { z } from 'zod';
import {
	CalendarDayInput,
	CalendarDayParam,
	CalendarDaySchema,
	CalendarQuery,
	ChangeRatingInput,
	CreateRatingInput,
	FollowUpContactInput,
	FollowUpQuery,
	FollowUpResolveInput,
	FollowUpSchema,
	PendingRatingSchema,
	RatingSchema
} from '../../shared/schemas/ratings.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { changeRating, myRatings, pendingRatings, rateService } from './ratings.ts';
import {
	contactFollowUp,
	getFollowUp,
	listFollowUps,
	resolveFollowUp,
	revealFollowUpPhone
} from './followups.ts';
import { deleteCalendarDay, listCalendarDays, setCalendarDay } from './calendar.ts';

const oneRating = z.object({ rating: RatingSchema });
const oneFollowUp = z.object({ followUp: FollowUpSchema });

const rate = defineRoute(['citizen'], {
	method: 'post',
	path: '/ratings',
	tags: ['ratings'],
	summary: 'Rate my ended video session or completed case (好差评), once',
	description:
		'A score of 1 or 2 opens a follow-up (回访整改) for the serving org unit, due 15 working days later. ' +
		'`409 already_rated` carries `ratingId`, `changeable` and `changeableUntil`: change it with PUT /ratings/{id}.',
	request: { body: jsonBody(CreateRatingInput) },
	responses: {
		201: json(oneRating, 'Rated'),
		404: errorJson('No such session or case of mine'),
		409: errorJson('session_not_ended, case_not_completed or already_rated')
	}
});

const change = defineRoute(['citizen'], {
	method: 'put',
	path: '/ratings/{id}',
	tags: ['ratings'],
	summary: 'Change my rating within 24 hours of giving it (score, tags and comment replaced)',
	request: { params: IdParam, body: jsonBody(ChangeRatingInput) },
	responses: {
		200: json(oneRating, 'Changed'),
		404: errorJson('No such rating of mine'),
		409: errorJson('rating_locked')
	}
});

const mine = defineRoute(['citizen'], {
	method: 'get',
	path: '/ratings',
	tags: ['ratings'],
	summary: 'My ratings, newest first, with where their follow-up stands and its outcome',
	responses: { 200: json(z.object({ ratings: z.array(RatingSchema) }), 'Ratings') }
});

const pending = defineRoute(['citizen'], {
	method: 'get',
	path: '/ratings/pending',
	tags: ['ratings'],
	summary: 'My ended sessions and completed cases not rated yet, newest first',
	responses: { 200: json(z.object({ pending: z.array(PendingRatingSchema) }), 'To rate') }
});

const followUps = defineRoute(['supervisor'], {
	method: 'get',
	path: '/rating-followups',
	tags: ['ratings'],
	summary: 'Follow-ups of bad ratings of my org unit and below, by due day',
	description:
		'Without `status`, cancelled follow-ups are left out. Citizen phones are masked here; GET one for the full number.',
	request: { query: FollowUpQuery },
	responses: { 200: json(z.object({ followUps: z.array(FollowUpSchema) }), 'Follow-ups') }
});

const followUp = defineRoute(['supervisor'], {
	method: 'get',
	path: '/rating-followups/{id}',
	tags: ['ratings'],
	summary: 'One follow-up (the citizen’s phone masked)',
	request: { params: IdParam },
	responses: { 200: json(oneFollowUp, 'The follow-up'), 404: errorJson('Not of my org units') }
});

const revealPhone = defineRoute(['supervisor'], {
	method: 'post',
	path: '/rating-followups/{id}/reveal-phone',
	tags: ['ratings'],
	summary: '查看完整号码: the citizen’s full phone for the call; written to the audit trail',
	request: { params: IdParam },
	responses: {
		200: json(z.object({ phone: z.string().nullable() }), 'The full phone number'),
		404: errorJson('Not of my org units')
	}
});

const contact = defineRoute(['supervisor'], {
	method: 'post',
	path: '/rating-followups/{id}/contact',
	tags: ['ratings'],
	summary: 'Record the contact with the citizen (open → contacted)',
	request: { params: IdParam, body: jsonBody(FollowUpContactInput) },
	responses: {
		200: json(oneFollowUp, 'Contacted'),
		404: errorJson('Not of my org units'),
		409: errorJson('wrong_state')
	}
});

const resolve = defineRoute(['supervisor'], {
	method: 'post',
	path: '/rating-followups/{id}/resolve',
	tags: ['ratings'],
	summary: 'Record the fix (contacted → resolved); the citizen is notified in-app and by SMS',
	request: { params: IdParam, body: jsonBody(FollowUpResolveInput) },
	responses: {
		200: json(oneFollowUp, 'Resolved'),
		404: errorJson('Not of my org units'),
		409: errorJson('not_contacted or wrong_state')
	}
});

const calendarList = defineRoute(['admin'], {
	method: 'get',
	path: '/calendar-days',
	tags: ['ratings'],
	summary: 'Public holidays and weekend days worked (调休) of the working-day calendar',
	request: { query: CalendarQuery },
	responses: { 200: json(z.object({ days: z.array(CalendarDaySchema) }), 'Days') }
});

const calendarSet = defineRoute(['admin'], {
	method: 'put',
	path: '/calendar-days/{day}',
	tags: ['ratings'],
	summary:
		'Mark a day as a holiday or a weekend day worked; unresolved follow-ups get new due days',
	request: { params: CalendarDayParam, body: jsonBody(CalendarDayInput) },
	responses: {
		200: json(z.object({ day: CalendarDaySchema, rescheduledFollowUps: z.number().int() }), 'Set')
	}
});

const calendarDelete = defineRoute(['admin'], {
	method: 'delete',
	path: '/calendar-days/{day}',
	tags: ['ratings'],
	summary: 'Back to the Monday-to-Friday rule for this day; unresolved follow-ups get new due days',
	request: { params: CalendarDayParam },
	responses: { 204: { description: 'Removed' }, 404: errorJson('Not in the calendar') }
});

export function ratingRoutes() {
	return createRouter()
		.openapi(rate, async (c) =>
			c.json({ rating: await rateService(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(change, async (c) =>
			c.json(
				{
					rating: await changeRating(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(mine, async (c) => c.json({ ratings: await myRatings(c.var.deps, c.var.user!) }, 200))
		.openapi(pending, async (c) =>
			c.json({ pending: await pendingRatings(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(followUps, async (c) =>
			c.json({ followUps: await listFollowUps(c.var.deps, c.var.user!, c.req.valid('query')) }, 200)
		)
		.openapi(followUp, async (c) =>
			c.json({ followUp: await getFollowUp(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(revealPhone, async (c) =>
			c.json(await revealFollowUpPhone(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		)
		.openapi(contact, async (c) =>
			c.json(
				{
					followUp: await contactFollowUp(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').note
					)
				},
				200
			)
		)
		.openapi(resolve, async (c) =>
			c.json(
				{
					followUp: await resolveFollowUp(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').resolution
					)
				},
				200
			)
		)
		.openapi(calendarList, async (c) =>
			c.json({ days: await listCalendarDays(c.var.deps, c.req.valid('query').year) }, 200)
		)
		.openapi(calendarSet, async (c) =>
			c.json(await setCalendarDay(c.var.deps, c.req.valid('param').day, c.req.valid('json')), 200)
		)
		.openapi(calendarDelete, async (c) => {
			await deleteCalendarDay(c.var.deps, c.req.valid('param').day);
			return c.body(null, 204);
		});
}

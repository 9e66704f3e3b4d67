import { z } from 'zod';
import {
	CommunitySchema,
	ConsentInput,
	HomeVisitListQuery,
	HomeVisitRequest,
	HomeVisitSchema,
	ScheduleInput
} from '../../shared/schemas/home-visits.ts';
import { TicketSchema } from '../../shared/schemas/queue.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import {
	acceptHomeVisit,
	getHomeVisit,
	listCommunities,
	listHomeVisits,
	recordVisitConsent,
	requestHomeVisit,
	scheduleHomeVisit,
	startVisitTicket
} from './home-visits.ts';

const oneVisit = z.object({ visit: HomeVisitSchema });
const PARTIES = ['citizen', 'grid'] as const;

const communities = defineRoute(['citizen'], {
	method: 'get',
	path: '/communities',
	tags: ['home-visits'],
	summary: 'The communities (社区) a resident chooses theirs from, for a home visit',
	responses: { 200: json(z.object({ communities: z.array(CommunitySchema) }), 'By code') }
});

const request = defineRoute(['citizen'], {
	method: 'post',
	path: '/home-visits',
	tags: ['home-visits'],
	summary: '入户办申请: ask the community’s grid workers to visit the resident at home',
	description:
		"The resident asks, or a proxy acting for them (the request is then the resident's, made by the proxy).",
	request: { body: jsonBody(HomeVisitRequest) },
	responses: { 201: json(oneVisit, 'Requested (open)') }
});

const list = defineRoute(PARTIES, {
	method: 'get',
	path: '/home-visits',
	tags: ['home-visits'],
	summary:
		"A resident's own visits; a grid worker's community's (status=open: the requests nobody has taken)",
	request: { query: HomeVisitListQuery },
	responses: { 200: json(z.object({ visits: z.array(HomeVisitSchema) }), 'Oldest first') }
});

const one = defineRoute(PARTIES, {
	method: 'get',
	path: '/home-visits/{id}',
	tags: ['home-visits'],
	summary: 'A visit with its events (who acted, as what, for whom)',
	request: { params: IdParam },
	responses: {
		200: json(oneVisit, 'The visit'),
		404: errorJson('No such visit of mine or of my community')
	}
});

const accept = defineRoute(['grid'], {
	method: 'post',
	path: '/home-visits/{id}/accept',
	tags: ['home-visits'],
	summary: 'Take an open request of my community: the first grid worker to accept wins',
	request: { params: IdParam },
	responses: {
		200: json(oneVisit, 'Taken by me'),
		404: errorJson('No such visit in my community'),
		409: errorJson('visit_taken: another grid worker took it first')
	}
});

const schedule = defineRoute(['grid'], {
	method: 'post',
	path: '/home-visits/{id}/schedule',
	tags: ['home-visits'],
	summary: 'Say when I will visit; the resident is told in the hall and by SMS',
	request: { params: IdParam, body: jsonBody(ScheduleInput) },
	responses: {
		200: json(oneVisit, 'Scheduled'),
		403: errorJson('Another grid worker took this visit'),
		404: errorJson('No such visit in my community'),
		409: errorJson('visit_started')
	}
});

const consent = defineRoute(['grid'], {
	method: 'post',
	path: '/home-visits/{id}/consent',
	tags: ['home-visits'],
	summary:
		"At the home: the resident's consent to the visit and the video session (verbal, or signed on the tablet)",
	request: { params: IdParam, body: jsonBody(ConsentInput) },
	responses: {
		200: json(oneVisit, 'Consent recorded'),
		403: errorJson('Another grid worker took this visit'),
		404: errorJson('No such visit in my community'),
		409: errorJson('visit_started')
	}
});

const startTicket = defineRoute(['grid'], {
	method: 'post',
	path: '/home-visits/{id}/start-ticket',
	tags: ['home-visits'],
	summary:
		"Start the resident's video ticket from the tablet (acted_as grid); the desk sees 入户办 · 网格员 · 居民",
	request: { params: IdParam },
	responses: {
		201: json(z.object({ visit: HomeVisitSchema, ticket: TicketSchema }), 'The ticket'),
		403: errorJson('Another grid worker took this visit'),
		404: errorJson('No such visit in my community'),
		409: errorJson('consent_required, visit_started, already_queued')
	}
});

export function gridRoutes() {
	return createRouter()
		.openapi(communities, async (c) =>
			c.json({ communities: await listCommunities(c.var.deps) }, 200)
		)
		.openapi(request, async (c) =>
			c.json({ visit: await requestHomeVisit(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(list, async (c) =>
			c.json(
				{
					visits: await listHomeVisits(c.var.deps, c.var.user!, c.req.valid('query').status)
				},
				200
			)
		)
		.openapi(one, async (c) =>
			c.json({ visit: await getHomeVisit(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(accept, async (c) =>
			c.json(
				{ visit: await acceptHomeVisit(c.var.deps, c.var.user!, c.req.valid('param').id) },
				200
			)
		)
		.openapi(schedule, async (c) =>
			c.json(
				{
					visit: await scheduleHomeVisit(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').at
					)
				},
				200
			)
		)
		.openapi(consent, async (c) =>
			c.json(
				{
					visit: await recordVisitConsent(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(startTicket, async (c) =>
			c.json(await startVisitTicket(c.var.deps, c.var.user!, c.req.valid('param').id), 201)
		);
}

import { z } from 'zod';
import {
	BoardSchema,
	CategorySchema,
	DeskSchema,
	HallSchema,
	ItemHallsSchema,
	KioskTicketInput,
	OpenDeskInput,
	TakeTicketInput,
	TicketSchema,
	TransferInput
} from '../../shared/schemas/queue.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import {
	cancelTicket,
	getTicket,
	listMyTickets,
	rejoinQueue,
	takeKioskTicket,
	takeTicketGrouped
} from './queue.ts';
import {
	actOnTicket,
	callNext,
	closeDesk,
	listCategories,
	listDesks,
	openDesk,
	transferTicket
} from './desks.ts';
import { boardOf, findHall, listHalls } from './board.ts';
import { hallEventLog } from './events.ts';
import { hallsForItem } from './halls.ts';
import { lastEventIdOf, streamEventLog } from '../realtime/sse.ts';

const FRONT_LINE = ['agent', 'township', 'supervisor'] as const;
const DESK_STAFF = ['agent', 'township'] as const;
const one = z.object({ ticket: TicketSchema });
const HallQuery = z.object({
	hallId: z.string({ error: 'is required' }).min(1, 'is required').max(64)
});

const take = defineRoute(['citizen'], {
	method: 'post',
	path: '/queue/tickets',
	tags: ['queue'],
	summary: 'Take a ticket for an item and channel, or check in a booked appointment',
	request: { body: jsonBody(TakeTicketInput) },
	responses: {
		201: json(one, 'Your ticket with position and estimated wait'),
		409: errorJson('already_queued, check-in window')
	}
});
const kiosk = defineRoute(FRONT_LINE, {
	method: 'post',
	path: '/queue/kiosk-tickets',
	tags: ['queue'],
	summary: 'Issue an onsite ticket at the hall kiosk',
	request: { body: jsonBody(KioskTicketInput) },
	responses: { 201: json(one, 'The ticket to print') }
});
const mine = defineRoute(['citizen'], {
	method: 'get',
	path: '/queue/tickets',
	tags: ['queue'],
	summary: 'My active tickets',
	responses: { 200: json(z.object({ tickets: z.array(TicketSchema) }), 'Tickets') }
});
const get = defineRoute(['citizen', ...FRONT_LINE, 'grid'], {
	method: 'get',
	path: '/queue/tickets/{id}',
	tags: ['queue'],
	summary:
		'A ticket with live position, people ahead, estimated wait and desk once called (a grid worker: only the tickets they started for a resident)',
	request: { params: IdParam },
	responses: { 200: json(one, 'The ticket'), 404: errorJson('Not found or not yours') }
});
const cancel = defineRoute(['citizen'], {
	method: 'post',
	path: '/queue/tickets/{id}/cancel',
	tags: ['queue'],
	summary: 'Give up my ticket',
	request: { params: IdParam },
	responses: { 200: json(one, 'Cancelled') }
});
const rejoin = defineRoute(['citizen'], {
	method: 'post',
	path: '/queue/tickets/{id}/rejoin',
	tags: ['queue'],
	summary: 'Rejoin after a no-show (once, within 30 minutes; placed after the next 3 tickets)',
	request: { params: IdParam },
	responses: { 200: json(one, 'Back in line'), 409: errorJson('cannot_rejoin') }
});
const ticketAction = (action: 'recall' | 'no-show' | 'start' | 'finish', summary: string) =>
	defineRoute(DESK_STAFF, {
		method: 'post',
		path: `/queue/tickets/{id}/${action}`,
		tags: ['queue'],
		summary,
		request: { params: IdParam },
		responses: { 200: json(one, 'Updated'), 409: errorJson('not_your_desk, wrong_state') }
	});
const recall = ticketAction('recall', 'Announce the called ticket again');
const noShow = ticketAction('no-show', 'The holder did not come (过号)');
const start = ticketAction('start', 'Start serving the called ticket');
const finish = ticketAction('finish', 'Finish serving');
const transfer = defineRoute(DESK_STAFF, {
	method: 'post',
	path: '/queue/tickets/{id}/transfer',
	tags: ['queue'],
	summary:
		'Send the ticket back to the queue of another category or to another desk, keeping its place',
	request: { params: IdParam, body: jsonBody(TransferInput) },
	responses: { 200: json(one, 'Transferred') }
});
const desks = defineRoute(FRONT_LINE, {
	method: 'get',
	path: '/desks',
	tags: ['queue'],
	summary: 'Desks of my org unit and below, with who serves them and their current ticket',
	responses: {
		200: json(
			z.object({ desks: z.array(DeskSchema), categories: z.array(CategorySchema) }),
			'Desks'
		)
	}
});
const open = defineRoute(DESK_STAFF, {
	method: 'post',
	path: '/desks/{id}/open',
	tags: ['queue'],
	summary: 'Open a desk for some categories (one agent per desk, one desk per agent)',
	request: { params: IdParam, body: jsonBody(OpenDeskInput) },
	responses: {
		200: json(z.object({ desk: DeskSchema }), 'Open'),
		409: errorJson('desk_taken, already_serving')
	}
});
const close = defineRoute(FRONT_LINE, {
	method: 'post',
	path: '/desks/{id}/close',
	tags: ['queue'],
	summary: 'Close a desk',
	request: { params: IdParam },
	responses: { 200: json(z.object({ desk: DeskSchema }), 'Closed') }
});
const next = defineRoute(DESK_STAFF, {
	method: 'post',
	path: '/desks/{id}/call-next',
	tags: ['queue'],
	summary: 'Call the next ticket (atomic: two desks never get the same ticket)',
	request: { params: IdParam },
	responses: {
		200: json(one, 'The called ticket'),
		204: { description: 'Nobody waits' },
		409: errorJson('desk_busy, not_your_desk')
	}
});
const board = defineRoute('public', {
	method: 'get',
	path: '/queue/board',
	tags: ['queue'],
	summary: 'The queue board of a hall (org unit id or code): calls and waiting counts',
	request: { query: HallQuery },
	responses: { 200: json(BoardSchema, 'Board'), 404: errorJson('No such hall') }
});
const halls = defineRoute('public', {
	method: 'get',
	path: '/queue/halls',
	tags: ['queue'],
	summary: 'Halls that have desks',
	responses: { 200: json(z.object({ halls: z.array(HallSchema) }), 'Halls') }
});
const itemHalls = defineRoute('public', {
	method: 'get',
	path: '/services/{id}/halls',
	tags: ['queue'],
	summary:
		"Where the item can be queued for: its department's hall and the township halls that offer it, with the default choice",
	request: { params: IdParam },
	responses: { 200: json(ItemHallsSchema, 'Halls'), 404: errorJson('No such item') }
});
const events = defineRoute('public', {
	method: 'get',
	path: '/queue/events',
	tags: ['queue'],
	summary:
		'Server-sent events of a hall (calls, issues, changes); reconnect with Last-Event-ID to get what was missed',
	request: {
		query: HallQuery.extend({ lastEventId: z.coerce.number().int().min(0).optional() }),
		headers: z.object({ 'last-event-id': z.string().regex(/^\d+$/).optional() })
	},
	responses: {
		200: {
			description: 'text/event-stream',
			content: { 'text/event-stream': { schema: z.string() } }
		}
	}
});

export function queueRoutes() {
	return createRouter()
		.openapi(take, async (c) =>
			c.json({ ticket: await takeTicketGrouped(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(kiosk, async (c) =>
			c.json({ ticket: await takeKioskTicket(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(mine, async (c) =>
			c.json({ tickets: await listMyTickets(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(get, async (c) =>
			c.json({ ticket: await getTicket(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(cancel, async (c) =>
			c.json({ ticket: await cancelTicket(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(rejoin, async (c) =>
			c.json({ ticket: await rejoinQueue(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(recall, async (c) =>
			c.json(
				{ ticket: await actOnTicket(c.var.deps, c.var.user!, c.req.valid('param').id, 'recall') },
				200
			)
		)
		.openapi(noShow, async (c) =>
			c.json(
				{ ticket: await actOnTicket(c.var.deps, c.var.user!, c.req.valid('param').id, 'no-show') },
				200
			)
		)
		.openapi(start, async (c) =>
			c.json(
				{ ticket: await actOnTicket(c.var.deps, c.var.user!, c.req.valid('param').id, 'start') },
				200
			)
		)
		.openapi(finish, async (c) =>
			c.json(
				{ ticket: await actOnTicket(c.var.deps, c.var.user!, c.req.valid('param').id, 'finish') },
				200
			)
		)
		.openapi(transfer, async (c) =>
			c.json(
				{
					ticket: await transferTicket(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(desks, async (c) =>
			c.json(
				{
					desks: await listDesks(c.var.deps, c.var.user!),
					categories: await listCategories(c.var.deps)
				},
				200
			)
		)
		.openapi(open, async (c) =>
			c.json(
				{
					desk: await openDesk(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').categories
					)
				},
				200
			)
		)
		.openapi(close, async (c) =>
			c.json({ desk: await closeDesk(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(next, async (c) => {
			const ticket = await callNext(c.var.deps, c.var.user!, c.req.valid('param').id);
			return ticket ? c.json({ ticket }, 200) : c.body(null, 204);
		})
		.openapi(board, async (c) =>
			c.json(await boardOf(c.var.deps, c.req.valid('query').hallId), 200)
		)
		.openapi(halls, async (c) => c.json({ halls: await listHalls(c.var.deps) }, 200))
		.openapi(itemHalls, async (c) =>
			c.json(await hallsForItem(c.var.deps, c.req.valid('param').id, c.var.user ?? null), 200)
		)
		.openapi(events, async (c) => {
			const q = c.req.valid('query');
			const hall = await findHall(c.var.deps, q.hallId);
			const last = lastEventIdOf(c.req.valid('header')['last-event-id'], q.lastEventId);
			return (await streamEventLog(c, hallEventLog(c.var.deps, hall.id), last)) as never;
		});
}

import { z } from 'zod';
import {
	AskInput,
	AskResult,
	ConversationSchema,
	HandoffInput,
	KbEntryId,
	KbEntryInput,
	KbEntrySchema,
	KbImportInput,
	KbImportReport
} from '../../shared/schemas/assistant.ts';
import { TicketSchema } from '../../shared/schemas/queue.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { checkRateLimit } from '../auth/throttle.ts';
import { ask, conversationOfTicket, getConversation, handOff } from './assistant.ts';
import { deleteFaq, importFaqsOrReject, listFaqs, putFaq } from './faqs.ts';

const EntryParam = z.object({ id: KbEntryId });

const listEntries = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/kb/entries',
	tags: ['assistant'],
	summary: 'The standalone entries (FAQs) of the knowledge base; service items are the rest of it',
	responses: { 200: json(z.object({ entries: z.array(KbEntrySchema) }), 'All entries') }
});

const putEntry = defineRoute(['admin'], {
	method: 'put',
	path: '/admin/kb/entries/{id}',
	tags: ['assistant'],
	summary: 'Create or replace a FAQ entry; the assistant uses it from the next question on',
	request: { params: EntryParam, body: jsonBody(KbEntryInput) },
	responses: { 200: json(z.object({ entry: KbEntrySchema }), 'The entry') }
});

const deleteEntry = defineRoute(['admin'], {
	method: 'delete',
	path: '/admin/kb/entries/{id}',
	tags: ['assistant'],
	summary: 'Delete a FAQ entry',
	request: { params: EntryParam },
	responses: { 204: { description: 'Deleted' }, 404: errorJson('No such entry') }
});

const importEntries = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/kb/import',
	tags: ['assistant'],
	summary:
		'Import FAQ entries from JSONL, all-or-nothing (the same as `npm run kb:import`); bad lines are reported by number and nothing is written',
	request: { body: jsonBody(KbImportInput) },
	responses: {
		200: json(KbImportReport, 'Imported'),
		422: errorJson('import_rejected: nothing imported; fields name "line N.field"')
	}
});

const askRoute = defineRoute('public', {
	method: 'post',
	path: '/assistant/ask',
	tags: ['assistant'],
	summary:
		'Ask the assistant: the best knowledge-base answer with an excerpt, up to three alternatives and actions for the matched item; below the confidence threshold `answer` is null and `handoff` true',
	request: { body: jsonBody(AskInput) },
	responses: {
		200: json(AskResult, 'The answer (or that there is none)'),
		404: errorJson('The conversation is not yours'),
		429: errorJson('rate_limited: too many questions from this address or account this minute')
	}
});

const handoffRoute = defineRoute(['citizen'], {
	method: 'post',
	path: '/assistant/conversations/{id}/handoff',
	tags: ['assistant'],
	summary:
		'Hand off to a person (转人工): take a video ticket for the conversation’s item; the agent who calls it sees the conversation',
	request: { params: IdParam, body: jsonBody(HandoffInput) },
	responses: {
		201: json(z.object({ ticket: TicketSchema }), 'The video ticket'),
		404: errorJson('No such conversation of yours'),
		409: errorJson('already_handed_off, or already_queued for this item')
	}
});

const conversationRoute = defineRoute(['citizen'], {
	method: 'get',
	path: '/assistant/conversations/{id}',
	tags: ['assistant'],
	summary: 'One of your conversations with the assistant',
	request: { params: IdParam },
	responses: {
		200: json(z.object({ conversation: ConversationSchema }), 'The conversation'),
		404: errorJson('No such conversation of yours')
	}
});

const ticketConversation = defineRoute(['agent', 'township', 'supervisor'], {
	method: 'get',
	path: '/queue/tickets/{id}/conversation',
	tags: ['assistant'],
	summary: 'What the citizen asked the assistant before handing off to this ticket',
	request: { params: IdParam },
	responses: {
		200: json(z.object({ conversation: ConversationSchema }), 'The conversation'),
		404: errorJson('No such ticket in your halls, or it did not come from the assistant')
	}
});

export function assistantRoutes() {
	return createRouter()
		.openapi(listEntries, async (c) => c.json({ entries: await listFaqs(c.var.deps) }, 200))
		.openapi(putEntry, async (c) =>
			c.json(
				{
					entry: await putFaq(c.var.deps, c.var.user!, c.req.valid('param').id, c.req.valid('json'))
				},
				200
			)
		)
		.openapi(deleteEntry, async (c) => {
			await deleteFaq(c.var.deps, c.req.valid('param').id);
			return c.body(null, 204);
		})
		.openapi(importEntries, async (c) =>
			c.json(await importFaqsOrReject(c.var.deps, c.var.user!.id, c.req.valid('json').content), 200)
		)
		.openapi(askRoute, async (c) => {
			const user = c.var.user ?? null;
			const who = user ? `user:${user.id}` : `ip:${c.env?.ip ?? 'unknown'}`;
			await checkRateLimit(c.var.deps, `ask:${who}`, c.var.deps.config.assistantPerMinute);
			return c.json(await ask(c.var.deps, user, c.req.valid('json')), 200);
		})
		.openapi(handoffRoute, async (c) =>
			c.json(
				{
					ticket: await handOff(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').serviceId
					)
				},
				201
			)
		)
		.openapi(conversationRoute, async (c) =>
			c.json(
				{
					conversation: await getConversation(c.var.deps, c.var.user!, c.req.valid('param').id)
				},
				200
			)
		)
		.openapi(ticketConversation, async (c) =>
			c.json(
				{
					conversation: await conversationOfTicket(c.var.deps, c.var.user!, c.req.valid('param').id)
				},
				200
			)
		);
}

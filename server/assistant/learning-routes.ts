import { z } from 'zod';
import {
	FaqFromQuestionInput,
	LearningGroupSchema,
	LearningQuery,
	LinkInput,
	QuestionIdParam
} from '../../shared/schemas/learning.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import {
	faqFromQuestion,
	learningQueue,
	linkableEntries,
	linkQuestion,
	markOffTopic
} from './learning.ts';

// admins edit the knowledge base; supervisors watch its gaps on the dashboard and close them
const STAFF = ['admin', 'supervisor'] as const;
const Linked = z.object({ entryId: z.string(), linked: z.number().int() });

const queue = defineRoute(STAFF, {
	method: 'get',
	path: '/assistant/learning',
	tags: ['assistant'],
	summary:
		'The learning queue: questions the assistant could not answer (gaps) or that looked off topic, and questions of conversations handed to a person, grouped by their words, most asked first',
	request: { query: LearningQuery },
	responses: { 200: json(z.object({ groups: z.array(LearningGroupSchema) }), 'Groups') }
});

const entries = defineRoute(STAFF, {
	method: 'get',
	path: '/assistant/learning/entries',
	tags: ['assistant'],
	summary: 'Every entry a question may be linked to: the service items’ own entries and the FAQs',
	responses: {
		200: json(
			z.object({ entries: z.array(z.object({ id: z.string(), title: z.string() })) }),
			'Entries'
		)
	}
});

const link = defineRoute(STAFF, {
	method: 'post',
	path: '/assistant/questions/{id}/link',
	tags: ['assistant'],
	summary:
		'Link the question (and the pending ones asked with the same words) to an entry: its words become a paraphrase of the entry, answered from the next index build in every process',
	request: { params: QuestionIdParam, body: jsonBody(LinkInput) },
	responses: {
		200: json(Linked, 'Linked'),
		404: errorJson('No such question'),
		409: errorJson('already_reviewed')
	}
});

const faq = defineRoute(STAFF, {
	method: 'post',
	path: '/assistant/questions/{id}/faq',
	tags: ['assistant'],
	summary:
		'Write a new FAQ entry from the question; the question and its same-worded ones are its paraphrases',
	request: { params: QuestionIdParam, body: jsonBody(FaqFromQuestionInput) },
	responses: {
		201: json(Linked, 'Written'),
		404: errorJson('No such question'),
		409: errorJson('already_reviewed')
	}
});

const offTopic = defineRoute(STAFF, {
	method: 'post',
	path: '/assistant/questions/{id}/off-topic',
	tags: ['assistant'],
	summary:
		'Mark the question (and its same-worded ones) off topic: not the hall’s business, kept out of the knowledge-base gaps',
	request: { params: QuestionIdParam },
	responses: {
		200: json(z.object({ marked: z.number().int() }), 'Marked'),
		409: errorJson('already_reviewed')
	}
});

export function learningRoutes() {
	return createRouter()
		.openapi(queue, async (c) =>
			c.json({ groups: await learningQueue(c.var.deps, c.req.valid('query').view) }, 200)
		)
		.openapi(entries, async (c) => c.json({ entries: await linkableEntries(c.var.deps) }, 200))
		.openapi(link, async (c) =>
			c.json(
				await linkQuestion(
					c.var.deps,
					c.var.user!,
					c.req.valid('param').id,
					c.req.valid('json').entryId
				),
				200
			)
		)
		.openapi(faq, async (c) =>
			c.json(
				await faqFromQuestion(
					c.var.deps,
					c.var.user!,
					c.req.valid('param').id,
					c.req.valid('json')
				),
				201
			)
		)
		.openapi(offTopic, async (c) =>
			c.json(await markOffTopic(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		);
}

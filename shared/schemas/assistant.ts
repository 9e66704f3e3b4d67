import { z } from 'zod';
import {
	KB_BODY_MAX,
	KB_ID_MAX,
	KB_ID_PATTERN,
	KB_ID_RULE,
	KB_TAG_MAX,
	KB_TAGS_MAX,
	KB_TITLE_MAX
} from './kb.ts';

export const ASSISTANT_MESSAGE_MAX = 200;

export const AskInput = z.object({
	message: z
		.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
		.trim()
		.min(1, 'is required')
		.max(ASSISTANT_MESSAGE_MAX, `must be at most ${ASSISTANT_MESSAGE_MAX} characters`),
	conversationId: z.string().min(1).max(64).optional().meta({
		description: 'Continue a conversation (follow-ups refer to its last item)'
	}),
	serviceId: z.string().min(1).max(64).optional().meta({
		description: 'The item the asking page is about: the context until an answer names another'
	})
});
export type AskInput = z.infer<typeof AskInput>;

export const ASSISTANT_ACTIONS = ['book', 'ticket', 'video', 'guide'] as const;
export type AssistantActionKind = (typeof ASSISTANT_ACTIONS)[number];

export const AssistantAction = z.object({
	kind: z.enum(ASSISTANT_ACTIONS).meta({
		description:
			'book: booking page; ticket: take an on-site ticket; video: hand off to a video consultation; guide: the item page'
	}),
	serviceId: z.string(),
	href: z.string().meta({ description: 'Where the action leads in the web app' })
});
export type AssistantAction = z.infer<typeof AssistantAction>;

export const AssistantMatch = z.object({
	id: z.string().meta({ description: 'Knowledge-base entry id' }),
	title: z.string(),
	score: z.number().meta({ description: 'Confidence 0..1' })
});
export type AssistantMatch = z.infer<typeof AssistantMatch>;

export const AssistantAnswer = z.object({
	entryId: z.string(),
	title: z.string(),
	excerpt: z.string().meta({ description: 'The lines of the entry that answer the question' }),
	confidence: z.number(),
	service: z
		.object({ id: z.string(), code: z.string(), name: z.string() })
		.nullable()
		.meta({ description: 'The service item the answer is about, if any' }),
	usedContext: z.boolean().meta({
		description: 'The question named no item, so the conversation’s last item was used'
	})
});
export type AssistantAnswer = z.infer<typeof AssistantAnswer>;

export const AskResult = z
	.object({
		conversationId: z.string(),
		answer: AssistantAnswer.nullable().meta({
			description: 'null: the assistant does not know (below its confidence threshold)'
		}),
		alternatives: z.array(AssistantMatch).max(3),
		matches: z.array(AssistantMatch),
		actions: z.array(AssistantAction),
		handoff: z
			.boolean()
			.meta({ description: 'true: offer a person (the assistant does not know)' }),
		unanswered: z.enum(['off_topic', 'gap']).nullable().meta({
			description:
				'why there is no answer: off_topic (not something the hall handles) or gap (the hall’s business, not in the knowledge base yet: a person can help); null when answered'
		}),
		// default: a reply kept by a tab (sessionStorage) before replies had a language
		lang: z.enum(['zh', 'en']).default('zh').meta({
			description:
				'the language of the reply: en for a question asked in English that is answered from an item’s English name and key fields, or not answered (the web then says, in English, that the assistant understands Chinese best); zh otherwise'
		})
	})
	.meta({ id: 'AskResult' });
export type AskResult = z.infer<typeof AskResult>;

export const HandoffInput = z.object({
	serviceId: z.string().min(1).max(64).optional().meta({
		description: 'The item to consult about; default: the conversation’s item'
	})
});

export const ConversationTurn = z.object({
	question: z.string(),
	answerTitle: z.string().nullable(),
	excerpt: z.string().nullable(),
	confidence: z.number(),
	at: z.number()
});

export const ConversationSchema = z
	.object({
		id: z.string(),
		service: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
		handoffTicketId: z.string().nullable(),
		turns: z.array(ConversationTurn)
	})
	.meta({ id: 'AssistantConversation' });
export type Conversation = z.infer<typeof ConversationSchema>;

/** Ids of standalone entries (the rule of KB files); `service:<code>` is the catalog's own. */
export const KbEntryId = z
	.string()
	.min(1, 'is required')
	.max(KB_ID_MAX, `must be at most ${KB_ID_MAX} characters`)
	.regex(KB_ID_PATTERN, KB_ID_RULE)
	.refine((id) => !id.startsWith('service:'), 'service: is reserved for service items');

export const KbEntryInput = z.object({
	title: z
		.string({ error: 'is required' })
		.trim()
		.min(1, 'is required')
		.max(KB_TITLE_MAX, `must be at most ${KB_TITLE_MAX} characters`),
	body: z
		.string({ error: 'is required' })
		.trim()
		.min(1, 'is required')
		.max(KB_BODY_MAX, `must be at most ${KB_BODY_MAX} characters`),
	tags: z
		.array(
			z
				.string()
				.trim()
				.min(1, 'is empty')
				.max(KB_TAG_MAX, `must be at most ${KB_TAG_MAX} characters`)
		)
		.max(KB_TAGS_MAX, `at most ${KB_TAGS_MAX} tags`)
		.default([]),
	serviceCode: z.string().trim().min(1).max(64).nullable().optional().meta({
		description: 'Code of the service item this entry is a FAQ of'
	})
});
export type KbEntryInput = z.infer<typeof KbEntryInput>;

export const KbEntrySchema = z
	.object({
		id: z.string(),
		title: z.string(),
		body: z.string(),
		tags: z.array(z.string()),
		serviceCode: z.string().nullable(),
		updatedAt: z.number()
	})
	.meta({ id: 'KbEntry' });
export type KbEntry = z.infer<typeof KbEntrySchema>;

export const KbImportInput = z.object({
	content: z.string({ error: 'is required' }).min(1, 'is empty').meta({
		description: 'JSONL: one {"id","title","body","tags"?,"serviceCode"?} per line'
	})
});

export const KbImportReport = z.object({
	applied: z.boolean(),
	total: z.number().int(),
	created: z.number().int(),
	updated: z.number().int(),
	unchanged: z.number().int(),
	rejected: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() }))
});
export type KbImportReport = z.infer<typeof KbImportReport>;

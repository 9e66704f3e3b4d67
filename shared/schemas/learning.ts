// The assistant's learning queue (issue 25 item 3): questions it could not answer, or asked in
// a conversation handed to a person, grouped by their words, for admins and supervisors.
import { z } from 'zod';
import { KbEntryInput } from './assistant.ts';

export const LEARNING_VIEWS = ['gaps', 'off_topic'] as const;
export type LearningView = (typeof LEARNING_VIEWS)[number];

export const LearningGroupSchema = z.object({
	/** the newest question of the group: act on it to act on the group */
	questionId: z.number().int(),
	question: z.string().meta({ description: 'As asked (numbers that look like IDs masked)' }),
	count: z.number().int(),
	lastAskedAt: z.string(),
	handedOff: z.boolean().meta({ description: 'asked in a conversation handed to a person' }),
	answered: z.boolean().meta({ description: 'answered, yet the citizen wanted a person' }),
	suggestions: z
		.array(z.object({ entryId: z.string(), title: z.string(), score: z.number() }))
		.meta({ description: 'the entries the engine found closest when it was asked' })
});
export type LearningGroup = z.infer<typeof LearningGroupSchema>;

export const LearningQuery = z.object({
	view: z.enum(LEARNING_VIEWS, { error: 'must be gaps or off_topic' }).default('gaps')
});

export const LinkInput = z.object({
	entryId: z.string({ error: 'is required' }).min(1, 'is required').max(100)
});

export const FaqFromQuestionInput = KbEntryInput;

export const QuestionIdParam = z.object({
	id: z.coerce.number({ error: 'must be a question number' }).int().positive()
});

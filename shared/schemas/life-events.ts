// 一件事一次办 (issue 24): what an admin defines for a life event, and what citizens and staff
// read of an application and its parts.
import { z } from 'zod';
import { TemplateDefinition } from '../forms/template.ts';

const key = z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'must be a short identifier');
const id = z.string().min(1).max(64);

/** A question that decides which items apply ("需要卖酒吗？"): asked first, as a radio field. */
export const LifeEventQuestion = z.object({
	key,
	label: z.string().min(1).max(60),
	guide: z.string().max(400).default(''),
	options: z
		.array(z.object({ value: z.string().min(1).max(40), label: z.string().min(1).max(40) }))
		.min(2, 'a question needs at least two answers')
});

export const LifeEventPart = z.object({
	itemId: id,
	/** Applies only when the question has one of these answers; absent: always applies. */
	when: z.object({ question: key, in: z.array(z.string()).min(1) }).optional(),
	/**
	 * Starts only when that earlier part is approved (食品经营许可 after the 营业执照); `fill`
	 * is this item's field its result number goes into, `material` this item's material the
	 * earlier part's result stands for (neither is asked of the citizen).
	 */
	waitsFor: z
		.object({ itemId: id, fill: key.optional(), material: z.string().min(1).optional() })
		.optional(),
	/** This item's 申请书 material: the application form itself stands for it (一件事一表). */
	formMaterial: z.string().min(1).optional()
});

export const LifeEventDefinition = z.object({
	/** The form's own words, as the admin writes them (the form is content, in the hall's language). */
	title: z.string().min(1).max(80).meta({ description: 'The application form title' }),
	questionsTitle: z.string().min(1).max(60).meta({ description: 'Title of the questions section' }),
	sharedTitle: z
		.string()
		.min(1)
		.max(60)
		.meta({ description: 'Title of the section of fields asked once for several items' }),
	questions: z.array(LifeEventQuestion).default([]),
	parts: z.array(LifeEventPart).min(2, 'a life event spans at least two items'),
	/**
	 * Fields asked once for several items. Fields with the same key and kind in several items are
	 * shared without being named here; a mapping here overrides that (different keys, one answer).
	 */
	sharedFields: z
		.array(
			z.object({
				key,
				sources: z.array(z.object({ itemId: id, key })).min(2, 'name at least two items')
			})
		)
		.default([]),
	/** Materials handed in once for several items; same-named materials are shared anyway. */
	sharedMaterials: z
		.array(
			z.object({
				name: z.string().min(1).max(60),
				sources: z
					.array(z.object({ itemId: id, name: z.string().min(1) }))
					.min(2, 'name at least two items')
			})
		)
		.default([]),
	/** 统一出件: electronic results complete the application when its last part is approved. */
	delivery: z.enum(['electronic', 'nearby']).default('electronic')
});
export type LifeEventDefinition = z.infer<typeof LifeEventDefinition>;
export type LifeEventDefinitionInput = z.input<typeof LifeEventDefinition>;

/** How one item's form and materials map onto the application's (computed at publishing). */
export const PartMapping = z.object({
	itemId: id,
	itemName: z.string(),
	templateId: z.string(),
	/** item field key → the application's field key; null: filled from the part it waits for */
	fields: z.record(z.string(), z.string().nullable()),
	/** item material name → the application's material name; null: the earlier part's result */
	materials: z.record(z.string(), z.string().nullable())
});
export type PartMapping = z.infer<typeof PartMapping>;

export const UnionMaterial = z.object({
	name: z.string(),
	/** the items that need it, and whether each requires it */
	sources: z.array(
		z.object({ itemId: z.string(), name: z.string(), required: z.boolean(), key: z.boolean() })
	)
});
export type UnionMaterial = z.infer<typeof UnionMaterial>;

/** A published version: the definition and everything derived from it, kept together. */
export const LifeEventVersionSchema = z.object({
	id: z.string(),
	themeItemId: z.string(),
	themeName: z.string(),
	version: z.number().int(),
	definition: LifeEventDefinition,
	template: z.object({ id: z.string(), definition: TemplateDefinition }),
	parts: z.array(PartMapping),
	materials: z.array(UnionMaterial),
	publishedAt: z.string()
});
export type LifeEventVersion = z.infer<typeof LifeEventVersionSchema>;

export const PART_STATES = [
	'waiting',
	'submitted',
	'accepted',
	'in_review',
	'returned',
	'approved',
	'rejected',
	'completed'
] as const;

export const ApplicationPartSchema = z.object({
	itemId: z.string(),
	itemName: z.string(),
	departmentName: z.string(),
	/** the part's own case (null while it waits for an earlier part) */
	caseId: z.string().nullable(),
	receiptNo: z.string().nullable(),
	state: z.enum(PART_STATES),
	waitsFor: z.string().nullable().meta({ description: 'the item name this part waits for' }),
	timeLimitDays: z.number().int(),
	/** the latest date the department promises (承诺办结), in working days from submission */
	dueDate: z.string().nullable()
});
export type ApplicationPart = z.infer<typeof ApplicationPartSchema>;

export const ApplicationSchema = z.object({
	caseId: z.string(),
	themeName: z.string(),
	version: z.number().int(),
	/** the theme's own 承诺时限 and its date */
	timeLimitDays: z.number().int(),
	dueDate: z.string().nullable(),
	delivery: z.enum(['electronic', 'nearby']),
	parts: z.array(ApplicationPartSchema)
});
export type Application = z.infer<typeof ApplicationSchema>;

/** A life event as the bundle's page offers it: start one application for these items. */
export const LifeEventOfferSchema = z.object({
	themeItemId: z.string(),
	themeName: z.string(),
	version: z.number().int(),
	timeLimitDays: z.number().int(),
	items: z.array(
		z.object({
			itemId: z.string(),
			itemName: z.string(),
			departmentName: z.string(),
			conditional: z.boolean()
		})
	),
	questions: z.array(LifeEventQuestion),
	/** each material once; conditional: needed only when an answer selects its item */
	materials: z.array(
		z.object({ name: z.string(), required: z.boolean(), conditional: z.boolean() })
	)
});
export type LifeEventOffer = z.infer<typeof LifeEventOfferSchema>;

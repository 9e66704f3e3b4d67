import { ApplicationSchema } from './life-events.ts';
import { z } from 'zod';
import { TemplateDefinition } from '../forms/template.ts';
import { ActedAsSchema } from './acting.ts';

export const CASE_STATUSES = [
	'draft',
	'submitted',
	'accepted',
	'in_review',
	'approved',
	'returned',
	'rejected',
	'completed'
] as const;

export const FieldStateSchema = z.object({
	key: z.string(),
	value: z.unknown(),
	revision: z.number().int(),
	source: z.enum(['citizen', 'staff']).nullable(),
	updatedBy: z.string().nullable(),
	updatedByName: z.string().nullable(),
	confirmed: z.boolean()
});
export type FieldState = z.infer<typeof FieldStateSchema>;

export const REVIEW_VERDICTS = ['accepted', 'reupload'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];
export const MAX_REVIEW_REASON = 200;

/** Staff's verdict on one uploaded document: 合格 (accepted) or 请重新上传 (reupload, with why). */
export const DocumentReviewSchema = z
	.object({
		verdict: z.enum(REVIEW_VERDICTS),
		reason: z.string().nullable(),
		reviewerId: z.string(),
		reviewerName: z.string().nullable(),
		at: z.string()
	})
	.meta({ id: 'DocumentReview' });
export type DocumentReview = z.infer<typeof DocumentReviewSchema>;

export const DocumentSchema = z.object({
	id: z.string(),
	material: z.string(),
	filename: z.string(),
	mime: z.string(),
	size: z.number().int(),
	sha256: z.string(),
	uploadedAt: z.string(),
	// optional only because cases.ts's toCase (not this feature's file) builds documents without
	// it; every /api/cases answer fills it in (server/cases/documents.ts withDocumentReviews)
	review: DocumentReviewSchema.nullable().meta({
		description: 'null while pending: not reviewed yet (a new upload always starts pending)'
	})
});
export type CaseDocument = z.infer<typeof DocumentSchema>;

export const CaseEventSchema = z.object({
	id: z.number().int(),
	type: z.string(),
	actorId: z.string().nullable(),
	actorName: z.string().nullable(),
	actedAs: ActedAsSchema.nullable().meta({
		description:
			'In what capacity the actor acted: self (the applicant), proxy (代办), grid (the grid worker at the home, 入户办) or staff; null for the system'
	}),
	/** 代办 / 入户办: the applicant a proxy or grid worker (the actor) acted for; null when the actor acted for themself */
	actedFor: z.object({ id: z.string(), name: z.string() }).nullable(),
	payload: z.record(z.string(), z.unknown()),
	at: z.string()
});

export const MAX_OWED_PROMISE = 300;

/**
 * 容缺受理: a required, non-key material the citizen promised (in writing) to hand in by a day,
 * recorded by an agent in the live session. `handedIn` once a document for it was uploaded
 * after the promise.
 */
export const OwedMaterialSchema = z
	.object({
		material: z.string(),
		promise: z.string().meta({ description: "The citizen's written promise, as given" }),
		dueDay: z.string().meta({ description: 'Hall-local YYYY-MM-DD, a working day' }),
		recordedBy: z.object({ id: z.string(), name: z.string() }),
		recordedAt: z.string(),
		handedIn: z.boolean()
	})
	.meta({ id: 'OwedMaterial' });
export type OwedMaterial = z.infer<typeof OwedMaterialSchema>;

export const OwedMaterialInput = z.object({
	material: z.string({ error: 'is required' }).min(1, 'is required').max(100),
	promise: z
		.string({ error: 'is required' })
		.trim()
		.min(1, 'is required')
		.max(MAX_OWED_PROMISE, `must be at most ${MAX_OWED_PROMISE} characters`),
	dueDay: z
		.string({ error: 'is required' })
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
});
export type OwedMaterialInput = z.infer<typeof OwedMaterialInput>;

export const CaseSchema = z
	.object({
		id: z.string(),
		serviceId: z.string(),
		serviceName: z.string(),
		status: z.enum(CASE_STATUSES),
		citizen: z.object({ id: z.string(), name: z.string() }),
		sessionId: z.string().nullable(),
		template: z.object({
			id: z.string(),
			version: z.number().int(),
			definition: TemplateDefinition
		}),
		fields: z.array(FieldStateSchema),
		materials: z.array(
			z.object({
				name: z.string(),
				required: z.boolean(),
				key: z.boolean().meta({ description: '不可容缺: never accepted on a promise' })
			})
		),
		owedMaterials: z.array(OwedMaterialSchema).meta({
			description: '容缺受理: materials the citizen promised to hand in later'
		}),
		documents: z.array(DocumentSchema),
		signature: z.object({ signedAt: z.string(), valid: z.boolean() }).nullable(),
		receiptNo: z.string().nullable(),
		acceptedOrgUnitId: z.string().nullable(),
		reviewOrgUnitId: z.string().nullable(),
		reviewComments: z
			.record(z.string(), z.string())
			.meta({ description: 'Field key → what to correct' }),
		delivery: z.enum(['nearby', 'electronic']).nullable(),
		submittedAt: z.string().nullable(),
		timeline: z.array(CaseEventSchema),
		/** 一件事一次办: the parts of a life event's application, side by side (null: not one) */
		application: ApplicationSchema.nullable(),
		/** the life event application this case is a part of (its citizen corrects there) */
		partOf: z
			.object({
				applicationId: z.string(),
				themeName: z.string(),
				/** the parts waiting for this one's result: its approver enters the number issued */
				resultFor: z.array(z.string())
			})
			.nullable()
	})
	.meta({ id: 'Case' });
export type Case = z.infer<typeof CaseSchema>;

export const CreateCaseInput = z.object({
	serviceId: z.string({ error: 'is required' }).min(1, 'is required').max(64),
	sessionId: z.string().min(1).max(64).optional()
});
export const FieldWriteInput = z.object({
	value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()], {
		error: 'must be text, a number, a list or null'
	}),
	revision: z.number({ error: 'is required' }).int().min(0)
});
export const PointInput = z.object({
	key: z.string({ error: 'is required' }).min(1).max(40),
	note: z.string().max(300, 'must be at most 300 characters').optional()
});
export const SignatureInput = z.object({
	image: z
		.string({ error: 'is required' })
		.regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'must be a PNG data URL')
		.max(400_000, 'is too large')
});

export const DocumentReviewInput = z
	.object({
		verdict: z.enum(REVIEW_VERDICTS, { error: "must be 'accepted' or 'reupload'" }),
		reason: z
			.string({ error: 'must be text' })
			.trim()
			.max(MAX_REVIEW_REASON, `must be at most ${MAX_REVIEW_REASON} characters`)
			.optional()
	})
	.superRefine((input, ctx) => {
		if (input.verdict === 'reupload' && !input.reason)
			ctx.addIssue({
				code: 'custom',
				path: ['reason'],
				message: 'is required when asking for a new upload'
			});
	});
export type DocumentReviewInput = z.infer<typeof DocumentReviewInput>;

import { z } from 'zod';
import {
	CaseSchema,
	CreateCaseInput,
	DocumentReviewInput,
	DocumentSchema,
	FieldStateSchema,
	FieldWriteInput,
	OwedMaterialInput,
	PointInput,
	SignatureInput
} from '../../shared/schemas/cases.ts';
import { TemplateDefinition } from '../../shared/forms/template.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { AppError } from '../http/errors.ts';
import { IdParam } from '../catalog/routes.ts';
import { lastEventIdOf, streamEventLog } from '../realtime/sse.ts';
import {
	caseEventLog,
	confirmField,
	createCase,
	getCase,
	listMyCases,
	pointAtField,
	requestMaterial,
	showPresence,
	submitCase,
	revealCaseField,
	writeField
} from './cases.ts';
import { signCase, uploadDocument } from './files.ts';
import {
	openCaseDocument,
	openCaseSignature,
	reviewDocument,
	type StoredFile
} from './documents.ts';
import { latestTemplate, publishItemForm } from './templates.ts';
import { recordOwedMaterial } from './owed.ts';

const PARTIES = ['citizen', 'agent', 'township', 'supervisor'] as const;
// 入户办: the grid worker fills the resident's form with them during the video session (the
// case rules decide which case: server/access/cases.ts)
const PARTIES_AND_GRID = [...PARTIES, 'grid'] as const;
const one = z.object({ case: CaseSchema });
const FieldParams = z.object({ id: z.string().min(1).max(64), key: z.string().min(1).max(40) });
const TemplateOut = z.object({
	id: z.string(),
	version: z.number().int(),
	definition: TemplateDefinition
});

const create = defineRoute(['citizen', 'agent', 'township'], {
	method: 'post',
	path: '/cases',
	tags: ['cases'],
	summary: 'Start a case: a citizen online, or staff from a video session (for its citizen)',
	request: { body: jsonBody(CreateCaseInput) },
	responses: { 201: json(one, 'The case, pinned to the current form version') }
});
const mine = defineRoute(['citizen'], {
	method: 'get',
	path: '/cases',
	tags: ['cases'],
	summary: 'My cases',
	responses: {
		200: json(
			z.object({
				cases: z.array(
					z.object({
						id: z.string(),
						serviceName: z.string(),
						status: z.string(),
						receiptNo: z.string().nullable(),
						createdAt: z.string()
					})
				)
			}),
			'Cases'
		)
	}
});
const get = defineRoute(PARTIES_AND_GRID, {
	method: 'get',
	path: '/cases/{id}',
	tags: ['cases'],
	summary:
		'A case with fields (value, revision, source, who), documents, signature, status and timeline',
	request: { params: IdParam },
	responses: { 200: json(one, 'The case'), 404: errorJson('Not found or not yours') }
});
const write = defineRoute(PARTIES_AND_GRID, {
	method: 'put',
	path: '/cases/{id}/fields/{key}',
	tags: ['cases'],
	summary: 'Write one field, naming the revision you saw',
	request: { params: FieldParams, body: jsonBody(FieldWriteInput) },
	responses: {
		200: json(z.object({ field: FieldStateSchema }), 'Written'),
		409: errorJson('stale_revision: `current` holds the field as it is now')
	}
});
const confirm = defineRoute(['citizen', 'grid'], {
	method: 'post',
	path: '/cases/{id}/fields/{key}/confirm',
	tags: ['cases'],
	summary:
		'Confirm a value staff entered (the grid worker at the home, for the resident confirming on the tablet)',
	request: { params: FieldParams },
	responses: { 200: json(z.object({ field: FieldStateSchema }), 'Confirmed') }
});
const reveal = defineRoute(['agent', 'township', 'supervisor'], {
	method: 'post',
	path: '/cases/{id}/fields/{key}/reveal',
	tags: ['cases'],
	summary:
		'查看完整号码: a sensitive field in full for staff reading the case; written to the audit trail',
	request: { params: FieldParams },
	responses: {
		200: json(FieldStateSchema.pick({ key: true, value: true }), 'The value in full'),
		404: errorJson('Not your case or no such field')
	}
});
const point = defineRoute(['agent', 'township'], {
	method: 'post',
	path: '/cases/{id}/point',
	tags: ['cases'],
	summary: "Point at a field on the citizen's screen, optionally with a note",
	request: { params: IdParam, body: jsonBody(PointInput) },
	responses: { 204: { description: 'Shown' } }
});
const presence = defineRoute(PARTIES, {
	method: 'post',
	path: '/cases/{id}/presence',
	tags: ['cases'],
	summary: 'Tell the others which field I am in',
	request: { params: IdParam, body: jsonBody(PointInput.pick({ key: true })) },
	responses: { 204: { description: 'Shared' } }
});
const material = defineRoute(['agent', 'township'], {
	method: 'post',
	path: '/cases/{id}/request-material',
	tags: ['cases'],
	summary: 'Ask the citizen for a specific material',
	request: { params: IdParam, body: jsonBody(z.object({ material: z.string().min(1).max(100) })) },
	responses: { 204: { description: 'Requested' } }
});
const owed = defineRoute(['agent', 'township'], {
	method: 'post',
	path: '/cases/{id}/owed-materials',
	tags: ['cases'],
	summary:
		"容缺受理: staff in the live session accept a required, non-key material as owed on the citizen's written promise to hand it in by a working day; the citizen is reminded the working day before",
	request: { params: IdParam, body: jsonBody(OwedMaterialInput) },
	responses: {
		200: json(one, 'The case, with the material in owedMaterials'),
		400: errorJson(
			'material: not required, a key material or handed in already; dueDay: not a future working day'
		),
		403: errorJson('Not staff in the case’s live session'),
		409: errorJson('case_locked')
	}
});
const documents = defineRoute(['citizen', 'agent', 'township', 'grid'], {
	method: 'post',
	path: '/cases/{id}/documents',
	tags: ['cases'],
	summary: 'Upload a document for a material (multipart: material, file); type checked by content',
	request: { params: IdParam },
	responses: {
		201: json(z.object({ document: DocumentSchema }), 'Stored with its SHA-256'),
		413: errorJson('Too large'),
		415: errorJson('Not a photo or PDF')
	}
});
const signature = defineRoute(['citizen', 'grid'], {
	method: 'post',
	path: '/cases/{id}/signature',
	tags: ['cases'],
	summary:
		"Sign the form as it is now (PNG drawn on screen): the applicant's own signature, on their device or the home-visiting grid worker's tablet",
	request: { params: IdParam, body: jsonBody(SignatureInput) },
	responses: { 200: json(one, 'Signed') }
});
const submit = defineRoute(['citizen', 'grid'], {
	method: 'post',
	path: '/cases/{id}/submit',
	tags: ['cases'],
	summary: 'Submit: complete, staff values confirmed, signed; returns the receipt number',
	request: { params: IdParam },
	responses: {
		200: json(one, 'Submitted'),
		400: errorJson(
			'validation_failed: `fields` names each empty or wrong field by key and each missing required material as `materials.<name>`'
		),
		409: errorJson('unconfirmed_values, signature_required')
	}
});
const events = defineRoute(PARTIES_AND_GRID, {
	method: 'get',
	path: '/cases/{id}/events',
	tags: ['cases'],
	summary: 'Server-sent events of a case: field changes, pointing, presence, notes, requests',
	request: {
		params: IdParam,
		query: z.object({ lastEventId: z.coerce.number().int().min(0).optional() }),
		headers: z.object({ 'last-event-id': z.string().optional() })
	},
	responses: {
		200: {
			description: 'text/event-stream',
			content: { 'text/event-stream': { schema: z.string() } }
		}
	}
});
const DocumentParams = z.object({
	id: z.string().min(1).max(64),
	documentId: z.string().min(1).max(64)
});
const binary = z.string().meta({ format: 'binary' });
const fileResponses = {
	200: {
		description:
			'The file as stored, with the type detected at upload; inline for images and PDF, attachment otherwise; never cached',
		content: {
			'image/jpeg': { schema: binary },
			'image/png': { schema: binary },
			'image/webp': { schema: binary },
			'application/pdf': { schema: binary }
		}
	},
	404: errorJson('Not a case you may see, no such document, or file_missing: gone from storage'),
	503: errorJson('storage_unavailable: the disk cannot be read')
};
const documentFile = defineRoute(PARTIES, {
	method: 'get',
	path: '/cases/{id}/documents/{documentId}/file',
	tags: ['cases'],
	summary:
		'An uploaded document, by document id: to the citizen, the staff in the live session and the staff of the org units handling the case; each view is audited',
	request: { params: DocumentParams },
	responses: fileResponses
});
const signatureFile = defineRoute(PARTIES, {
	method: 'get',
	path: '/cases/{id}/signature/file',
	tags: ['cases'],
	summary: "The citizen's signature image (PNG), to the same people; each view is audited",
	request: { params: IdParam },
	responses: fileResponses
});
const review = defineRoute(['agent', 'township'], {
	method: 'post',
	path: '/cases/{id}/documents/{documentId}/review',
	tags: ['cases'],
	summary:
		'材料审核: mark a document 合格 (accepted) or 请重新上传 (reupload, reason required); session staff or staff of a handling org unit',
	request: { params: DocumentParams, body: jsonBody(DocumentReviewInput) },
	responses: {
		200: json(z.object({ document: DocumentSchema }), 'The document with its review'),
		404: errorJson('Not a case you may see, or no such document'),
		409: errorJson('case_locked: the case has been decided')
	}
});

/** A stored file as the answer: its detected type, never sniffed, never cached. */
function sendFile(file: StoredFile): Response {
	return new Response(file.body, {
		status: 200,
		headers: {
			'content-type': file.mime,
			'content-length': String(file.size),
			'content-disposition': file.disposition,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
}

const template = defineRoute('public', {
	method: 'get',
	path: '/services/{id}/form-template',
	tags: ['cases'],
	summary: 'The current form template of an item',
	request: { params: IdParam },
	responses: { 200: json(TemplateOut, 'Template'), 404: errorJson('No online form') }
});
const publish = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/form-templates',
	tags: ['cases'],
	summary: 'Publish a new version of an item’s form template',
	request: {
		body: jsonBody(z.object({ serviceId: z.string().min(1), definition: TemplateDefinition }))
	},
	responses: { 201: json(TemplateOut, 'Published') }
});

export function caseRoutes() {
	return createRouter()
		.openapi(create, async (c) =>
			c.json(
				{
					case: await createCase(c.var.deps, c.var.user!, c.req.valid('json'))
				},
				201
			)
		)
		.openapi(mine, async (c) => c.json({ cases: await listMyCases(c.var.deps, c.var.user!) }, 200))
		.openapi(get, async (c) =>
			c.json(
				{
					case: await getCase(c.var.deps, c.var.user!, c.req.valid('param').id)
				},
				200
			)
		)
		.openapi(write, async (c) => {
			const p = c.req.valid('param');
			return c.json(
				{ field: await writeField(c.var.deps, c.var.user!, p.id, p.key, c.req.valid('json')) },
				200
			);
		})
		.openapi(reveal, async (c) => {
			const { id, key } = c.req.valid('param');
			return c.json(await revealCaseField(c.var.deps, c.var.user!, id, key), 200);
		})
		.openapi(confirm, async (c) => {
			const p = c.req.valid('param');
			return c.json({ field: await confirmField(c.var.deps, c.var.user!, p.id, p.key) }, 200);
		})
		.openapi(point, async (c) => {
			const body = c.req.valid('json');
			await pointAtField(c.var.deps, c.var.user!, c.req.valid('param').id, body.key, body.note);
			return c.body(null, 204);
		})
		.openapi(presence, async (c) => {
			await showPresence(c.var.deps, c.var.user!, c.req.valid('param').id, c.req.valid('json').key);
			return c.body(null, 204);
		})
		.openapi(material, async (c) => {
			await requestMaterial(
				c.var.deps,
				c.var.user!,
				c.req.valid('param').id,
				c.req.valid('json').material
			);
			return c.body(null, 204);
		})
		.openapi(owed, async (c) =>
			c.json(
				{
					case: await recordOwedMaterial(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(documents, async (c) => {
			const form = await c.req.parseBody().catch(() => {
				throw AppError.validation({ file: 'send multipart/form-data with material and file' });
			});
			const file = form.file;
			const materialName = typeof form.material === 'string' ? form.material : '';
			if (!(file instanceof File)) throw AppError.validation({ file: 'is required' });
			const data = new Uint8Array(await file.arrayBuffer());
			const document = await uploadDocument(
				c.var.deps,
				c.var.user!,
				c.req.valid('param').id,
				materialName,
				file.name,
				data
			);
			return c.json({ document }, 201);
		})
		.openapi(signature, async (c) =>
			c.json(
				{
					case: await signCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').image
					)
				},
				200
			)
		)
		.openapi(submit, async (c) =>
			c.json(
				{
					case: await submitCase(c.var.deps, c.var.user!, c.req.valid('param').id)
				},
				200
			)
		)
		.openapi(documentFile, async (c) => {
			const { id, documentId } = c.req.valid('param');
			return sendFile(await openCaseDocument(c.var.deps, c.var.user!, id, documentId)) as never;
		})
		.openapi(
			signatureFile,
			async (c) =>
				sendFile(await openCaseSignature(c.var.deps, c.var.user!, c.req.valid('param').id)) as never
		)
		.openapi(review, async (c) => {
			const { id, documentId } = c.req.valid('param');
			return c.json(
				{
					document: await reviewDocument(
						c.var.deps,
						c.var.user!,
						id,
						documentId,
						c.req.valid('json')
					)
				},
				200
			);
		})
		.openapi(events, async (c) => {
			const log = await caseEventLog(c.var.deps, c.var.user!, c.req.valid('param').id);
			const last = lastEventIdOf(
				c.req.valid('header')['last-event-id'],
				c.req.valid('query').lastEventId
			);
			return streamEventLog(c, log, last) as never;
		})
		.openapi(template, async (c) =>
			c.json(await latestTemplate(c.var.deps, c.req.valid('param').id), 200)
		)
		.openapi(publish, async (c) => {
			const body = c.req.valid('json');
			return c.json(
				await publishItemForm(c.var.deps, c.var.user!, body.serviceId, body.definition),
				201
			);
		});
}

import { z } from 'zod';
import {
	BundleSchema,
	DepartmentSchema,
	ImportInput,
	ImportReport,
	ServiceItemSchema,
	ServiceQuery,
	ServiceSummarySchema
} from '../../shared/schemas/catalog.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { getService, listBundles, listDepartments, listServices } from './catalog.ts';
import { importCatalog } from './import.ts';
import { catalogTag } from './cache.ts';
import { tagMatches } from '../http/etag.ts';
import { LifeEventOfferSchema } from '../../shared/schemas/life-events.ts';
import { lifeEventOffers } from '../life-events/definitions.ts';

export const IdParam = z.object({ id: z.string().min(1).max(64) });

const list = defineRoute('public', {
	method: 'get',
	path: '/services',
	tags: ['catalog'],
	summary:
		'Service items: search (q, Chinese-aware) and filter by level, channel, department, bundle',
	request: { query: ServiceQuery },
	responses: {
		200: json(z.object({ items: z.array(ServiceSummarySchema) }), 'Matching items, best first')
	}
});

const view = defineRoute('public', {
	method: 'get',
	path: '/catalog',
	tags: ['catalog'],
	summary:
		'The catalog page in one read: the items GET /services finds for the same query, the departments and bundles its filters offer, and the life events (一件事一次办)',
	request: {
		query: ServiceQuery,
		headers: z.object({
			'if-none-match': z
				.string()
				.optional()
				.describe('The ETag of an answer the client holds: 304 while it is still the answer')
		})
	},
	responses: {
		200: json(
			z.object({
				items: z.array(ServiceSummarySchema),
				departments: z.array(DepartmentSchema),
				bundles: z.array(BundleSchema),
				lifeEvents: z.array(LifeEventOfferSchema)
			}),
			'Items (best first), departments, bundles and life events; with an ETag on SQLite'
		),
		304: { description: 'Not modified: the ETag sent in If-None-Match is still the answer' }
	}
});

const one = defineRoute('public', {
	method: 'get',
	path: '/services/{id}',
	tags: ['catalog'],
	summary: 'One service item with its guide, materials, bundles and form template id',
	request: { params: IdParam },
	responses: { 200: json(ServiceItemSchema, 'The item'), 404: errorJson('No such item') }
});

const departments = defineRoute('public', {
	method: 'get',
	path: '/departments',
	tags: ['catalog'],
	summary: 'Departments that own service items',
	responses: { 200: json(z.object({ departments: z.array(DepartmentSchema) }), 'All departments') }
});

const bundles = defineRoute('public', {
	method: 'get',
	path: '/bundles',
	tags: ['catalog'],
	summary: 'Bundles (一件事一次办): life events grouping several items',
	responses: { 200: json(z.object({ bundles: z.array(BundleSchema) }), 'All bundles') }
});

const importRoute = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/catalog/import',
	tags: ['catalog'],
	summary: 'Import service items from JSONL or CSV (all-or-nothing, or skip bad rows)',
	request: { body: jsonBody(ImportInput) },
	responses: {
		200: json(
			ImportReport,
			'Imported; the report counts created, updated, unchanged and rejected rows'
		),
		422: errorJson('Bad rows and mode all-or-nothing: nothing imported; fields name "row N.field"')
	}
});

export function catalogRoutes() {
	return createRouter()
		.openapi(list, async (c) =>
			c.json({ items: await listServices(c.var.deps, c.req.valid('query')) }, 200)
		)
		.openapi(view, async (c) => {
			// one read where the page made four: each read of the API from a page costs a request
			// through Hono, its JSON written and parsed (README, Performance)
			const deps = c.var.deps;
			// the catalog changes only with an import or a publish: a page that holds this answer
			// asks with its tag and is told 304, without the answer written and parsed again
			const tag = await catalogTag(deps.store);
			if (tag && tagMatches(c.req.valid('header')['if-none-match'], tag))
				return c.body(null, 304, { etag: tag });
			const [items, departments, bundles, lifeEvents] = await Promise.all([
				listServices(deps, c.req.valid('query')),
				listDepartments(deps),
				listBundles(deps),
				lifeEventOffers(deps)
			]);
			return c.json(
				{ items, departments, bundles, lifeEvents },
				200,
				tag ? { etag: tag } : undefined
			);
		})
		.openapi(one, async (c) => c.json(await getService(c.var.deps, c.req.valid('param').id), 200))
		.openapi(departments, async (c) =>
			c.json({ departments: await listDepartments(c.var.deps) }, 200)
		)
		.openapi(bundles, async (c) => c.json({ bundles: await listBundles(c.var.deps) }, 200))
		.openapi(importRoute, async (c) =>
			c.json(await importCatalog(c.var.deps, c.req.valid('json')), 200)
		);
}

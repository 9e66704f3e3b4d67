import { z } from 'zod';
import { callApiChecked } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

// The generated OpenAPI document is served beside the typed routes (app.doc31), so the typed
// client does not know it: the part this page reads is described here and checked on arrival.
const Operation = z.looseObject({
	summary: z.string().optional(),
	tags: z.array(z.string()).optional(),
	'x-access': z.union([z.enum(['public', 'session', 'signed-in']), z.array(z.string())]).optional(),
	requestBody: z
		.looseObject({
			content: z
				.record(
					z.string(),
					z.looseObject({
						schema: z
							.looseObject({
								properties: z.record(z.string(), z.unknown()).optional(),
								required: z.array(z.string()).optional()
							})
							.optional()
					})
				)
				.optional()
		})
		.optional(),
	responses: z.record(z.string(), z.looseObject({ description: z.string().optional() })).optional()
});
const OpenApiDocument = z.looseObject({
	paths: z.record(z.string(), z.record(z.string(), Operation))
});

export interface Endpoint {
	method: string;
	path: string;
	summary: string;
	tag: string;
	access: 'public' | 'session' | 'signed-in' | string[];
	bodyFields: { name: string; required: boolean }[];
	responses: { status: string; description: string }[];
}

/** The API reference, read from the generated OpenAPI document (never written by hand). */
export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApiChecked(fetch, '/api/openapi.json', OpenApiDocument);
	const endpoints: Endpoint[] = [];
	if (res.ok)
		for (const [path, ops] of Object.entries(res.data.paths))
			for (const [method, op] of Object.entries(ops)) {
				const schema = op.requestBody?.content?.['application/json']?.schema;
				endpoints.push({
					method: method.toUpperCase(),
					path,
					summary: op.summary ?? '',
					tag: op.tags?.[0] ?? 'other',
					access: op['x-access'] ?? 'public',
					bodyFields: Object.keys(schema?.properties ?? {}).map((name) => ({
						name,
						required: schema?.required?.includes(name) ?? false
					})),
					responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({
						status,
						description: r.description ?? ''
					}))
				});
			}
	return { endpoints };
};

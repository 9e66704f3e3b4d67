import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

interface Operation {
	summary?: string;
	tags?: string[];
	'x-access'?: 'public' | 'signed-in' | string[];
	requestBody?: {
		content?: Record<
			string,
			{ schema?: { properties?: Record<string, unknown>; required?: string[] } }
		>;
	};
	responses?: Record<string, { description?: string }>;
}

export interface Endpoint {
	method: string;
	path: string;
	summary: string;
	tag: string;
	access: 'public' | 'signed-in' | string[];
	bodyFields: { name: string; required: boolean }[];
	responses: { status: string; description: string }[];
}

/** The API reference, read from the generated OpenAPI document (never written by hand). */
export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi<{ paths: Record<string, Record<string, Operation>> }>(
		fetch,
		'/api/openapi.json'
	);
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

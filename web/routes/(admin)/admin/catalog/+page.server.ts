import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi(fetch, (api) => api.services.$get({ query: {} }));
	return { items: res.ok ? res.data.items : [] };
};

export const actions: Actions = {
	import: async ({ request, fetch }) => {
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, {
				report: null,
				error: { code: 'validation_failed', message: 'no file', fields: { file: 'no file' } }
			});
		const format =
			String(form.get('format') ?? '') ||
			(file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
		const content = await file.text();
		const res = await callApi(fetch, (api) =>
			api.admin.catalog.import.$post({
				json: {
					format: submitted(format),
					content,
					mode: submitted(String(form.get('mode') ?? 'all-or-nothing'))
				}
			})
		);
		if (!res.ok) return fail(res.status, { report: null, error: res.error });
		return { report: res.data, error: null };
	}
};

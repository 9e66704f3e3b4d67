import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { ImportReport, ServiceSummary } from '$shared/schemas/catalog.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi<{ items: ServiceSummary[] }>(fetch, '/api/services');
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
		const res = await callApi<ImportReport>(fetch, '/api/admin/catalog/import', {
			body: {
				format,
				content: await file.text(),
				mode: String(form.get('mode') ?? 'all-or-nothing')
			}
		});
		if (!res.ok) return fail(res.status, { report: null, error: res.error });
		return { report: res.data, error: null };
	}
};

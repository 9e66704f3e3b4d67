import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { KbEntry, KbImportReport } from '$shared/schemas/assistant.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const res = await callApi<{ entries: KbEntry[] }>(fetch, '/api/admin/kb/entries');
	const entries = res.ok ? res.data.entries : [];
	const editId = url.searchParams.get('edit');
	return { entries, editing: entries.find((e) => e.id === editId) ?? null };
};

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

export const actions: Actions = {
	save: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = str(form, 'id').trim();
		const values = {
			id,
			title: str(form, 'title'),
			body: str(form, 'body'),
			tags: str(form, 'tags'),
			serviceCode: str(form, 'serviceCode').trim()
		};
		if (!id)
			return fail(400, {
				values,
				error: { code: 'validation_failed', message: 'id', fields: { id: 'is required' } }
			});
		const res = await callApi<{ entry: KbEntry }>(
			fetch,
			`/api/admin/kb/entries/${encodeURIComponent(id)}`,
			{
				method: 'PUT',
				body: {
					title: values.title,
					body: values.body,
					tags: values.tags
						.split(/[,，、\s]+/)
						.map((s) => s.trim())
						.filter(Boolean),
					serviceCode: values.serviceCode || null
				}
			}
		);
		if (!res.ok) return fail(res.status, { values, error: res.error });
		return { saved: res.data.entry.id };
	},
	delete: async ({ request, fetch }) => {
		const id = str(await request.formData(), 'id');
		const res = await callApi(fetch, `/api/admin/kb/entries/${encodeURIComponent(id)}`, {
			method: 'DELETE'
		});
		if (!res.ok) return fail(res.status, { error: res.error });
		return { deleted: id };
	},
	import: async ({ request, fetch }) => {
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, {
				report: null,
				error: { code: 'validation_failed', message: 'no file', fields: { file: 'no file' } }
			});
		const res = await callApi<KbImportReport>(fetch, '/api/admin/kb/import', {
			body: { content: await file.text() }
		});
		if (res.ok) return { report: res.data };
		return fail(res.status, { report: null, error: res.error });
	}
};

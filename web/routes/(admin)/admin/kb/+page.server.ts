import { fail } from '@sveltejs/kit';
import { callApi, type ApiError } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const res = await callApi(fetch, (api) => api.admin.kb.entries.$get());
	const entries = res.ok ? res.data.entries : [];
	const editId = url.searchParams.get('edit');
	return { entries, editing: entries.find((e) => e.id === editId) ?? null };
};

const str = (form: FormData, key: string) => String(form.get(key) ?? '');
/** A form the page refuses before asking the API, in the API's error shape. */
const invalid = (message: string, fields: Record<string, string>): ApiError => ({
	code: 'validation_failed',
	message,
	fields
});

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
				error: invalid('id', { id: 'is required' })
			});
		const res = await callApi(fetch, (api) =>
			api.admin.kb.entries[':id'].$put({
				param: { id },
				json: {
					title: values.title,
					body: values.body,
					tags: values.tags
						.split(/[,，、\s]+/)
						.map((s) => s.trim())
						.filter(Boolean),
					serviceCode: values.serviceCode || null
				}
			})
		);
		if (!res.ok) return fail(res.status, { values, error: res.error });
		return { saved: res.data.entry.id };
	},
	delete: async ({ request, fetch }) => {
		const id = str(await request.formData(), 'id');
		const res = await callApi(fetch, (api) =>
			api.admin.kb.entries[':id'].$delete({ param: { id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		return { deleted: id };
	},
	import: async ({ request, fetch }) => {
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, {
				report: null,
				error: invalid('no file', { file: 'no file' })
			});
		const content = await file.text();
		const res = await callApi(fetch, (api) => api.admin.kb.import.$post({ json: { content } }));
		if (res.ok) return { report: res.data };
		return fail(res.status, { report: null, error: res.error });
	}
};

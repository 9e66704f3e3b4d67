import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const items = await callApi(fetch, (api) => api.services.$get({ query: {} }));
	const list = items.ok ? items.data.items : [];
	const serviceId = url.searchParams.get('service') ?? list[0]?.id ?? '';
	const current = serviceId
		? await callApi(fetch, (api) =>
				api.services[':id']['form-template'].$get({ param: { id: serviceId } })
			)
		: null;
	return {
		items: list,
		serviceId,
		version: current?.ok ? current.data.version : 0,
		definition: current?.ok ? JSON.stringify(current.data.definition, null, 2) : ''
	};
};

export const actions: Actions = {
	publish: async ({ request, fetch }) => {
		const form = await request.formData();
		const text = String(form.get('definition') ?? '');
		let definition: unknown;
		try {
			definition = JSON.parse(text);
		} catch (err) {
			return fail(400, {
				text,
				published: null,
				error: {
					code: 'validation_failed',
					message: 'not JSON',
					fields: { definition: err instanceof Error ? err.message : String(err) }
				}
			});
		}
		const res = await callApi(fetch, (api) =>
			api.admin['form-templates'].$post({
				json: { serviceId: String(form.get('serviceId') ?? ''), definition: submitted(definition) }
			})
		);
		if (!res.ok) return fail(res.status, { text, published: null, error: res.error });
		return { text: null, published: res.data.version, error: null };
	}
};

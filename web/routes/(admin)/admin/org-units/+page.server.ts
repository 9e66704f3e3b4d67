import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi(fetch, (api) => api.admin['org-units'].$get());
	return { orgUnits: res.ok ? res.data.orgUnits : [] };
};

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

export const actions: Actions = {
	save: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = str(form, 'id');
		const values = {
			address: str(form, 'address'),
			phone: str(form, 'phone'),
			openingHours: str(form, 'openingHours')
		};
		const res = await callApi(fetch, (api) =>
			api.admin['org-units'][':id'].contact.$put({ param: { id }, json: values })
		);
		if (!res.ok) return fail(res.status, { id, values, error: res.error, saved: null });
		return { id, values, error: null, saved: res.data.orgUnit.name };
	}
};

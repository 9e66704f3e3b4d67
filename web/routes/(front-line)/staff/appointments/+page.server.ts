import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const date = url.searchParams.get('date');
	const res = await callApi(fetch, (api) => api.appointments.$get({ query: date ? { date } : {} }));
	return {
		date: res.ok ? (res.data.date ?? date) : date,
		appointments: res.ok ? res.data.appointments : [],
		error: res.ok ? null : res.error
	};
};

export const actions: Actions = {
	noShow: async ({ request, fetch }) => {
		const id = String((await request.formData()).get('id') ?? '');
		const res = await callApi(fetch, (api) =>
			api.appointments[':id']['no-show'].$post({ param: { id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		return { error: null };
	}
};

import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
	const res = await callApi(fetch, (api) => api.cases[':id'].$get({ param: { id: params.id } }));
	if (!res.ok) error(res.status === 404 ? 404 : 500, { message: res.error.message });
	if (!res.data.case.receiptNo) error(404, { message: 'not submitted' });
	return { kase: res.data.case };
};

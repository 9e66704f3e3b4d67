import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi(fetch, (api) => api.staff.cases.$get());
	return { cases: res.ok ? res.data.cases : [] };
};

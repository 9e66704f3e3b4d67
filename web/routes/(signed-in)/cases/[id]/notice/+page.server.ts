import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
	const res = await callApi(fetch, (api) =>
		api.cases[':id']['acceptance-notice'].$get({ param: { id: params.id } })
	);
	if (!res.ok) error(res.status === 409 ? 404 : res.status, { message: res.error.message });
	return { notice: res.data };
};

import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends }) => {
	depends('app:board');
	const res = await callApi(fetch, (api) =>
		api.queue.board.$get({ query: { hallId: params.hall } })
	);
	if (!res.ok) error(res.status === 404 ? 404 : 500, { message: res.error.message });
	return { board: res.data };
};

import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Board } from '$shared/schemas/queue.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends }) => {
	depends('app:board');
	const res = await callApi<Board>(
		fetch,
		`/api/queue/board?hallId=${encodeURIComponent(params.hall)}`
	);
	if (!res.ok) error(res.status === 404 ? 404 : 500, { message: res.error.message });
	return { board: res.data };
};

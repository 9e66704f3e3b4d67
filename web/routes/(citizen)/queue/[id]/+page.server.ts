import { error, fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends }) => {
	depends('app:ticket');
	const res = await callApi(fetch, (api) =>
		api.queue.tickets[':id'].$get({ param: { id: params.id } })
	);
	// a 403 keeps its code: a proxy is told why (the grant ended, or does not cover it) by +error
	if (!res.ok)
		error(res.status === 404 ? 404 : res.status === 403 ? 403 : 500, {
			message: res.error.message,
			code: res.error.code
		});
	return { ticket: res.data.ticket };
};

export const actions: Actions = {
	cancel: async ({ fetch, params }) => {
		const res = await callApi(fetch, (api) =>
			api.queue.tickets[':id'].cancel.$post({ param: { id: params.id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		return { error: null };
	},
	rejoin: async ({ fetch, params }) => {
		const res = await callApi(fetch, (api) =>
			api.queue.tickets[':id'].rejoin.$post({ param: { id: params.id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		return { error: null };
	}
};

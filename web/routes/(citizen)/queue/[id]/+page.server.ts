import { error, fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Ticket } from '$shared/schemas/queue.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends }) => {
	depends('app:ticket');
	const res = await callApi<{ ticket: Ticket }>(
		fetch,
		`/api/queue/tickets/${encodeURIComponent(params.id)}`
	);
	if (!res.ok) error(res.status === 404 ? 404 : 500, { message: res.error.message });
	return { ticket: res.data.ticket };
};

export const actions: Actions = {
	cancel: async ({ fetch, params }) => {
		const res = await callApi(fetch, `/api/queue/tickets/${encodeURIComponent(params.id)}/cancel`, {
			method: 'POST'
		});
		if (!res.ok) return fail(res.status, { error: res.error });
		return { error: null };
	},
	rejoin: async ({ fetch, params }) => {
		const res = await callApi(fetch, `/api/queue/tickets/${encodeURIComponent(params.id)}/rejoin`, {
			method: 'POST'
		});
		if (!res.ok) return fail(res.status, { error: res.error });
		return { error: null };
	}
};

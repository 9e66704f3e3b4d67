import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [tickets, cases, pending] = await Promise.all([
		callApi(fetch, (api) => api.queue.tickets.$get()),
		callApi(fetch, (api) => api.cases.$get()),
		callApi(fetch, (api) => api.ratings.pending.$get())
	]);
	return {
		pendingRatings: pending.ok ? pending.data.pending.length : 0,
		tickets: tickets.ok ? tickets.data.tickets : [],
		cases: cases.ok ? cases.data.cases : []
	};
};

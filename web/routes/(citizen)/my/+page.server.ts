import { callApi } from '$lib/api.ts';
import { actorNames } from '$lib/acted-by.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
	const [tickets, cases, pending, grants] = await Promise.all([
		callApi(fetch, (api) => api.queue.tickets.$get()),
		callApi(fetch, (api) => api.cases.$get()),
		callApi(fetch, (api) => api.ratings.pending.$get()),
		// 代办: the names of whoever took a number for this citizen (or for whom they act)
		callApi(fetch, (api) => api.proxy.grants.$get())
	]);
	return {
		pendingRatings: pending.ok ? pending.data.pending.length : 0,
		tickets: tickets.ok ? tickets.data.tickets : [],
		cases: cases.ok ? cases.data.cases : [],
		actorNames: locals.user ? actorNames(locals.user, grants.ok ? grants.data.grants : []) : {}
	};
};

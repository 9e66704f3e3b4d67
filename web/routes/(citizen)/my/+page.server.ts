import { callApi } from '$lib/api.ts';
import type { Ticket } from '$shared/schemas/queue.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi<{ tickets: Ticket[] }>(fetch, '/api/queue/tickets');
	return { tickets: res.ok ? res.data.tickets : [] };
};

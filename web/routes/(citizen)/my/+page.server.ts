import { callApi } from '$lib/api.ts';
import type { Ticket } from '$shared/schemas/queue.ts';
import type { PageServerLoad } from './$types';

interface CaseSummary {
	id: string;
	serviceName: string;
	status: string;
	receiptNo: string | null;
}

export const load: PageServerLoad = async ({ fetch }) => {
	const [tickets, cases, pending] = await Promise.all([
		callApi<{ tickets: Ticket[] }>(fetch, '/api/queue/tickets'),
		callApi<{ cases: CaseSummary[] }>(fetch, '/api/cases'),
		callApi<{ pending: unknown[] }>(fetch, '/api/ratings/pending')
	]);
	return {
		pendingRatings: pending.ok ? pending.data.pending.length : 0,
		tickets: tickets.ok ? tickets.data.tickets : [],
		cases: cases.ok ? cases.data.cases : []
	};
};

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
	const [tickets, cases] = await Promise.all([
		callApi<{ tickets: Ticket[] }>(fetch, '/api/queue/tickets'),
		callApi<{ cases: CaseSummary[] }>(fetch, '/api/cases')
	]);
	return {
		tickets: tickets.ok ? tickets.data.tickets : [],
		cases: cases.ok ? cases.data.cases : []
	};
};

import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

interface StaffCase {
	id: string;
	serviceName: string;
	citizenName: string;
	status: string;
	receiptNo: string | null;
	forReview: boolean;
}

export const load: PageServerLoad = async ({ fetch }) => {
	const res = await callApi<{ cases: StaffCase[] }>(fetch, '/api/staff/cases');
	return { cases: res.ok ? res.data.cases : [] };
};

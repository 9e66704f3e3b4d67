import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { ServiceSummary } from '$shared/schemas/catalog.ts';
import type { Ticket } from '$shared/schemas/queue.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [items, halls] = await Promise.all([
		callApi<{ items: ServiceSummary[] }>(fetch, '/api/services?channel=onsite'),
		callApi<{ halls: { id: string; code: string; name: string }[] }>(fetch, '/api/queue/halls')
	]);
	return { items: items.ok ? items.data.items : [], halls: halls.ok ? halls.data.halls : [] };
};

export const actions: Actions = {
	default: async ({ request, fetch }) => {
		const form = await request.formData();
		const priority = String(form.get('priorityReason') ?? '');
		const res = await callApi<{ ticket: Ticket }>(fetch, '/api/queue/kiosk-tickets', {
			body: {
				hallId: String(form.get('hallId') ?? ''),
				serviceId: String(form.get('serviceId') ?? ''),
				...(priority ? { priorityReason: priority } : {})
			}
		});
		if (!res.ok) return fail(res.status, { error: res.error, ticket: null });
		return { error: null, ticket: res.data.ticket };
	}
};

import { error, fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { ServiceItem } from '$shared/schemas/catalog.ts';
import type { Ticket } from '$shared/schemas/queue.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
	const res = await callApi<ServiceItem>(fetch, `/api/services/${encodeURIComponent(params.id)}`);
	if (!res.ok)
		error(res.status === 404 ? 404 : 500, { message: res.error.message, code: res.error.code });
	return { item: res.data };
};

export const actions: Actions = {
	apply: async ({ fetch, params, locals, url }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const res = await callApi<{ case: { id: string } }>(fetch, '/api/cases', {
			body: { serviceId: params.id }
		});
		if (!res.ok) return fail(res.status, { error: res.error });
		redirect(303, `/cases/${res.data.case.id}`);
	},
	takeTicket: async ({ request, fetch, params, locals, url }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const form = await request.formData();
		const priority = String(form.get('priorityReason') ?? '');
		const res = await callApi<{ ticket: Ticket }>(fetch, '/api/queue/tickets', {
			body: {
				serviceId: params.id,
				channel: String(form.get('channel') ?? ''),
				...(priority ? { priorityReason: priority } : {})
			}
		});
		if (!res.ok) return fail(res.status, { error: res.error });
		redirect(303, `/queue/${res.data.ticket.id}`);
	}
};

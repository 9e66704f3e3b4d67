import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [items, halls] = await Promise.all([
		callApi(fetch, (api) => api.services.$get({ query: { channel: 'onsite' } })),
		callApi(fetch, (api) => api.queue.halls.$get())
	]);
	return { items: items.ok ? items.data.items : [], halls: halls.ok ? halls.data.halls : [] };
};

export const actions: Actions = {
	default: async ({ request, fetch }) => {
		const form = await request.formData();
		const priority = String(form.get('priorityReason') ?? '');
		const res = await callApi(fetch, (api) =>
			api.queue['kiosk-tickets'].$post({
				json: {
					hallId: String(form.get('hallId') ?? ''),
					serviceId: String(form.get('serviceId') ?? ''),
					...(priority ? { priorityReason: submitted(priority) } : {})
				}
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, ticket: null });
		return { error: null, ticket: res.data.ticket };
	}
};

import { error, fail, redirect } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { newWriteKey, writeKeyHeaders } from '$lib/write-key.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
	const res = await callApi(fetch, (api) => api.services[':id'].$get({ param: { id: params.id } }));
	if (!res.ok)
		error(res.status === 404 ? 404 : 500, { message: res.error.message, code: res.error.code });
	const [halls, lifeEvents] = await Promise.all([
		callApi(fetch, (api) => api.services[':id'].halls.$get({ param: { id: params.id } })),
		callApi(fetch, (api) => api['life-events'].$get())
	]);
	return {
		item: res.data,
		halls: halls.ok ? halls.data : null,
		// 一件事一次办: this item stands for a life event (one application for several items)
		lifeEvent: lifeEvents.ok
			? (lifeEvents.data.lifeEvents.find((l) => l.themeItemId === params.id) ?? null)
			: null,
		writeKey: newWriteKey()
	};
};

export const actions: Actions = {
	apply: async ({ fetch, params, locals, url }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const res = await callApi(fetch, (api) => api.cases.$post({ json: { serviceId: params.id } }));
		if (!res.ok) return fail(res.status, { error: res.error });
		redirect(303, `/cases/${res.data.case.id}`);
	},
	takeTicket: async ({ request, fetch, params, locals, url }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const form = await request.formData();
		const priority = String(form.get('priorityReason') ?? '');
		const hallId = String(form.get('hallId') ?? '');
		const res = await callApi(fetch, (api) =>
			api.queue.tickets.$post(
				{
					json: {
						serviceId: params.id,
						channel: submitted(String(form.get('channel') ?? '')),
						...(priority ? { priorityReason: submitted(priority) } : {}),
						...(hallId ? { hallId } : {})
					}
				},
				{ headers: writeKeyHeaders(form) }
			)
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		redirect(303, `/queue/${res.data.ticket.id}`);
	}
};

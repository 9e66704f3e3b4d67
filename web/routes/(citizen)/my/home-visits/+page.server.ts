import { error, fail, redirect } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import type { HomeVisitRequest } from '$shared/schemas/home-visits.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * 入户办申请: the form for the item chosen on its page (?service=), and the resident's requests
 * with their state.
 */
export const load: PageServerLoad = async ({ fetch, url, depends }) => {
	depends('app:home-visits');
	const serviceId = url.searchParams.get('service');
	const [communities, visits, service] = await Promise.all([
		callApi(fetch, (api) => api.communities.$get()),
		callApi(fetch, (api) => api['home-visits'].$get({ query: {} })),
		serviceId
			? callApi(fetch, (api) => api.services[':id'].$get({ param: { id: serviceId } }))
			: null
	]);
	if (!visits.ok) error(visits.status, { message: visits.error.message, code: visits.error.code });
	return {
		communities: communities.ok ? communities.data.communities : [],
		// newest first: the request just sent is at the top
		visits: [...visits.data.visits].reverse(),
		service: service?.ok ? { id: service.data.id, name: service.data.name } : null,
		sent: url.searchParams.has('sent')
	};
};

export const actions: Actions = {
	ask: async ({ fetch, request }) => {
		const form = await request.formData();
		const text = (name: string) => String(form.get(name) ?? '').trim();
		const asked = {
			serviceId: text('serviceId'),
			communityId: text('communityId'),
			address: text('address'),
			phone: text('phone'),
			reason: text('reason'),
			note: text('note')
		};
		// a phone is often on a weak connection: the request lands once
		const res = await callApi(
			fetch,
			(api) =>
				api['home-visits'].$post({
					json: {
						serviceId: asked.serviceId,
						communityId: asked.communityId,
						address: asked.address,
						reason: submitted<HomeVisitRequest['reason']>(asked.reason),
						...(asked.phone ? { phone: asked.phone } : {}),
						...(asked.note ? { note: asked.note } : {})
					}
				}),
			{ retry: true }
		);
		if (!res.ok) return fail(res.status, { error: res.error, asked });
		redirect(303, '/my/home-visits?sent');
	}
};

import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { actorNames } from '$lib/acted-by.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
	const [appointments, waitlist, notices, grants] = await Promise.all([
		callApi(fetch, (api) => api.appointments.$get({ query: {} })),
		callApi(fetch, (api) => api.waitlist.$get()),
		callApi(fetch, (api) => api.notifications.$get()),
		// 代办: the names of whoever booked for this citizen (or for whom they act)
		callApi(fetch, (api) => api.proxy.grants.$get())
	]);
	return {
		booked: url.searchParams.get('booked'),
		appointments: appointments.ok ? appointments.data.appointments : [],
		waitlist: waitlist.ok
			? waitlist.data.entries.filter((e) => e.status === 'waiting' || e.status === 'offered')
			: [],
		notifications: notices.ok ? notices.data.notifications : [],
		actorNames: locals.user ? actorNames(locals.user, grants.ok ? grants.data.grants : []) : {}
	};
};

export const actions: Actions = {
	cancel: async ({ request, fetch }) => {
		const id = String((await request.formData()).get('id') ?? '');
		const res = await callApi(fetch, (api) =>
			api.appointments[':id'].cancel.$post({ param: { id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error, cancelled: false });
		return { error: null, cancelled: true };
	},
	leaveWaitlist: async ({ request, fetch }) => {
		const id = String((await request.formData()).get('id') ?? '');
		const res = await callApi(fetch, (api) => api.waitlist[':id'].cancel.$post({ param: { id } }));
		if (!res.ok) return fail(res.status, { error: res.error, cancelled: false });
		return { error: null, cancelled: false };
	}
};

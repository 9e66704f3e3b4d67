import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const [appointments, waitlist, notices] = await Promise.all([
		callApi(fetch, (api) => api.appointments.$get({ query: {} })),
		callApi(fetch, (api) => api.waitlist.$get()),
		callApi(fetch, (api) => api.notifications.$get())
	]);
	return {
		booked: url.searchParams.get('booked'),
		appointments: appointments.ok ? appointments.data.appointments : [],
		waitlist: waitlist.ok
			? waitlist.data.entries.filter((e) => e.status === 'waiting' || e.status === 'offered')
			: [],
		notifications: notices.ok ? notices.data.notifications : []
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

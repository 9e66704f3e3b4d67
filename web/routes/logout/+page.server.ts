import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ fetch, cookies }) => {
		await callApi(fetch, '/api/auth/logout', { method: 'POST' });
		cookies.delete('hall_session', { path: '/' });
		redirect(303, '/');
	}
};

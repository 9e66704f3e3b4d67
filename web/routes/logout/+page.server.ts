import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ fetch }) => {
		// The API ends the session and clears the cookie; its Set-Cookie reaches the browser.
		await callApi(fetch, (api) => api.auth.logout.$post());
		redirect(303, '/');
	}
};

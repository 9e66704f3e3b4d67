import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/my/proxy');

/**
 * 退出代办: the banner's button (and the acting errors' one) switches this sign-in back to the
 * person signed in, then shows their grants: the page the proxy was on was the applicant's.
 */
export const actions: Actions = {
	default: async ({ fetch }) => {
		await callApi(fetch, (api) => api.proxy.acting.$delete());
		redirect(303, '/my/proxy?stopped=1');
	}
};

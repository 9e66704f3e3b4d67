import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { CARE_COOKIE, CARE_COOKIE_OPTIONS } from '$lib/care.ts';
import { safeNext } from '$lib/guard.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The header's 长辈模式 switch: remembered on this device and, when signed in, for the account. */
export const actions: Actions = {
	default: async ({ request, cookies, fetch, locals }) => {
		const form = await request.formData();
		const on = form.get('care') === 'on';
		cookies.set(CARE_COOKIE, on ? 'on' : 'off', CARE_COOKIE_OPTIONS);
		if (locals.user)
			await callApi(fetch, (api) => api.me.preferences.$put({ json: { careMode: on } }));
		redirect(303, safeNext(String(form.get('redirectTo') ?? '')) ?? '/');
	}
};

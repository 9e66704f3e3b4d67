import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { safeNext } from '$lib/guard.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeNext(url.searchParams.get('next')) ?? ROLE_HOME[locals.user.role]);
};

export const actions: Actions = {
	default: async ({ request, fetch, url }) => {
		const form = await request.formData();
		const login = String(form.get('login') ?? '');
		const password = String(form.get('password') ?? '');
		const res = await callApi(fetch, (api) => api.auth.login.$post({ json: { login, password } }));
		if (!res.ok)
			return fail(res.status, {
				login,
				error: res.error,
				retryMinutes: Math.ceil(Number(res.headers.get('retry-after') ?? 60) / 60)
			});
		// The API's Set-Cookie travels back through SvelteKit's fetch to the browser.
		redirect(303, safeNext(url.searchParams.get('next')) ?? ROLE_HOME[res.data.user.role]);
	}
};

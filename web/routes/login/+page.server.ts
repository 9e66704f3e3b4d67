import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { safeNext } from '$lib/guard.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';

/** The two-factor step, keeping where to go afterwards. */
function secondFactorPage(url: URL): string {
	const next = safeNext(url.searchParams.get('next'));
	return next ? `/login/two-factor?next=${encodeURIComponent(next)}` : '/login/two-factor';
}

export const load: PageServerLoad = async ({ locals, url, fetch, cookies }) => {
	if (locals.user)
		redirect(303, safeNext(url.searchParams.get('next')) ?? ROLE_HOME[locals.user.role]);
	// a session still awaiting its second factor goes on where it stopped
	if (cookies.get('hall_session')) {
		const res = await callApi(fetch, (api) => api.auth['two-factor'].$get());
		if (res.ok && res.data.step) redirect(303, secondFactorPage(url));
	}
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
		if (res.data.secondFactor) redirect(303, secondFactorPage(url));
		redirect(303, safeNext(url.searchParams.get('next')) ?? ROLE_HOME[res.data.user.role]);
	}
};

import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_OPTIONS } from '$lib/i18n/index.ts';
import { safeNext } from '$lib/guard.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const form = await request.formData();
		const lang = form.get('lang');
		if (isLocale(lang)) cookies.set(LOCALE_COOKIE, lang, LOCALE_COOKIE_OPTIONS);
		redirect(303, safeNext(String(form.get('redirectTo') ?? '')) ?? '/');
	}
};

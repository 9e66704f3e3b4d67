import { partsForRoute } from '$lib/i18n/parts.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, depends, route }) => {
	const base = {
		user: locals.user,
		locale: locals.locale,
		care: locals.care,
		// the message parts the page shows (web/lib/i18n/parts.ts), named here so the browser
		// does not download the table of every page's parts; route.id is read, so every
		// navigation to another page asks again (in the same request as the page's data)
		parts: partsForRoute(route.id)
	};
	if (locals.user?.role !== 'citizen') return { ...base, acting: null };
	// 代办: whether this sign-in acts for someone, for the banner on every page, as the hook read
	// it with the session (server/http/page-session.ts; GET /api/me says the same). Read on every
	// navigation (the path is a dependency), so a grant revoked meanwhile shows as ended at once.
	// 'app:acting': a page that learns from the API that the grant ended reloads only this
	void url.pathname;
	depends('app:acting');
	return { ...base, acting: locals.acting };
};

import { loadMessages } from '$lib/i18n/index.ts';
import { partsForRoute } from '$lib/i18n/parts.ts';
import type { LayoutLoad } from './$types';

// The reader's language is loaded before any page renders (on the server and in the browser),
// so t() is synchronous everywhere and a browser downloads one language, not both, and of it
// the parts the page shows (route.id is read, so each navigation loads the next page's parts).
export const load: LayoutLoad = async ({ data, route }) => {
	await loadMessages(data.locale, partsForRoute(route.id));
	return data;
};

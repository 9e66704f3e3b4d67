import { loadMessages } from '$lib/i18n/index.ts';
import type { LayoutLoad } from './$types';

// The reader's language is loaded before any page renders (on the server and in the browser),
// so t() is synchronous everywhere and a browser downloads one language, not both, and of it
// the parts the page shows, which the server names (+layout.server.ts) for each navigation.
export const load: LayoutLoad = async ({ data }) => {
	await loadMessages(data.locale, data.parts);
	return data;
};

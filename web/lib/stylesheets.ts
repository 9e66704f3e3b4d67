// Routes are resolved by the server (svelte.config.js, kit.router.resolution), and then SvelteKit
// adds the next page's stylesheets as it learns the route without waiting for them: a page could
// show unstyled for a moment, and code that measures its layout at mount would measure another
// (the booking page scrolls its strip of days to the booked one). The root layout makes every
// navigation wait for the stylesheets still loading, at most MAX_WAIT_MS: one that failed never
// loads, and is not waited for again.
const MAX_WAIT_MS = 3000;
const waited = new WeakSet<HTMLLinkElement>();

export async function stylesheetsLoaded(): Promise<void> {
	const pending = [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')].filter(
		(link) => !link.sheet && !waited.has(link)
	);
	if (!pending.length) return;
	const loaded = pending.map((link) => {
		waited.add(link);
		return new Promise((done) => {
			link.addEventListener('load', done);
			link.addEventListener('error', done);
		});
	});
	await Promise.race([Promise.all(loaded), new Promise((done) => setTimeout(done, MAX_WAIT_MS))]);
}

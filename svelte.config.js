import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: process.env.HALL_BUILD_DIR ?? 'build' }),
		// The web app lives in web/, the API in server/, code for both in shared/ (README: Architecture).
		files: {
			routes: 'web/routes',
			lib: 'web/lib',
			appTemplate: 'web/app.html',
			errorTemplate: 'web/error.html',
			hooks: { server: 'web/hooks.server', client: 'web/hooks.client', universal: 'web/hooks' },
			params: 'web/params',
			assets: 'web/static',
			serviceWorker: 'web/service-worker'
		},
		// adapter-node takes a request without ORIGIN/PROTOCOL_HEADER for https, so its own origin
		// check would refuse same-origin form posts over plain http (localhost, intranet). The
		// hall checks Origin against Host itself instead, for pages and API alike: see
		// web/hooks.server.ts (isCrossSite).
		csrf: { trustedOrigins: ['*'] },
		router: { resolution: 'server' },
		// Content-Security-Policy of every page. 'auto': SvelteKit puts a nonce on its own inline
		// start-up script (a hash on prerendered pages) and adds it to script-src; in `vite dev` it
		// also allows inline <style> for Vite's injected CSS. Run-time additions (the LiveKit server,
		// Vite's HMR websocket in dev) and the other security headers come from
		// server/http/security-headers.ts, called in web/hooks.server.ts.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// style="…" attributes must be allowed: web/app.html wraps the body in
				// <div style="display: contents"> and SvelteKit's route announcer is styled inline.
				// Inline <style> elements stay forbidden through style-src-elem in browsers that know
				// it (CSP 3); older ones fall back to style-src, which keeps the pages readable.
				'style-src': ['self', 'unsafe-inline'],
				'style-src-elem': ['self'],
				// data: for canvas snapshots (the signature pad's PNG), blob: for local previews
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				// LiveKit's ws(s):// and http(s):// origins are added per request (runtime config)
				'connect-src': ['self'],
				'font-src': ['self'],
				'object-src': ['none'],
				'frame-src': ['none'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		},
		alias: {
			$shared: 'shared'
		}
	}
};

export default config;

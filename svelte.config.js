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
		alias: {
			$shared: 'shared'
		}
	}
};

export default config;

// The one place web/ touches server/: the Hono API is mounted at /api here, on the same port
// as the pages, in `vite dev` and in the adapter-node build alike. The production entry
// (server/front-door.ts) sends /api to the same door without passing through SvelteKit.
import type { Handle, HandleFetch, ServerInit } from '@sveltejs/kit';
import { createApp } from '../server/app.ts';
import { createRuntimeDeps, StartupError } from '../server/runtime.ts';
import { ConfigError } from '../server/config.ts';
import {
	isLocale,
	LOCALE_COOKIE,
	LOCALE_COOKIE_OPTIONS,
	negotiateLocale
} from '$lib/i18n/index.ts';
import { pageVisitor } from '../server/http/page-session.ts';
import { healthProbe } from '../server/health/health.ts';
import type { Deps } from '../server/deps.ts';
import { CARE_COOKIE, CARE_COOKIE_OPTIONS } from '$lib/care.ts';
import { dev } from '$app/environment';
import { sequence } from '@sveltejs/kit/hooks';
import {
	apiResponseHeaders,
	securityHeaders,
	type SecureResponse
} from '../server/http/security-headers.ts';
import {
	apiDoor,
	crossSiteRefusal,
	isCrossSite,
	offerApiDoor,
	type ApiDoor
} from '../server/http/api-door.ts';

let deps: Deps | undefined;
let secure: SecureResponse | undefined;
let door: ApiDoor | undefined;

export const init: ServerInit = async () => {
	try {
		deps = await createRuntimeDeps();
		secure = securityHeaders(deps.config, { dev });
		const api = createApp(deps);
		door = apiDoor(api, secure);
		// the production entry (server/front-door.ts) serves /api through the same door, and sets
		// the API's security headers itself
		offerApiDoor(api, secure, apiResponseHeaders(deps.config), healthProbe(deps));
	} catch (err) {
		// Refuse to start with one clear line (a bad setting, an unwritable DATA_DIR), no stack.
		if (err instanceof ConfigError || err instanceof StartupError) {
			console.error(`cloud-hall: ${err.message}`);
			process.exit(1);
		}
		throw err;
	}
};

function isApiPath(pathname: string): boolean {
	return pathname === '/api' || pathname.startsWith('/api/');
}

function clientAddress(getClientAddress: () => string): string {
	try {
		return getClientAddress();
	} catch {
		return 'unknown';
	}
}

const handlePage: Handle = async ({ event, resolve }) => {
	if (!deps) throw new Error('API not initialised');
	// a form action posted from another site
	if (isCrossSite(event.request, event.url.host)) return crossSiteRefusal();

	// The language chosen before (the `lang` cookie; /lang switches it), else on a first visit the
	// browser's (Accept-Language), remembered from this answer on.
	const lang = event.cookies.get(LOCALE_COOKIE);
	if (isLocale(lang)) event.locals.locale = lang;
	else {
		event.locals.locale = negotiateLocale(event.request.headers.get('accept-language'));
		event.cookies.set(LOCALE_COOKIE, event.locals.locale, LOCALE_COOKIE_OPTIONS);
	}

	// Who is signed in, by the API's own rule for a valid session (server/http/page-session.ts:
	// the function its auth middleware calls, without a round trip through the API), so pages
	// and API share one definition of it. A renewed (or removed) session cookie is passed on.
	event.locals.user = null;
	event.locals.acting = null;
	event.locals.care = event.cookies.get(CARE_COOKIE) === 'on';
	let renewedCookie: string | null = null;
	const token = event.cookies.get(deps.config.session.cookieName);
	if (token) {
		const visitor = await pageVisitor(deps, token);
		event.locals.user = visitor.user;
		event.locals.acting = visitor.acting;
		// the account's 适老化 mode follows it to every device it signs in on, and stays on
		// this device after signing out
		if (visitor.careMode && !event.locals.care) {
			event.locals.care = true;
			event.cookies.set(CARE_COOKIE, 'on', CARE_COOKIE_OPTIONS);
		}
		renewedCookie = visitor.setCookie;
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) =>
			html
				.replace('%lang%', event.locals.locale)
				.replace('%care%', event.locals.care ? 'on' : 'off')
	});
	if (renewedCookie) response.headers.append('set-cookie', renewedCookie);
	return response;
};

/** Security headers on every page answer (pages, errors, redirects): server/http/security-headers.ts */
const withSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!secure) throw new Error('API not initialised');
	return secure(response, { api: false, host: event.url.host });
};

const pages = sequence(withSecurityHeaders, handlePage);

/** /api goes through its door (cross-site check, the API, its headers); the rest are pages. */
export const handle: Handle = (input) => {
	if (!isApiPath(input.event.url.pathname)) return pages(input);
	if (!door) throw new Error('API not initialised');
	return door(
		input.event.request,
		clientAddress(input.event.getClientAddress),
		input.event.url.host
	);
};

/**
 * A server load reading the API (callApi with SvelteKit's fetch) goes straight to the API's
 * door: SvelteKit would otherwise make it a request of its own and run its respond and this
 * file's handle again, which cost a server-rendered page more than the reads themselves
 * (`npm run bench:http`, GET /services: README, Performance). The cookies are the page's own,
 * as SvelteKit would pass them (with those set during this request).
 *
 * Reads only. A write (a form action's) goes SvelteKit's way, which passes the cookies the API
 * sets (signing in) on to the browser; a read sets none the page needs: handlePage has already
 * renewed or cleared the session cookie before any load runs.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
	if (!door || (request.method !== 'GET' && request.method !== 'HEAD')) return fetch(request);
	const url = new URL(request.url);
	if (url.origin !== event.url.origin || !isApiPath(url.pathname)) return fetch(request);
	// the request is this call's own (SvelteKit made it for this fetch): its headers are set in
	// place, as SvelteKit's own fetch sets them
	if (request.credentials !== 'omit') {
		const cookies = event.cookies.getAll();
		if (cookies.length)
			request.headers.set(
				'cookie',
				cookies.map(({ name, value }) => `${name}=${encodeURIComponent(value)}`).join('; ')
			);
		const authorization = event.request.headers.get('authorization');
		if (authorization && !request.headers.has('authorization'))
			request.headers.set('authorization', authorization);
	}
	return door(request, clientAddress(event.getClientAddress), event.url.host);
};

// The one place web/ touches server/: the Hono API is mounted at /api here, on the same port
// as the pages, in `vite dev` and in the adapter-node build alike.
import type { Handle, ServerInit } from '@sveltejs/kit';
import { createApp, type App } from '../server/app.ts';
import { createRuntimeDeps, StartupError } from '../server/runtime.ts';
import { ConfigError } from '../server/config.ts';
import {
	isLocale,
	LOCALE_COOKIE,
	LOCALE_COOKIE_OPTIONS,
	negotiateLocale
} from '$lib/i18n/index.ts';
import { pageVisitor } from '../server/http/page-session.ts';
import type { Deps } from '../server/deps.ts';
import { CARE_COOKIE, CARE_COOKIE_OPTIONS } from '$lib/care.ts';
import { dev } from '$app/environment';
import { sequence } from '@sveltejs/kit/hooks';
import { securityHeaders, type SecureResponse } from '../server/http/security-headers.ts';

let api: App | undefined;
let deps: Deps | undefined;
let secure: SecureResponse | undefined;

export const init: ServerInit = async () => {
	try {
		deps = await createRuntimeDeps();
		api = createApp(deps);
		secure = securityHeaders(deps.config, { dev });
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request a browser sends from another site. Browsers say where a request
 * comes from (Sec-Fetch-Site, Origin); the scheme is ignored because behind plain http the
 * server cannot know its own. Clients that send neither (curl, integrators using Bearer tokens)
 * carry no ambient cookie risk and pass.
 */
function isCrossSite(request: Request, url: URL): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site) return site !== 'same-origin' && site !== 'none';
	const origin = request.headers.get('origin');
	if (!origin) return false;
	try {
		return new URL(origin).host !== url.host;
	} catch {
		return true;
	}
}

const handleRequest: Handle = async ({ event, resolve }) => {
	if (!api || !deps) throw new Error('API not initialised');
	if (isCrossSite(event.request, event.url)) {
		return Response.json(
			{
				error: { code: 'cross_site', message: 'Cross-site requests that change data are refused' }
			},
			{ status: 403 }
		);
	}
	if (isApiPath(event.url.pathname)) {
		return api.fetch(event.request, { ip: clientAddress(event.getClientAddress) });
	}

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
	event.locals.care = event.cookies.get(CARE_COOKIE) === 'on';
	let renewedCookie: string | null = null;
	const token = event.cookies.get(deps.config.session.cookieName);
	if (token) {
		const visitor = await pageVisitor(deps, token);
		event.locals.user = visitor.user;
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

/** Security headers on every answer (pages, API, errors, streams): server/http/security-headers.ts */
const withSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!secure) throw new Error('API not initialised');
	return secure(response, { api: isApiPath(event.url.pathname), host: event.url.host });
};

export const handle = sequence(withSecurityHeaders, handleRequest);

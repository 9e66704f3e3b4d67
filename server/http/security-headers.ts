// Security headers on every answer the hall gives, pages and /api alike (web/hooks.server.ts
// calls securityHeaders once and applies it to each response). The pages' Content-Security-Policy
// itself is built by SvelteKit from kit.csp in svelte.config.js, with a nonce for its own inline
// script; here only what is known at run time is added to it: the LiveKit server's address
// (LIVEKIT_PUBLIC_URL) and, in `vite dev`, Vite's HMR websocket.
import type { Config } from '../config.ts';

/** API answers are data, never documents: nothing may load or run in them, nor frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Camera, microphone and screen sharing for the hall's own pages only (no frame of another
 * origin may ask); features the hall never uses are denied outright. Autoplay and fullscreen
 * keep the browser's defaults: the video call plays remote tracks as they arrive.
 */
export const PERMISSIONS_POLICY = [
	'camera=(self)',
	'microphone=(self)',
	'display-capture=(self)',
	'geolocation=()',
	'payment=()',
	'usb=()',
	'serial=()',
	'hid=()',
	'midi=()',
	'accelerometer=()',
	'gyroscope=()',
	'magnetometer=()',
	'xr-spatial-tracking=()',
	'browsing-topics=()'
].join(', ');

export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeaderOptions {
	/** SECURE_COOKIES=1: the hall is served over https, so browsers may be told to insist on it. */
	secureCookie: boolean;
	/**
	 * LiveKit's addresses as browsers may reach them (ws:// or wss://, comma-separated: a cluster's
	 * nodes); null when video is off.
	 */
	livekitPublicUrl: string | null;
	/** `vite dev`: allow Vite's HMR websocket on the page's own host. */
	dev?: boolean;
}

/** Headers every page answer carries, whatever it is (document, redirect, error, __data.json). */
export function commonSecurityHeaders(opts: Pick<SecurityHeaderOptions, 'secureCookie'>) {
	const headers: Record<string, string> = {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'strict-origin-when-cross-origin',
		'permissions-policy': PERMISSIONS_POLICY,
		// CSP frame-ancestors 'none' says the same to browsers that know CSP level 2
		'x-frame-options': 'DENY'
	};
	if (opts.secureCookie) headers['strict-transport-security'] = HSTS;
	return headers;
}

/**
 * The headers of every API answer, as OWASP's REST Security Cheat Sheet lists them for APIs: a
 * CSP that allows nothing and no framing (in both spellings), no MIME sniffing, HSTS over https,
 * and no caching of the answer unless it says otherwise (a citizen's cases and documents stay
 * out of shared and disk caches). Permissions-Policy and Referrer-Policy are left to pages:
 * they govern what a document may use and what its links send, and under this CSP an API answer
 * opened in a browser can load, run and link nothing. Dropping those two took 330 bytes off
 * every API answer (README, Performance).
 */
export function apiSecurityHeaders(
	opts: Pick<SecurityHeaderOptions, 'secureCookie'>
): [string, string][] {
	const headers: [string, string][] = [
		['content-security-policy', API_CSP],
		['x-content-type-options', 'nosniff'],
		['x-frame-options', 'DENY']
	];
	if (opts.secureCookie) headers.push(['strict-transport-security', HSTS]);
	return headers;
}

/** An API answer's caching when it names none itself (an event stream says no-cache). */
export const API_CACHE_CONTROL = 'no-store';

/**
 * The API's headers as the production entry (server/front-door.ts) sets them on node:http's
 * response before the answer's own, which node:http merges over them: the security headers
 * (which no API answer sets otherwise) and the default caching.
 */
export function apiResponseHeaders(config: Pick<Config, 'session'>): [string, string][] {
	return [
		...apiSecurityHeaders({ secureCookie: config.session.secureCookie }),
		['cache-control', API_CACHE_CONTROL]
	];
}

/**
 * The origins livekit-client talks to for a LiveKit URL: its signalling websocket (ws/wss) and
 * the same host over http(s), which it fetches to validate a failed connection and to check the
 * network. LiveKit Cloud hands out region hosts under the same domain, so those get a wildcard.
 */
export function liveKitConnectSources(publicUrl: string | null | undefined): string[] {
	if (!publicUrl) return [];
	if (publicUrl.includes(','))
		return [...new Set(publicUrl.split(',').flatMap((u) => liveKitConnectSources(u.trim())))];
	let url: URL;
	try {
		url = new URL(publicUrl);
	} catch {
		return [];
	}
	const secure = url.protocol === 'wss:' || url.protocol === 'https:';
	if (!secure && url.protocol !== 'ws:' && url.protocol !== 'http:') return [];
	const [ws, http] = secure ? ['wss:', 'https:'] : ['ws:', 'http:'];
	const host = url.host; // with the port when it is not the scheme's default
	const sources = [`${ws}//${host}`, `${http}//${host}`];
	const cloud = /\.(livekit\.cloud|livekit\.run)$/.exec(url.hostname);
	if (cloud) sources.push(`${ws}//*.${cloud[1]}`, `${http}//*.${cloud[1]}`);
	return sources;
}

/**
 * Adds sources to one directive of a CSP header value. A directive the policy lacks is created
 * from default-src (what the browser would have fallen back to) plus the new sources.
 */
export function addCspSources(csp: string, directive: string, sources: string[]): string {
	if (!sources.length) return csp;
	const parts = csp
		.split(';')
		.map((p) => p.trim())
		.filter(Boolean);
	const nameOf = (p: string) => p.split(/\s+/)[0].toLowerCase();
	const index = parts.findIndex((p) => nameOf(p) === directive);
	if (index >= 0) {
		const present = new Set(parts[index].split(/\s+/).slice(1));
		const missing = sources.filter((s) => !present.has(s));
		if (missing.length) parts[index] = [parts[index], ...missing].join(' ');
	} else {
		const fallback = parts.find((p) => nameOf(p) === 'default-src');
		const inherited = fallback ? fallback.split(/\s+/).slice(1) : [];
		parts.push(
			[directive, ...inherited, ...sources.filter((s) => !inherited.includes(s))].join(' ')
		);
	}
	return parts.join('; ');
}

/** connect-src for a page: SvelteKit's policy plus LiveKit and, in dev, Vite's websocket. */
export function pageCsp(csp: string, opts: SecurityHeaderOptions & { host?: string }): string {
	const sources = liveKitConnectSources(opts.livekitPublicUrl);
	if (opts.dev && opts.host) sources.push(`ws://${opts.host}`, `wss://${opts.host}`);
	return addCspSources(csp, 'connect-src', sources);
}

function isHtml(response: Response): boolean {
	return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');
}

/** Headers of a Response may be immutable (Response.redirect, fetch): then it is copied. */
function mutable(response: Response): Response {
	try {
		response.headers.set('x-content-type-options', 'nosniff');
		return response;
	} catch {
		return new Response(response.body, response);
	}
}

/** Sets the security headers on one answer and returns it (a copy when its headers were frozen). */
export function applySecurityHeaders(
	response: Response,
	where: { api: boolean; host?: string },
	opts: SecurityHeaderOptions
): Response {
	const res = mutable(response);
	if (where.api) return setApiHeaders(res, apiSecurityHeaders(opts));
	for (const [name, value] of Object.entries(commonSecurityHeaders(opts)))
		res.headers.set(name, value);
	const csp = res.headers.get('content-security-policy');
	if (csp) {
		res.headers.set('content-security-policy', pageCsp(csp, { ...opts, host: where.host }));
	} else if (!isHtml(res)) {
		// redirects, __data.json, form-action answers: no document, so nothing to allow
		res.headers.set('content-security-policy', API_CSP);
	}
	return res;
}

export type SecureResponse = (
	response: Response,
	where: { api: boolean; host?: string }
) => Response;

/** The hall's headers for its configuration, ready to apply to each response. */
export function securityHeaders(
	config: Pick<Config, 'session' | 'livekit'>,
	opts: { dev?: boolean } = {}
): SecureResponse {
	const options: SecurityHeaderOptions = {
		secureCookie: config.session.secureCookie,
		// LIVEKIT_PUBLIC_URL, else every node LIVEKIT_URL lists: in a city another app node may hand
		// this page's browser a token for its own LiveKit node
		livekitPublicUrl: config.livekit?.publicUrl ?? null,
		dev: opts.dev ?? false
	};
	// an API answer gets the same headers every time: built once, set in one pass
	const apiHeaders = apiSecurityHeaders(options);
	return (response, where) =>
		where.api
			? setApiHeaders(response, apiHeaders)
			: applySecurityHeaders(response, where, options);
}

function setApiHeaders(response: Response, headers: [string, string][]): Response {
	const set = (res: Response) => {
		for (const [name, value] of headers) res.headers.set(name, value);
		if (!res.headers.has('cache-control')) res.headers.set('cache-control', API_CACHE_CONTROL);
		return res;
	};
	try {
		return set(response);
	} catch {
		// frozen headers (a fetched or an error Response): a copy takes them
		return set(new Response(response.body, response));
	}
}

// What every /api request passes before the Hono app, wherever it comes in: through SvelteKit's
// hook (`vite dev`, `node build/index.js`) or straight from node:http in the production entry
// (server/front-door.ts), which serves /api beside SvelteKit rather than through it (issue 19:
// adapter-node's request conversion and the hook chain cost more than most API answers).
import type { App } from '../app.ts';
import type { SecureResponse } from './security-headers.ts';

/** `host`: the host browsers address (ORIGIN's where set), which the cross-site check compares. */
export type ApiDoor = (request: Request, clientAddress: string, host: string) => Promise<Response>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request a browser sends from another site. Browsers say where a request
 * comes from (Sec-Fetch-Site, Origin); the scheme is ignored because behind plain http the
 * server cannot know its own. Clients that send neither (curl, integrators using Bearer tokens)
 * carry no ambient cookie risk and pass.
 */
export function isCrossSite(request: Request, host: string): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site) return site !== 'same-origin' && site !== 'none';
	const origin = request.headers.get('origin');
	if (!origin) return false;
	try {
		return new URL(origin).host !== host;
	} catch {
		return true;
	}
}

export function crossSiteRefusal(): Response {
	return Response.json(
		{ error: { code: 'cross_site', message: 'Cross-site requests that change data are refused' } },
		{ status: 403 }
	);
}

/** The cross-site check and the API, without the security headers: whoever serves it adds them. */
function openDoor(api: App): ApiDoor {
	return async (request, clientAddress, host) =>
		isCrossSite(request, host) ? crossSiteRefusal() : api.fetch(request, { ip: clientAddress });
}

/** The cross-site check, the API, and the API's security headers set on its answer. */
export function apiDoor(api: App, secure: SecureResponse): ApiDoor {
	const open = openDoor(api);
	return async (request, clientAddress, host) =>
		secure(await open(request, clientAddress, host), { api: true });
}

// The production entry runs outside the build's bundle, so the hook hands it the door through a
// process-wide symbol rather than an import (an import would load a second copy of the app).
const DOOR = Symbol.for('cloud-hall.api-door');

/** What the production entry takes: the door, its headers, and the answer to a request it cannot read. */
export interface OfferedApi {
	/** the cross-site check and the API; its answers carry no security headers of their own */
	door: ApiDoor;
	/**
	 * The headers of every API answer (server/http/security-headers.ts, apiResponseHeaders), which
	 * the entry sets on node:http's response before the answer's own. Setting them on the Response
	 * instead turns @hono/node-server's light Response into a full Headers object and its slower
	 * writer (README, Performance: the front door).
	 */
	headers: readonly (readonly [string, string])[];
	/** 400 for a request node:http accepted but no Request can be made of (no host at all) */
	unreadable(): Response;
	/**
	 * GET /api/health's status and JSON body (server/health/health.ts, healthProbe), which the
	 * entry writes itself: public, no session, no body to read, so none of the API's middleware
	 * applies, and load balancers ask it of every node every few seconds.
	 */
	health(): Promise<{ status: number; body: string }>;
}

export function offerApiDoor(
	api: App,
	secure: SecureResponse,
	headers: readonly (readonly [string, string])[],
	health: OfferedApi['health']
): void {
	const offered: OfferedApi = {
		door: openDoor(api),
		headers,
		health,
		unreadable: () =>
			secure(
				Response.json(
					{ error: { code: 'bad_request', message: 'The request could not be read' } },
					{ status: 400 }
				),
				{ api: true }
			)
	};
	(globalThis as Record<symbol, unknown>)[DOOR] = offered;
}

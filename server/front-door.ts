// The production entry (`npm start`; `node server/front-door.ts [buildDir]`): one node:http
// server that answers /api straight through the API's door (server/http/api-door.ts) and hands
// every other request to adapter-node's handler (pages, assets, form actions).
//
// Why not `node build` (adapter-node's own server, which still works): it turns each request
// into a Web Request and runs SvelteKit's respond and hook chain before the API sees it, which
// cost more than most API answers. `npm run bench:http` measured GET /api/health at 0.19 of a
// Hono hello-world that way, and the same door served here much closer to it (README,
// Performance). Streams (SSE) are written by @hono/node-server without SvelteKit between.
//
// It reads the settings adapter-node's server reads (PORT, HOST, SOCKET_PATH, ORIGIN, HOST_HEADER, ADDRESS_HEADER, XFF_DEPTH, SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT,
// HEADERS_TIMEOUT) and stops the same way: SIGTERM or SIGINT stops accepting, lets running
// requests finish (SHUTDOWN_TIMEOUT seconds at most), then emits `sveltekit:shutdown`.
// Plain Node (type stripping): it imports no module of the app, only the build.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';

type ApiDoor = (request: Request, clientAddress: string, host: string) => Promise<Response>;
type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const buildDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'build'));
const env = (name: string, fallback = '') => process.env[name] ?? fallback;

// Loading the handler starts the app: SvelteKit's init hook opens the database and offers the
// API's door under this symbol (web/hooks.server.ts).
const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
	handler: NodeHandler;
};
const door = (globalThis as Record<symbol, unknown>)[Symbol.for('cloud-hall.api-door')] as
	ApiDoor | undefined;
if (!door) {
	console.error(`cloud-hall: ${buildDir} is not a Cloud Hall build (its hook offered no API)`);
	process.exit(1);
}

const origin = env('ORIGIN') ? new URL(env('ORIGIN')) : null;
const hostHeader = env('HOST_HEADER').toLowerCase();
const addressHeader = env('ADDRESS_HEADER').toLowerCase();
const xffDepth = parseInt(env('XFF_DEPTH', '1'), 10);

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The host browsers address, as adapter-node decides it (the cross-site check compares it). */
function publicHost(req: http.IncomingMessage): string {
	if (origin) return origin.host;
	return (hostHeader && one(req.headers[hostHeader])) || req.headers.host || '';
}

/** The client's address as adapter-node decides it; 'unknown' where it would throw. */
function clientAddress(req: http.IncomingMessage): string {
	if (!addressHeader) return req.socket.remoteAddress ?? 'unknown';
	const value = one(req.headers[addressHeader]);
	if (value === undefined) return 'unknown';
	if (addressHeader !== 'x-forwarded-for') return value;
	const addresses = value.split(',');
	if (xffDepth < 1 || xffDepth > addresses.length) return 'unknown';
	return addresses[addresses.length - xffDepth].trim();
}

const serveApi = getRequestListener(
	(request, bindings) => {
		// node:http (not http2) is the only server here
		const incoming = bindings.incoming as http.IncomingMessage;
		return door(request, clientAddress(incoming), publicHost(incoming));
	},
	// @hono/node-server's light Request and Response (its default): GET /api/health ~25,000 req/s
	// against ~14,000 without; pages pay a few per cent for it (their answers are made twice)
	{ overrideGlobalObjects: true }
);

const isApi = (url: string | undefined) =>
	!!url && url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');

const server = http.createServer((req, res) => {
	if (isApi(req.url)) void serveApi(req, res);
	else handler(req, res);
});
const timeout = (name: string) => {
	const value = env(name);
	return value ? parseInt(value, 10) * 1000 : undefined;
};
const keepAlive = timeout('KEEP_ALIVE_TIMEOUT');
if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive;
const headers = timeout('HEADERS_TIMEOUT');
if (headers !== undefined) server.headersTimeout = headers;

const socketPath = env('SOCKET_PATH');
const host = env('HOST', '0.0.0.0');
const port = parseInt(env('PORT', '3000'), 10);
const listening = () => {
	const at = server.address();
	console.log(
		`Listening on ${typeof at === 'string' ? at : `http://${at?.address === '::' ? 'localhost' : at?.address}:${at?.port}`}`
	);
};
if (socketPath) server.listen({ path: socketPath }, listening);
else server.listen({ host, port }, listening);

let stopping = false;
function stop(reason: 'SIGINT' | 'SIGTERM') {
	if (stopping) return;
	stopping = true;
	server.closeIdleConnections();
	const emit = process.emit as (event: string, ...args: unknown[]) => boolean;
	server.close(() => emit.call(process, 'sveltekit:shutdown', reason));
	setTimeout(
		() => server.closeAllConnections(),
		parseInt(env('SHUTDOWN_TIMEOUT', '30'), 10) * 1000
	).unref();
}
// requests finishing during a stop leave their connections idle: close them as they do
server.on('request', (req) => {
	req.on('close', () => {
		if (stopping) server.closeIdleConnections();
	});
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

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
// It reads the settings adapter-node's server reads (PORT, HOST, SOCKET_PATH, ORIGIN,
// HOST_HEADER, PORT_HEADER, ADDRESS_HEADER, XFF_DEPTH, SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT,
// HEADERS_TIMEOUT, LISTEN_PID and LISTEN_FDS; it refuses IDLE_TIMEOUT), refuses a bad value as
// adapter-node does, and stops the same way: SIGTERM or SIGINT stops accepting, lets running
// requests finish (SHUTDOWN_TIMEOUT seconds at most), then emits `sveltekit:shutdown`.
// Plain Node (type stripping): it imports no module of the app, only the build.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';

type ApiDoor = (request: Request, clientAddress: string, host: string) => Promise<Response>;
type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
/** server/http/api-door.ts's OfferedApi (not imported: see the head of this file) */
interface OfferedApi {
	door: ApiDoor;
	headers: readonly (readonly [string, string])[];
	unreadable(): Response;
	health(): Promise<{ status: number; body: string }>;
}

const buildDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'build'));
const env = (name: string, fallback = '') => process.env[name] ?? fallback;

/** Refuses to start on a setting adapter-node would refuse, with one clear line. */
function refuse(message: string): never {
	console.error(`cloud-hall: ${message}`);
	process.exit(1);
}
function integer(name: string, fallback: string): number {
	const raw = env(name, fallback);
	if (!/^\d+$/.test(raw)) refuse(`${name} should be a non-negative integer, not "${raw}"`);
	return Number(raw);
}
const xffDepth = integer('XFF_DEPTH', '1');
if (xffDepth < 1) refuse('XFF_DEPTH should be 1 or more');
const shutdownSeconds = integer('SHUTDOWN_TIMEOUT', '30');
const keepAliveSeconds = env('KEEP_ALIVE_TIMEOUT') ? integer('KEEP_ALIVE_TIMEOUT', '') : null;
const headersSeconds = env('HEADERS_TIMEOUT') ? integer('HEADERS_TIMEOUT', '') : null;
const port = integer('PORT', '3000');
if (env('IDLE_TIMEOUT'))
	refuse("IDLE_TIMEOUT (stop when idle) is adapter-node's; run node build/index.js for it");
// systemd socket activation, as adapter-node takes it: one socket, on file descriptor 3
const listenPid = integer('LISTEN_PID', '0');
const listenFds = integer('LISTEN_FDS', '0');
if (listenPid !== 0 && listenPid !== process.pid)
	refuse(`LISTEN_PID ${listenPid} is not this process (${process.pid})`);
if (listenFds > 1) refuse(`only one socket may be passed (LISTEN_FDS is ${listenFds})`);
const socketActivated = listenPid === process.pid && listenFds === 1;

// Loading the handler starts the app: SvelteKit's init hook opens the database and offers the
// API's door under this symbol (web/hooks.server.ts). It also checks ORIGIN, as adapter-node does.
const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
	handler: NodeHandler;
};
const offered = (globalThis as Record<symbol, unknown>)[Symbol.for('cloud-hall.api-door')] as
	OfferedApi | undefined;
if (!offered) refuse(`${buildDir} is not a Cloud Hall build (its hook offered no API)`);
const { door, headers: apiHeaders, unreadable, health } = offered;

const origin = env('ORIGIN') ? new URL(env('ORIGIN')) : null;
const hostHeader = env('HOST_HEADER').toLowerCase();
const portHeader = env('PORT_HEADER').toLowerCase();
const addressHeader = env('ADDRESS_HEADER').toLowerCase();

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The host browsers address, as adapter-node decides it (the cross-site check compares it). */
function publicHost(req: http.IncomingMessage): string {
	if (origin) return origin.host;
	const host = (hostHeader && one(req.headers[hostHeader])) || req.headers.host || '';
	const forwardedPort = portHeader && one(req.headers[portHeader]);
	return forwardedPort ? `${host}:${forwardedPort}` : host;
}

/** The client's address as adapter-node decides it; 'unknown' where it would throw. */
function clientAddress(req: http.IncomingMessage): string {
	if (!addressHeader) return req.socket.remoteAddress ?? 'unknown';
	const value = one(req.headers[addressHeader]);
	if (value === undefined) return 'unknown';
	if (addressHeader !== 'x-forwarded-for') return value;
	const addresses = value.split(',');
	if (xffDepth > addresses.length) return 'unknown';
	return addresses[addresses.length - xffDepth].trim();
}

const serveApi = getRequestListener(
	(request, bindings) => {
		// node:http (not http2) is the only server here
		const incoming = bindings.incoming as http.IncomingMessage;
		return door(request, clientAddress(incoming), publicHost(incoming));
	},
	{
		// @hono/node-server's light Request and Response (its default): GET /api/health ~25,000
		// req/s against ~14,000 without; pages pay a few per cent (their answers are made twice)
		overrideGlobalObjects: true,
		// a request without a Host header (an HTTP/1.0 health check) is read against ORIGIN, as
		// adapter-node reads it; with neither, the API's own 400 with its headers
		hostname: origin?.host,
		errorHandler: () => unreadable()
	}
);

const isApi = (url: string | undefined) =>
	!!url && url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');

/**
 * GET /api/health written here, the same answer as the API's route without its middleware (no
 * session, body or audit context to read): a load balancer's check costs what a bare Hono answer
 * of the same JSON costs (README, Performance). Anything else at that path (a query, POST) and a
 * probe that throws go the API's way, which answers them as it answers everything.
 */
async function answerHealth(req: http.IncomingMessage, res: http.ServerResponse) {
	let answer: Awaited<ReturnType<typeof health>>;
	try {
		answer = await health();
	} catch {
		for (const [name, value] of apiHeaders) res.setHeader(name, value);
		return serveApi(req, res);
	}
	const head: http.OutgoingHttpHeaders = {};
	for (const [name, value] of apiHeaders) head[name] = value;
	head['content-type'] = 'application/json';
	head['content-length'] = Buffer.byteLength(answer.body);
	res.writeHead(answer.status, head);
	res.end(req.method === 'HEAD' ? undefined : answer.body);
}

const server = http.createServer((req, res) => {
	if (req.url === '/api/health' && (req.method === 'GET' || req.method === 'HEAD'))
		void answerHealth(req, res);
	else if (isApi(req.url)) {
		// the API's security headers and default caching; node:http merges the answer's own over them
		for (const [name, value] of apiHeaders) res.setHeader(name, value);
		void serveApi(req, res);
	} else handler(req, res);
});
if (keepAliveSeconds !== null) server.keepAliveTimeout = keepAliveSeconds * 1000;
if (headersSeconds !== null) server.headersTimeout = headersSeconds * 1000;

const socketPath = env('SOCKET_PATH');
const host = env('HOST', '0.0.0.0');
const listening = () => {
	const at = server.address();
	console.log(
		`Listening on ${typeof at === 'string' ? at : `http://${at?.address === '::' ? 'localhost' : at?.address}:${at?.port}`}`
	);
};
if (socketActivated) server.listen({ fd: 3 }, listening);
else if (socketPath) {
	// a socket file left by a process that was killed: empty, and in the way of listening
	try {
		if (fs.statSync(socketPath).size === 0) fs.rmSync(socketPath);
	} catch {
		// none there
	}
	server.listen({ path: socketPath }, listening);
} else server.listen({ host, port }, listening);

let stopping = false;
function stop(reason: 'SIGINT' | 'SIGTERM') {
	if (stopping) return;
	stopping = true;
	server.closeIdleConnections();
	const emit = process.emit as (event: string, ...args: unknown[]) => boolean;
	server.close(() => emit.call(process, 'sveltekit:shutdown', reason));
	setTimeout(() => server.closeAllConnections(), shutdownSeconds * 1000).unref();
}
// requests finishing during a stop leave their connections idle: close them as they do
server.on('request', (req) => {
	req.on('close', () => {
		if (stopping) server.closeIdleConnections();
	});
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

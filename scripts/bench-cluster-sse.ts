// A minimal EventSource for `npm run bench:cluster`, over node:http so thousands of them fit in
// one process: it parses the stream as the browser does (id, event, data, retry), and when the
// stream ends or cannot be opened it comes back after the server's `retry` (2000 ms in the hall)
// with Last-Event-ID, as the hall's pages do through the balancer. Unlike a browser's it also
// comes back after an error answer (a 502 from the balancer while a node is gone) so the
// benchmark sees how long the whole way back takes instead of a client that gave up; each such
// answer is counted.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { UPSTREAM_HEADER } from './nginx-process.ts';

export interface SseEvent {
	id: number | null;
	event: string;
	data: string;
	/** performance.now() when the chunk carrying it arrived */
	at: number;
}

export interface SseConnection {
	/** performance.now() when the request was sent */
	openedAt: number;
	/** performance.now() of its `ready` event (null until then) */
	readyAt: number | null;
	/** the Last-Event-ID it was opened with */
	lastEventId: string | null;
	/** host:port of the app node that answered (the balancer's X-Hall-Upstream, last entry) */
	upstream: string | null;
}

export interface SseClientOptions {
	/** http://host:port/path?query */
	url: string;
	headers?: Record<string, string>;
	/** every event, as it arrives (`ready` included) */
	onEvent?: (client: SseClient, event: SseEvent) => void;
}

const DEFAULT_RETRY_MS = 3000; // a browser's own default until the server sends one

export class SseClient {
	readonly url: URL;
	readonly headers: Record<string, string>;
	lastEventId: string | null = null;
	retryMs = DEFAULT_RETRY_MS;
	/** every connection made, the first included */
	readonly connections: SseConnection[] = [];
	/** answers other than 200 text/event-stream, and requests that failed to connect */
	failedAttempts = 0;
	/** those failures by kind: the HTTP status, or the socket error's code */
	readonly failures = new Map<string, number>();
	/** ids of the events received in order (`ready`'s id, the stream's position, left out) */
	readonly ids: number[] = [];
	/** performance.now() of each of `ids`' arrival */
	readonly arrivals: number[] = [];
	/** the index in `connections` of the connection each of `ids` came by */
	readonly via: number[] = [];
	private req: http.ClientRequest | null = null;
	private timer: NodeJS.Timeout | null = null;
	private closed = false;
	private readonly onEvent?: SseClientOptions['onEvent'];

	constructor(opts: SseClientOptions) {
		this.url = new URL(opts.url);
		this.headers = opts.headers ?? {};
		this.onEvent = opts.onEvent;
		this.open();
	}

	get current(): SseConnection | undefined {
		return this.connections.at(-1);
	}

	get ready(): boolean {
		return this.current?.readyAt != null;
	}

	close(): void {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.req?.destroy();
	}

	private open(): void {
		if (this.closed) return;
		const conn: SseConnection = {
			openedAt: performance.now(),
			readyAt: null,
			lastEventId: this.lastEventId,
			upstream: null
		};
		this.connections.push(conn);
		const headers: Record<string, string> = { accept: 'text/event-stream', ...this.headers };
		if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
		let settled = false;
		const again = () => {
			if (settled) return;
			settled = true;
			this.req = null;
			if (!this.closed) this.timer = setTimeout(() => this.open(), this.retryMs);
		};
		const req = http.get(
			{
				host: this.url.hostname,
				port: this.url.port,
				path: this.url.pathname + this.url.search,
				headers,
				agent: false
			},
			(res) => {
				const upstream = res.headers[UPSTREAM_HEADER];
				conn.upstream = typeof upstream === 'string' ? upstream.split(', ').at(-1)! : null;
				if (
					res.statusCode !== 200 ||
					!String(res.headers['content-type']).startsWith('text/event-stream')
				) {
					this.fail(`HTTP ${res.statusCode}`);
					res.resume();
					res.on('end', again);
					res.on('error', again);
					return;
				}
				res.setEncoding('utf8');
				let buffer = '';
				res.on('data', (chunk: string) => {
					const at = performance.now();
					buffer += chunk;
					let end = buffer.indexOf('\n\n');
					while (end !== -1) {
						this.dispatch(buffer.slice(0, end), conn, at);
						buffer = buffer.slice(end + 2);
						end = buffer.indexOf('\n\n');
					}
				});
				res.on('end', again);
				res.on('error', again);
				res.on('close', again);
			}
		);
		req.on('error', (err: NodeJS.ErrnoException) => {
			if (!conn.upstream) this.fail(err.code ?? err.message);
			again();
		});
		this.req = req;
	}

	private fail(kind: string): void {
		this.failedAttempts++;
		this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
	}

	/** One event block (the hall writes \n line ends). */
	private dispatch(block: string, conn: SseConnection, at: number): void {
		let event = 'message';
		let data = '';
		let id: string | null = null;
		for (const line of block.split('\n')) {
			if (!line || line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon === -1 ? line : line.slice(0, colon);
			const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
			if (field === 'event') event = value;
			else if (field === 'data') data = data ? `${data}\n${value}` : value;
			else if (field === 'id') id = value;
			else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
		}
		if (id !== null) this.lastEventId = id;
		if (!data && event === 'message') return;
		if (event === 'ready' && conn.readyAt === null) conn.readyAt = at;
		const numeric = id !== null && /^\d+$/.test(id) ? Number(id) : null;
		// `ready` carries the stream's position as its id (Last-Event-ID for a reconnect), not an event
		if (numeric !== null && event !== 'ready') {
			this.ids.push(numeric);
			this.arrivals.push(at);
			this.via.push(this.connections.indexOf(conn));
		}
		this.onEvent?.(this, { id: numeric, event, data, at });
	}
}

// Server-sent events read from an append-only table, so every process sees every event and a
// reconnecting client (Last-Event-ID) gets exactly what it missed. Used by the queue, video
// sessions and cases. A stream sleeps until the bus says its topic grew (no polling), then
// reads its new rows once; streams of one topic woken together share that read.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { sessionStillValid } from '../auth/session.ts';
import { signInKey, userKey, type EventBus } from './bus.ts';
import { keepAlive } from './heartbeat.ts';
import { onDrain } from './drain.ts';

/**
 * How long a browser waits before it reconnects a dropped stream, drawn per stream between 1 and
 * 3.5 s: when a node stops, its thousands of streams come back to the others spread over those
 * seconds instead of all at once (measured with the same 2 s for all: the balancer's connect
 * timeout ran out under the crowd and it took the surviving node out too).
 */
export function reconnectAfterMs(random: () => number = Math.random): number {
	return 1000 + Math.floor(random() * 2500);
}

/** Beyond this many missed events of its own topic a client is told to refetch instead. */
export const MAX_REPLAY = 500;
const PAGE = 100;

export interface LogEvent {
	id: number;
	event: string;
	data: string;
}

export interface EventLog {
	/** The bus topic of this log: `hall:<id>`, `session:<id>`, `case:<id>`. */
	topic: string;
	newestId(): Promise<number>;
	/** This topic's events after `id`, oldest first. */
	after(id: number, limit: number): Promise<LogEvent[]>;
	/**
	 * Checked when new events arrive (never on a timer): once false, the stream delivers what
	 * led here (the removal, the end) and closes.
	 */
	allowed?(): Promise<boolean>;
}

export interface StreamOptions {
	bus: EventBus;
	/** End signals that close this stream at once (its user's id, its sign-in session). */
	endKeys?: string[];
	/**
	 * Asked when events of a private log (one with `allowed`) arrive: a sign-out in another
	 * process sends no end signal here, so its streams end at their next event, unsent.
	 */
	signedIn?: () => Promise<boolean>;
}

// Streams of one topic woken by one publish all ask for the same rows: read them once per turn.
// A read is reused only if it reaches the id the stream was woken for (else it may predate it).
// The read itself is shared while it is under way, so streams woken together wait for one read.
const shared = new Map<string, Promise<LogEvent[]>>();
async function readShared(log: EventLog, after: number, upTo: number): Promise<LogEvent[]> {
	const key = `${log.topic}\0${after}`;
	const pending = shared.get(key);
	if (pending) {
		const rows = await pending.catch(() => null);
		if (rows && (rows.length >= PAGE || (rows.at(-1)?.id ?? after) >= upTo)) return rows;
	}
	if (!shared.size) setImmediate(() => shared.clear());
	const read = log.after(after, PAGE);
	shared.set(key, read);
	return read;
}

/** The bus of the app's database; a signed-in stream ends with its user's or sign-in's end. */
export function streamOptionsOf(c: Context<AppEnv>): StreamOptions {
	const auth = c.var.auth;
	const deps = c.var.deps;
	return {
		bus: deps.engine.events,
		endKeys: auth ? [userKey(auth.user.id), signInKey(auth.session.id)] : [],
		signedIn: auth ? () => sessionStillValid(deps, auth.session.id) : undefined
	};
}

export async function streamEventLog(
	c: Context<AppEnv>,
	log: EventLog,
	lastEventId: number | null,
	opts: StreamOptions = streamOptionsOf(c)
): Promise<Response> {
	// a client that may no longer follow and has seen everything: 204 tells EventSource not to
	// reconnect (otherwise it would come back every few seconds forever)
	if (
		log.allowed &&
		!(await log.allowed()) &&
		lastEventId !== null &&
		lastEventId >= (await log.newestId())
	)
		return c.body(null, 204);
	// nginx and other proxies buffer answers unless told not to, which would hold back events
	c.header('x-accel-buffering', 'no');
	return streamSSE(c, async (stream) => {
		let open = true;
		let woken = false;
		let due = false;
		let upTo = 0;
		let wake: () => void = () => {};
		const rouse = (id: number) => {
			woken = true;
			upTo = Math.max(upTo, id);
			wake();
		};
		const close = () => {
			open = false;
			wake();
		};
		const heartbeat = keepAlive(() => {
			due = true;
			wake();
		});
		// listening starts before the first read, so nothing slips between the two
		const stops = [
			opts.bus.subscribe(log.topic, rouse),
			...(opts.endKeys ?? []).map((k) => opts.bus.onEnd(k, close)),
			onDrain(close)
		];
		stream.onAbort(close);
		try {
			const newest = await log.newestId();
			let last = lastEventId ?? newest;
			let replay: LogEvent[] = [];
			if (lastEventId !== null && lastEventId < newest) {
				replay = await log.after(lastEventId, MAX_REPLAY + 1);
				if (replay.length > MAX_REPLAY) {
					await stream.writeSSE({ id: String(newest), event: 'refetch', data: '{}' });
					last = newest;
					replay = [];
				}
			}
			await stream.writeSSE({
				id: String(last),
				event: 'ready',
				data: JSON.stringify({ lastEventId: last }),
				retry: reconnectAfterMs()
			});
			const send = async (events: LogEvent[]) => {
				if (events.length && log.allowed && opts.signedIn && !(await opts.signedIn())) {
					open = false;
					return;
				}
				if (events.length && log.allowed && !(await log.allowed())) {
					// deliver what led here (the removal, the end), then stop
					for (const e of events)
						await stream.writeSSE({ id: String(e.id), event: e.event, data: e.data });
					open = false;
					return;
				}
				for (const e of events) {
					await stream.writeSSE({ id: String(e.id), event: e.event, data: e.data });
					last = e.id;
				}
			};
			await send(replay);
			while (open) {
				if (!woken && !due) {
					await new Promise<void>((resolve) => (wake = resolve));
					wake = () => {};
					continue;
				}
				if (woken) {
					woken = false;
					due = false;
					for (;;) {
						const events = await readShared(log, last, upTo);
						await send(events);
						if (!open || events.length < PAGE) break;
					}
				} else {
					due = false;
					await stream.write(': keep-alive\n\n');
				}
				heartbeat.touch();
			}
		} finally {
			heartbeat.stop();
			for (const stop of stops) stop();
		}
	});
}

/** The Last-Event-ID a client sent, as header (EventSource) or query (first connect). */
export function lastEventIdOf(
	header: string | undefined,
	query: number | undefined
): number | null {
	if (header !== undefined && /^\d+$/.test(header)) return Number(header);
	return query ?? null;
}

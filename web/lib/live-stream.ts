// A server-sent event stream that does not give up. The browser's EventSource reconnects by
// itself after a dropped connection (sending Last-Event-ID), but an answer other than 200 (the
// balancer's 502 while a node restarts, a 503) closes it for good, and the page would sit on
// stale data. Here a closed stream is opened again after a pause that grows and is spread at
// random (so a thousand pages do not come back in the same millisecond), from the last event id
// it saw, so the server replays what was missed.
import type { LiveState } from './realtime.ts';

/** What pages attach their handlers to: an EventSource, or a LiveStream standing for several. */
export interface EventFeed {
	addEventListener(type: string, listener: (message: MessageEvent) => void): void;
}

export interface LiveStream extends EventFeed {
	close(): void;
}

const MAX_PAUSE_MS = 30_000;

/** The pause before the n-th reopening: 1 s, 2 s, 4 s … up to 30 s, each between half and 1.5×. */
export function reopenPause(attempt: number, random: () => number = Math.random): number {
	return Math.min(MAX_PAUSE_MS, 1000 * 2 ** attempt) * (0.5 + random());
}

export function liveStream(
	/** the stream's URL; from a reopening on, with the last event id seen (null: none yet) */
	url: (lastEventId: string | null) => string,
	opts: { onState?: (state: LiveState) => void; lastEventId?: string | null } = {}
): LiveStream {
	const onState = opts.onState ?? (() => {});
	const listeners: [string, (message: MessageEvent) => void][] = [];
	let last = opts.lastEventId ?? null;
	let source: EventSource | null = null;
	let attempt = 0;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let closed = false;

	const note = (message: MessageEvent) => {
		if (message.lastEventId) last = message.lastEventId;
	};
	const add = (s: EventSource, type: string, listener: (message: MessageEvent) => void) =>
		s.addEventListener(type, (message) => {
			note(message);
			listener(message);
		});

	function open() {
		const s = new EventSource(url(last));
		source = s;
		onState('connecting');
		// the ready event carries the stream's position as its id (server/realtime/sse.ts)
		s.addEventListener('ready', (message) => {
			note(message);
			attempt = 0;
			onState('live');
		});
		s.onopen = () => {
			attempt = 0;
			onState('live');
		};
		s.onerror = () => {
			if (closed || s !== source) return;
			if (s.readyState !== EventSource.CLOSED) return onState('connecting');
			onState('offline');
			s.close();
			timer = setTimeout(open, reopenPause(attempt++));
		};
		for (const [type, listener] of listeners) add(s, type, listener);
	}
	open();

	return {
		addEventListener(type, listener) {
			listeners.push([type, listener]);
			if (source) add(source, type, listener);
		},
		close() {
			closed = true;
			if (timer) clearTimeout(timer);
			source?.close();
		}
	};
}

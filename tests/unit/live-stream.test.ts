// The page's stream that does not give up (web/lib/live-stream.ts): an EventSource closed by an
// answer other than 200 (the balancer's 502 while a node restarts) is opened again after a
// spread-out pause, from the last event id it saw; handlers carry over; close() stops it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveStream, reopenPause } from '../../web/lib/live-stream.ts';
import { reconnectAfterMs } from '../../server/realtime/sse.ts';

class FakeEventSource {
	static CONNECTING = 0;
	static OPEN = 1;
	static CLOSED = 2;
	static all: FakeEventSource[] = [];
	readyState = FakeEventSource.CONNECTING;
	onopen: (() => void) | null = null;
	onerror: (() => void) | null = null;
	listeners = new Map<string, ((m: MessageEvent) => void)[]>();
	url: string;
	constructor(url: string) {
		this.url = url;
		FakeEventSource.all.push(this);
	}
	addEventListener(type: string, fn: (m: MessageEvent) => void) {
		this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
	}
	emit(type: string, id: string, data = '{}') {
		for (const fn of this.listeners.get(type) ?? [])
			fn(new MessageEvent(type, { data, lastEventId: id }));
	}
	/** the server answered 502: EventSource gives up */
	fail() {
		this.readyState = FakeEventSource.CLOSED;
		this.onerror?.();
	}
	close() {
		this.readyState = FakeEventSource.CLOSED;
	}
}

beforeEach(() => {
	FakeEventSource.all = [];
	vi.stubGlobal('EventSource', FakeEventSource);
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

describe('liveStream', () => {
	it('a stream closed by a 502 is opened again from the last id it saw, with its handlers', () => {
		const seen: string[] = [];
		const states: string[] = [];
		const stream = liveStream(
			(last) => `/api/queue/events?hallId=h${last ? `&lastEventId=${last}` : ''}`,
			{
				onState: (s) => states.push(s)
			}
		);
		stream.addEventListener('ticket.called', (m) => seen.push(m.lastEventId));
		const first = FakeEventSource.all[0];
		expect(first.url).toBe('/api/queue/events?hallId=h');
		first.emit('ready', '41');
		first.emit('ticket.called', '42');
		first.fail();
		expect(states.at(-1)).toBe('offline');
		vi.advanceTimersByTime(1500); // the first pause: 0.5-1.5 s
		const second = FakeEventSource.all[1];
		expect(second.url).toBe('/api/queue/events?hallId=h&lastEventId=42');
		second.emit('ticket.called', '43');
		expect(seen).toEqual(['42', '43']);
		stream.close();
		second.fail();
		vi.advanceTimersByTime(60_000);
		expect(FakeEventSource.all).toHaveLength(2);
	});

	it('a stream that had no event resumes from its ready id', () => {
		liveStream((last) => `/s${last ? `?lastEventId=${last}` : ''}`);
		FakeEventSource.all[0].emit('ready', '7');
		FakeEventSource.all[0].fail();
		vi.advanceTimersByTime(1500);
		expect(FakeEventSource.all[1].url).toBe('/s?lastEventId=7');
	});

	it('pauses grow and are spread at random, up to 30 s', () => {
		expect(reopenPause(0, () => 0)).toBe(500);
		expect(reopenPause(0, () => 1)).toBe(1500);
		expect(reopenPause(3, () => 0.5)).toBe(8000);
		expect(reopenPause(20, () => 1)).toBe(45_000);
	});

	it("the server's reconnect delay is drawn per stream between 1 and 3.5 s", () => {
		expect(reconnectAfterMs(() => 0)).toBe(1000);
		expect(reconnectAfterMs(() => 0.999)).toBeLessThanOrEqual(3500);
	});
});

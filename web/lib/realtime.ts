// Live updates over server-sent events. The stream reconnects by itself (./live-stream.ts) and
// sends the last event id it saw, so the server replays what was missed; the pages refetch their data on each
// event. Each message's data is read with a reader of its shape, so what a page reads from an
// event is typed and checked, never cast: a zod schema (schemaReader) where the page has zod
// anyway, a hand-written reader (shared/event-readers.ts) on the citizen's light pages.
import type { z } from 'zod';
import { readRecord } from '$shared/event-readers.ts';
import { apiPath } from './api.ts';
import { liveStream, type EventFeed } from './live-stream.ts';

export type LiveState = 'connecting' | 'live' | 'offline';

/** Reads an event's JSON data: the typed value, or undefined when it has another shape. */
export type EventReader<T> = (json: unknown) => T | undefined;

/**
 * A reader from a zod schema. Takes the schema as a value its caller imports, so this module
 * does not make every page that follows a stream download zod.
 */
export function schemaReader<S extends z.ZodType>(schema: S): EventReader<z.output<S>> {
	return (json) => {
		const parsed = schema.safeParse(json);
		if (parsed.success) return parsed.data;
		console.warn('unexpected event data', parsed.error.issues);
		return undefined;
	};
}

/**
 * Calls `handler` with each `type` event of the stream, its JSON data read with `read`. A
 * message that does not match is reported on the console and skipped.
 */
export function onEvent<T>(
	source: EventFeed,
	type: string,
	read: EventReader<T>,
	handler: (data: T, message: MessageEvent) => void
): void {
	source.addEventListener(type, (message) => {
		let json: unknown;
		try {
			json = JSON.parse(String(message.data || '{}'));
		} catch {
			json = undefined;
		}
		const data = read(json);
		if (data !== undefined) handler(data, message);
		else console.warn(`event ${type}: unexpected data`);
	});
}

const EVENTS = [
	'ticket.issued',
	'ticket.called',
	'ticket.recalled',
	'ticket.no_show',
	'ticket.started',
	'ticket.finished',
	'ticket.transferred',
	'ticket.cancelled',
	'ticket.rejoined',
	'ticket.video',
	'desk.opened',
	'desk.closed',
	'refetch'
];

/** A hall's event: its payload is public (codes and desks), read field by field. */
export interface HallEvent {
	type: string;
	id: number;
	data: Record<string, unknown>;
}

export function subscribeHall(
	hallId: string,
	onHallEvent: (event: HallEvent) => void,
	onState: (state: LiveState) => void = () => {}
): () => void {
	const source = liveStream(
		(lastEventId) =>
			apiPath((api) =>
				api.queue.events.$path({
					query: { hallId, ...(lastEventId ? { lastEventId } : {}) }
				})
			),
		{ onState }
	);
	for (const type of EVENTS)
		onEvent(source, type, readRecord, (data, message) => {
			onState('live');
			onHallEvent({ type, id: Number(message.lastEventId), data });
		});
	return () => source.close();
}

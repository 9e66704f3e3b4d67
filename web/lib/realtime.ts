// Live updates over server-sent events. The stream reconnects by itself (./live-stream.ts) and
// sends the last event id it saw, so the server replays what was missed; the pages refetch their data on each
// event. Each message's data is parsed with the zod schema that describes it (shared/schemas),
// so what a page reads from an event is typed and checked, never cast.
import { z } from 'zod';
import { apiPath } from './api.ts';
import { liveStream, type EventFeed } from './live-stream.ts';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Calls `handler` with each `type` event of the stream, its JSON data parsed with `schema`. A
 * message that does not match is reported on the console and skipped.
 */
export function onEvent<S extends z.ZodType>(
	source: EventFeed,
	type: string,
	schema: S,
	handler: (data: z.output<S>, message: MessageEvent) => void
): void {
	source.addEventListener(type, (message) => {
		let json: unknown;
		try {
			json = JSON.parse(String(message.data || '{}'));
		} catch {
			json = undefined;
		}
		const parsed = schema.safeParse(json);
		if (parsed.success) handler(parsed.data, message);
		else console.warn(`event ${type}: unexpected data`, parsed.error.issues);
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
const HallEventData = z.record(z.string(), z.unknown());

export interface HallEvent {
	type: string;
	id: number;
	data: z.output<typeof HallEventData>;
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
		onEvent(source, type, HallEventData, (data, message) => {
			onState('live');
			onHallEvent({ type, id: Number(message.lastEventId), data });
		});
	return () => source.close();
}

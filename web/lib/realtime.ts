// Live updates of a hall over SSE. EventSource reconnects by itself and sends Last-Event-ID,
// so the server replays what was missed; the page refetches its data on each event.
export type LiveState = 'connecting' | 'live' | 'offline';

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

export interface HallEvent {
	type: string;
	id: number;
	data: Record<string, unknown>;
}

export function subscribeHall(
	hallId: string,
	onEvent: (event: HallEvent) => void,
	onState: (state: LiveState) => void = () => {}
): () => void {
	const source = new EventSource(`/api/queue/events?hallId=${encodeURIComponent(hallId)}`);
	onState('connecting');
	source.addEventListener('ready', () => onState('live'));
	source.onerror = () =>
		onState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
	for (const type of EVENTS)
		source.addEventListener(type, (e) => {
			const message = e as MessageEvent<string>;
			onState('live');
			onEvent({ type, id: Number(message.lastEventId), data: JSON.parse(message.data || '{}') });
		});
	return () => source.close();
}

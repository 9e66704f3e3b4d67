// A waiting ticket as the calling order sees it (server/queue/order.ts), for the queue's unit
// tests: a walk-in of category A unless `extra` says otherwise.
import type { QueueEntry } from '../../server/queue/order.ts';

export const waitingEntry = (
	id: string,
	orderKey: number,
	extra: Partial<QueueEntry> = {}
): QueueEntry => ({
	id,
	category: 'A',
	priority: false,
	slotStart: null,
	orderKey,
	seq: orderKey,
	targetDeskId: null,
	...extra
});

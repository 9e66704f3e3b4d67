import type { Deps } from '../deps.ts';
import type { EventLog } from '../realtime/sse.ts';
import { createQueueRepo } from './repo.ts';

/** A hall's queue events (public: codes and desks, never who holds a ticket). */
export function hallEventLog(deps: Deps, hallId: string): EventLog {
	const repo = createQueueRepo(deps.store);
	return {
		topic: `hall:${hallId}`,
		newestId: () => repo.lastEventId(hallId),
		after: async (id, limit) =>
			(await repo.eventsAfter(hallId, id, limit)).map((e) => ({
				id: e.id,
				event: e.type,
				data: e.payload
			}))
	};
}

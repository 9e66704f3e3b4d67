import type { Context } from 'hono';
import type { Deps } from '../deps.ts';
import { streamEventLog } from '../realtime/sse.ts';
import { createQueueRepo } from './repo.ts';

/** A hall's queue events (public: codes and desks, never who holds a ticket). */
export function streamHallEvents(
	c: Context,
	deps: Deps,
	hallId: string,
	lastEventId: number | null
) {
	const repo = createQueueRepo(deps.db);
	return streamEventLog(
		c,
		{
			newestId: () => repo.lastEventId(hallId),
			after: (id, limit) =>
				repo
					.eventsAfter(hallId, id, limit)
					.map((e) => ({ id: e.id, event: e.type, data: e.payload }))
		},
		lastEventId
	);
}

import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import { localDate, zonedTime } from '../../shared/dates.ts';
import type { Board } from '../../shared/schemas/queue.ts';
import { createQueueRepo } from './repo.ts';

export async function findHall(deps: Deps, idOrCode: string) {
	const hall = await createQueueRepo(deps.store).findHall(idOrCode);
	if (!hall) throw AppError.notFound('Hall');
	return hall;
}

export function listHalls(deps: Deps) {
	return createQueueRepo(deps.store).halls();
}

/** The queue board (叫号屏): who is called to which desk, and how many wait per category. */
export async function boardOf(deps: Deps, idOrCode: string): Promise<Board> {
	const repo = createQueueRepo(deps.store);
	const hall = await findHall(deps, idOrCode);
	const day = localDate(deps.now(), deps.config.timeZone);
	const calling = (
		await repo.recentCalls(hall.id, 8, zonedTime(day, '00:00', deps.config.timeZone))
	).map((e) => {
		const p = JSON.parse(e.payload) as { code: string; deskName: string };
		return {
			code: p.code,
			deskName: p.deskName,
			at: toIso(e.created_at, deps.config.timeZone),
			eventId: e.id
		};
	});
	return {
		hall,
		calling,
		waiting: await repo.waitingCounts(hall.id, day),
		lastEventId: await repo.lastEventId(hall.id)
	};
}

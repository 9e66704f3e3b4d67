// Estimated wait (预计等待). Method: the people ahead of a ticket (replaying the calling order)
// plus half a service for the person being served now, times the average service time of
// the category, shared by the desks open for that category:
//     minutes = round((ahead + 0.5) × averageServiceMinutes / max(1, desksOpen))
// averageServiceMinutes is the mean of the last 20 finished services of the category in the
// hall over the past 7 days (call to finish), or 8 minutes without history. The simulation
// (`npm run simulate:queue`) replays a day and prints the mean absolute error.

export const DEFAULT_SERVICE_MINUTES = 8;
export const HISTORY_SIZE = 20;

export function averageServiceMinutes(durationsMs: readonly number[]): number {
	const recent = durationsMs.filter((d) => d > 0).slice(0, HISTORY_SIZE);
	if (!recent.length) return DEFAULT_SERVICE_MINUTES;
	return recent.reduce((a, b) => a + b, 0) / recent.length / 60_000;
}

export { estimateWaitMinutes } from '../../shared/wait-estimate.ts';

// The estimated wait (预计等待) formula, shared by the server (server/queue/estimate.ts explains
// the method) and the ticket page, which recomputes it when a queue event moves its ticket.
export function estimateWaitMinutes(
	ahead: number,
	averageMinutes: number,
	desksOpen: number
): number {
	return Math.round(((ahead + 0.5) * averageMinutes) / Math.max(1, desksOpen));
}

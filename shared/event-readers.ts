// Readers of live-event data for the citizen's pages (issue 19: ≤ 60 KB before the video chunk).
// The zod schemas in shared/schemas describe the same shapes, but importing one downloads zod
// (25 KB gzip), more than the ticket page's own code: the ticket and call pages check their events
// with these few lines instead. Each reader returns what its schema's safeParse returns (only the
// schema's fields, undefined where the schema fails), and tests/unit/event-readers.test.ts holds
// them to that on generated data, so the two cannot drift apart.
import type { OrderChange } from './schemas/queue-order.ts';
import type { SessionEvent } from './schemas/video.ts';

/** A plain JSON object (what z.record(z.string(), …) and z.object accept; not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isInt = (value: unknown): value is number =>
	typeof value === 'number' && Number.isSafeInteger(value);
const isNumber = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);
const isStringOrNull = (value: unknown): value is string | null =>
	value === null || typeof value === 'string';

/** z.record(z.string(), z.unknown()): a hall event's public data. */
export function readRecord(value: unknown): Record<string, unknown> | undefined {
	return isRecord(value) ? { ...value } : undefined;
}

/** shared/schemas/video.ts SessionEventSchema: one event of a video session's stream. */
export function readSessionEvent(value: unknown): SessionEvent | undefined {
	if (!isRecord(value)) return undefined;
	const { id, type, actorId, actorName, payload, at } = value;
	if (!isInt(id) || typeof type !== 'string' || typeof at !== 'string') return undefined;
	if (!isStringOrNull(actorId) || !isStringOrNull(actorName) || !isRecord(payload))
		return undefined;
	return { id, type, actorId, actorName, payload: { ...payload }, at };
}

/** shared/schemas/queue-order.ts OrderChangeSchema: how a queue event moved the waiting order. */
export function readOrderChange(value: unknown): OrderChange | undefined {
	if (!isRecord(value)) return undefined;
	const { base, moves, tickets, estimates } = value;
	if (!isInt(base) || !Array.isArray(moves) || !isRecord(tickets) || !isRecord(estimates))
		return undefined;
	const readMoves: OrderChange['moves'] = [];
	for (const move of moves) {
		if (!Array.isArray(move) || move.length !== 4) return undefined;
		const [category, from, to, delta] = move;
		if (typeof category !== 'string' || !isInt(from) || !isInt(to) || !isInt(delta))
			return undefined;
		readMoves.push([category, from, to, delta]);
	}
	const readTickets: OrderChange['tickets'] = {};
	for (const [id, ahead] of Object.entries(tickets)) {
		if (!isInt(ahead)) return undefined;
		readTickets[id] = ahead;
	}
	const readEstimates: OrderChange['estimates'] = {};
	for (const [category, estimate] of Object.entries(estimates)) {
		if (!isRecord(estimate) || !isNumber(estimate.minutes) || !isInt(estimate.desks))
			return undefined;
		readEstimates[category] = { minutes: estimate.minutes, desks: estimate.desks };
	}
	return { base, moves: readMoves, tickets: readTickets, estimates: readEstimates };
}

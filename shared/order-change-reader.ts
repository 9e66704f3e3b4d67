// The reader of a queue event's change of the waiting order (shared/event-readers.ts says why
// pages read events by hand); a module of its own, so only the ticket page downloads it.
import { isInt, isNumber, isRecord } from './event-readers.ts';
import type { OrderChange } from './schemas/queue-order.ts';

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

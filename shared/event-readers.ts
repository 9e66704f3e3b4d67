// Readers of live-event data for the citizen's pages (issue 19: ≤ 60 KB before the video chunk).
// The zod schemas in shared/schemas describe the same shapes, but importing one downloads zod
// (25 KB gzip), more than the ticket page's own code: the ticket and call pages check their events
// with these few lines instead. Each reader returns what its schema's safeParse returns (only the
// schema's fields, undefined where the schema fails), and tests/unit/event-readers.test.ts holds
// them to that on generated data, so the two cannot drift apart. A change of the waiting order
// has its reader in ./order-change-reader.ts: only the ticket page reads one.
import type { SessionEvent } from './schemas/video.ts';

/** A plain JSON object (what z.record(z.string(), …) and z.object accept; not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export const isInt = (value: unknown): value is number =>
	typeof value === 'number' && Number.isSafeInteger(value);
export const isNumber = (value: unknown): value is number =>
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

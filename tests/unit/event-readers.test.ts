// The hand-written event readers (shared/event-readers.ts) answer what their zod schemas answer:
// on a valid value and on every variant of it with one field removed, replaced by a value of
// another kind, or given an extra key, the reader returns the schema's output or undefined.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readRecord, readSessionEvent } from '../../shared/event-readers.ts';
import { readOrderChange } from '../../shared/order-change-reader.ts';
import { OrderChangeSchema } from '../../shared/schemas/queue-order.ts';
import { SessionEventSchema } from '../../shared/schemas/video.ts';

const ODD_VALUES: unknown[] = [
	undefined,
	null,
	'',
	'x',
	0,
	-3,
	1.5,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	2 ** 60,
	true,
	[],
	['A', 1, 2, 3],
	['A', 1, 2],
	['A', 1, 2, 3, 4],
	[1, 1, 2, 3],
	{},
	{ a: 1 },
	{ minutes: 5, desks: 2 },
	{ minutes: 'five', desks: 2 },
	{ minutes: 5, desks: 1.5 }
];

/** The value, and each variant of it one step away (at every depth). */
function variants(value: unknown): unknown[] {
	const out: unknown[] = [value, ...ODD_VALUES];
	if (Array.isArray(value)) {
		value.forEach((item, i) => {
			for (const v of variants(item)) out.push(value.map((x, j) => (i === j ? v : x)));
		});
		out.push([...value, 'extra']);
	} else if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		for (const key of Object.keys(record)) {
			const { [key]: _removed, ...rest } = record;
			out.push(rest);
			for (const v of variants(record[key])) out.push({ ...record, [key]: v });
		}
		out.push({ ...record, extra: 1 });
	}
	return out;
}

function agrees<T>(read: (json: unknown) => T | undefined, schema: z.ZodType, valid: unknown) {
	const cases = variants(valid);
	let accepted = 0;
	for (const json of cases) {
		const parsed = schema.safeParse(json);
		const expected = parsed.success ? parsed.data : undefined;
		expect(read(json), JSON.stringify(json)).toEqual(expected);
		if (parsed.success) accepted++;
	}
	// the generated cases hold both answers, so a reader that always agreed by refusing would fail
	expect(accepted).toBeGreaterThan(1);
	expect(accepted).toBeLessThan(cases.length);
}

describe('event readers agree with their schemas', () => {
	it('a video session event', () => {
		agrees(readSessionEvent, SessionEventSchema, {
			id: 42,
			type: 'chat',
			actorId: 'u1',
			actorName: '王芳',
			payload: { text: '您好', nested: { a: [1, 2] } },
			at: '2026-11-30T09:00:00.000Z'
		});
		agrees(readSessionEvent, SessionEventSchema, {
			id: 7,
			type: 'session.ended',
			actorId: null,
			actorName: null,
			payload: {},
			at: '2026-11-30T09:00:00.000Z'
		});
	});

	it('a change of the waiting order', () => {
		agrees(readOrderChange, OrderChangeSchema, {
			base: 1200,
			moves: [
				['A', 0, 40, -1],
				['B', 3, 9, 1]
			],
			tickets: { t1: 0, t2: 5 },
			estimates: { A: { minutes: 6.5, desks: 2 }, B: { minutes: 10, desks: 0 } }
		});
		agrees(readOrderChange, OrderChangeSchema, { base: 0, moves: [], tickets: {}, estimates: {} });
	});

	it("a hall event's data", () => {
		agrees(readRecord, z.record(z.string(), z.unknown()), {
			ticketId: 't1',
			code: 'A012',
			order: { base: 1 }
		});
	});

	it('returns a copy, so a page cannot change the message it read', () => {
		const payload = { text: 'hi' };
		const event = readSessionEvent({
			id: 1,
			type: 'chat',
			actorId: null,
			actorName: null,
			payload,
			at: ''
		});
		expect(event?.payload).toEqual(payload);
		expect(event?.payload).not.toBe(payload);
	});
});

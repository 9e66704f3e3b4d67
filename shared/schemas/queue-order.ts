// What a queue event tells the open ticket pages about the waiting order (issue 19): enough for
// a page to move its own ticket without asking the server, so one call costs O(waiting) in all.
import { z } from 'zod';

export const OrderChangeSchema = z.object({
	/** The hall's event id these moves start from: a page that has not seen it refetches. */
	base: z.number().int(),
	/**
	 * [category, from, to, delta]: a waiting ticket of the category (not sent to a desk) that had
	 * `from` ≤ ahead ≤ `to` tickets before it now has ahead + delta.
	 */
	moves: z.array(z.tuple([z.string(), z.number().int(), z.number().int(), z.number().int()])),
	/** Tickets sent to a desk (their own line) in the categories that moved: ticket id → ahead. */
	tickets: z.record(z.string(), z.number().int()),
	/** Per category touched: the average service minutes and the desks open, for the estimate. */
	estimates: z.record(z.string(), z.object({ minutes: z.number(), desks: z.number().int() }))
});
export type OrderChange = z.infer<typeof OrderChangeSchema>;

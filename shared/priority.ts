// Who is served first (the hall's priority window): kept apart from the zod schemas
// (schemas/queue.ts) so a page that offers the choice does not download zod.
export const PRIORITY_REASONS = ['elderly', 'disabled', 'pregnant'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];

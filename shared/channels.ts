// How a service is done: by video from home, or on site at a hall. Kept apart from the zod
// schemas (schemas/catalog.ts) so a page that lists the channels does not download zod.
export const CHANNELS = ['video', 'onsite'] as const;
export type Channel = (typeof CHANNELS)[number];

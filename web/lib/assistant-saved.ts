// The assistant's conversation as the tab keeps it (sessionStorage), checked when read back.
// A module of its own, imported only when the tab has kept a conversation, so that the pages
// showing the assistant do not download zod for a first visit.
import { z } from 'zod';
import { AskResult } from '$shared/schemas/assistant.ts';

const Turn = z.object({ question: z.string(), result: AskResult.nullable() });
const Saved = z.object({ conversationId: z.string(), turns: z.array(Turn) });
export type SavedConversation = z.infer<typeof Saved>;

/** The kept conversation, or null when the stored text is damaged or of another shape. */
export function readSavedConversation(raw: string): SavedConversation | null {
	try {
		const saved = Saved.safeParse(JSON.parse(raw));
		return saved.success ? saved.data : null;
	} catch {
		return null;
	}
}

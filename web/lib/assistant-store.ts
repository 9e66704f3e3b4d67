// Where the assistant's chat keeps its conversation in the tab (sessionStorage), one key per
// signed-in user, so a shared tab never shows one person's questions to the next.
const PREFIX = 'hall.assistant.';

export const conversationKey = (userId: string | null) => `${PREFIX}${userId ?? 'guest'}`;

/** Forget every conversation kept in this tab (on sign-out, and on sign-in for the guest's). */
export function clearConversations(keep?: string): void {
	try {
		for (let i = sessionStorage.length - 1; i >= 0; i--) {
			const key = sessionStorage.key(i);
			if (key?.startsWith(PREFIX) && key !== keep) sessionStorage.removeItem(key);
		}
	} catch {
		// storage unavailable: nothing was kept
	}
}

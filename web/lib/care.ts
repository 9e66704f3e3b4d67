// 适老化 (age-friendly) mode, following MIIT's guidelines for websites: large text (20 px and
// up), large targets (48 px, main actions 60 px), stronger contrast, no pop-ups, and the key
// moments read aloud. The device keeps it in the `care` cookie, the account in its
// preferences (PUT /api/me/preferences); <html data-care="on"> switches the styles in app.css.
export const CARE_COOKIE = 'care';
export const CARE_COOKIE_OPTIONS = {
	path: '/',
	httpOnly: false,
	sameSite: 'lax',
	secure: false,
	maxAge: 365 * 24 * 60 * 60
} as const;

/** Whether the page is in 适老化 mode (the attribute the server rendered). */
export function careMode(): boolean {
	return typeof document !== 'undefined' && document.documentElement.dataset.care === 'on';
}

/**
 * Reads a key moment aloud in 适老化 mode (the ticket is called, the agent is ready, the field
 * the agent points at, what to do next), with the browser's own speech; silent otherwise or
 * where the browser cannot speak. A newer moment interrupts an older one.
 */
export function readAloud(text: string): void {
	if (!careMode() || typeof speechSynthesis === 'undefined') return;
	const utterance = new SpeechSynthesisUtterance(text);
	// the page's language, as the server rendered it
	utterance.lang = document.documentElement.lang === 'en' ? 'en-US' : 'zh-CN';
	utterance.rate = 0.9;
	speechSynthesis.cancel();
	speechSynthesis.speak(utterance);
}

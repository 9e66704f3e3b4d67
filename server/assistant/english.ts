// English questions (issue 25 item 4): the index finds an item for an English question by its
// English side (retrieval/english.ts); here the answer is given in English too, from the item's
// English name and key fields, and an unanswered English question is replied to in English
// (the web says the assistant understands Chinese best, and offers a person).
import { isEnglish } from './retrieval/english.ts';
import type { KbEntry } from './retrieval/index.ts';

export type ReplyLang = 'zh' | 'en';

/** The answer to an English question in English: the entry's English name and key fields. */
export function englishAnswer(
	entry: KbEntry,
	question: string
): { title: string; excerpt: string } | null {
	if (!entry.en || !isEnglish(question)) return null;
	// the title shows the name: the excerpt is the key fields that follow it
	const { title, text } = entry.en;
	const excerpt = text.startsWith(`${title}. `) ? text.slice(title.length + 2) : text;
	return { title, excerpt };
}

/**
 * The language of the reply: English for an English question, answered from an entry's English
 * text or not answered at all; Chinese otherwise (an entry with no English is shown as it is).
 */
export function replyLang(question: string, entry: KbEntry | null): ReplyLang {
	if (!isEnglish(question)) return 'zh';
	return !entry || entry.en ? 'en' : 'zh';
}

// The punctuation code joins translated parts with: a list, a label and its value, a note in
// brackets.
// English: exactly the keys of ../zh-CN/punctuation.ts (the type below says so).
import type zh from '../zh-CN/punctuation.ts';

export default {
	'punct.listSep': ', ',
	'punct.listSepStrong': '; ',
	'punct.colon': ': ',
	'punct.withNote': '{text} ({note})'
} satisfies Record<keyof typeof zh, string>;

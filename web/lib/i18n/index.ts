// The UI's messages in Simplified Chinese (the default) and English. zh-CN.ts and en.ts assemble
// one file per feature under zh-CN/ and en/; each en/<feature>.ts is typed against its Chinese
// file, so a key missing in either language is a type error, and t() takes only a MessageKey.
// tests/unit/i18n.test.ts also checks that the code uses every key (see its DYNAMIC prefixes).
import { getContext, setContext } from 'svelte';
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'lang';
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
	const messages = catalogues[locale];
	return (key, vars) => {
		const text = messages[key] ?? zhCN[key] ?? key;
		return vars
			? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m))
			: text;
	};
}

/** Whether the catalogue has a key (for codes that come from the API). */
export function hasMessage(key: string): key is MessageKey {
	return key in zhCN;
}

const KEY = Symbol('i18n');
export function setI18n(get: () => Locale): void {
	setContext(KEY, get);
}
/** The translate function of the page's locale; call inside a component's script. */
export function useT(): Translate {
	const get = getContext<() => Locale>(KEY);
	return (key, vars) => translator(get ? get() : DEFAULT_LOCALE)(key, vars);
}

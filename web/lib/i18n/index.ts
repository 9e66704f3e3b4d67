// The UI's messages in Simplified Chinese (the default) and English. zh-CN.ts and en.ts assemble
// one file per feature under zh-CN/ and en/; each en/<feature>.ts is typed against its Chinese
// file, so a key missing in either language is a type error, and t() takes only a MessageKey.
// tests/unit/i18n.test.ts also checks that the code uses every key (see its DYNAMIC prefixes).
import { getContext, setContext } from 'svelte';
import { MESSAGE_PARTS, type MessagePart } from './parts.ts';
import type { MessageKey } from './zh-CN.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'lang';
/** How the `lang` cookie is kept: by /lang (a choice) and hooks.server.ts (a first visit). */
export const LOCALE_COOKIE_OPTIONS = {
	path: '/',
	httpOnly: false,
	sameSite: 'lax',
	maxAge: 365 * 86400,
	secure: false
} as const;
export type { MessageKey };

type Catalogue = Partial<Record<MessageKey, string>>;

/**
 * Each language's parts are chunks of their own (./parts.ts), loaded by the root layout
 * (web/routes/+layout.ts) before a page renders: a browser downloads its reader's language only,
 * and of it only the parts the page shows.
 */
const partLoaders: Record<Locale, Record<string, () => Promise<{ default: Catalogue }>>> = {
	'zh-CN': import.meta.glob<{ default: Catalogue }>('./zh-CN/*.ts'),
	en: import.meta.glob<{ default: Catalogue }>('./en/*.ts')
};
const catalogues: Partial<Record<Locale, Catalogue>> = {};
const loadedParts: Record<Locale, Set<MessagePart>> = { 'zh-CN': new Set(), en: new Set() };

/**
 * Makes parts of a language's messages available to t() (at once when they already are). The
 * server loads every part: it renders any page, and keeps them for every request after.
 */
export async function loadMessages(locale: Locale, parts: readonly MessagePart[]): Promise<void> {
	const loaded = loadedParts[locale];
	const wanted = (import.meta.env.SSR ? MESSAGE_PARTS : parts).filter((p) => !loaded.has(p));
	if (!wanted.length) return;
	const messages = await Promise.all(
		wanted.map(async (part) => (await partLoaders[locale][`./${locale}/${part}.ts`]()).default)
	);
	catalogues[locale] = Object.assign(catalogues[locale] ?? {}, ...messages);
	for (const part of wanted) loaded.add(part);
}

/**
 * A module a page shows only sometimes (a component behind a condition), downloaded with the
 * message parts it shows beyond the page's own: both before it renders. The parts are written
 * beside the import, where tests/unit/message-parts.test.ts reads them. Each language's download
 * is one promise, given again every time it is asked for: an {#await} that asks again (its page's
 * data changed) keeps its component and the component's state, where a new promise would show
 * the pending branch for a moment and mount a new one.
 *
 * `load` gives null on the server: `() => (import.meta.env.SSR ? null : import('…'))`. The server
 * renders an {#await} as its pending branch, so it never shows the module; and SvelteKit links
 * the stylesheet of every module the server's build can import from a page into that page's
 * head, so an import left in the server's build costs every visit its CSS before the page runs.
 * In the browser the CSS comes with the module's own download, before it renders.
 */
export function lazyWithMessages<T>(
	parts: readonly MessagePart[],
	load: () => Promise<T> | null
): (locale: Locale) => Promise<T> {
	const downloads = new Map<Locale, Promise<T>>();
	return (locale) => {
		let download = downloads.get(locale);
		if (!download) {
			const module = load();
			// on the server: pending, as the {#await} that asks for it is rendered
			if (!module) return new Promise<T>(() => {});
			download = Promise.all([module, loadMessages(locale, parts)]).then(([loaded]) => loaded);
			downloads.set(locale, download);
			// a download that failed (the phone lost its network) is tried again when next asked
			download.catch(() => downloads.delete(locale));
		}
		return download;
	};
}

/** Any loaded catalogue: the languages have the same keys (tests/unit/i18n.test.ts). */
function loadedCatalogue(): Catalogue | undefined {
	return catalogues[DEFAULT_LOCALE] ?? catalogues.en;
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale of a first visit, from the browser's Accept-Language header: the languages by
 * falling q-value (ties keep their order, q=0 means "not this one"); the first `en…` gives English,
 * the first `zh…` Chinese; nothing recognised (or no header) gives the default, Chinese.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
	const ranges = (acceptLanguage ?? '')
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)).find(Boolean);
			const quality = q ? Number(q[1]) : 1;
			return {
				tag: tag.trim().toLowerCase(),
				q: Number.isFinite(quality) ? quality : 0,
				index
			};
		})
		.filter((r) => r.tag && r.q > 0)
		.sort((a, b) => b.q - a.q || a.index - b.index);
	for (const { tag } of ranges) {
		if (tag === 'en' || tag.startsWith('en-')) return 'en';
		if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
	}
	return DEFAULT_LOCALE;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
	const messages = catalogues[locale] ?? loadedCatalogue();
	return (key, vars) => {
		const text = messages?.[key] ?? key;
		return vars
			? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m))
			: text;
	};
}

/**
 * The keys of messages with a count, each a pair `<key>_one` / `<key>_other` in the catalogue
 * (Chinese has one form, so its two are alike); tn() picks one by the locale's plural rules.
 */
export type PluralKey = {
	[K in MessageKey]: K extends `${infer Base}_other`
		? `${Base}_one` extends MessageKey
			? Base
			: never
		: never;
}[MessageKey];

/** A message with a count: `{count}` in it is the number; other variables as for t(). */
export type TranslateCount = (
	key: PluralKey,
	count: number,
	vars?: Record<string, string | number>
) => string;

/** One PluralRules per language: building one costs more than a page's worth of lookups. */
const pluralRules = new Map<Locale, Intl.PluralRules>();

export function countTranslator(locale: Locale): TranslateCount {
	const t = translator(locale);
	const rules = pluralRules.get(locale) ?? new Intl.PluralRules(locale);
	pluralRules.set(locale, rules);
	return (key, count, vars) =>
		t(`${key}_${rules.select(count) === 'one' ? 'one' : 'other'}`, { ...vars, count });
}

/** Whether the catalogue has a key (for codes that come from the API). */
export function hasMessage(key: string): key is MessageKey {
	const messages = loadedCatalogue();
	return !!messages && key in messages;
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
/** The count-aware translate function (tn('service.days', 3)); call inside a component's script. */
export function useTn(): TranslateCount {
	const get = getContext<() => Locale>(KEY);
	return (key, count, vars) => countTranslator(get ? get() : DEFAULT_LOCALE)(key, count, vars);
}

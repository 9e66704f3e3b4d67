// A first visit gets the browser's language (Accept-Language), English or Chinese, else Chinese.
import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../web/lib/i18n/index.ts';

describe('negotiateLocale', () => {
	it('gives English to an English browser, whatever its region', () => {
		expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
		expect(negotiateLocale('en')).toBe('en');
		expect(negotiateLocale('EN-gb')).toBe('en');
		expect(negotiateLocale('fr-FR,fr;q=0.9,en;q=0.5')).toBe('en');
	});

	it('gives Chinese to a Chinese browser, any script or region', () => {
		expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
		expect(negotiateLocale('zh-TW')).toBe('zh-CN');
		expect(negotiateLocale('zh-Hans-CN')).toBe('zh-CN');
		expect(negotiateLocale('zh')).toBe('zh-CN');
	});

	it('honours q-values, not the order they are written in', () => {
		expect(negotiateLocale('zh-CN;q=0.4,en-US;q=0.8')).toBe('en');
		expect(negotiateLocale('en;q=0.3, zh ; q = 0.7')).toBe('zh-CN');
		// equal q-values keep the header's order
		expect(negotiateLocale('en;q=0.5,zh;q=0.5')).toBe('en');
		// q=0 means "not this language"
		expect(negotiateLocale('en;q=0,zh-CN;q=0.1')).toBe('zh-CN');
		expect(negotiateLocale('en;q=0')).toBe('zh-CN');
	});

	it('falls back to Chinese when nothing is recognised', () => {
		expect(negotiateLocale(null)).toBe('zh-CN');
		expect(negotiateLocale(undefined)).toBe('zh-CN');
		expect(negotiateLocale('')).toBe('zh-CN');
		expect(negotiateLocale('*')).toBe('zh-CN');
		expect(negotiateLocale('fr-FR,de;q=0.8')).toBe('zh-CN');
		expect(negotiateLocale(';;,,q=1')).toBe('zh-CN');
		// "eng" and "zhx" are other languages, not en and zh
		expect(negotiateLocale('eng,zhx')).toBe('zh-CN');
	});
});

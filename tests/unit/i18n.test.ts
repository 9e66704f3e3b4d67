// Every user-visible string lives in the catalogue, in both languages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/lib/i18n/en.ts';
import { zhCN } from '../../web/lib/i18n/zh-CN.ts';
import { translator } from '../../web/lib/i18n/index.ts';

function files(dir: string): string[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const web = path.resolve(import.meta.dirname, '../../web');

describe('message catalogue', () => {
	it('English has exactly the keys of Chinese, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
		for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe('');
		for (const [k, v] of Object.entries(zhCN)) expect(v.trim(), k).not.toBe('');
	});

	it('placeholders match between languages', () => {
		const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[])
			expect(vars(en[key]), key).toEqual(vars(zhCN[key]));
	});

	it('every literal key used in web/ exists in the catalogue', () => {
		const used = new Set<string>();
		for (const f of files(web).filter((f) => /\.(svelte|ts)$/.test(f)))
			for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g))
				used.add(m[1]);
		expect(used.size).toBeGreaterThan(20);
		for (const key of used) expect(Object.keys(zhCN), key).toContain(key);
	});

	it('Svelte markup has no Chinese text outside the catalogue', () => {
		for (const f of files(path.join(web, 'routes')).concat(files(path.join(web, 'lib/components'))))
			if (f.endsWith('.svelte'))
				expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/[\u4e00-\u9fff]/);
	});

	it('interpolates variables', () => {
		expect(translator('zh-CN')('my.greeting', { name: '王秀兰' })).toBe('王秀兰，您好');
		expect(translator('en')('my.greeting', { name: 'Wang' })).toBe('Hello, Wang');
	});
});

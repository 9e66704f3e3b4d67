// Every user-visible string lives in the catalogue, in both languages, and every key in it is used.
// The catalogue is one file per feature and language (web/lib/i18n/zh-CN/*.ts, en/*.ts), assembled
// by zh-CN.ts and en.ts.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/lib/i18n/en.ts';
import { MESSAGE_PARTS } from '../../web/lib/i18n/parts.ts';
import { zhCN } from '../../web/lib/i18n/zh-CN.ts';
import {
	countTranslator,
	hasMessage,
	lazyWithMessages,
	loadMessages,
	translator
} from '../../web/lib/i18n/index.ts';
import { ORG_LEVELS, ROLES } from '../../shared/roles.ts';
import { ASSISTANT_ACTIONS } from '../../shared/schemas/assistant.ts';
import { APPOINTMENT_STATUSES } from '../../shared/schemas/booking.ts';
import { CASE_STATUSES } from '../../shared/schemas/cases.ts';
import { FIELD_REASON_CODES } from '../../shared/forms/template.ts';
import { CHANNELS } from '../../shared/schemas/catalog.ts';
import { PRIORITY_REASONS, TICKET_STATUSES } from '../../shared/schemas/queue.ts';
import {
	FOLLOWUP_STATUSES,
	RATING_SCORES,
	RATING_SUBJECT_TYPES,
	RATING_TAG_CODES
} from '../../shared/schemas/ratings.ts';

function files(dir: string): string[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const root = path.resolve(import.meta.dirname, '../..');
const web = path.join(root, 'web');
const i18n = path.join(web, 'lib/i18n');

/** The code that may use a key: web/ (but the catalogue itself), server/ and shared/. */
const sources = [
	...files(web).filter((f) => /\.(svelte|ts)$/.test(f) && !f.startsWith(i18n + path.sep)),
	...files(path.join(root, 'server')).filter((f) => f.endsWith('.ts')),
	...files(path.join(root, 'shared')).filter((f) => f.endsWith('.ts'))
].map((f) => ({ file: path.relative(root, f), text: fs.readFileSync(f, 'utf8') }));

const keys = Object.keys(zhCN);

// each language is loaded on demand (the root layout does it for a page)
beforeAll(async () => {
	await loadMessages('zh-CN', MESSAGE_PARTS);
	await loadMessages('en', MESSAGE_PARTS);
});

/** CJK symbols (、。《》「」【】…), full-width forms (，：；（）！？…) and curly double quotes. */
const CHINESE_PUNCTUATION = /[\u3000-\u303f\uff01-\uff65\u201c\u201d]/;

/**
 * Keys the code builds at run time as `${prefix}${value}`, so that no literal names them. Each
 * prefix must occur in a template literal `prefix${…}` somewhere in the code (checked below).
 * With `values` (the vocabulary the code can produce), exactly those keys count as used and each
 * must exist; without, the values are an open vocabulary (an API's codes, event types) and every
 * key under the prefix counts as used: keep those families tidy by hand.
 */
const DYNAMIC: { prefix: string; from: string; values?: readonly (string | number)[] }[] = [
	{ prefix: 'error.', from: "the API's error codes (ErrorSummary, form-errors.ts)" },
	{ prefix: 'notify.', from: 'notice kinds the server sends (StaffHome, my/appointments)' },
	{
		prefix: 'callStaff.event.',
		from: "session events, livekit.* from LiveKit's webhook (SessionRecord)"
	},
	{ prefix: 'audit.action.', from: 'AUDIT_ACTIONS of server/audit/audit.ts (admin/audit)' },
	{ prefix: 'appts.reason.', from: "an appointment's cancelReason" },
	{ prefix: 'appts.waitlist.', from: "a waitlist entry's status" },
	{ prefix: 'callStaff.kind.', from: "a call participant's kind" },
	{ prefix: 'schedAdmin.kind.', from: 'a closure day kind' },
	{ prefix: 'dashboard.liveState.', from: "the dashboard's live connection state" },
	{
		prefix: 'device.quality.',
		from: 'connection quality',
		values: ['excellent', 'good', 'poor', 'lost']
	},
	{ prefix: 'role.', from: 'ROLES', values: ROLES },
	{ prefix: 'level.', from: 'ORG_LEVELS', values: ORG_LEVELS },
	{ prefix: 'channel.', from: 'CHANNELS', values: CHANNELS },
	{ prefix: 'ticket.status.', from: 'TICKET_STATUSES', values: TICKET_STATUSES },
	{ prefix: 'service.priority.', from: 'PRIORITY_REASONS', values: PRIORITY_REASONS },
	{ prefix: 'case.status.', from: 'CASE_STATUSES', values: CASE_STATUSES },
	{ prefix: 'case.reason.', from: 'FIELD_REASON_CODES', values: FIELD_REASON_CODES },
	{ prefix: 'appts.status.', from: 'APPOINTMENT_STATUSES', values: APPOINTMENT_STATUSES },
	{ prefix: 'assistant.action.', from: 'ASSISTANT_ACTIONS', values: ASSISTANT_ACTIONS },
	{ prefix: 'rating.score.', from: 'RATING_SCORES', values: RATING_SCORES },
	{ prefix: 'rating.tag.', from: 'RATING_TAG_CODES', values: RATING_TAG_CODES },
	{ prefix: 'followup.status.', from: 'FOLLOWUP_STATUSES', values: FOLLOWUP_STATUSES },
	{ prefix: 'myRatings.kind.', from: 'RATING_SUBJECT_TYPES', values: RATING_SUBJECT_TYPES },
	{ prefix: 'weekday.', from: 'ISO weekdays', values: [1, 2, 3, 4, 5, 6, 7] },
	{
		prefix: 'desk.',
		from: "DeskConsole's ticket actions",
		values: ['start', 'recall', 'noShow', 'finish']
	},
	{ prefix: 'schedAdmin.', from: 'the halves of a day', values: ['morning', 'afternoon'] },
	{
		prefix: 'lifeEvent.delivery.',
		from: "a life event's result delivery",
		values: ['electronic', 'nearby']
	}
];

/** Keys named by a literal: 'video.mute' in t('video.mute'), a `key:` of a menu, a ternary … */
function literalKeys(): Set<string> {
	const found = new Set<string>();
	for (const { text } of sources)
		for (const m of text.matchAll(/['"`]([a-zA-Z]\w*(?:\.[\w-]+)+)['"`]/g)) found.add(m[1]);
	return found;
}

/** fieldError(t, error, 'phone') shows fieldError.phone (web/lib/form-errors.ts). */
function fieldErrorKeys(): Set<string> {
	const found = new Set<string>();
	for (const { text } of sources)
		for (const m of text.matchAll(/\bfieldError\(\s*t\s*,\s*[^,()]+,\s*'(\w+)'\s*\)/g))
			found.add(`fieldError.${m[1]}`);
	return found;
}

/** Keys the code may show, each with where the use comes from. */
function usedKeys(): Map<string, string> {
	const used = new Map<string, string>();
	for (const { file, text } of sources.filter((s) => s.file.startsWith('web'))) {
		for (const m of text.matchAll(/\b(?:t|hasMessage)\(\s*'([\w.]+)'/g)) used.set(m[1], file);
		// tn('service.days', n) shows service.days_one or service.days_other
		for (const m of text.matchAll(/\btn\(\s*'([\w.]+)'/g))
			for (const form of ['one', 'other']) used.set(`${m[1]}_${form}`, file);
	}
	for (const key of fieldErrorKeys()) used.set(key, 'fieldError()');
	for (const { prefix, values } of DYNAMIC)
		for (const v of values ?? []) used.set(`${prefix}${v}`, `DYNAMIC ${prefix}`);
	return used;
}

describe('message catalogue', () => {
	it('English has exactly the keys of Chinese, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
		for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe('');
		for (const [k, v] of Object.entries(zhCN)) expect(v.trim(), k).not.toBe('');
	});

	it('is one file per feature in each language, each key family in one file', async () => {
		const names = (lang: string) => fs.readdirSync(path.join(i18n, lang)).sort();
		expect(names('en')).toEqual(names('zh-CN'));
		const familyFile = new Map<string, string>();
		let total = 0;
		for (const name of names('zh-CN')) {
			const load = async (lang: string): Promise<Record<string, string>> =>
				(await import(pathToFileURL(path.join(i18n, lang, name)).href)).default;
			const zh = await load('zh-CN');
			expect(Object.keys(await load('en')).sort(), `en/${name}`).toEqual(Object.keys(zh).sort());
			for (const key of Object.keys(zh)) {
				const family = key.split('.')[0];
				expect(familyFile.get(family) ?? name, `${key} in ${name}`).toBe(name);
				familyFile.set(family, name);
			}
			total += Object.keys(zh).length;
		}
		// every file is assembled and no key is in two files (a spread would hide the duplicate)
		expect(keys.length).toBe(total);
	});

	it('placeholders match between languages', () => {
		const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[])
			expect(vars(en[key]), key).toEqual(vars(zhCN[key]));
	});

	it('English has no Chinese punctuation', () => {
		for (const [k, v] of Object.entries(en)) expect(v, k).not.toMatch(CHINESE_PUNCTUATION);
		// the separators code joins parts with (lists, a label and its value, a note)
		for (const k of [
			'punct.listSep',
			'punct.listSepStrong',
			'punct.colon',
			'punct.withNote'
		] as const) {
			expect(en[k], k).not.toMatch(CHINESE_PUNCTUATION);
			expect(en[k], k).not.toBe(zhCN[k]);
		}
	});

	it('code joins no parts with Chinese punctuation: the separator comes from the catalogue', () => {
		// an input parser may accept what people type (the knowledge base's tags: "a，b、c")
		const parsers = [/\.split\(\/\[[^\]]*\]\+\/\)/g];
		const found: string[] = [];
		for (const { file, text } of sources)
			if (!file.startsWith('server'))
				text.split('\n').forEach((line, i) => {
					const code = parsers.reduce((l, re) => l.replace(re, ''), line);
					if (/^\s*(\/\/|\*|\/\*|<!--)/.test(code)) return;
					if (CHINESE_PUNCTUATION.test(code.replace(/\/\/ .*$/, '')))
						found.push(`${file}:${i + 1}: ${line.trim()}`);
				});
		expect(found).toEqual([]);
	});

	it('a message with a count has a form for one and for other, chosen by the plural rules', () => {
		for (const key of keys) {
			const m = /^(.*)_(one|other)$/.exec(key);
			if (!m) continue;
			const pair = `${m[1]}_${m[2] === 'one' ? 'other' : 'one'}`;
			expect(keys, `${key} without ${pair}`).toContain(pair);
			expect(zhCN[key as keyof typeof zhCN], key).toContain('{count}');
		}
		const en = countTranslator('en');
		expect(en('service.days', 1)).toBe('1 working day');
		expect(en('service.days', 0)).toBe('0 working days');
		expect(en('service.days', 10)).toBe('10 working days');
		expect(en('ticket.position', 1)).toBe('1 person ahead of you');
		expect(en('issued.counted', 1, { day: '2026-12-01' })).toBe('1 working day from 2026-12-01');
		expect(countTranslator('zh-CN')('service.days', 1)).toBe('1 个工作日');
	});

	it('English puts no plural noun after a count outside the "other" form', () => {
		const plural =
			/\{(?:count|n|days|minutes|hours|ahead|total|max|waiters)\} (?:[a-z-]+ )?(?:days|minutes|hours|people|services|accounts|entries|rows|ratings|appointments|characters|items|files)\b/;
		// Not yet: messages of the sign-in work, whose files (errors.ts's account lock, auth.ts) and
		// pages are being changed by others; each needs tn() in its page (LOGIN_LOCK_MINUTES may be 1).
		const notYet = new Set(['error.account_locked', 'smsCode.sent']);
		for (const [k, v] of Object.entries(en))
			if (!k.endsWith('_other') && !notYet.has(k)) expect(v, k).not.toMatch(plural);
	});

	it('every key the code uses exists in both languages', () => {
		const used = usedKeys();
		expect(used.size).toBeGreaterThan(20);
		for (const [key, where] of used) {
			expect(hasMessage(key), `${key} (${where})`).toBe(true);
			expect(Object.keys(en), `${key} (${where})`).toContain(key);
		}
	});

	it('every dynamic prefix is built somewhere in the code', () => {
		const built = (prefix: string) => sources.some((s) => s.text.includes(`\`${prefix}\${`));
		for (const { prefix } of DYNAMIC) expect(built(prefix), prefix).toBe(true);
		expect(built('fieldError.')).toBe(true);
		expect(fieldErrorKeys().size).toBeGreaterThan(3);
	});

	it('every key is used by the code (no dead keys)', () => {
		const literal = literalKeys();
		const used = usedKeys();
		const open = DYNAMIC.filter((d) => !d.values).map((d) => d.prefix);
		const dead = keys.filter(
			(k) => !literal.has(k) && !used.has(k) && !open.some((prefix) => k.startsWith(prefix))
		);
		expect(dead).toEqual([]);
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

describe('a module shown only sometimes, with its messages (lazyWithMessages)', () => {
	it('is one download per language, asked again after it failed', async () => {
		let calls = 0;
		const module = { default: 'component' };
		const load = lazyWithMessages(['video'], async () => {
			calls++;
			if (calls === 1) throw new Error('offline');
			return module;
		});
		await expect(load('zh-CN')).rejects.toThrow('offline');
		const first = load('zh-CN');
		expect(await first).toBe(module);
		// the same promise again: an {#await} asked again keeps its component
		expect(load('zh-CN')).toBe(first);
		expect(calls).toBe(2);
		expect(translator('zh-CN')('video.title')).toBe(zhCN['video.title']);
	});
});

// A page that loads only some parts of the message catalogue (web/lib/i18n/parts.ts) has the
// messages of every file it can show: its route files and layouts, and every module they import
// (statically or on demand) under web/ and shared/, use keys only of the parts the page loads.
// A file uses a part when a string in it is one of the part's keys ('video.mute', also a menu's
// `key: 'nav.home'`), the base of its plural keys (tn('service.days', n)), or the start of its
// keys (`callStaff.event.${type}`, 'rating.tag.' + code). Counting every such string, not only
// t('…') calls, errs on the side of loading more.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	CORE_PARTS,
	MESSAGE_PARTS,
	ROUTE_PARTS,
	partsForRoute,
	type MessagePart
} from '../../web/lib/i18n/parts.ts';

const root = path.resolve(import.meta.dirname, '../..');
const routes = path.join(root, 'web/routes');
const zhDir = path.join(root, 'web/lib/i18n/zh-CN');

/** Each catalogue key → the part that holds it. */
async function keyParts(): Promise<Map<string, MessagePart>> {
	const keys = new Map<string, MessagePart>();
	for (const part of MESSAGE_PARTS) {
		const file = path.join(zhDir, `${part}.ts`);
		const messages: Record<string, string> = (await import(pathToFileURL(file).href)).default;
		for (const key of Object.keys(messages)) keys.set(key, part);
	}
	return keys;
}

const IMPORT =
	/(?:^|[;\s])(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveImport(from: string, spec: string): string | null {
	let base: string;
	if (spec.startsWith('$lib/')) base = path.join(root, 'web/lib', spec.slice(5));
	else if (spec.startsWith('$shared/')) base = path.join(root, 'shared', spec.slice(8));
	else if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
	else return null; // a package, $app/…, $env/…: no messages of ours
	if (spec.startsWith('.') && spec.includes('$types')) return null;
	for (const file of [base, `${base}.ts`, `${base}/index.ts`])
		if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
	throw new Error(`${path.relative(root, from)}: cannot resolve ${spec}`);
}

/** lazyWithMessages(['case', …], () => import('…')): a module loaded with its own parts */
/** `lazyWithMessages([parts], () => (import.meta.env.SSR ? null : import('…')))` */
const LAZY =
	/lazyWithMessages\(\s*\[([^\]]*)\]\s*,\s*\(\)\s*=>\s*\(?\s*(?:import\.meta\.env\.SSR\s*\?\s*null\s*:\s*)?import\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * Every file the given files reach through imports under web/ and shared/ (the catalogue aside),
 * each with the parts loaded beside the page's when it shows (those of lazyWithMessages on the way).
 */
function closure(files: string[]): Map<string, Set<MessagePart>> {
	const seen = new Map<string, Set<MessagePart>>();
	const visit = (file: string, extra: Set<MessagePart>) => {
		if (file.includes(`${path.sep}i18n${path.sep}`)) return;
		const before = seen.get(file);
		// reached again with fewer parts loaded: the stricter visit is the one to check
		if (before && [...before].every((p) => extra.has(p))) return;
		seen.set(file, before ? new Set([...before].filter((p) => extra.has(p))) : extra);
		const text = fs.readFileSync(file, 'utf8');
		const lazy = new Map<string, Set<MessagePart>>();
		for (const m of text.matchAll(LAZY))
			lazy.set(
				m[2],
				new Set([...extra, ...[...m[1].matchAll(/'([\w-]+)'/g)].map((p) => p[1] as MessagePart)])
			);
		for (const m of text.matchAll(IMPORT)) {
			const spec = m[1] ?? m[2];
			const target = resolveImport(file, spec);
			if (target) visit(target, lazy.get(spec) ?? extra);
		}
	};
	for (const file of files) visit(file, new Set());
	return seen;
}

/** Files whose strings look like keys but are not shown: each with why. */
const NOT_MESSAGES: Record<string, string> = {
	'web/lib/realtime.ts': "the hall's event names ('ticket.recalled', 'desk.closed'), not messages",
	'web/lib/ticket-live.ts': 'the hall events that move a ticket, by name'
};

/** The parts whose keys the files' strings name (bar the parts loaded with each file). */
function partsUsed(files: Map<string, Set<MessagePart>>, keys: Map<string, MessagePart>) {
	const used = new Map<MessagePart, string>();
	const note = (part: MessagePart, file: string, text: string) => {
		if (!used.has(part)) used.set(part, `${path.relative(root, file)}: ${text}`);
	};
	for (const [file, extra] of files) {
		if (path.relative(root, file) in NOT_MESSAGES) continue;
		const text = fs.readFileSync(file, 'utf8');
		// a whole string: a key, or the base of plural keys; a string or template that goes on
		// (`prefix.${…}`, 'prefix.' + …): the start of keys
		for (const m of text.matchAll(/(['"`])([a-zA-Z][\w-]*(?:\.[\w-]+)*\.?)(\1|\$\{|\1\s*\+)/g)) {
			const [, , literal, end] = m;
			if (!literal.includes('.')) continue;
			const whole = end === m[1];
			for (const [key, part] of keys) {
				const hit = whole
					? key === literal || key.startsWith(`${literal}_`)
					: key.startsWith(literal);
				if (hit && !extra.has(part)) note(part, file, literal);
			}
		}
	}
	return used;
}

/** The route files of a route id and of the layouts above it (not the root's). */
function routeFiles(routeId: string, withRootLayout = false): string[] {
	const segments = routeId === '/' ? [] : routeId.slice(1).split('/');
	const dirs = [routes, ...segments.map((_, i) => path.join(routes, ...segments.slice(0, i + 1)))];
	const out: string[] = [];
	dirs.forEach((dir, i) => {
		const leaf = i === dirs.length - 1;
		for (const name of fs.readdirSync(dir)) {
			const layout = /^\+layout(\.server)?\.(ts|svelte)$/.test(name);
			const page = /^\+page(\.server)?\.(ts|svelte)$/.test(name);
			if ((layout && (i > 0 || withRootLayout)) || (leaf && page)) out.push(path.join(dir, name));
		}
	});
	return out;
}

function missing(used: Map<MessagePart, string>, loaded: readonly MessagePart[]): string[] {
	return [...used].filter(([part]) => !loaded.includes(part)).map(([p, at]) => `${p} (${at})`);
}

describe('message parts', () => {
	it('name exactly the catalogue files, in both languages', () => {
		const names = (lang: string) =>
			fs
				.readdirSync(path.join(root, 'web/lib/i18n', lang))
				.map((f) => f.replace(/\.ts$/, ''))
				.sort();
		expect([...MESSAGE_PARTS].sort()).toEqual(names('zh-CN'));
		expect([...MESSAGE_PARTS].sort()).toEqual(names('en'));
	});

	it('the core holds what the root layout and the error page show', async () => {
		const keys = await keyParts();
		const files = closure([
			...routeFiles('/', true).filter((f) => path.basename(f).startsWith('+layout')),
			path.join(routes, '+error.svelte')
		]);
		expect(missing(partsUsed(files, keys), CORE_PARTS)).toEqual([]);
	});

	it('each listed page loads the parts of every file it can show', async () => {
		const keys = await keyParts();
		for (const routeId of Object.keys(ROUTE_PARTS)) {
			const files = routeFiles(routeId);
			expect(
				files.some((f) => f.endsWith('+page.svelte')),
				routeId
			).toBe(true);
			expect(missing(partsUsed(closure(files), keys), partsForRoute(routeId)), routeId).toEqual([]);
		}
	});

	it('a page not listed loads every part; a page that failed to match, the core', () => {
		expect(partsForRoute('/(admin)/admin')).toEqual(MESSAGE_PARTS);
		expect(partsForRoute(null)).toEqual(CORE_PARTS);
	});
});

// what each citizen page would need (a helper for writing ROUTE_PARTS): PRINT_PARTS=1
if (process.env.PRINT_PARTS) {
	const keys = await keyParts();
	for (const dir of fs.readdirSync(routes, { recursive: true }) as string[]) {
		if (!dir.endsWith('+page.svelte')) continue;
		const routeId = '/' + path.dirname(dir).replace(/^\.$/, '');
		const routeIdNorm = routeId === '/.' ? '/' : routeId;
		const used = partsUsed(closure(routeFiles(routeIdNorm)), keys);
		const own = [...used.keys()].filter((p) => !CORE_PARTS.includes(p)).sort();
		if (process.env.PRINT_PARTS === routeIdNorm) console.log(used);
		console.log(`'${routeIdNorm}': ${JSON.stringify(own)},`);
	}
	for (const file of ['web/lib/case/CaseForm.svelte', 'web/lib/components/RatingForm.svelte']) {
		const used = partsUsed(closure([path.join(root, file)]), keys);
		console.log(`${file}: ${JSON.stringify([...used.keys()].sort())}`);
	}
}

// `npm run bench:bundle`: what a citizen's browser downloads (gzip bytes of JS and CSS, as the
// build serves them) before a page can run, and the video chunk the call page loads after it
// (issue 19: ≤ 60 KB before the video chunk). Read from the build itself: the server manifest
// names each page's layouts and leaf, each node names the files it preloads, and Vite's client
// manifest names the chunk `import('livekit-client')` fetches.
//
//   npm run bench:bundle                      builds into a temp folder first
//   npm run bench:bundle -- --build <dir>     reads a build made by this script (or keeps one:
//                                             --keep <dir> builds there and leaves it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { partsForRoute } from '../web/lib/i18n/parts.ts';

const root = path.resolve(import.meta.dirname, '..');
const LIMIT_KB = 60;
/** The pages a citizen opens (route ids as in web/routes). */
const CITIZEN_PAGES = [
	'/',
	'/services',
	'/services/[id]',
	'/services/[id]/book',
	'/assistant',
	'/(citizen)/my',
	'/(citizen)/my/appointments',
	'/(citizen)/queue/[id]',
	'/(signed-in)/cases/[id]',
	'/(signed-in)/device-check',
	'/(signed-in)/video/[id]'
];
const VIDEO_PAGE = '/(signed-in)/video/[id]';
/** The case page is the application form itself (issue 19: "the form only where used"). */
const NO_LIMIT = new Set(['/(signed-in)/cases/[id]']);
const VIDEO_MODULE = 'node_modules/livekit-client/';
/** The default language's message parts, one chunk each (web/lib/i18n/parts.ts). */
const MESSAGE_PART = (part: string) => `web/lib/i18n/zh-CN/${part}.ts`;

function arg(name: string): string | null {
	const i = process.argv.indexOf(name);
	return i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : null;
}

function build(dir: string) {
	console.log(`building into ${path.relative(root, dir)} …`);
	execFileSync('npx', ['vite', 'build'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', HALL_BUILD_DIR: dir },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	// Vite's client manifest stays in .svelte-kit/output (shared by every build in this tree):
	// keep this build's copy beside it
	fs.copyFileSync(
		path.join(root, '.svelte-kit/output/client/.vite/manifest.json'),
		path.join(dir, 'vite-manifest.json')
	);
}

let dir = arg('--build');
let temp: string | null = null;
if (!dir) {
	dir = arg('--keep') ?? (temp = fs.mkdtempSync(path.join(root, '.svelte-kit', 'bundle-build-')));
	build(dir);
}

try {
	const client = path.join(dir, 'client');
	const gz = (file: string): number => {
		const full = path.join(client, file);
		// adapter-node precompresses: the .gz is what a browser is sent
		if (fs.existsSync(full + '.gz')) return fs.statSync(full + '.gz').size;
		return zlib.gzipSync(fs.readFileSync(full)).length;
	};

	const chunks = path.join(dir, 'server', 'chunks');
	const manifestFile = fs.readdirSync(chunks).find((f) => /^manifest\.js-.*\.js$/.test(f));
	if (!manifestFile) throw new Error(`no server manifest in ${chunks}`);
	const manifest = fs.readFileSync(path.join(chunks, manifestFile), 'utf8');
	const list = (src: string, name: string): string[] => {
		const m = src.match(new RegExp(`${name}\\s*[:=]\\s*(\\[[^\\]]*\\])`));
		return m ? (JSON.parse(m[1]) as string[]) : [];
	};
	const clientPart = manifest.match(/client:\s*(\{[^}]*\})/)![1];
	const entry = [...list(clientPart, 'imports'), ...list(clientPart, 'stylesheets')];

	const nodeFiles = new Map<number, string>();
	for (const f of fs.readdirSync(path.join(chunks, 'nodes'))) {
		const m = f.match(/^(\d+)\.js-.*\.js$/);
		if (m) nodeFiles.set(Number(m[1]), path.join(chunks, 'nodes', f));
	}
	const nodeAssets = (n: number): string[] => {
		const src = fs.readFileSync(nodeFiles.get(n)!, 'utf8');
		return [...list(src, 'const imports'), ...list(src, 'const stylesheets')];
	};
	const pageNodes = (id: string): number[] | null => {
		const at = manifest.indexOf(`id: ${JSON.stringify(id)},`);
		if (at < 0) return null;
		const m = manifest
			.slice(at)
			.match(/page: \{ layouts: \[([^\]]*)\], errors: [^,]*,[^}]*leaf: (\d+)/);
		if (!m) return null;
		const layouts = m[1].split(',').filter(Boolean).map(Number);
		return [...layouts, Number(m[2])];
	};
	// Vite's client manifest: what a dynamic import fetches (a file, its CSS, its static imports)
	const viteManifest = JSON.parse(
		fs.readFileSync(path.join(dir, 'vite-manifest.json'), 'utf8')
	) as Record<string, { file: string; imports?: string[]; css?: string[] }>;
	const closure = (key: string | undefined): Set<string> => {
		const seen = new Set<string>();
		const walk = (k: string) => {
			const c = viteManifest[k];
			if (!c || seen.has(c.file)) return;
			seen.add(c.file);
			for (const css of c.css ?? []) seen.add(css);
			for (const i of c.imports ?? []) walk(i);
		};
		if (key) walk(key);
		for (const f of seen)
			if (!fs.existsSync(path.join(client, f)))
				throw new Error(`${f} is not in ${dir}: vite-manifest.json is from another build`);
		return seen;
	};
	// the root layout loads the parts of the reader's language a page shows before it renders
	// (web/lib/i18n): counted as loaded, for the default language
	const pageFiles = (id: string): Set<string> | null => {
		const nodes = pageNodes(id);
		if (!nodes) return null;
		const messages = partsForRoute(id).flatMap((part) => {
			const key = MESSAGE_PART(part);
			if (!viteManifest[key]) throw new Error(`no chunk for ${key} in the client manifest`);
			return [...closure(key)];
		});
		return new Set([...entry, ...nodes.flatMap(nodeAssets), ...messages]);
	};
	const kb = (bytes: number) => (bytes / 1024).toFixed(1);
	const sum = (files: Iterable<string>) => [...files].reduce((s, f) => s + gz(f), 0);

	console.log(`Citizen pages: gzip KB of JS + CSS loaded before the page runs (limit ${LIMIT_KB})`);
	console.log('| page | JS | CSS | total | bytes |');
	console.log('|---|---|---|---|---|');
	let worst = 0;
	let worstPage = '';
	for (const id of CITIZEN_PAGES) {
		const files = pageFiles(id);
		if (!files) {
			console.log(`| ${id} | (no such page) | | | |`);
			continue;
		}
		const js = sum([...files].filter((f) => f.endsWith('.js')));
		const css = sum([...files].filter((f) => f.endsWith('.css')));
		if (!NO_LIMIT.has(id) && js + css > worst) [worst, worstPage] = [js + css, id];
		console.log(`| ${id} | ${kb(js)} | ${kb(css)} | ${kb(js + css)} | ${js + css} |`);
	}

	// The video chunk: the closure of `import('livekit-client')` less what the page already has.
	const key = Object.keys(viteManifest).find((k) => k.startsWith(VIDEO_MODULE));
	const before = pageFiles(VIDEO_PAGE)!;
	const video = sum([...closure(key)].filter((f) => !before.has(f)));
	console.log(
		`\nvideo page ${VIDEO_PAGE}: ${kb(sum(before))} KB before the video chunk; video chunk ${key ? kb(video) : '(none found)'} KB`
	);
	console.log(
		`largest citizen page with the limit: ${worstPage}, ${worst} bytes (${worst <= LIMIT_KB * 1024 ? 'within' : 'over'} ${LIMIT_KB * 1024})`
	);
} finally {
	if (temp) fs.rmSync(temp, { recursive: true, force: true });
}

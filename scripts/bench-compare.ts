// `npm run bench:compare [ref] [--postgres]`: the hot paths (scripts/bench-hot-paths.ts, through
// the API in-process) on this tree and on an earlier commit, in one run on the same machine, as
// ratios (issue 20: the awaitable data layer may cost no more than 15 %). SQLite by default;
// --postgres runs both trees on a throwaway durable PostgreSQL cluster, a fresh database per run
// (issue 22: what the cross-node bus's NOTIFY costs the writes). The earlier commit is
// checked out in a temporary git worktree sharing this tree's node_modules, with this tree's
// bench file copied in (it talks to the app only through requests and SQL, so it runs on both);
// the two run alternately, ROUNDS times each, and the best throughput of each side is compared
// (the least disturbed run).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type PostgresProcess } from './postgres-process.ts';
import { openPostgresEngine } from '../server/engine.ts';

/** The last commit before the rules moved onto the awaitable Store (issue 20). */
const BEFORE_ASYNC_STORE = 'e4e548b';
const args = process.argv.slice(2);
const onPostgres = args.includes('--postgres');
const base = args.find((a) => !a.startsWith('--')) ?? process.env.BENCH_BASE ?? BEFORE_ASYNC_STORE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const root = path.resolve(import.meta.dirname, '..');

const worktree = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-base-'));
execFileSync('git', ['worktree', 'add', '--detach', '--force', worktree, base], {
	cwd: root,
	stdio: 'ignore'
});
fs.symlinkSync(path.join(root, 'node_modules'), path.join(worktree, 'node_modules'));
fs.copyFileSync(
	path.join(root, 'scripts/bench-hot-paths.ts'),
	path.join(worktree, 'scripts/bench-hot-paths.ts')
);

interface Line {
	perSecond: number;
	p50: number;
}
const LINE = /^(.+?)\s+n=\s*\d+\s+(\d+)\/s\s+p50 ([\d.]+) ms/;

/** Runs one tree's bench and keeps each line's throughput and median. */
function runBench(dir: string, databaseUrl: string | null): Map<string, Line> {
	const { DATABASE_URL: _inherited, ...env } = process.env;
	const out = spawnSync(process.execPath, ['scripts/bench-hot-paths.ts'], {
		cwd: dir,
		env: databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env,
		encoding: 'utf8',
		maxBuffer: 64 * 2 ** 20,
		timeout: 15 * 60_000
	});
	if (out.status !== 0) throw new Error(`bench in ${dir} failed:\n${out.stderr}`);
	const lines = new Map<string, Line>();
	for (const text of out.stdout.split('\n')) {
		const m = LINE.exec(text);
		if (m) lines.set(m[1].trim(), { perSecond: Number(m[2]), p50: Number(m[3]) });
	}
	return lines;
}

const best = { base: new Map<string, Line>(), now: new Map<string, Line>() };
/** the cluster, once a PostgreSQL run started it (a holder: TypeScript cannot see the closure assign) */
const cluster: { server: PostgresProcess | null } = { server: null };
let runs = 0;
/** null on SQLite; on PostgreSQL a fresh database for each run */
async function databaseForRun(): Promise<string | null> {
	if (!onPostgres) return null;
	const server = (cluster.server ??= await startPostgres({ durable: true }));
	const admin = openPostgresEngine(server.url.replace(/\/[^/]+$/, '/postgres'));
	const name = `hall_compare_${++runs}`;
	await admin.store.run(`CREATE DATABASE ${name}`);
	await admin.close();
	return server.url.replace(/\/[^/]+$/, `/${name}`);
}
const keep = (into: Map<string, Line>, from: Map<string, Line>) => {
	for (const [name, line] of from) {
		const seen = into.get(name);
		if (!seen || line.perSecond > seen.perSecond) into.set(name, line);
	}
};
try {
	for (let round = 1; round <= ROUNDS; round++) {
		console.error(`round ${round}/${ROUNDS}: ${base}`);
		keep(best.base, runBench(worktree, await databaseForRun()));
		console.error(`round ${round}/${ROUNDS}: this tree`);
		keep(best.now, runBench(root, await databaseForRun()));
	}
} finally {
	execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: root, stdio: 'ignore' });
	await cluster.server?.stop();
}

const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
console.log(
	`\nbench ÷ bench on ${onPostgres ? 'PostgreSQL (a local durable cluster)' : 'SQLite'}: this tree (HEAD ${head.trim()}) against ${base}, best of ${ROUNDS} runs each (Node ${process.version}, ${os.cpus().length} cores)\n`
);
console.log(`| path | ${base} req/s | this tree req/s | ratio (1.00 = as fast) |`);
console.log('|---|---:|---:|---:|');
for (const [name, now] of best.now) {
	const before = best.base.get(name);
	if (!before) continue;
	console.log(
		`| ${name} | ${before.perSecond} | ${now.perSecond} | ${(now.perSecond / before.perSecond).toFixed(2)} |`
	);
}

// `npm run bench:engines` (and the end of `npm run bench`): the hot paths
// (scripts/bench-hot-paths.ts, through the API in-process) on SQLite and on PostgreSQL in one
// run on the same machine, as ratios (issue 21). PostgreSQL is a throwaway local cluster
// (scripts/postgres-process.ts) started durable, fsync and full-page writes on, since SQLite
// runs with synchronous = FULL; each PostgreSQL run gets a fresh database. The two engines run
// alternately, BENCH_ROUNDS times each (2), as child processes, and the best throughput of each
// is compared (the least disturbed run). Without PostgreSQL installed it says so and skips.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBin, startPostgres } from './postgres-process.ts';
import { openPostgresEngine } from '../server/engine.ts';

interface Line {
	perSecond: number;
	p50: number;
}
const LINE = /^(.+?)\s+n=\s*\d+\s+(\d+)\/s\s+p50 ([\d.]+) ms/;
const root = path.resolve(import.meta.dirname, '..');

/** One run of the hot-path bench in a child process; each line's throughput and median. */
function runHotPaths(databaseUrl: string | null): Map<string, Line> {
	const { DATABASE_URL: _inherited, ...env } = process.env;
	const out = spawnSync(process.execPath, ['scripts/bench-hot-paths.ts'], {
		cwd: root,
		env: databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env,
		encoding: 'utf8',
		maxBuffer: 64 * 2 ** 20,
		timeout: 15 * 60_000
	});
	if (out.status !== 0)
		throw new Error(
			`hot-path bench on ${databaseUrl ? 'PostgreSQL' : 'SQLite'} failed:\n${out.stderr}`
		);
	const lines = new Map<string, Line>();
	for (const text of out.stdout.split('\n')) {
		const m = LINE.exec(text);
		if (m) lines.set(m[1].trim(), { perSecond: Number(m[2]), p50: Number(m[3]) });
	}
	return lines;
}

function keep(into: Map<string, Line>, from: Map<string, Line>) {
	for (const [name, line] of from) {
		const seen = into.get(name);
		if (!seen || line.perSecond > seen.perSecond) into.set(name, line);
	}
}

export async function benchEngines(rounds = Number(process.env.BENCH_ROUNDS ?? 2)): Promise<void> {
	if (!findPostgresBin()) {
		console.log(
			'\nhot paths on both engines: skipped, PostgreSQL is not installed (Debian: apt-get install postgresql postgresql-contrib)'
		);
		return;
	}
	const server = await startPostgres({ durable: true });
	const urlOf = (db: string) => server.url.replace(/\/[^/]+$/, `/${db}`);
	const admin = openPostgresEngine(urlOf('postgres'));
	const best = { sqlite: new Map<string, Line>(), postgres: new Map<string, Line>() };
	try {
		for (let round = 1; round <= rounds; round++) {
			console.error(`round ${round}/${rounds}: SQLite`);
			keep(best.sqlite, runHotPaths(null));
			console.error(`round ${round}/${rounds}: PostgreSQL`);
			const name = `hall_bench_${round}`;
			await admin.store.run(`CREATE DATABASE ${name}`);
			keep(best.postgres, runHotPaths(urlOf(name)));
			await admin.store.run(`DROP DATABASE ${name}`);
		}
	} finally {
		await admin.close();
		await server.stop();
	}

	console.log(
		`\nhot paths on both engines: SQLite (synchronous = FULL) and a local PostgreSQL (fsync on), best of ${rounds} runs each, alternately (Node ${process.version}, ${os.cpus().length} cores)\n`
	);
	console.log('| path | SQLite req/s | PostgreSQL req/s | PostgreSQL ÷ SQLite |');
	console.log('|---|---:|---:|---:|');
	for (const [name, lite] of best.sqlite) {
		const pg = best.postgres.get(name);
		if (!pg) continue;
		console.log(
			`| ${name} | ${lite.perSecond} | ${pg.perSecond} | ${(pg.perSecond / lite.perSecond).toFixed(2)} |`
		);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
	await benchEngines();

// Part of `npm run bench`: what durable commits cost. The same write load runs on two fresh
// databases in the same run: a reference with synchronous=NORMAL (commits may be lost on power
// loss) and one opened exactly as the hall opens it (server/db/index.ts). Figures are ratios to
// the reference, so a busy machine does not change the conclusion.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Db } from '../server/db/index.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { openScriptDeps } from '../server/script-deps.ts';

async function hall(mode: 'reference' | 'app') {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hall-bench-${mode}-`));
	const config = loadConfig({ DATA_DIR: dir, ASSISTANT_PER_MINUTE: '10000' });
	const deps = await openScriptDeps(config);
	// a SQLite measurement (the durability of its commits): the connection is SQLite's own
	const db = deps.engine.sqlite!;
	if (mode === 'reference') db.pragma('synchronous = NORMAL');
	await seedDemoIfEmpty(deps);
	return { db, app: createApp(deps), dir };
}

async function timed(n: number, fn: (i: number) => unknown): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn(i);
		times.push(performance.now() - t);
	}
	return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];

/** One BEGIN IMMEDIATE ... COMMIT with a small insert: the commit (and its fsync) is the cost. */
function commitLoad(db: Db) {
	db.exec('CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, body TEXT)');
	const insert = db.prepare('INSERT INTO bench_writes (body) VALUES (?)');
	return () => db.transaction(() => insert.run('x'.repeat(200))).immediate();
}

export async function benchDurability(): Promise<void> {
	const ref = await hall('reference');
	const app = await hall('app');
	const mode = app.db.pragma('synchronous', { simple: true });
	console.log(
		`durable writes: the hall's databases use synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(mode)]}; reference synchronous=NORMAL, same run`
	);
	const ask = (a: typeof ref) => async (i: number) => {
		const res = await a.app.request(
			'/api/assistant/ask',
			{
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ message: `营业执照怎么办理 ${i}` })
			},
			{ ip: `192.0.2.${i % 250}` }
		);
		if (res.status !== 200) throw new Error(`ask answered ${res.status}: ${await res.text()}`);
	};
	const rows: [string, number, number][] = [];
	for (const [name, n, load] of [
		['commit (one small insert)', 2000, (a: typeof ref) => commitLoad(a.db)],
		['POST /api/assistant/ask (logs the question)', 500, ask]
	] as const) {
		// interleave the two, a round each, so a busy moment hits both alike
		const r: number[] = [];
		const x: number[] = [];
		for (let round = 0; round < 4; round++) {
			r.push(...(await timed(n / 4, load(ref))));
			x.push(...(await timed(n / 4, load(app))));
		}
		r.sort((a, b) => a - b);
		x.sort((a, b) => a - b);
		rows.push([name, median(r), median(x)]);
	}
	for (const [name, r, x] of rows)
		console.log(
			`${name.padEnd(44)} p50 reference ${r.toFixed(3)} ms  hall ${x.toFixed(3)} ms  ratio ${(x / r).toFixed(2)}`
		);
	for (const a of [ref, app]) {
		a.db.close();
		fs.rmSync(a.dir, { recursive: true, force: true });
	}
}

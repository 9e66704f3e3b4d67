// The production build as operators run it (`npm start`: server/front-door.ts): behind a proxy the
// per-address limits use the proxy's address header and a forged left-most X-Forwarded-For does
// not escape them; a 413 closes its connection cleanly; it refuses to start on a read-only
// DATA_DIR. Each test starts its own app on a fresh data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freeTcpPort } from '../../scripts/livekit-process.ts';
import { appEntry } from '../../scripts/app-entry.ts';
import { openDatabase } from '../../server/db/index.ts';

const ctx = inject('e2e');
const root = path.resolve(import.meta.dirname, '../..');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
	while (stops.length) await stops.pop()!();
});

interface Started {
	url: string;
	port: number;
	app: ChildProcess;
	logs: string[];
}

async function startApp(
	env: Record<string, string>,
	entry = appEntry(ctx.buildDir)
): Promise<Started> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-prod-'));
	const port = await freeTcpPort();
	const { ORIGIN: _o, ADDRESS_HEADER: _a, XFF_DEPTH: _x, LIVEKIT_URL: _l, ...base } = process.env;
	const app = spawn(process.execPath, entry, {
		cwd: root,
		env: {
			...base,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			DATA_DIR: path.join(dir, 'data'),
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: string[] = [];
	app.stdout?.on('data', (d) => logs.push(String(d)));
	app.stderr?.on('data', (d) => logs.push(String(d)));
	stops.push(async () => {
		if (app.exitCode === null) {
			const exited = new Promise((r) => app.once('exit', r));
			app.kill('SIGTERM');
			await exited;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	});
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (app.exitCode !== null) throw new Error(`app exited:\n${logs.join('')}`);
		try {
			if ((await fetch(`${url}/api/health`)).ok) return { url, port, app, logs };
		} catch {
			/* starting */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`app did not start:\n${logs.join('')}`);
}

const attempt = (url: string, xff: string) =>
	fetch(`${url}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
		body: JSON.stringify({ login: 'nobody', password: 'wrong-password' })
	}).then((r) => r.status);

describe.skipIf(ctx.skip)('the production server', () => {
	it('behind a proxy (ADDRESS_HEADER, XFF_DEPTH): a forged left-most X-Forwarded-For does not escape the per-address limit', async () => {
		const { url } = await startApp({
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			LOGIN_PER_IP_PER_MINUTE: '3'
		});
		// the proxy appends the real client (203.0.113.5); the client forges what comes before it
		const statuses = [];
		for (let i = 0; i < 6; i++) statuses.push(await attempt(url, `10.9.8.${i}, 203.0.113.5`));
		expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
		// another real client behind the same proxy has a limit of its own
		expect(await attempt(url, '10.9.8.1, 203.0.113.6')).toBe(401);
	});

	it('without ADDRESS_HEADER the header is ignored: every request counts for the connecting address', async () => {
		const { url } = await startApp({ LOGIN_PER_IP_PER_MINUTE: '2' });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push(await attempt(url, `198.51.100.${i}`));
		expect(statuses).toEqual([401, 401, 429]);
	});

	it('answers an oversized JSON body with 413 and closes the connection cleanly', async () => {
		const { port, url } = await startApp({});
		// A keep-alive request announcing a body over the 1 MB JSON limit: the answer comes before
		// the body is read, so the server must close the connection rather than leave the unread
		// body on it for the next request. Only the head is sent here, so the client never writes
		// into a closing socket: what is checked is how the server ends it (FIN, not RST).
		const size = 2 * 1024 * 1024;
		const raw = await new Promise<{ text: string; error: Error | null; ended: boolean }>(
			(resolve) => {
				const socket = net.connect(port, '127.0.0.1');
				let text = '';
				let error: Error | null = null;
				let ended = false;
				socket.on('data', (d) => (text += d.toString('latin1')));
				socket.on('end', () => (ended = true));
				socket.on('error', (e) => (error = e));
				socket.on('close', () => resolve({ text, error, ended }));
				socket.write(
					`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
						`Content-Length: ${size}\r\nConnection: keep-alive\r\n\r\n{"login":"`
				);
				setTimeout(() => socket.destroy(new Error('no close within 20 s')), 20_000).unref();
			}
		);
		expect(raw.error).toBeNull(); // closed, not reset
		expect(raw.ended).toBe(true);
		expect(raw.text).toMatch(/^HTTP\/1\.1 413/);
		expect(raw.text.toLowerCase()).toContain('connection: close');
		expect(raw.text).toContain('payload_too_large');

		// and a keep-alive client sending a whole oversized body, then more requests: each answered
		const big = JSON.stringify({ login: 'x'.repeat(size), password: 'p' });
		for (let i = 0; i < 3; i++) {
			const res = await fetch(`${url}/api/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: big
			}).catch((err: Error) => err);
			// the client may still be sending when the answer arrives and the server closes
			if (!(res instanceof Error)) expect(res.status).toBe(413);
			expect((await fetch(`${url}/api/health`)).status).toBe(200);
		}
	});

	it("serves the API the same way through the front door and through adapter-node's own server", async () => {
		// the demo hall: a hall to follow
		const front = await startApp({ DEMO: '1' });
		const own = await startApp({ DEMO: '1' }, [path.join(ctx.buildDir, 'index.js')]);
		// the headers each server gives an answer, an error, a refusal and a stream: the same
		const seen: Record<string, string | null>[][] = [];
		const headersOf = (res: Response) =>
			Object.fromEntries(
				[
					'content-security-policy',
					'x-content-type-options',
					'x-frame-options',
					'cache-control',
					'permissions-policy',
					'referrer-policy',
					'x-accel-buffering',
					'content-type'
				].map((name) => [name, res.headers.get(name)])
			);
		for (const { url } of [front, own]) {
			const answers: Record<string, string | null>[] = [];
			seen.push(answers);
			const health = await fetch(`${url}/api/health`);
			expect(health.status).toBe(200);
			expect(health.headers.get('content-security-policy')).toBe(
				"default-src 'none'; frame-ancestors 'none'"
			);
			expect(health.headers.get('x-frame-options')).toBe('DENY');
			// the front door writes this answer itself (server/front-door.ts, answerHealth): the
			// same fields as the API route's, which adapter-node's server answers
			const checked = (await health.json()) as Record<string, Record<string, unknown>>;
			answers.push({
				status: String(checked.status),
				fields: Object.entries(checked)
					.map(([k, v]) => (typeof v === 'object' ? `${k}(${Object.keys(v)})` : k))
					.join(' ')
			});
			const head = await fetch(`${url}/api/health`, { method: 'HEAD' });
			expect(head.status).toBe(200);
			expect(await head.text()).toBe('');
			answers.push(headersOf(health), headersOf(head), headersOf(await fetch(`${url}/api/nope`)));
			const crossSite = await fetch(`${url}/api/auth/login`, {
				method: 'POST',
				headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
				body: JSON.stringify({ login: 'agent', password: 'x' })
			});
			expect(crossSite.status).toBe(403);
			expect((await crossSite.json()).error.code).toBe('cross_site');
			answers.push(headersOf(crossSite));
			// a hall's event stream, which tells proxies not to buffer it
			const { halls } = (await (await fetch(`${url}/api/queue/halls`)).json()) as {
				halls: { id: string }[];
			};
			const abort = new AbortController();
			const stream = await fetch(`${url}/api/queue/events?hallId=${halls[0].id}`, {
				signal: abort.signal
			});
			expect(stream.status).toBe(200);
			expect(stream.headers.get('content-type')).toBe('text/event-stream');
			expect(stream.headers.get('x-accel-buffering')).toBe('no');
			answers.push(headersOf(stream));
			const reader = stream.body!.getReader();
			expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
			abort.abort();
			const page = await fetch(`${url}/services`);
			expect(page.status).toBe(200);
			expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
		}
		expect(seen[0]).toEqual(seen[1]);
		expect(seen[0][1]['cache-control']).toBe('no-store');
	});

	it("makes the catalog page once per catalog change: another process's rename shows at the next page", async () => {
		const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-kept-page-'));
		stops.push(async () => fs.rmSync(data, { recursive: true, force: true }));
		const { url } = await startApp({ DEMO: '1', DATA_DIR: data });
		const file = path.join(data, 'hall.db');
		const code = '370281-XZSP-001';
		const nameNow = () => {
			const db = openDatabase(file);
			try {
				return (
					db.prepare('SELECT name FROM service_items WHERE code = ?').get(code) as {
						name: string;
					}
				).name;
			} finally {
				db.close();
			}
		};
		const page = async (query = '') => {
			const res = await fetch(`${url}/services${query}`, { headers: { cookie: 'lang=zh-CN' } });
			expect(res.status).toBe(200);
			return res.text();
		};
		await expect.poll(async () => (await page()).includes(nameNow())).toBe(true);
		const before = nameNow();
		// made once, then served from what the page kept: the same list twice
		expect(await page()).toContain(`${before}<`);
		expect(await page('?channel=video')).toContain(`${before}<`);

		const db = openDatabase(file);
		try {
			db.prepare('UPDATE service_items SET name = ? WHERE code = ?').run(`${before}（新）`, code);
		} finally {
			db.close();
		}
		expect(await page()).toContain(`${before}（新）`);
		expect(await page('?channel=video')).toContain(`${before}（新）`);
		expect(await page()).not.toContain(`${before}<`);
	});

	it('answers a health check that sends no Host header (HTTP/1.0), reading it against ORIGIN', async () => {
		const { port } = await startApp({ ORIGIN: 'http://hall.example' });
		const head = await new Promise<string>((resolve, reject) => {
			const socket = net.connect(port, '127.0.0.1');
			let text = '';
			socket.on('data', (d) => (text += d.toString('latin1')));
			socket.on('close', () => resolve(text));
			socket.on('error', reject);
			socket.write('GET /api/health HTTP/1.0\r\n\r\n');
		});
		expect(head).toMatch(/^HTTP\/1\.[01] 200/);
		expect(head.toLowerCase()).toContain("content-security-policy: default-src 'none'");
	});

	it('refuses to start on a setting adapter-node would refuse, naming it', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bad-setting-'));
		stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
		const app = spawn(process.execPath, appEntry(ctx.buildDir), {
			cwd: root,
			env: { ...process.env, NODE_ENV: 'production', PORT: '0', DATA_DIR: dir, XFF_DEPTH: 'two' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let err = '';
		app.stderr?.on('data', (d) => (err += String(d)));
		const code = await new Promise<number | null>((resolve) => app.once('exit', resolve));
		expect(code).toBe(1);
		expect(err).toContain('cloud-hall: XFF_DEPTH should be a non-negative integer, not "two"');
	});

	it('refuses to start on a read-only DATA_DIR, naming it', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-ro-'));
		const isRoot = process.getuid?.() === 0;
		if (isRoot) {
			const { execFileSync } = await import('node:child_process');
			execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,ro', 'tmpfs', dir]);
			stops.push(async () => {
				execFileSync('umount', ['-l', dir]);
				fs.rmSync(dir, { recursive: true, force: true });
			});
		} else {
			fs.chmodSync(dir, 0o555);
			stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
		}
		const port = await freeTcpPort();
		const app = spawn(process.execPath, appEntry(ctx.buildDir), {
			cwd: root,
			env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATA_DIR: dir },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let err = '';
		app.stderr?.on('data', (d) => (err += String(d)));
		const code = await new Promise<number | null>((resolve) => {
			app.once('exit', resolve);
			setTimeout(() => {
				app.kill('SIGKILL');
				resolve(-1);
			}, 30_000).unref();
		});
		expect(code).toBe(1);
		expect(err).toContain(`cloud-hall: DATA_DIR ${dir} is not writable`);
		expect(err).not.toMatch(/\n\s+at /); // one clear line, no stack
	});
});

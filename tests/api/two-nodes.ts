// Two nodes of the hall on one database, for the race tests of the rules docs/transactions.md
// lists: the harness's app is the first node; secondNode opens another, as another process would
// run it. Each race fires one request at each node at once.
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import type { Deps } from '../../server/deps.ts';
import type { Harness } from './harness.ts';

export interface HallNode {
	deps: Deps;
	/**
	 * A JSON request (body serialised), with the bearer token when given, from the node's client
	 * address unless `ip` names another (a per-address limit counted across both nodes).
	 */
	request(
		method: string,
		url: string,
		o: { token?: string; body?: unknown; ip?: string }
	): Promise<Response>;
	/** A request as given (a multipart upload, say), from the node's client address. */
	raw(url: string, init: RequestInit): Promise<Response>;
	close(): Promise<void>;
}

function nodeOf(
	deps: Deps,
	app: ReturnType<typeof createApp>,
	ip: string,
	close: () => Promise<void>
): HallNode {
	const send = (url: string, init: RequestInit, from: string) =>
		Promise.resolve(app.request(url, init, { ip: from }));
	return {
		deps,
		raw: (url, init) => send(url, init, ip),
		request: (method, url, o) =>
			send(
				url,
				{
					method,
					headers: {
						...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
						...(o.body === undefined ? {} : { 'content-type': 'application/json' })
					},
					body: o.body === undefined ? undefined : JSON.stringify(o.body)
				},
				o.ip ?? ip
			),
		close
	};
}

/** The harness's own app as a node, so a round can swap which node sends which request. */
export function firstNode(h: Harness): HallNode {
	return nodeOf(h.deps, h.app, '203.0.113.7', async () => {});
}

/**
 * A second node on the harness's database. On PostgreSQL it has its own engine (its own pool,
 * whose connections really run in parallel with the harness's) and its own app. On SQLite the
 * second app shares the harness's connection: a second connection in this one process would block
 * the event loop in its busy wait while the first holds the write lock; the store's gate
 * serialises them, as the write lock does between processes. Close it when the test ends.
 */
export function secondNode(h: Harness): HallNode {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const deps = { ...h.deps, engine, store: engine.store };
	return nodeOf(deps, createApp(deps), '203.0.113.8', async () => {
		if (own) await engine.close();
	});
}

/** Runs a test body with a second node, closed afterwards whatever happens. */
export async function withSecondNode<T>(
	h: Harness,
	run: (second: HallNode, first: HallNode) => Promise<T>
): Promise<T> {
	const second = secondNode(h);
	try {
		return await run(second, firstNode(h));
	} finally {
		await second.close();
	}
}

/** Status, error code (null when none) and body of an answer. */
export async function answer(res: Response) {
	const text = await res.text();
	const body = (text ? JSON.parse(text) : {}) as { error?: { code: string } } & Record<
		string,
		unknown
	>;
	return { status: res.status, code: body.error?.code ?? null, body };
}

/** The two nodes in the order of the round: alternating which one sends the first request. */
export function byRound(round: number, a: HallNode, b: HallNode): [HallNode, HallNode] {
	return round % 2 ? [a, b] : [b, a];
}

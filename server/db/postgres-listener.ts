// One LISTEN connection per node (issue 22): a dedicated client outside the pool, since a pooled
// connection is handed to other work between queries and would miss notifications. When it
// drops (PostgreSQL restarted, a network cut) it says so and reconnects with a growing pause;
// the caller polls while it is down and catches up once it is back.
import pg from 'pg';

export interface ChannelListener {
	/** true while LISTEN is in force on a live connection */
	readonly listening: boolean;
	stop(): Promise<void>;
}

export interface ListenHandlers {
	message(payload: string): void;
	/** LISTEN is (again) in force: notifications from now on arrive */
	up(): void;
	/** the connection is lost; notifications sent until the next up() are not delivered */
	down(err: Error): void;
}

const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

export function listenToChannel(
	connectionString: string,
	channel: string,
	handlers: ListenHandlers
): ChannelListener {
	if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Bad channel name ${channel}`);
	let stopped = false;
	let client: pg.Client | null = null;
	let listening = false;
	let attempt = 0;
	let retry: NodeJS.Timeout | null = null;

	const lost = (err: Error) => {
		const was = client;
		client = null;
		if (was) {
			was.removeAllListeners();
			// a client that errored may still hold a socket; ending it must not throw here
			was.on('error', () => {});
			void was.end().catch(() => {});
		}
		if (listening) {
			listening = false;
			handlers.down(err);
		}
		if (!stopped) {
			retry = setTimeout(() => void connect(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
			retry.unref();
		}
	};

	async function connect() {
		retry = null;
		if (stopped) return;
		const c = new pg.Client({
			connectionString,
			connectionTimeoutMillis: 5_000,
			// a half-open connection (a host gone without a FIN) is noticed within a minute
			keepAlive: true,
			keepAliveInitialDelayMillis: 10_000
		});
		client = c;
		c.on('error', (err) => client === c && lost(err));
		c.on('end', () => client === c && lost(new Error('connection ended')));
		c.on('notification', (n) => {
			if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
		});
		try {
			await c.connect();
			await c.query(`LISTEN ${channel}`);
			if (stopped || client !== c) return void c.end().catch(() => {});
			attempt = 0;
			listening = true;
			handlers.up();
		} catch (err) {
			if (client === c) lost(err as Error);
		}
	}
	void connect();

	return {
		get listening() {
			return listening;
		},
		async stop() {
			stopped = true;
			if (retry) clearTimeout(retry);
			const c = client;
			client = null;
			listening = false;
			if (c) {
				c.removeAllListeners();
				c.on('error', () => {});
				await c.end().catch(() => {});
			}
		}
	};
}

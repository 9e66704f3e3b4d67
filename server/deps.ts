import type { Config } from './config.ts';
import type { Store } from './db/store.ts';
import type { Engine } from './engine.ts';
import type { Logger } from './log.ts';
import type { SmsGateway } from './notify/sms.ts';
import type { LiveKitGateway } from './video/livekit.ts';

/** What the API needs from the outside world; tests pass their own clock, config and LiveKit. */
export interface Deps {
	/** The database engine (SQLite or PostgreSQL): its bus, change stamp and lifecycle. */
	engine: Engine;
	/** The awaitable database every rule uses; inside a transaction, its handle (`{ ...deps, store: tx }`). */
	store: Store;
	config: Config;
	now: () => number;
	livekit: LiveKitGateway | null;
	log: Logger;
	sms: SmsGateway;
}

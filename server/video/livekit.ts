import {
	AccessToken,
	RoomServiceClient,
	TrackSource,
	TwirpError,
	type ParticipantInfo,
	type Room
} from 'livekit-server-sdk';

/** The part of LiveKit the hall uses. Injected into createApp so tests choose the server. */
export interface LiveKitGateway {
	/** WebSocket URL browsers connect to. */
	readonly url: string;
	createToken(grant: RoomGrant): Promise<string>;
	listRooms(): Promise<Room[]>;
	listParticipants(room: string): Promise<ParticipantInfo[]>;
	removeParticipant(room: string, identity: string): Promise<void>;
	deleteRoom(room: string): Promise<void>;
}

export interface RoomGrant {
	room: string;
	identity: string;
	name: string;
	metadata?: Record<string, unknown>;
	ttlSeconds: number;
	canPublish: boolean;
	canSubscribe: boolean;
	canPublishData: boolean;
	/** Camera, microphone and screen share unless narrowed. */
	sources?: ('camera' | 'microphone' | 'screen_share' | 'screen_share_audio')[];
}

const SOURCE: Record<NonNullable<RoomGrant['sources']>[number], TrackSource> = {
	camera: TrackSource.CAMERA,
	microphone: TrackSource.MICROPHONE,
	screen_share: TrackSource.SCREEN_SHARE,
	screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO
};

/**
 * `url` may name several nodes of one LiveKit cluster, comma-separated (ws://lk-a:7880,ws://lk-b:7880):
 * any node answers RoomService for every room of the cluster (they share Redis), so a call goes
 * to the node that answered last and moves on to the next one only when a node cannot be reached
 * (restarted, drained and gone); LiveKit's own answers (a room not found) are not retried.
 * Browsers get `publicUrl` (the balancer in front of the nodes), else the first node.
 */
export function createLiveKitGateway(opts: {
	url: string;
	publicUrl?: string;
	apiKey: string;
	apiSecret: string;
}): LiveKitGateway {
	const nodes = opts.url
		.split(',')
		.map((u) => u.trim())
		.filter(Boolean);
	const clients = nodes.map(
		(u) => new RoomServiceClient(u.replace(/^ws/, 'http'), opts.apiKey, opts.apiSecret)
	);
	let answered = 0;
	const call = async <T>(ask: (rooms: RoomServiceClient) => Promise<T>): Promise<T> => {
		let unreachable: unknown;
		for (let i = 0; i < clients.length; i++) {
			const at = (answered + i) % clients.length;
			try {
				const answer = await ask(clients[at]);
				answered = at;
				return answer;
			} catch (err) {
				if (err instanceof TwirpError) throw err;
				unreachable = err;
			}
		}
		throw unreachable;
	};
	// config passes LIVEKIT_URL as the public URL when none is set: a list then means its first node
	const browserUrl = (opts.publicUrl ?? opts.url).split(',')[0].trim();
	return {
		url: browserUrl,
		async createToken(g) {
			const at = new AccessToken(opts.apiKey, opts.apiSecret, {
				identity: g.identity,
				name: g.name,
				metadata: g.metadata ? JSON.stringify(g.metadata) : undefined,
				ttl: g.ttlSeconds
			});
			at.addGrant({
				roomJoin: true,
				room: g.room,
				canPublish: g.canPublish,
				canSubscribe: g.canSubscribe,
				canPublishData: g.canPublishData,
				canPublishSources: (
					g.sources ?? ['camera', 'microphone', 'screen_share', 'screen_share_audio']
				).map((s) => SOURCE[s]),
				// Room administration (remove, end) goes through our API, never through client grants.
				roomAdmin: false,
				roomCreate: false
			});
			return at.toJwt();
		},
		listRooms: () => call((rooms) => rooms.listRooms()),
		listParticipants: (room) => call((rooms) => rooms.listParticipants(room)),
		removeParticipant: (room, identity) => call((rooms) => rooms.removeParticipant(room, identity)),
		deleteRoom: (room) => call((rooms) => rooms.deleteRoom(room))
	};
}

/** Resolves when LiveKit answers, rejects after timeoutMs. */
export async function pingLiveKit(lk: LiveKitGateway, timeoutMs = 2000): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		await Promise.race([
			lk.listRooms(),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}

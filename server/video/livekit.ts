import {
	AccessToken,
	RoomServiceClient,
	TrackSource,
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

export function createLiveKitGateway(opts: {
	url: string;
	publicUrl?: string;
	apiKey: string;
	apiSecret: string;
}): LiveKitGateway {
	const http = opts.url.replace(/^ws/, 'http');
	const rooms = new RoomServiceClient(http, opts.apiKey, opts.apiSecret);
	return {
		url: opts.publicUrl ?? opts.url,
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
		listRooms: () => rooms.listRooms(),
		listParticipants: (room) => rooms.listParticipants(room),
		removeParticipant: (room, identity) => rooms.removeParticipant(room, identity),
		deleteRoom: (room) => rooms.deleteRoom(room)
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

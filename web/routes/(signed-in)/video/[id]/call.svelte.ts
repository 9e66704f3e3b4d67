// One LiveKit Room for the page: connect, publish camera and microphone, follow the remote
// participants' tracks, and report how the connection is doing. Always disconnect on teardown.
import type { LocalParticipant, RemoteParticipant, Room, Track } from 'livekit-client';

export interface Tile {
	identity: string;
	name: string;
	video: Track | null;
	audio: Track | null;
	screen: Track | null;
}

export type CallState =
	'idle' | 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'removed' | 'failed';

export class Call {
	state = $state<CallState>('idle');
	tiles = $state<Tile[]>([]);
	local = $state<Track | null>(null);
	micOn = $state(true);
	cameraOn = $state(true);
	sharing = $state(false);
	quality = $state('unknown');
	cameras = $state<MediaDeviceInfo[]>([]);
	error = $state('');
	#room: Room | null = null;

	async connect(url: string, token: string) {
		const lk = await import('livekit-client');
		const room = new lk.Room({ adaptiveStream: true, dynacast: true });
		this.#room = room;
		this.state = 'connecting';
		const refresh = () => this.#sync(room);
		room
			.on(lk.RoomEvent.TrackSubscribed, refresh)
			.on(lk.RoomEvent.TrackUnsubscribed, refresh)
			.on(lk.RoomEvent.ParticipantConnected, refresh)
			.on(lk.RoomEvent.ParticipantDisconnected, refresh)
			.on(lk.RoomEvent.TrackMuted, refresh)
			.on(lk.RoomEvent.TrackUnmuted, refresh)
			.on(lk.RoomEvent.LocalTrackPublished, () => this.#syncLocal(room.localParticipant))
			.on(lk.RoomEvent.ConnectionQualityChanged, (q, p) => {
				if (p.isLocal) this.quality = q;
			})
			.on(lk.RoomEvent.Reconnecting, () => (this.state = 'reconnecting'))
			.on(lk.RoomEvent.Reconnected, () => (this.state = 'connected'))
			.on(lk.RoomEvent.Disconnected, (reason) => {
				this.state =
					reason === lk.DisconnectReason.PARTICIPANT_REMOVED
						? 'removed'
						: reason === lk.DisconnectReason.ROOM_DELETED
							? 'ended'
							: this.state === 'ended' || this.state === 'removed'
								? this.state
								: 'ended';
			});
		try {
			await room.connect(url, token);
			this.state = 'connected';
			await room.localParticipant.enableCameraAndMicrophone();
			this.#syncLocal(room.localParticipant);
			this.cameras = await lk.Room.getLocalDevices('videoinput');
			refresh();
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			this.state = 'failed';
		}
	}

	#syncLocal(p: LocalParticipant) {
		this.local = p.getTrackPublication('camera' as Track.Source)?.track ?? null;
		this.micOn = p.isMicrophoneEnabled;
		this.cameraOn = p.isCameraEnabled;
		this.sharing = p.isScreenShareEnabled;
	}

	#sync(room: Room) {
		this.tiles = [...room.remoteParticipants.values()].map((p: RemoteParticipant) => ({
			identity: p.identity,
			name: p.name || p.identity,
			video: p.getTrackPublication('camera' as Track.Source)?.track ?? null,
			audio: p.getTrackPublication('microphone' as Track.Source)?.track ?? null,
			screen: p.getTrackPublication('screen_share' as Track.Source)?.track ?? null
		}));
	}

	async toggleMic() {
		await this.#room?.localParticipant.setMicrophoneEnabled(!this.micOn);
		if (this.#room) this.#syncLocal(this.#room.localParticipant);
	}
	async toggleCamera() {
		await this.#room?.localParticipant.setCameraEnabled(!this.cameraOn);
		if (this.#room) this.#syncLocal(this.#room.localParticipant);
	}
	async toggleShare() {
		try {
			await this.#room?.localParticipant.setScreenShareEnabled(!this.sharing);
		} catch {
			/* the user cancelled the picker */
		}
		if (this.#room) this.#syncLocal(this.#room.localParticipant);
	}
	async switchCamera() {
		if (!this.#room || this.cameras.length < 2) return;
		const current = this.#room.getActiveDevice('videoinput');
		const i = this.cameras.findIndex((c) => c.deviceId === current);
		await this.#room.switchActiveDevice(
			'videoinput',
			this.cameras[(i + 1) % this.cameras.length].deviceId
		);
	}
	async leave() {
		const room = this.#room;
		this.#room = null;
		await room?.disconnect();
	}
}

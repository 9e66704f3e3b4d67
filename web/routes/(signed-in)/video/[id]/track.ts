import type { Track } from 'livekit-client';

/** Svelte action: play a LiveKit track in this <video>/<audio> element, detach on change. */
export function attach(el: HTMLMediaElement, track: Track | null) {
	let current = track;
	current?.attach(el);
	return {
		update(next: Track | null) {
			if (next === current) return;
			current?.detach(el);
			current = next;
			current?.attach(el);
		},
		destroy() {
			current?.detach(el);
		}
	};
}

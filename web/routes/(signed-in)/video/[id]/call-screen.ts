// The call (its LiveKit room) and the screen a phone shows during it: downloaded when the user
// joins (with livekit-client), not with the page, so the consent card a phone shows first does
// not wait for them. The staff's workspace shows the call with the same parts (staff-panels.ts).
export { Call } from './call.svelte.ts';
export { default as CallScreen } from './CallScreen.svelte';

// The video call and its workspace.
// English: exactly the keys of ../zh-CN/video.ts (the type below says so).
import type zh from '../zh-CN/video.ts';

export default {
	'video.title': 'Video session',
	'video.consentTitle': 'Before you join',
	'video.consent':
		'An agent will talk with you by live video. The service records when people join and leave and keeps the chat with your case; audio and video are not recorded. Choose a quiet, well-lit place and have your ID ready.',
	'video.agree': 'I have read and agree',
	'video.join': 'Join video',
	'video.preview': 'My camera preview',
	'video.waitingTitle': 'An agent will be with you shortly',
	'video.agentReady':
		'The agent has joined. Please look at the screen and just speak if anything is unclear.',
	'video.waiting':
		'Please wait and keep this page open. The video starts when the agent lets you in.',
	'video.connecting': 'Connecting…',
	'video.reconnecting': 'Unstable network; reconnecting…',
	'video.ended': 'The session has ended',
	'video.endedCitizen': 'Thank you for using Cloud Hall. You can rate this service later.',
	'video.removed': 'You were removed from this session.',
	'video.error': 'Cannot join the video: {reason}',
	'video.unavailable':
		'Video is unavailable right now. You can chat here, or ask the agent to call you back.',
	'video.me': 'Me',
	'video.mute': 'Mute',
	'video.unmute': 'Unmute',
	'video.share': 'Share screen',
	'video.stopShare': 'Stop sharing',
	'video.leave': 'Leave',
	'video.quality': 'Network: {quality}',
	'video.participants': 'Participants',
	'video.end': 'End session',
	'video.confirmEnd': 'End this video session?',
	'video.chat': 'Chat',
	'video.chatLabel': 'Message',
	'video.send': 'Send',
	'video.noMessages': 'No messages yet.',
	'video.shareRequest': 'The agent asks you to share your screen: press "Share screen" below.',
	'video.callback': 'Ask for a call back',
	'video.callbackText': 'The video does not work; please call me back by phone.',
	'video.controls': 'Call buttons',
	'video.cameraOffShort': 'Camera off',
	'video.cameraOnShort': 'Camera on',
	'video.switchShort': 'Flip',
	'video.panelUnread': '{name} ({count} new)',
	'video.waitingForVideo': 'Waiting for the other side’s picture...',
	'video.panelForm': 'Form',
	'video.panelPeople': 'People',
	'video.panelClose': 'Close',
	'video.noCaseYet': 'The application form appears here once staff start it.',
	'video.backToDesk': 'Back to my desk'
} satisfies Record<keyof typeof zh, string>;

// The camera and microphone check.
// English: exactly the keys of ../zh-CN/device.ts (the type below says so).
import type zh from '../zh-CN/device.ts';

export default {
	'device.title': 'Device check',
	'device.lead': 'Check your camera, microphone and network before a video session.',
	'device.start': 'Start check',
	'device.camera': 'Camera',
	'device.microphone': 'Microphone',
	'device.preview': 'Camera preview',
	'device.level': 'Microphone level',
	'device.levelHint': 'Say a few words; the bar should move with your voice.',
	'device.permission': 'Allow camera and microphone in the browser prompt.',
	'device.denied':
		'Cannot use camera or microphone: {reason}. Check the browser permissions and try again.',
	'device.noDevices': 'No camera or microphone found.',
	'device.connection': 'Connection test',
	'device.connectionLead':
		'Connects to the video server and sends picture and sound; takes about 10 seconds.',
	'device.runTest': 'Test connection',
	'device.testing': 'Testing…',
	'device.step.token': 'Get a test room',
	'device.step.connect': 'Connect to the video server',
	'device.step.publish': 'Send camera and microphone',
	'device.ok': 'Passed: your device and network are ready for video sessions.',
	'device.fail': 'Failed: {reason}',
	'device.unavailable': 'Video is unavailable; the connection cannot be tested.',
	'device.quality': 'Connection quality: {quality}',
	'device.quality.excellent': 'excellent',
	'device.quality.good': 'good',
	'device.quality.poor': 'poor',
	'device.quality.lost': 'lost',
	'device.quality.unknown': 'unknown'
} satisfies Record<keyof typeof zh, string>;

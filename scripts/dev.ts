// `npm run dev`: the hall on one port (Vite + SvelteKit + the Hono API at /api), with a local
// LiveKit server beside it when LIVEKIT_URL is not set, and the demo hall seeded into an empty
// database. Stops LiveKit again on exit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { findLiveKitBinary, startLiveKit, type LiveKitProcess } from './livekit-process.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
process.env.DEMO ??= '1';
// development: text messages (registration codes, reminders) go to DATA_DIR/sms.log
process.env.SMS_GATEWAY ??= 'log';

let livekit: LiveKitProcess | null = null;
if (!process.env.LIVEKIT_URL) {
	const binary = findLiveKitBinary(true);
	if (binary) {
		try {
			livekit = await startLiveKit(binary, {
				port: Number(process.env.LIVEKIT_PORT ?? 7880),
				webhookUrl: `http://127.0.0.1:${process.env.PORT ?? 5173}/api/livekit/webhook`
			});
			process.env.LIVEKIT_URL = livekit.url;
			process.env.LIVEKIT_API_KEY = livekit.apiKey;
			process.env.LIVEKIT_API_SECRET = livekit.apiSecret;
			console.log(`cloud-hall: LiveKit (dev) running at ${livekit.url}`);
		} catch (err) {
			console.warn(
				`cloud-hall: could not start LiveKit (${(err as Error).message}); video is unavailable.`
			);
		}
	} else {
		console.warn(
			'cloud-hall: no LiveKit server available; the hall runs, but video is unavailable.'
		);
	}
}

const vite = spawn('vite', ['dev', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: process.env
});

let stopping = false;
async function stop(code: number) {
	if (stopping) return;
	stopping = true;
	vite.kill('SIGTERM');
	await livekit?.stop();
	process.exit(code);
}
vite.on('exit', (code) => void stop(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
	process.on(signal, () => void stop(0));

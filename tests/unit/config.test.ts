import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('config', () => {
	it('has safe local defaults', () => {
		const c = loadConfig({});
		expect(c.databasePath).toMatch(/data\/hall\.db$/);
		expect(c.timeZone).toBe('Asia/Shanghai');
		expect(c.demo).toBe(false);
		expect(c.livekit).toBeNull();
		expect(c.session.secureCookie).toBe(false);
	});

	it('fails fast naming each bad variable', () => {
		expect(() =>
			loadConfig({ HALL_TIME_ZONE: 'Mars/Olympus', SESSION_DAYS: 'many', LIVEKIT_URL: 'http://x' })
		).toThrow(/HALL_TIME_ZONE[\s\S]*SESSION_DAYS[\s\S]*LIVEKIT_URL/);
		expect(() => loadConfig({ LIVEKIT_URL: 'ws://127.0.0.1:7880' })).toThrow(/LIVEKIT_API_KEY/);
	});

	it('reads LiveKit settings, with the public URL defaulting to the server URL', () => {
		const c = loadConfig({
			LIVEKIT_URL: 'ws://127.0.0.1:7880',
			LIVEKIT_API_KEY: 'k',
			LIVEKIT_API_SECRET: 's',
			DEMO: '1'
		});
		expect(c.livekit).toEqual({
			url: 'ws://127.0.0.1:7880',
			publicUrl: 'ws://127.0.0.1:7880',
			apiKey: 'k',
			apiSecret: 's',
			tokenTtlSeconds: 300
		});
		expect(c.demo).toBe(true);
	});
});

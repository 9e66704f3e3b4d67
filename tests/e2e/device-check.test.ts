// The device check against a real LiveKit server: Chromium's fake camera publishes, and the test
// confirms through LiveKit's RoomService that the participant really published a video track.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { RoomServiceClient, TrackSource, TrackType } from 'livekit-server-sdk';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import {
	fitsWidth,
	launchChromium,
	loginThroughForm,
	phoneContext,
	screenshot
} from './chromium.ts';

const ctx = inject('e2e');

describe.skipIf(ctx.skip)('device check (设备检测) with a real LiveKit', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('previews the fake camera, publishes to a private room, and LiveKit sees the video track', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await loginThroughForm(page, '13800000001', DEMO_PASSWORD);
		await page.waitForURL((url) => url.pathname === '/my');
		const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user);

		await page.goto('/device-check');
		await page.getByRole('button', { name: '开始检测' }).click();
		await page.waitForFunction(() => {
			const v = document.querySelector('video');
			return !!v && v.readyState >= 2 && v.videoWidth > 0;
		});
		expect(await page.getByLabel('摄像头', { exact: true }).inputValue()).not.toBe('');
		await page.getByRole('button', { name: '测试网络连接' }).click();
		await page.locator('[data-verdict]').waitFor({ timeout: 30_000 });
		expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('ok');
		expect(await page.getByText('检测通过').isVisible()).toBe(true);
		expect(await fitsWidth(page)).toBe(true);
		await screenshot(page, 'device-check-360');

		const rooms = new RoomServiceClient(
			ctx.livekit.url.replace(/^ws/, 'http'),
			ctx.livekit.apiKey,
			ctx.livekit.apiSecret
		);
		await expect
			.poll(
				async () => {
					for (const room of await rooms.listRooms()) {
						if (!room.name.startsWith('device-check-')) continue;
						for (const p of await rooms.listParticipants(room.name))
							if (p.identity === me.id)
								return p.tracks.some(
									(t) => t.type === TrackType.VIDEO && t.source === TrackSource.CAMERA
								);
					}
					return false;
				},
				{ timeout: 15_000, interval: 500 }
			)
			.toBe(true);
		await context.close();
	});
});

// Security headers on the production build (pages, API answers, API errors, SSE), and proof that
// the CSP violation listener every e2e context carries (tests/e2e/chromium.ts) can fail a test.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, phoneContext, takeCspViolations } from './chromium.ts';

const e2e = inject('e2e');
const skip = e2e.skip;

function directives(csp: string | null): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const part of (csp ?? '').split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) map.set(name, sources);
	}
	return map;
}

function expectCommonHeaders(res: Response) {
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	expect(res.headers.get('x-frame-options')).toBe('DENY');
	const pp = res.headers.get('permissions-policy') ?? '';
	for (const feature of ['camera=(self)', 'microphone=(self)', 'display-capture=(self)'])
		expect(pp).toContain(feature);
	for (const feature of ['geolocation=()', 'payment=()', 'usb=()']) expect(pp).toContain(feature);
	// the e2e server runs without SECURE_COOKIES, so no HSTS over plain http
	expect(res.headers.has('strict-transport-security')).toBe(false);
}

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** OWASP's REST set: no sniffing, no framing, a CSP that allows nothing, not cached by default. */
function expectApiHeaders(res: Response, cacheControl = 'no-store') {
	expect(res.headers.get('content-security-policy')).toBe(API_CSP);
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('x-frame-options')).toBe('DENY');
	expect(res.headers.get('cache-control')).toBe(cacheControl);
	// what governs documents stays with the pages
	expect(res.headers.has('permissions-policy')).toBe(false);
	expect(res.headers.has('referrer-policy')).toBe(false);
	expect(res.headers.has('strict-transport-security')).toBe(false);
}

describe.skipIf(skip)('security headers', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("gives a page SvelteKit's CSP with its nonce, the LiveKit server in connect-src, and the common headers", async () => {
		const res = await fetch(`${e2e.baseUrl}/`);
		expect(res.status).toBe(200);
		expectCommonHeaders(res);
		const csp = directives(res.headers.get('content-security-policy'));
		expect(csp.get('default-src')).toEqual(["'self'"]);
		expect(csp.get('script-src')?.[0]).toBe("'self'");
		expect(csp.get('script-src')?.slice(1)).toEqual([expect.stringMatching(/^'nonce-.+'$/)]);
		// style attributes yes (web/app.html, SvelteKit's announcer), <style> elements no
		expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
		expect(csp.get('style-src-elem')?.[0]).toBe("'self'");
		expect(csp.get('style-src-elem')).not.toContain("'unsafe-inline'");
		expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
		expect(csp.get('object-src')).toEqual(["'none'"]);
		expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
		expect(csp.get('base-uri')).toEqual(["'self'"]);
		expect(csp.get('form-action')).toEqual(["'self'"]);
		const livekit = new URL(e2e.livekit.url); // ws://127.0.0.1:<port>
		expect(csp.get('connect-src')).toEqual([
			"'self'",
			`ws://${livekit.host}`,
			`http://${livekit.host}`
		]);
		// the nonce in the header is the one on the page's inline start-up script
		const nonce = csp.get('script-src')![1].slice("'nonce-".length, -1);
		expect(await res.text()).toContain(`nonce="${nonce}"`);
	});

	it('gives API answers, API errors and SSE streams the API headers: a CSP that allows nothing, no caching', async () => {
		const health = await fetch(`${e2e.baseUrl}/api/health`);
		expect(health.status).toBe(200);
		expectApiHeaders(health);

		const missing = await fetch(`${e2e.baseUrl}/api/no-such-thing`);
		expect(missing.status).toBe(404);
		expectApiHeaders(missing);

		const unauthorised = await fetch(`${e2e.baseUrl}/api/me`);
		expect(unauthorised.status).toBe(401);
		expectApiHeaders(unauthorised);

		const { halls } = (await (await fetch(`${e2e.baseUrl}/api/queue/halls`)).json()) as {
			halls: { id: string }[];
		};
		const abort = new AbortController();
		const sse = await fetch(`${e2e.baseUrl}/api/queue/events?hallId=${halls[0].id}`, {
			signal: abort.signal
		});
		expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
		// a stream says its own caching, which stands
		expectApiHeaders(sse, 'no-cache');
		expect(sse.headers.get('x-accel-buffering')).toBe('no');
		abort.abort();
	});

	it('gives a page error (404) the same CSP and headers', async () => {
		const res = await fetch(`${e2e.baseUrl}/no-such-page`);
		expect(res.status).toBe(404);
		expectCommonHeaders(res);
		expect(directives(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual([
			"'none'"
		]);
	});

	it('records a violation when a page does what the CSP forbids, and fails the test that closes it', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await page.goto('/');
		// resolves once the page has seen the violation (the recorder listens before this does)
		const provoke = (what: 'script' | 'img') =>
			page.evaluate((what) => {
				const seen = new Promise<void>((resolve) =>
					document.addEventListener('securitypolicyviolation', () => resolve(), { once: true })
				);
				if (what === 'script') {
					const script = document.createElement('script');
					script.textContent = 'window.__injected = true;';
					document.body.append(script);
				} else {
					const img = document.createElement('img');
					img.src = 'https://example.invalid/pixel.png';
					document.body.append(img);
				}
				return seen;
			}, what);

		await provoke('script');
		const found = await takeCspViolations(context);
		expect(found).toHaveLength(1);
		expect(found[0].directive).toBe('script-src-elem');
		expect(found[0].blocked).toBe('inline');
		expect(await page.evaluate(() => '__injected' in window)).toBe(false);
		expect(await takeCspViolations(context)).toEqual([]); // taken once

		// one more, left for close(): the listener makes the test that closes the context fail
		await provoke('img');
		await expect(context.close()).rejects.toThrow(/Content-Security-Policy violations:\n.*img-src/);
	});
});

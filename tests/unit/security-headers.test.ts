import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import {
	addCspSources,
	API_CSP,
	apiResponseHeaders,
	apiSecurityHeaders,
	applySecurityHeaders,
	commonSecurityHeaders,
	liveKitConnectSources,
	pageCsp,
	securityHeaders
} from '../../server/http/security-headers.ts';

const KIT_CSP =
	"default-src 'self'; script-src 'self' 'nonce-abc'; connect-src 'self'; frame-ancestors 'none'";

function directive(csp: string | null, name: string): string[] | undefined {
	const part = csp
		?.split(';')
		.map((p) => p.trim().split(/\s+/))
		.find(([n]) => n === name);
	return part?.slice(1);
}

describe('security headers', () => {
	it('derives both LiveKit origins (websocket and http) from its public URL', () => {
		expect(liveKitConnectSources('ws://127.0.0.1:7880')).toEqual([
			'ws://127.0.0.1:7880',
			'http://127.0.0.1:7880'
		]);
		expect(liveKitConnectSources('wss://video.hall.example/rtc/')).toEqual([
			'wss://video.hall.example',
			'https://video.hall.example'
		]);
		expect(liveKitConnectSources('wss://hall-abc.livekit.cloud')).toEqual([
			'wss://hall-abc.livekit.cloud',
			'https://hall-abc.livekit.cloud',
			'wss://*.livekit.cloud',
			'https://*.livekit.cloud'
		]);
		// a cluster's nodes (LIVEKIT_URL may list them): each node's origins, once
		expect(
			liveKitConnectSources('ws://10.0.1.21:7880, ws://10.0.1.22:7880,ws://10.0.1.21:7880')
		).toEqual([
			'ws://10.0.1.21:7880',
			'http://10.0.1.21:7880',
			'ws://10.0.1.22:7880',
			'http://10.0.1.22:7880'
		]);
		expect(liveKitConnectSources(null)).toEqual([]);
		expect(liveKitConnectSources('not a url')).toEqual([]);
		expect(liveKitConnectSources('ftp://x')).toEqual([]);
	});

	it('adds sources to connect-src, once, leaving the rest of the policy alone', () => {
		const csp = addCspSources(KIT_CSP, 'connect-src', ['ws://lk:7880', 'http://lk:7880']);
		expect(directive(csp, 'connect-src')).toEqual(["'self'", 'ws://lk:7880', 'http://lk:7880']);
		expect(directive(csp, 'script-src')).toEqual(["'self'", "'nonce-abc'"]);
		expect(addCspSources(csp, 'connect-src', ['ws://lk:7880'])).toBe(csp);
		expect(addCspSources(KIT_CSP, 'connect-src', [])).toBe(KIT_CSP);
		// a missing directive starts from default-src, as the browser would have
		expect(
			directive(
				addCspSources("default-src 'self'; img-src data:", 'connect-src', ['ws://x']),
				'connect-src'
			)
		).toEqual(["'self'", 'ws://x']);
	});

	it("puts the configured LiveKit URL (LIVEKIT_PUBLIC_URL, else LIVEKIT_URL) in a page's connect-src", () => {
		const lk = { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' };
		const publicUrl = loadConfig({
			...lk,
			LIVEKIT_URL: 'ws://livekit:7880',
			LIVEKIT_PUBLIC_URL: 'wss://video.hall.example'
		});
		const page = () =>
			new Response('<p>hi</p>', { headers: { 'content-security-policy': KIT_CSP } });
		const res = securityHeaders(publicUrl)(page(), { api: false, host: 'hall.example' });
		expect(directive(res.headers.get('content-security-policy'), 'connect-src')).toEqual([
			"'self'",
			'wss://video.hall.example',
			'https://video.hall.example'
		]);

		const serverUrl = loadConfig({ ...lk, LIVEKIT_URL: 'ws://127.0.0.1:7880' });
		const res2 = securityHeaders(serverUrl)(page(), { api: false, host: 'hall.example' });
		expect(directive(res2.headers.get('content-security-policy'), 'connect-src')).toEqual([
			"'self'",
			'ws://127.0.0.1:7880',
			'http://127.0.0.1:7880'
		]);

		const noVideo = securityHeaders(loadConfig({}))(page(), { api: false });
		expect(noVideo.headers.get('content-security-policy')).toBe(KIT_CSP);
	});

	it("allows Vite's HMR websocket on the page's host in dev only", () => {
		const opts = { secureCookie: false, livekitPublicUrl: null };
		expect(
			directive(pageCsp(KIT_CSP, { ...opts, dev: true, host: 'localhost:5173' }), 'connect-src')
		).toEqual(["'self'", 'ws://localhost:5173', 'wss://localhost:5173']);
		expect(pageCsp(KIT_CSP, { ...opts, dev: false, host: 'localhost:5173' })).toBe(KIT_CSP);
	});

	it('sends HSTS only with secure cookies', () => {
		expect(commonSecurityHeaders({ secureCookie: false })).not.toHaveProperty(
			'strict-transport-security'
		);
		expect(commonSecurityHeaders({ secureCookie: true })['strict-transport-security']).toBe(
			'max-age=31536000; includeSubDomains'
		);
		const secure = securityHeaders(loadConfig({ SECURE_COOKIES: '1' }));
		const plain = securityHeaders(loadConfig({}));
		expect(secure(new Response('x'), { api: true }).headers.get('strict-transport-security')).toBe(
			'max-age=31536000; includeSubDomains'
		);
		expect(plain(new Response('x'), { api: true }).headers.has('strict-transport-security')).toBe(
			false
		);
	});

	it("gives API answers OWASP's REST headers: a strict CSP, no framing or sniffing, no caching unless they say", () => {
		const secure = securityHeaders(loadConfig({}));
		for (const answer of [
			Response.json({ error: { code: 'not_found' } }, { status: 404 }),
			// frozen headers: a copy takes them
			Response.redirect('http://hall.example/api/x', 307)
		]) {
			const res = secure(answer, { api: true });
			expect(res.headers.get('content-security-policy')).toBe(API_CSP);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('cache-control')).toBe('no-store');
			expect(res.headers.has('permissions-policy')).toBe(false);
			expect(res.headers.has('referrer-policy')).toBe(false);
		}
		const stream = secure(
			new Response('', { headers: { 'cache-control': 'no-cache', 'x-frame-options': 'x' } }),
			{ api: true }
		);
		expect(stream.headers.get('cache-control')).toBe('no-cache');
		expect(stream.headers.get('x-frame-options')).toBe('DENY');
		// the production entry sets the same on node:http's response, the cache default last
		expect(apiResponseHeaders(loadConfig({ SECURE_COOKIES: '1' }))).toEqual([
			...apiSecurityHeaders({ secureCookie: true }),
			['cache-control', 'no-store']
		]);
		expect(Object.fromEntries(apiSecurityHeaders({ secureCookie: true }))).toMatchObject({
			'strict-transport-security': 'max-age=31536000; includeSubDomains'
		});
	});

	it('copies a response whose headers are frozen, and covers non-HTML page answers', () => {
		const redirect = Response.redirect('http://hall.example/login', 303);
		const res = applySecurityHeaders(
			redirect,
			{ api: false },
			{ secureCookie: false, livekitPublicUrl: null }
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('http://hall.example/login');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('content-security-policy')).toBe(API_CSP);

		// an HTML page without SvelteKit's CSP (the static error page) is not given the strict one
		const html = applySecurityHeaders(
			new Response('<p>error</p>', { headers: { 'content-type': 'text/html' } }),
			{ api: false },
			{ secureCookie: false, livekitPublicUrl: null }
		);
		expect(html.headers.has('content-security-policy')).toBe(false);
	});
});

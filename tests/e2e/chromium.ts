import fs from 'node:fs';
import {
	chromium,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Page
} from 'playwright-core';
import { inject, onTestFinished } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { TOTP_PERIOD_SECONDS, totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { DEMO_TOTP_SECRET } from '../../server/demo/hall.ts';

/** Debian's Chromium (npx playwright install cannot download browsers here). */
export function findChromium(): string | null {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((p) => p && fs.existsSync(p)) ?? null;
}

/**
 * Chromium for the e2e tests. Every context it opens (browser.newContext, phoneContext,
 * browser.newPage) records Content-Security-Policy violations, and the test fails when one
 * happened: see watchCsp below.
 */
export async function launchChromium(): Promise<Browser> {
	const browser = await chromium.launch({
		executablePath: inject('e2e').chromium,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream'
		]
	});
	return watchCspViolations(browser);
}

/** One `securitypolicyviolation` event as a page saw it. */
export interface CspViolation {
	id: string;
	url: string;
	directive: string;
	blocked: string;
	source: string;
	line: number;
	sample: string;
}

const CSP_BINDING = '__hallCspViolation';
const CSP_LIST = '__hallCspViolations';

// Runs first in every document (and frame) of a watched context: listens on the document, keeps
// what it saw on window (to read it back before a context closes) and reports it at once to the
// test through the binding (so violations of documents navigated away from are not lost).
const RECORD_CSP_VIOLATIONS = `(() => {
	const list = [];
	Object.defineProperty(window, ${JSON.stringify(CSP_LIST)}, { value: list });
	document.addEventListener('securitypolicyviolation', (e) => {
		const v = {
			id: Math.random().toString(36).slice(2) + Date.now().toString(36),
			url: document.URL,
			directive: e.effectiveDirective || e.violatedDirective,
			blocked: e.blockedURI,
			source: e.sourceFile,
			line: e.lineNumber,
			sample: e.sample
		};
		list.push(v);
		const report = window[${JSON.stringify(CSP_BINDING)}];
		if (typeof report === 'function') report(v).catch(() => {});
	}, true);
})();`;

/** Per watched context: violations seen and not yet taken, and the ids already taken. */
const recorded = new WeakMap<
	BrowserContext,
	{ seen: Map<string, CspViolation>; taken: Set<string> }
>();

/** Reads back what the context's open pages recorded (a report may still be on its way). */
async function collect(context: BrowserContext): Promise<CspViolation[]> {
	const record = recorded.get(context);
	if (!record) return [];
	for (const page of context.pages()) {
		for (const frame of page.frames()) {
			const list = await frame
				.evaluate(
					(name) => (window as unknown as Record<string, CspViolation[]>)[name] ?? [],
					CSP_LIST
				)
				.catch(() => [] as CspViolation[]);
			for (const v of list) if (!record.taken.has(v.id)) record.seen.set(v.id, v);
		}
	}
	return [...record.seen.values()];
}

/**
 * The CSP violations a context recorded so far, removed from its record: for a test that
 * provokes one on purpose (tests/e2e/security-headers.test.ts).
 */
export async function takeCspViolations(context: BrowserContext): Promise<CspViolation[]> {
	const list = await collect(context);
	const record = recorded.get(context);
	for (const v of list) record?.taken.add(v.id);
	record?.seen.clear();
	return list;
}

function describeViolations(list: CspViolation[]): string {
	const lines = list.map(
		(v) =>
			`  ${v.directive} blocked ${v.blocked || '(inline)'} on ${v.url}` +
			(v.source ? ` (${v.source}:${v.line})` : '') +
			(v.sample ? ` sample: ${v.sample}` : '')
	);
	return `Content-Security-Policy violations:\n${lines.join('\n')}`;
}

async function assertNoViolations(context: BrowserContext): Promise<void> {
	const list = await takeCspViolations(context);
	if (list.length) throw new Error(describeViolations(list));
}

/** Records CSP violations in a new context; closing it (or the end of the test) checks them. */
async function watchCsp(context: BrowserContext): Promise<BrowserContext> {
	const record = { seen: new Map<string, CspViolation>(), taken: new Set<string>() };
	recorded.set(context, record);
	await context.exposeBinding(CSP_BINDING, (_source, v: CspViolation) => {
		if (!record.taken.has(v.id)) record.seen.set(v.id, v);
	});
	await context.addInitScript(RECORD_CSP_VIOLATIONS);
	const close = context.close.bind(context);
	let closed = false;
	context.close = async (options) => {
		if (closed) return close(options);
		closed = true;
		const list = await takeCspViolations(context).catch(() => []);
		await close(options);
		if (list.length) throw new Error(describeViolations(list));
	};
	// Opened inside a test: that test fails on a violation even when it leaves the context open.
	try {
		onTestFinished(async () => {
			if (!closed) await assertNoViolations(context);
		});
	} catch {
		/* opened in a beforeAll: checked when it or the browser closes */
	}
	return context;
}

/** Wraps the browser so every context it opens is watched, and closing it checks them all. */
function watchCspViolations(browser: Browser): Browser {
	const newContext = browser.newContext.bind(browser);
	const contexts = new Set<BrowserContext>();
	const late: string[] = [];
	browser.newContext = async (options?: BrowserContextOptions) => {
		const context = await watchCsp(await newContext(options));
		contexts.add(context);
		context.on('close', () => contexts.delete(context));
		return context;
	};
	browser.newPage = async (options?: BrowserContextOptions) => {
		const context = await browser.newContext(options);
		const page = await context.newPage();
		// closes its own context with it, as Playwright's does; what that finds fails browser.close
		page.on('close', () => void context.close().catch((err: Error) => late.push(err.message)));
		return page;
	};
	const close = browser.close.bind(browser);
	browser.close = async (options) => {
		const left: CspViolation[] = [];
		for (const context of contexts)
			left.push(...(await takeCspViolations(context).catch(() => [])));
		await close(options);
		if (left.length) late.push(describeViolations(left));
		if (late.length) throw new Error(late.join('\n'));
	};
	return browser;
}

/** A phone-sized context (360 px wide), Chinese, camera and microphone allowed. */
export function phoneContext(
	browser: Browser,
	opts: { width?: number } = {}
): Promise<BrowserContext> {
	const baseURL = inject('e2e').baseUrl;
	return browser.newContext({
		baseURL,
		viewport: { width: opts.width ?? 360, height: 760 },
		locale: 'zh-CN',
		permissions: ['camera', 'microphone'],
		deviceScaleFactor: 1
	});
}

/**
 * Signs in through the login form; a staff account then gives its second factor on the
 * two-factor page, a real code of `totpSecret` (the demo staff's by default).
 */
export async function loginThroughForm(
	page: Page,
	login: string,
	password: string,
	totpSecret = DEMO_TOTP_SECRET
): Promise<void> {
	await page.goto('/login');
	await page.getByLabel(/手机号或工作人员账号/).fill(login);
	await page.getByLabel('密码', { exact: true }).fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	// on to the next page, or an error shown on this one (the test checks which it expected)
	const left = await Promise.race([
		page
			.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 })
			.then(() => true)
			.catch(() => false),
		page
			.getByRole('alert')
			.waitFor({ timeout: 20_000 })
			.then(() => false)
			.catch(() => false)
	]);
	// asked for a code (an account without an authenticator yet is asked to set one up instead)
	if (left && new URL(page.url()).pathname === '/login/two-factor') {
		// the address can show the page a moment before its form does (a client-side navigation
		// on a loaded machine): wait for whichever form it shows, a code's or an enrolment's
		const asked = await Promise.race([
			page
				.getByRole('button', { name: '验证并登录' })
				.waitFor({ timeout: 10_000 })
				.then(
					() => true,
					() => false
				),
			page
				.locator('[data-secret]')
				.waitFor({ timeout: 10_000 })
				.then(
					() => false,
					() => false
				)
		]);
		if (asked) await giveSecondFactor(page, totpSecret);
	}
}

/**
 * Types the authenticator code on the two-factor page, as a person would at this moment: the
 * codes of steps c-1, c and c+1 in turn, moving on while the account already used one (every
 * e2e file signs the same demo staff in); when all three were used, the next step's.
 */
export async function giveSecondFactor(page: Page, totpSecret: string): Promise<void> {
	const key = decodeBase32IgnorePadding(totpSecret);
	for (let round = 0; round < 3; round++) {
		const now = Date.now();
		const current = totpStep(now);
		for (const step of [current - 1, current, current + 1]) {
			await page.getByLabel('动态验证码').fill(totpCode(key, step));
			const [answer] = await Promise.all([
				page.waitForResponse(
					(r) =>
						r.request().method() === 'POST' && new URL(r.url()).pathname === '/login/two-factor'
				),
				page.getByRole('button', { name: '验证并登录' }).click()
			]);
			const body = await answer.text();
			if (body.includes('"redirect"')) {
				await page.waitForURL((url) => url.pathname !== '/login/two-factor');
				return;
			}
			// a step's code is taken while the server's step is at most one past it: one typed just
			// as the step moved on is refused as wrong, not as used, and the next code is tried
			const expiredInFlight = totpStep(Date.now()) > step + 1;
			if (!body.includes('code_already_used') && !expiredInFlight)
				throw new Error(`second factor refused: ${answer.status()} ${body}`);
		}
		// all three used by earlier sign-ins: the next step's code is accepted once it begins
		const nextStepAt = (current + 1) * TOTP_PERIOD_SECONDS * 1000;
		await new Promise((r) => setTimeout(r, nextStepAt - Date.now() + 250));
	}
	throw new Error('second factor: no unused code');
}

export async function screenshot(page: Page, name: string): Promise<void> {
	fs.mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** True when the page is no wider than its viewport (readable at 360 px without sideways scrolling). */
export function fitsWidth(page: Page): Promise<boolean> {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

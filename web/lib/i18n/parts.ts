// Which parts of the message catalogue a page needs (issue 19: a citizen's page loads ≤ 60 KB
// before the video chunk, and the whole catalogue is 24 KB gzip of it). A part is one feature's
// file under zh-CN/ and en/. Every page loads the core (what the root layout, the error page and
// every page's shared components show); the citizen's pages listed below load their own parts
// beside it, and any other page (the staff's, on desktops, used all day) loads every part.
// tests/unit/message-parts.test.ts follows each listed page's imports and fails when a file it
// reaches uses a key of a part the page does not load. No aliases: scripts/bench-bundle.ts
// imports this file in Node.

export const MESSAGE_PARTS = [
	'admin',
	'app',
	'assistant',
	'audit',
	'auth',
	'booking',
	'call-staff',
	'case',
	'catalog',
	'collab',
	'desk',
	'device',
	'errors',
	'grid',
	'home',
	'home-visit',
	'issued',
	'learn',
	'life-admin',
	'life-event-stats',
	'life-event',
	'nav',
	'notify',
	'proxy',
	'punctuation',
	'queue',
	'ratings',
	'stats',
	'two-factor',
	'video'
] as const;
export type MessagePart = (typeof MESSAGE_PARTS)[number];

/** What the root layout and the error page show, on every page. */
export const CORE_PARTS: readonly MessagePart[] = ['app', 'errors', 'nav', 'punctuation'];

/** A citizen's page (route id) and the parts it loads beside the core. */
export const ROUTE_PARTS: Readonly<Record<string, readonly MessagePart[]>> = {
	'/': ['assistant', 'home', 'home-visit'],
	'/assistant': ['assistant'],
	'/board/[hall]': ['queue'],
	'/forgot-password': ['auth'],
	'/login': ['auth'],
	'/login/two-factor': ['two-factor'],
	'/register': ['auth'],
	'/services': ['catalog', 'home', 'life-event'],
	'/services/[id]': ['catalog', 'life-event'],
	'/services/[id]/book': ['booking'],
	'/(citizen)/my': ['case', 'home', 'queue'],
	'/(citizen)/my/appointments': ['booking', 'notify'],
	'/(citizen)/my/home-visits': ['grid', 'home-visit'],
	'/(citizen)/my/proxy': ['proxy'],
	'/(citizen)/my/ratings': ['ratings'],
	'/(citizen)/queue/[id]': ['queue'],
	'/(signed-in)/cases/[id]': ['case', 'collab', 'issued', 'life-event', 'ratings'],
	'/(signed-in)/cases/[id]/notice': ['issued'],
	'/(signed-in)/cases/[id]/receipt': ['grid', 'issued', 'life-event'],
	'/(signed-in)/device-check': ['device'],
	// the case form, the rating, the grant signature and the staff's panels come with their own
	// parts (lazyWithMessages)
	'/(signed-in)/video/[id]': ['video']
};

/** The parts a page loads: its own and the core, or all of them for a page not listed. */
export function partsForRoute(routeId: string | null): readonly MessagePart[] {
	if (routeId === null) return CORE_PARTS;
	const own = ROUTE_PARTS[routeId];
	return own ? [...CORE_PARTS, ...own] : MESSAGE_PARTS;
}

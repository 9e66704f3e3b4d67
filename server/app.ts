import { OpenAPIHono } from '@hono/zod-openapi';
import { runAs } from './audit/context.ts';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from './deps.ts';
import type { AppEnv } from './http/env.ts';
import { guardActing, resolveSession } from './http/auth-middleware.ts';
import { AppError, errorBody, toErrorResponse } from './http/errors.ts';
import { idempotentWrites } from './http/idempotency.ts';
import { accountRoutes } from './accounts/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { twoFactorRoutes } from './auth/two-factor-routes.ts';
import { activityRoutes } from './auth/activity-routes.ts';
import { catalogRoutes } from './catalog/routes.ts';
import { bookingRoutes } from './booking/routes.ts';
import { notificationRoutes } from './notify/routes.ts';
import { queueRoutes } from './queue/routes.ts';
import { caseRoutes } from './cases/routes.ts';
import { issuedDocumentRoutes } from './cases/issued-routes.ts';
import { collabRoutes } from './collab/routes.ts';
import { assistantRoutes } from './assistant/routes.ts';
import { MAX_DOCUMENT_BYTES } from './cases/files.ts';
import { healthRoutes } from './health/routes.ts';
import { reportStorageFault } from './health/storage.ts';
import { videoRoutes } from './video/routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { ratingRoutes } from './ratings/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { proxyRoutes } from './proxy/routes.ts';
import { lifeEventRoutes } from './life-events/routes.ts';
import { learningRoutes } from './assistant/learning-routes.ts';
import { gridRoutes } from './grid/routes.ts';

export const MAX_JSON_BODY = 1024 * 1024;
const BODILESS = new Set(['GET', 'HEAD']);

/** The API, mounted at /api by web/hooks.server.ts. Tests call it directly with app.request. */
export function createApp(deps: Deps) {
	const app = new OpenAPIHono<AppEnv>().basePath('/api');

	app.use(async (c, next) => {
		c.set('deps', deps);
		await next();
	});
	const limit = (maxSize: number) =>
		bodyLimit({
			maxSize,
			onError: () => {
				// The rest of the body is never read: close the connection after answering, so the
				// client's next request does not land on a socket still carrying this body.
				throw new AppError(
					413,
					'payload_too_large',
					`Request body is larger than ${maxSize} bytes`,
					{ headers: { connection: 'close' } }
				);
			}
		});
	// a document plus its multipart envelope; the rule checks the document itself
	const UPLOAD_MAX = MAX_DOCUMENT_BYTES + 64 * 1024;
	const jsonLimit = limit(MAX_JSON_BODY);
	const uploadLimit = limit(UPLOAD_MAX);
	// GET and HEAD carry no body. A body of declared length is judged by its Content-Length (node's
	// parser never reads past it), as Hono's bodyLimit does; only a chunked body of unknown length
	// goes through bodyLimit, which reads it. The order matters: bodyLimit first asks for the
	// request's body, and on node:http that turns @hono/node-server's light request into a full
	// Request with a stream (~8 % of a ticket take's profile, issue 19), where the route's
	// own c.req.json() reads the socket's bytes directly.
	app.use((c, next) => {
		if (BODILESS.has(c.req.method)) return next();
		const upload = /^\/api\/cases\/[^/]+\/documents$/.test(c.req.path);
		const declared = c.req.header('content-length');
		const withinDeclared =
			declared !== undefined &&
			c.req.header('transfer-encoding') === undefined &&
			Number.parseInt(declared, 10) <= (upload ? UPLOAD_MAX : MAX_JSON_BODY);
		return withinDeclared ? next() : (upload ? uploadLimit : jsonLimit)(c, next);
	});
	app.use(resolveSession);
	// who and from where, for the audit trail (server/audit/context.ts); a proxy acting for
	// someone is the one who acted, with the applicant and grant beside them
	app.use((c, next) => {
		const acting = c.get('acting');
		const active = acting?.state === 'active' ? acting : null;
		return runAs(
			{
				user: c.get('actor'),
				ip: c.env?.ip ?? null,
				actingFor: active
					? { grantId: active.grantId, applicant: active.applicantUser, items: active.items }
					: null
			},
			next
		);
	});
	// 代办: only the allow-listed routes, and only records of granted items (server/access/acting.ts)
	app.use(guardActing);
	// a write retried with its Idempotency-Key lands once (server/http/idempotency.ts)
	app.use(idempotentWrites);

	const routes = app
		.route('/', authRoutes())
		.route('/', twoFactorRoutes())
		.route('/', activityRoutes())
		.route('/', accountRoutes())
		.route('/', healthRoutes())
		.route('/', videoRoutes())
		.route('/', catalogRoutes())
		.route('/', bookingRoutes())
		.route('/', notificationRoutes())
		.route('/', queueRoutes())
		.route('/', caseRoutes())
		.route('/', issuedDocumentRoutes())
		.route('/', collabRoutes())
		.route('/', assistantRoutes())
		.route('/', statsRoutes())
		.route('/', ratingRoutes())
		.route('/', auditRoutes())
		.route('/', proxyRoutes())
		.route('/', gridRoutes())
		.route('/', lifeEventRoutes())
		.route('/', learningRoutes());

	app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
		type: 'apiKey',
		in: 'cookie',
		name: deps.config.session.cookieName
	});
	app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
		type: 'http',
		scheme: 'bearer'
	});
	app.doc31('/openapi.json', {
		openapi: '3.1.0',
		info: {
			title: 'Cloud Hall API (云上大厅)',
			version: '0.1.0',
			description:
				'Errors are `{ "error": { "code", "message", "fields"? } }`. Authenticate with the session cookie or `Authorization: Bearer <token>`. Each operation lists who may call it in `x-access`.'
		}
	});

	app.notFound((c) =>
		c.json(errorBody('not_found', `No API endpoint ${c.req.method} ${c.req.path}`), 404)
	);
	app.onError((err, c) =>
		toErrorResponse(err, c, deps.log, (code, path) => reportStorageFault(deps, code, path))
	);
	return routes;
}

export type App = ReturnType<typeof createApp>;

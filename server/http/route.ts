import { createRoute, type RouteConfig } from '@hono/zod-openapi';

type Security = { [scheme: string]: string[] }[];
const SIGNED_IN: Security = [{ sessionCookie: [] }, { bearer: [] }];
import { ErrorBody } from '../../shared/schemas/errors.ts';
import { describeAccess, requireAccess, type Access } from './auth-middleware.ts';

const error = (description: string) => ({
	description,
	content: { 'application/json': { schema: ErrorBody } }
});

/**
 * Every API route is declared through here, so each one states who may call it: the access
 * rule becomes the route's first middleware, its `security` and `x-access` in the OpenAPI
 * document, and the 400/401/403 responses are documented for it.
 */
export function defineRoute<const R extends RouteConfig>(access: Access, config: R) {
	const guarded = access !== 'public';
	return createRoute({
		...config,
		description: `${config.description ? config.description + '\n\n' : ''}Access: ${describeAccess(access)}.`,
		middleware: [requireAccess(access)] as const,
		security: guarded ? SIGNED_IN : [],
		'x-access': typeof access === 'string' ? access : [...access],
		responses: {
			400: error('Invalid input; `fields` names each bad field'),
			...(guarded
				? {
						401: error('No valid session'),
						403: error('Signed in with a role that may not call this')
					}
				: {}),
			...config.responses
		}
	});
}

import type { User } from '../../shared/schemas/auth.ts';
import type { ValidSession } from '../auth/session.ts';
import type { Deps } from '../deps.ts';

/** Hono environment of the API: what middleware puts on the context. */
export interface AppEnv {
	Bindings: { ip?: string };
	Variables: {
		deps: Deps;
		auth: ValidSession | null;
		user: User | null;
	};
}

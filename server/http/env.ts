import type { User } from '../../shared/schemas/auth.ts';
import type { ValidSession } from '../auth/session.ts';
import type { Deps } from '../deps.ts';
import type { ActingState } from '../access/acting.ts';

/** Hono environment of the API: what middleware puts on the context. */
export interface AppEnv {
	Bindings: { ip?: string };
	Variables: {
		deps: Deps;
		auth: ValidSession | null;
		/**
		 * Whose records the request works on: the signed-in user, or while they act for someone
		 * (代办, server/access/acting.ts) the applicant.
		 */
		user: User | null;
		/** Who is doing it: the signed-in user, also while acting for someone (null when signed out). */
		actor: User | null;
		/** The session's acting state while it acts under a proxy grant, else null. */
		acting: ActingState | null;
	};
}

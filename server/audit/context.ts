import { AsyncLocalStorage } from 'node:async_hooks';
import type { User } from '../../shared/schemas/auth.ts';

/**
 * Who is acting and from where, for the audit trail: set once per API request (server/app.ts),
 * so a rule deep inside a transaction can record "who, from which address" without every rule
 * taking the address as a parameter. Scripts and background jobs run outside any request and are
 * recorded as the system unless they name an actor.
 */
export interface Actor {
	/** the person who acted: the signed-in user (a proxy too, not the one they act for) */
	user: Pick<User, 'id' | 'name' | 'role'> | null;
	ip: string | null;
	/**
	 * While a proxy acts for someone (代办, server/access/acting.ts): the applicant the records
	 * are for, and what the grant covers.
	 */
	actingFor?: ActingFor | null;
}

export interface ActingFor {
	grantId: string;
	applicant: Pick<User, 'id' | 'name' | 'role'>;
	/** 'all', or the service items the grant covers */
	items: 'all' | readonly string[];
}

const current = new AsyncLocalStorage<Actor>();

export function runAs<T>(actor: Actor, fn: () => T): T {
	return current.run(actor, fn);
}

export function currentActor(): Actor {
	return current.getStore() ?? { user: null, ip: null };
}

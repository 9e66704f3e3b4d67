// 代办: who acted on an appointment or a ticket, by name where the page can know it. The API's
// `actedBy` carries an id only; the names a citizen may see are their own and those of the
// people in their grants (masked, as GET /api/proxy/grants gives them).
import type { Grant } from '$shared/schemas/proxy.ts';
import type { User } from '$shared/schemas/auth.ts';

/** Names by account id: the signed-in person's own and the other party of each grant. */
export function actorNames(me: Pick<User, 'id' | 'name'>, grants: Grant[]): Record<string, string> {
	const names: Record<string, string> = {};
	for (const g of grants) {
		const other = g.role === 'grantor' ? g.proxy : g.grantor;
		if (other.id && other.name) names[other.id] = other.name;
	}
	names[me.id] = me.name;
	return names;
}

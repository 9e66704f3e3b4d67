// The dashboard's scope: the caller's org unit and everything below it (org_units.parent_id);
// `orgUnit` (an id or a code) narrows it to a unit inside that subtree, anything else is 404.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { OrgUnit, User } from '../../shared/schemas/auth.ts';
import { getOrgUnit, listOrgUnits } from '../accounts/accounts.ts';
import { orgSubtreeOf, staffOrgUnits } from '../access/org-units.ts';

export async function orgScope(deps: Deps, user: User, orgUnit: string | undefined) {
	const mine = await staffOrgUnits(deps, user);
	const all = await listOrgUnits(deps);
	let unit: OrgUnit | undefined;
	if (orgUnit === undefined) unit = await getOrgUnit(deps, user.orgUnitId!);
	else {
		unit = (await getOrgUnit(deps, orgUnit)) ?? all.find((o) => o.code === orgUnit);
		// another branch's unit is answered as if it did not exist
		if (!unit || !mine.includes(unit.id)) throw AppError.notFound('Org unit');
	}
	const ref = (o: OrgUnit) => ({ id: o.id, code: o.code, name: o.name });
	return {
		unit: ref(unit!),
		units: unit!.id === user.orgUnitId ? mine : await orgSubtreeOf(deps, unit!.id),
		/** what the caller may narrow to: its own org unit and everything below */
		scopes: all.filter((o) => mine.includes(o.id)).map(ref)
	};
}

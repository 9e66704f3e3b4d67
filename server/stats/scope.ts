// The dashboard's scope: the caller's org unit and everything below it (org_units.parent_id);
// `orgUnit` (an id or a code) narrows it to a unit inside that subtree, anything else is 404.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { OrgUnit, User } from '../../shared/schemas/auth.ts';
import { getOrgUnit, listOrgUnits } from '../accounts/accounts.ts';
import { orgSubtreeOf, staffOrgUnits } from '../access/org-units.ts';

export function orgScope(deps: Deps, user: User, orgUnit: string | undefined) {
	const mine = staffOrgUnits(deps, user);
	let unit: OrgUnit | undefined;
	if (orgUnit === undefined) unit = getOrgUnit(deps, user.orgUnitId!);
	else {
		unit = getOrgUnit(deps, orgUnit) ?? listOrgUnits(deps).find((o) => o.code === orgUnit);
		// another branch's unit is answered as if it did not exist
		if (!unit || !mine.includes(unit.id)) throw AppError.notFound('Org unit');
	}
	const ref = (o: OrgUnit) => ({ id: o.id, code: o.code, name: o.name });
	return {
		unit: ref(unit!),
		units: unit!.id === user.orgUnitId ? mine : orgSubtreeOf(deps, unit!.id),
		/** what the caller may narrow to: its own org unit and everything below */
		scopes: listOrgUnits(deps)
			.filter((o) => mine.includes(o.id))
			.map(ref)
	};
}

import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { TemplateDefinition } from '../../shared/forms/template.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { createCasesRepo } from './repo.ts';
import { isLifeEventTheme } from '../life-events/definitions.ts';

/** Publishing always creates a new version; cases keep the version they started with. */
export async function publishTemplate(
	deps: Deps,
	admin: User | null,
	serviceId: string,
	definition: TemplateDefinition
) {
	if (!(await findServiceSummary(deps, serviceId)))
		throw AppError.validation({ serviceId: 'no such service item' });
	return deps.store.transaction(async (tx) => {
		const repo = createCasesRepo(tx);
		await repo.lockServiceItem(serviceId); // versions stay consecutive across processes
		const version = ((await repo.latestTemplate(serviceId))?.version ?? 0) + 1;
		const id = newId();
		await repo.insertTemplate({
			id,
			service_item_id: serviceId,
			version,
			definition: JSON.stringify(TemplateDefinition.parse(definition)),
			published_by: admin?.id ?? null,
			published_at: deps.now()
		});
		return { id, version, definition };
	});
}

/**
 * An admin publishes an item's form. A life event's form is not edited by hand: it is built from
 * its items' forms when the life event is published.
 */
export async function publishItemForm(
	deps: Deps,
	admin: User,
	serviceId: string,
	definition: TemplateDefinition
) {
	if (await isLifeEventTheme(deps, serviceId))
		throw AppError.conflict(
			'life_event_form',
			'This item is a life event: publish the life event, which builds its form'
		);
	return publishTemplate(deps, admin, serviceId, definition);
}

export async function latestTemplate(deps: Deps, serviceId: string) {
	const row = await createCasesRepo(deps.store).latestTemplate(serviceId);
	if (!row) throw AppError.notFound('Form template');
	return {
		id: row.id,
		version: row.version,
		definition: TemplateDefinition.parse(JSON.parse(row.definition))
	};
}

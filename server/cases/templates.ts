import type { Deps } from '../deps.ts';
import { immediate } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { TemplateDefinition } from '../../shared/forms/template.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { createCasesRepo } from './repo.ts';

/** Publishing always creates a new version; cases keep the version they started with. */
export function publishTemplate(
	deps: Deps,
	admin: User | null,
	serviceId: string,
	definition: TemplateDefinition
) {
	if (!findServiceSummary(deps, serviceId))
		throw AppError.validation({ serviceId: 'no such service item' });
	const repo = createCasesRepo(deps.db);
	return immediate(deps.db, () => {
		const version = (repo.latestTemplate(serviceId)?.version ?? 0) + 1;
		const id = newId();
		repo.insertTemplate({
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

export function latestTemplate(deps: Deps, serviceId: string) {
	const row = createCasesRepo(deps.db).latestTemplate(serviceId);
	if (!row) throw AppError.notFound('Form template');
	return {
		id: row.id,
		version: row.version,
		definition: TemplateDefinition.parse(JSON.parse(row.definition))
	};
}

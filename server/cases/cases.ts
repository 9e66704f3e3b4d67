// Cases (办件) and their co-guided forms. Each field carries a revision: a write must name the
// revision it saw, so of two concurrent writes exactly one wins and the other gets the current
// value back (409 stale_revision). Values entered by staff stay unconfirmed until the citizen
// confirms them; any change after signing voids the signature.
import { toDocument } from './documents.ts';
import { caseEventActor, listableItems, requireGrantedItem } from '../access/acting.ts';
import { noticeProxySubmission } from '../proxy/notices.ts';
import { recordAudit } from '../audit/audit.ts';
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case, FieldState } from '../../shared/schemas/cases.ts';
import type { ActedAs } from '../../shared/schemas/proxy.ts';
import {
	TemplateDefinition,
	allFields,
	fieldError,
	isVisible,
	validateForm,
	type FieldValue
} from '../../shared/forms/template.ts';
import { maskIdNumber } from '../../shared/forms/validators.ts';
import { findServiceSummary, isMaterialOf, listServiceMaterials } from '../catalog/catalog.ts';
import {
	CASE_WRITERS,
	caseAccess,
	onApplicantsSide,
	requireCaseAccess,
	seesSensitiveInFull
} from '../access/cases.ts';
import { videoParticipation } from '../access/video-sessions.ts';
import { findSessionFacts, recordSessionEvent } from '../video/session-records.ts';
import {
	appendCaseEvent,
	createCasesRepo,
	type CaseEventRow,
	type CaseRow,
	type FieldRow
} from './repo.ts';
import { owedMaterialsOf } from './owed.ts';
import { refuseApplicationPart } from './parts.ts';
import {
	applicationMaterials,
	applicationOf,
	applicationSubmitted,
	partContext
} from '../life-events/applications.ts';
import { materialErrorKey, missingMaterials } from '../../shared/forms/submission.ts';
import type { EventLog } from '../realtime/sse.ts';

const EDITABLE: CaseRow['status'][] = ['draft', 'returned'];

function parseTemplate(definition: string): TemplateDefinition {
	return TemplateDefinition.parse(JSON.parse(definition));
}

export async function templateOf(deps: Deps, templateId: string): Promise<TemplateDefinition> {
	return parseTemplate((await createCasesRepo(deps.store).findTemplate(templateId))!.definition);
}

/**
 * 查看完整号码: a sensitive field (an ID number) in full for staff who read the case outside its
 * session and so see it masked. An explicit action, written to the audit trail.
 */
export async function revealCaseField(
	deps: Deps,
	user: User,
	caseId: string,
	key: string
): Promise<{ key: string; value: FieldValue }> {
	const row = await requireCase(deps, caseId);
	await caseAccess(deps, user, row);
	const field = allFields(await templateOf(deps, row.template_id)).find((f) => f.key === key);
	if (!field) throw AppError.notFound('Field');
	if (!field.sensitive) throw AppError.validation({ key: 'is not a sensitive field' });
	const value = parseValue(
		(await createCasesRepo(deps.store).fields(row.id)).find((f) => f.key === key)
	);
	await recordAudit(deps, {
		action: 'pii.revealed',
		target: { type: 'case', id: row.id },
		detail: { field: key }
	});
	return { key, value };
}

async function requireCase(deps: Deps, id: string): Promise<CaseRow> {
	const row = await createCasesRepo(deps.store).findCase(id);
	if (!row) throw AppError.notFound('Case');
	return row;
}

/**
 * The case as its writer may change it. Inside a transaction the case row is locked first
 * (PostgreSQL FOR UPDATE; SQLite's BEGIN IMMEDIATE holds the write lock already), so the checks
 * below and the writes after them cannot interleave with another process's.
 */
async function requireWriter(deps: Deps, user: User, id: string) {
	if (deps.store.inTransaction) await createCasesRepo(deps.store).lockCase(id);
	const row = await requireCase(deps, id);
	refuseApplicationPart(row);
	const who = await requireCaseAccess(
		deps,
		user,
		row,
		CASE_WRITERS,
		'Only the applicant, the staff in the live session and the grid worker at the home may change this case'
	);
	if (!EDITABLE.includes(row.status))
		throw AppError.conflict('case_locked', 'This case can no longer be changed');
	return { row, who };
}

/**
 * The materials a case needs: its item's, or for a life event's application those of the items
 * its answers select, each once.
 */
async function caseMaterials(
	deps: Deps,
	row: CaseRow,
	values: Record<string, FieldValue>
): Promise<{ name: string; required: boolean; key: boolean }[]> {
	return (
		(await applicationMaterials(deps, row, values)) ??
		(await listServiceMaterials(deps, row.service_item_id))
	);
}

/** Whether a material belongs to the case: its item's, or any of its life event's items'. */
export async function isCaseMaterial(deps: Deps, row: CaseRow, material: string): Promise<boolean> {
	const ofApplication = await applicationMaterials(deps, row, null);
	if (ofApplication) return ofApplication.some((m) => m.name === material);
	return isMaterialOf(deps, row.service_item_id, material);
}

function parseValue(row: FieldRow | undefined): FieldValue {
	return row ? (JSON.parse(row.value) as FieldValue) : null;
}

/** The hash of contentHash from a template and field rows already read. */
function hashContent(templateId: string, template: TemplateDefinition, fields: FieldRow[]): string {
	const values = Object.fromEntries(fields.map((f) => [f.key, parseValue(f)]));
	const visible = allFields(template)
		.filter((f) => isVisible(f, values))
		.map((f) => [f.key, values[f.key] ?? null]);
	return createHash('sha256')
		.update(JSON.stringify({ template: templateId, values: visible }))
		.digest('hex');
}

/** SHA-256 of what the citizen signs: the template version and every visible value, in key order. */
export async function contentHash(deps: Deps, row: CaseRow): Promise<string> {
	const template = await templateOf(deps, row.template_id);
	return hashContent(row.template_id, template, await createCasesRepo(deps.store).fields(row.id));
}

function event(
	deps: Deps,
	caseId: string,
	type: string,
	actor: string | null,
	payload: unknown = {}
): Promise<void> {
	return appendCaseEvent(deps, caseId, type, actor, payload, deps.now());
}

/**
 * In what capacity the actor acted. case_events keeps who acted and for whom (acted_for); the
 * capacity follows from the actor's account: a proxy is a citizen account, a grid worker has
 * the role grid, and a citizen acting for no one is the applicant.
 */
function actedAsOf(e: CaseEventRow): ActedAs | null {
	if (!e.actor_id) return null;
	if (e.actor_role === 'grid') return 'grid';
	if (e.acted_for) return 'proxy';
	return e.actor_role === 'citizen' ? 'self' : 'staff';
}

function toCaseEvent(deps: Deps, e: CaseEventRow) {
	return {
		id: e.id,
		type: e.type,
		actorId: e.actor_id,
		actorName: e.actor_name,
		actedAs: actedAsOf(e),
		actedFor: e.acted_for ? { id: e.acted_for, name: e.acted_for_name ?? '' } : null,
		payload: JSON.parse(e.payload),
		at: toIso(e.created_at, deps.config.timeZone)
	};
}

/** The case's live events, for its SSE stream, to whoever may still see the case. */
export async function caseEventLog(deps: Deps, user: User, id: string): Promise<EventLog> {
	const repo = createCasesRepo(deps.store);
	await caseAccess(deps, user, await requireCase(deps, id));
	const mayStillSee = async () => {
		try {
			await caseAccess(deps, user, await requireCase(deps, id));
			return true;
		} catch {
			return false;
		}
	};
	return {
		topic: `case:${id}`,
		allowed: mayStillSee,
		newestId: () => repo.lastEventId(id),
		after: async (after, limit) =>
			(await repo.eventsAfter(id, after, limit)).map((e) => ({
				id: e.id,
				event: e.type,
				data: JSON.stringify(toCaseEvent(deps, e))
			}))
	};
}

export async function toCase(deps: Deps, user: User, row: CaseRow): Promise<Case> {
	const repo = createCasesRepo(deps.store);
	const tz = deps.config.timeZone;
	const template = (await repo.findTemplate(row.template_id))!;
	const definition = parseTemplate(template.definition);
	const sensitive = new Set(
		allFields(definition)
			.filter((f) => f.sensitive)
			.map((f) => f.key)
	);
	const who = await caseAccess(deps, user, row);
	const fieldRows = await repo.fields(row.id);
	const rows = new Map(fieldRows.map((f) => [f.key, f]));
	const documents = await repo.documents(row.id);
	const fields: FieldState[] = allFields(definition).map((f) => {
		const r = rows.get(f.key);
		let value = parseValue(r);
		// readers who are not in the session see sensitive values masked
		if (!seesSensitiveInFull(who) && sensitive.has(f.key) && typeof value === 'string')
			value = maskIdNumber(value);
		return {
			key: f.key,
			value,
			revision: r?.revision ?? 0,
			source: r?.source ?? null,
			updatedBy: r?.updated_by ?? null,
			updatedByName: r?.updated_by_name ?? null,
			confirmed: !r || r.source === 'citizen' || r.confirmed_at !== null
		};
	});
	const materials = await caseMaterials(
		deps,
		row,
		Object.fromEntries(fieldRows.map((f) => [f.key, parseValue(f)]))
	);
	const owedMaterials = await owedMaterialsOf(deps, row.id, documents);
	const events = await repo.eventsAfter(row.id, 0);
	return {
		id: row.id,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		status: row.status,
		citizen: { id: row.citizen_id, name: row.citizen_name },
		sessionId: row.session_id,
		template: { id: template.id, version: template.version, definition },
		fields,
		materials: materials.map((m) => ({
			name: m.name,
			required: m.required,
			key: m.key
		})),
		owedMaterials,
		documents: documents.map((d) => toDocument(deps, d)),
		signature: row.signed_at
			? {
					signedAt: toIso(row.signed_at, tz),
					// the same hash contentHash computes, from the rows read above
					valid: row.signed_content_sha256 === hashContent(row.template_id, definition, fieldRows)
				}
			: null,
		receiptNo: row.receipt_no,
		acceptedOrgUnitId: row.accepted_org_unit_id,
		reviewOrgUnitId: row.review_org_unit_id,
		reviewComments: JSON.parse(row.review_comments ?? '{}'),
		delivery: row.delivery,
		submittedAt: row.submitted_at ? toIso(row.submitted_at, tz) : null,
		timeline: events
			.filter((e) => !['presence', 'pointed'].includes(e.type))
			.map((e) => toCaseEvent(deps, e)),
		application: await applicationOf(deps, row),
		partOf: await partContext(deps, row)
	};
}

/** A citizen starts a case online, or staff in a session start it for the session's citizen. */
export async function createCase(
	deps: Deps,
	user: User,
	input: { serviceId: string; sessionId?: string }
): Promise<Case> {
	const repo = createCasesRepo(deps.store);
	const item = await findServiceSummary(deps, input.serviceId);
	if (!item) throw AppError.validation({ serviceId: 'no such service item' });
	const template = await repo.latestTemplate(item.id);
	if (!template) throw AppError.validation({ serviceId: 'this item has no online form yet' });
	let citizenId = user.id;
	let orgUnitId = item.department.orgUnitId;
	if (input.sessionId) {
		const me = await videoParticipation(deps, user, input.sessionId);
		if (!me || me.removed) throw AppError.validation({ sessionId: 'not a session you are in' });
		if (!me.sessionOpen) throw new AppError(410, 'session_ended', 'The session has ended');
		const session = (await findSessionFacts(deps, input.sessionId))!;
		citizenId = session.citizenId;
		orgUnitId = session.orgUnitId;
	} else if (user.role !== 'citizen')
		throw AppError.validation({ sessionId: 'staff start a case from a video session' });
	requireGrantedItem(item.id);
	const id = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const txRepo = createCasesRepo(tx);
		if (input.sessionId) {
			const existing = await txRepo.findBySession(input.sessionId);
			if (existing) return existing.id;
		}
		const caseId = newId();
		const inserted = await txRepo.insertCase({
			id: caseId,
			service_item_id: item.id,
			template_id: template.id,
			citizen_id: citizenId,
			org_unit_id: orgUnitId,
			session_id: input.sessionId ?? null,
			now: deps.now()
		});
		// PostgreSQL: a start in another process committed the session's case after the check above
		if (!inserted) return (await txRepo.findBySession(input.sessionId!))!.id;
		await event(txDeps, caseId, 'case.created', user.id, { templateVersion: template.version });
		// the session's pages (the citizen's too) open the form when they hear this
		if (input.sessionId)
			await recordSessionEvent(txDeps, input.sessionId, 'case.started', user.id, { caseId });
		return caseId;
	});
	return toCase(deps, user, (await repo.findCase(id))!);
}

export async function getCase(deps: Deps, user: User, id: string): Promise<Case> {
	return toCase(deps, user, await requireCase(deps, id));
}

/** The case started in a video session, if any (one per session). */
export async function caseIdOfSession(deps: Deps, sessionId: string): Promise<string | null> {
	return (await createCasesRepo(deps.store).findBySession(sessionId))?.id ?? null;
}

export async function listMyCases(deps: Deps, user: User) {
	return (await createCasesRepo(deps.store).casesOf(user.id, listableItems())).map((r) => ({
		id: r.id,
		serviceName: r.service_name,
		status: r.status,
		receiptNo: r.receipt_no,
		createdAt: toIso(r.created_at, deps.config.timeZone)
	}));
}

/** Writes one field if the caller saw its current revision. */
export async function writeField(
	deps: Deps,
	user: User,
	id: string,
	key: string,
	input: { value: FieldValue; revision: number }
): Promise<FieldState> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		const { row, who } = await requireWriter(txDeps, user, id);
		const field = allFields(await templateOf(txDeps, row.template_id)).find((f) => f.key === key);
		if (!field) throw AppError.notFound('Field');
		const error = fieldError(field, input.value);
		if (error) throw AppError.validation({ [key]: error });
		const current = await repo.field(id, key);
		const currentRevision = current?.revision ?? 0;
		if (input.revision !== currentRevision) {
			const state = (await toCase(txDeps, user, row)).fields.find((f) => f.key === key)!;
			throw new AppError(
				409,
				'stale_revision',
				'Someone changed this field meanwhile; here is its current value',
				{
					body: { current: state }
				}
			);
		}
		const signedBefore =
			row.signed_content_sha256 !== null &&
			row.signed_content_sha256 === (await contentHash(txDeps, row));
		const now = deps.now();
		// the grid worker types what the resident beside them says: the applicant's own value
		// (updated_by names the grid worker), not a staff value awaiting the resident's confirmation
		const source = onApplicantsSide(who) ? 'citizen' : 'staff';
		await repo.upsertField({
			case_id: id,
			key,
			value: JSON.stringify(input.value),
			revision: currentRevision + 1,
			source,
			// 代办: the field shows who typed it, the proxy, not the applicant they acted for
			updated_by: (await caseEventActor(user.id, () => Promise.resolve(row.citizen_id))).actorId!,
			updated_at: now,
			confirmed_at: source === 'citizen' ? now : null
		});
		await repo.touch(id, now);
		await event(txDeps, id, 'field.changed', user.id, {
			key,
			revision: currentRevision + 1,
			source
		});
		if (signedBefore && (await contentHash(txDeps, row)) !== row.signed_content_sha256)
			await event(txDeps, id, 'signature.voided', user.id, { key });
		return (await toCase(txDeps, user, (await repo.findCase(id))!)).fields.find(
			(f) => f.key === key
		)!;
	});
}

export async function confirmField(
	deps: Deps,
	citizen: User,
	id: string,
	key: string
): Promise<FieldState> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		const { row, who } = await requireWriter(txDeps, citizen, id);
		// the grid worker confirms for the resident, who confirms on the tablet beside them
		if (!onApplicantsSide(who)) throw AppError.forbidden('Only the applicant confirms values');
		if (await repo.confirmField(id, key, deps.now()))
			await event(txDeps, id, 'field.confirmed', citizen.id, { key });
		const state = (await toCase(txDeps, citizen, (await repo.findCase(row.id))!)).fields.find(
			(f) => f.key === key
		);
		if (!state) throw AppError.notFound('Field');
		return state;
	});
}

/** Live gestures: staff point at a field (with an optional note); anyone shows where they are. */
export async function pointAtField(
	deps: Deps,
	user: User,
	id: string,
	key: string,
	note?: string
): Promise<void> {
	const { who } = await requireWriter(deps, user, id);
	if (who !== 'session-staff') throw AppError.forbidden('Only staff point at fields');
	await event(deps, id, 'pointed', user.id, { key, note: note ?? null });
	if (note) await event(deps, id, 'note', user.id, { key, note });
}

export async function showPresence(deps: Deps, user: User, id: string, key: string): Promise<void> {
	await caseAccess(deps, user, await requireCase(deps, id));
	await event(deps, id, 'presence', user.id, { key });
}

export async function requestMaterial(
	deps: Deps,
	user: User,
	id: string,
	material: string
): Promise<void> {
	const { row, who } = await requireWriter(deps, user, id);
	if (who !== 'session-staff') throw AppError.forbidden('Only staff request materials');
	if (!(await isCaseMaterial(deps, row, material)))
		throw AppError.validation({ material: 'not a material of this item' });
	await event(deps, id, 'material.requested', user.id, { material });
}

export async function submitCase(deps: Deps, citizen: User, id: string): Promise<Case> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		const { row, who } = await requireWriter(txDeps, citizen, id);
		if (!onApplicantsSide(who)) throw AppError.forbidden('Only the applicant submits');
		const values = Object.fromEntries((await repo.fields(id)).map((f) => [f.key, parseValue(f)]));
		const errors = validateForm(await templateOf(txDeps, row.template_id), values);
		// required materials: handed in, or owed on a promise an agent recorded (容缺受理)
		for (const name of missingMaterials(
			await caseMaterials(txDeps, row, values),
			await repo.documents(id),
			await repo.owedMaterials(id)
		))
			errors[materialErrorKey(name)] = 'is required';
		if (Object.keys(errors).length)
			throw AppError.validation(
				errors,
				'The application is not complete: fill in the fields and hand in the materials named'
			);
		const unconfirmed = (await repo.fields(id)).filter(
			(f) => f.source === 'staff' && f.confirmed_at === null
		);
		if (unconfirmed.length)
			throw AppError.conflict(
				'unconfirmed_values',
				'Confirm the values staff entered before submitting',
				Object.fromEntries(unconfirmed.map((f) => [f.key, 'entered by staff, not yet confirmed']))
			);
		if (!row.signed_at || row.signed_content_sha256 !== (await contentHash(txDeps, row)))
			throw AppError.conflict('signature_required', 'Sign the completed form before submitting');
		const now = deps.now();
		const receipt = `SL${localDate(now, deps.config.timeZone).replaceAll('-', '')}${id.slice(0, 6).toUpperCase()}`;
		await repo.setStatus({ id, status: 'submitted', receipt_no: receipt, submitted_at: now, now });
		await event(txDeps, id, 'case.submitted', citizen.id, { receiptNo: receipt });
		const submitted = (await repo.findCase(id))!;
		// 一件事: the application splits into its parts (or, corrected, sends them back)
		await applicationSubmitted(txDeps, submitted);
		await noticeProxySubmission(txDeps, submitted, submitted.citizen_id);
		return toCase(txDeps, citizen, (await repo.findCase(id))!);
	});
}

// Cases (办件) and their co-guided forms. Each field carries a revision: a write must name the
// revision it saw, so of two concurrent writes exactly one wins and the other gets the current
// value back (409 stale_revision). Values entered by staff stay unconfirmed until the citizen
// confirms them; any change after signing voids the signature.
import { toDocument } from './documents.ts';
import { recordAudit } from '../audit/audit.ts';
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { immediate } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import { localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case, FieldState } from '../../shared/schemas/cases.ts';
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
import { caseAccess, requireCaseAccess, seesSensitiveInFull } from '../access/cases.ts';
import { videoParticipation } from '../access/video-sessions.ts';
import { findSessionFacts, recordSessionEvent } from '../video/session-records.ts';
import { createCasesRepo, type CaseEventRow, type CaseRow, type FieldRow } from './repo.ts';
import { owedMaterialsOf } from './owed.ts';
import { materialErrorKey, missingMaterials } from '../../shared/forms/submission.ts';
import type { EventLog } from '../realtime/sse.ts';

const EDITABLE: CaseRow['status'][] = ['draft', 'returned'];

export function templateOf(deps: Deps, templateId: string): TemplateDefinition {
	return TemplateDefinition.parse(
		JSON.parse(createCasesRepo(deps.db).findTemplate(templateId)!.definition)
	);
}

/**
 * 查看完整号码: a sensitive field (an ID number) in full for staff who read the case outside its
 * session and so see it masked. An explicit action, written to the audit trail.
 */
export function revealCaseField(
	deps: Deps,
	user: User,
	caseId: string,
	key: string
): { key: string; value: FieldValue } {
	const row = requireCase(deps, caseId);
	caseAccess(deps, user, row);
	const field = allFields(templateOf(deps, row.template_id)).find((f) => f.key === key);
	if (!field) throw AppError.notFound('Field');
	if (!field.sensitive) throw AppError.validation({ key: 'is not a sensitive field' });
	const value = parseValue(
		createCasesRepo(deps.db)
			.fields(row.id)
			.find((f) => f.key === key)
	);
	recordAudit(deps, {
		action: 'pii.revealed',
		target: { type: 'case', id: row.id },
		detail: { field: key }
	});
	return { key, value };
}

function requireCase(deps: Deps, id: string): CaseRow {
	const row = createCasesRepo(deps.db).findCase(id);
	if (!row) throw AppError.notFound('Case');
	return row;
}

function requireWriter(deps: Deps, user: User, id: string) {
	const row = requireCase(deps, id);
	const who = requireCaseAccess(
		deps,
		user,
		row,
		['citizen', 'session-staff'],
		'Only the applicant and the staff in the live session may change this case'
	);
	if (!EDITABLE.includes(row.status))
		throw AppError.conflict('case_locked', 'This case can no longer be changed');
	return { row, who };
}

function parseValue(row: FieldRow | undefined): FieldValue {
	return row ? (JSON.parse(row.value) as FieldValue) : null;
}

/** SHA-256 of what the citizen signs: the template version and every visible value, in key order. */
export function contentHash(deps: Deps, row: CaseRow): string {
	const template = templateOf(deps, row.template_id);
	const values = Object.fromEntries(
		createCasesRepo(deps.db)
			.fields(row.id)
			.map((f) => [f.key, parseValue(f)])
	);
	const visible = allFields(template)
		.filter((f) => isVisible(f, values))
		.map((f) => [f.key, values[f.key] ?? null]);
	return createHash('sha256')
		.update(JSON.stringify({ template: row.template_id, values: visible }))
		.digest('hex');
}

function event(
	deps: Deps,
	caseId: string,
	type: string,
	actor: string | null,
	payload: unknown = {}
) {
	createCasesRepo(deps.db).appendEvent(caseId, type, actor, payload, deps.now());
}

function toCaseEvent(deps: Deps, e: CaseEventRow) {
	return {
		id: e.id,
		type: e.type,
		actorId: e.actor_id,
		actorName: e.actor_name,
		payload: JSON.parse(e.payload),
		at: toIso(e.created_at, deps.config.timeZone)
	};
}

/** The case's live events, for its SSE stream, to whoever may still see the case. */
export function caseEventLog(deps: Deps, user: User, id: string): EventLog {
	const repo = createCasesRepo(deps.db);
	caseAccess(deps, user, requireCase(deps, id));
	const mayStillSee = () => {
		try {
			caseAccess(deps, user, requireCase(deps, id));
			return true;
		} catch {
			return false;
		}
	};
	return {
		topic: `case:${id}`,
		allowed: mayStillSee,
		newestId: () => repo.lastEventId(id),
		after: (after, limit) =>
			repo
				.eventsAfter(id, after, limit)
				.map((e) => ({ id: e.id, event: e.type, data: JSON.stringify(toCaseEvent(deps, e)) }))
	};
}

export function toCase(deps: Deps, user: User, row: CaseRow): Case {
	const repo = createCasesRepo(deps.db);
	const tz = deps.config.timeZone;
	const template = repo.findTemplate(row.template_id)!;
	const definition = TemplateDefinition.parse(JSON.parse(template.definition));
	const sensitive = new Set(
		allFields(definition)
			.filter((f) => f.sensitive)
			.map((f) => f.key)
	);
	const who = caseAccess(deps, user, row);
	const rows = new Map(repo.fields(row.id).map((f) => [f.key, f]));
	const documents = repo.documents(row.id);
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
	return {
		id: row.id,
		serviceId: row.service_item_id,
		serviceName: row.service_name,
		status: row.status,
		citizen: { id: row.citizen_id, name: row.citizen_name },
		sessionId: row.session_id,
		template: { id: template.id, version: template.version, definition },
		fields,
		materials: listServiceMaterials(deps, row.service_item_id).map((m) => ({
			name: m.name,
			required: m.required,
			key: m.key
		})),
		owedMaterials: owedMaterialsOf(deps, row.id, documents),
		documents: documents.map((d) => toDocument(deps, d)),
		signature: row.signed_at
			? {
					signedAt: toIso(row.signed_at, tz),
					valid: row.signed_content_sha256 === contentHash(deps, row)
				}
			: null,
		receiptNo: row.receipt_no,
		acceptedOrgUnitId: row.accepted_org_unit_id,
		reviewOrgUnitId: row.review_org_unit_id,
		reviewComments: JSON.parse(row.review_comments ?? '{}'),
		delivery: row.delivery,
		submittedAt: row.submitted_at ? toIso(row.submitted_at, tz) : null,
		timeline: repo
			.eventsAfter(row.id, 0)
			.filter((e) => !['presence', 'pointed'].includes(e.type))
			.map((e) => toCaseEvent(deps, e))
	};
}

/** A citizen starts a case online, or staff in a session start it for the session's citizen. */
export function createCase(
	deps: Deps,
	user: User,
	input: { serviceId: string; sessionId?: string }
): Case {
	const repo = createCasesRepo(deps.db);
	const item = findServiceSummary(deps, input.serviceId);
	if (!item) throw AppError.validation({ serviceId: 'no such service item' });
	const template = repo.latestTemplate(item.id);
	if (!template) throw AppError.validation({ serviceId: 'this item has no online form yet' });
	let citizenId = user.id;
	let orgUnitId = item.department.orgUnitId;
	if (input.sessionId) {
		const me = videoParticipation(deps, user, input.sessionId);
		if (!me || me.removed) throw AppError.validation({ sessionId: 'not a session you are in' });
		if (!me.sessionOpen) throw new AppError(410, 'session_ended', 'The session has ended');
		const session = findSessionFacts(deps, input.sessionId)!;
		citizenId = session.citizenId;
		orgUnitId = session.orgUnitId;
	} else if (user.role !== 'citizen')
		throw AppError.validation({ sessionId: 'staff start a case from a video session' });
	const id = immediate(deps.db, () => {
		if (input.sessionId) {
			const existing = repo.findBySession(input.sessionId);
			if (existing) return existing.id;
		}
		const caseId = newId();
		repo.insertCase({
			id: caseId,
			service_item_id: item.id,
			template_id: template.id,
			citizen_id: citizenId,
			org_unit_id: orgUnitId,
			session_id: input.sessionId ?? null,
			now: deps.now()
		});
		event(deps, caseId, 'case.created', user.id, { templateVersion: template.version });
		// the session's pages (the citizen's too) open the form when they hear this
		if (input.sessionId)
			recordSessionEvent(deps, input.sessionId, 'case.started', user.id, { caseId });
		return caseId;
	});
	return toCase(deps, user, repo.findCase(id)!);
}

export function getCase(deps: Deps, user: User, id: string): Case {
	return toCase(deps, user, requireCase(deps, id));
}

/** The case started in a video session, if any (one per session). */
export function caseIdOfSession(deps: Deps, sessionId: string): string | null {
	return createCasesRepo(deps.db).findBySession(sessionId)?.id ?? null;
}

export function listMyCases(deps: Deps, user: User) {
	return createCasesRepo(deps.db)
		.casesOf(user.id)
		.map((r) => ({
			id: r.id,
			serviceName: r.service_name,
			status: r.status,
			receiptNo: r.receipt_no,
			createdAt: toIso(r.created_at, deps.config.timeZone)
		}));
}

/** Writes one field if the caller saw its current revision. */
export function writeField(
	deps: Deps,
	user: User,
	id: string,
	key: string,
	input: { value: FieldValue; revision: number }
): FieldState {
	const repo = createCasesRepo(deps.db);
	return immediate(deps.db, () => {
		const { row, who } = requireWriter(deps, user, id);
		const field = allFields(templateOf(deps, row.template_id)).find((f) => f.key === key);
		if (!field) throw AppError.notFound('Field');
		const error = fieldError(field, input.value);
		if (error) throw AppError.validation({ [key]: error });
		const current = repo.field(id, key);
		const currentRevision = current?.revision ?? 0;
		if (input.revision !== currentRevision) {
			const state = toCase(deps, user, row).fields.find((f) => f.key === key)!;
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
			row.signed_content_sha256 !== null && row.signed_content_sha256 === contentHash(deps, row);
		const now = deps.now();
		const source = who === 'citizen' ? 'citizen' : 'staff';
		repo.upsertField({
			case_id: id,
			key,
			value: JSON.stringify(input.value),
			revision: currentRevision + 1,
			source,
			updated_by: user.id,
			updated_at: now,
			confirmed_at: source === 'citizen' ? now : null
		});
		repo.touch(id, now);
		event(deps, id, 'field.changed', user.id, { key, revision: currentRevision + 1, source });
		if (signedBefore && contentHash(deps, row) !== row.signed_content_sha256)
			event(deps, id, 'signature.voided', user.id, { key });
		return toCase(deps, user, repo.findCase(id)!).fields.find((f) => f.key === key)!;
	});
}

export function confirmField(deps: Deps, citizen: User, id: string, key: string): FieldState {
	const repo = createCasesRepo(deps.db);
	return immediate(deps.db, () => {
		const { row, who } = requireWriter(deps, citizen, id);
		if (who !== 'citizen') throw AppError.forbidden('Only the applicant confirms values');
		if (repo.confirmField(id, key, deps.now()))
			event(deps, id, 'field.confirmed', citizen.id, { key });
		const state = toCase(deps, citizen, repo.findCase(row.id)!).fields.find((f) => f.key === key);
		if (!state) throw AppError.notFound('Field');
		return state;
	});
}

/** Live gestures: staff point at a field (with an optional note); anyone shows where they are. */
export function pointAtField(deps: Deps, user: User, id: string, key: string, note?: string): void {
	const { who } = requireWriter(deps, user, id);
	if (who === 'citizen') throw AppError.forbidden('Only staff point at fields');
	event(deps, id, 'pointed', user.id, { key, note: note ?? null });
	if (note) event(deps, id, 'note', user.id, { key, note });
}

export function showPresence(deps: Deps, user: User, id: string, key: string): void {
	caseAccess(deps, user, requireCase(deps, id));
	event(deps, id, 'presence', user.id, { key });
}

export function requestMaterial(deps: Deps, user: User, id: string, material: string): void {
	const { row, who } = requireWriter(deps, user, id);
	if (who === 'citizen') throw AppError.forbidden('Only staff request materials');
	if (!isMaterialOf(deps, row.service_item_id, material))
		throw AppError.validation({ material: 'not a material of this item' });
	event(deps, id, 'material.requested', user.id, { material });
}

export function submitCase(deps: Deps, citizen: User, id: string): Case {
	const repo = createCasesRepo(deps.db);
	return immediate(deps.db, () => {
		const { row, who } = requireWriter(deps, citizen, id);
		if (who !== 'citizen') throw AppError.forbidden('Only the applicant submits');
		const values = Object.fromEntries(repo.fields(id).map((f) => [f.key, parseValue(f)]));
		const errors = validateForm(templateOf(deps, row.template_id), values);
		// required materials: handed in, or owed on a promise an agent recorded (容缺受理)
		for (const name of missingMaterials(
			listServiceMaterials(deps, row.service_item_id),
			repo.documents(id),
			repo.owedMaterials(id)
		))
			errors[materialErrorKey(name)] = 'is required';
		if (Object.keys(errors).length)
			throw AppError.validation(
				errors,
				'The application is not complete: fill in the fields and hand in the materials named'
			);
		const unconfirmed = repo
			.fields(id)
			.filter((f) => f.source === 'staff' && f.confirmed_at === null);
		if (unconfirmed.length)
			throw AppError.conflict(
				'unconfirmed_values',
				'Confirm the values staff entered before submitting',
				Object.fromEntries(unconfirmed.map((f) => [f.key, 'entered by staff, not yet confirmed']))
			);
		if (!row.signed_at || row.signed_content_sha256 !== contentHash(deps, row))
			throw AppError.conflict('signature_required', 'Sign the completed form before submitting');
		const now = deps.now();
		const receipt = `SL${localDate(now, deps.config.timeZone).replaceAll('-', '')}${id.slice(0, 6).toUpperCase()}`;
		repo.setStatus({ id, status: 'submitted', receipt_no: receipt, submitted_at: now, now });
		event(deps, id, 'case.submitted', citizen.id, { receiptNo: receipt });
		return toCase(deps, citizen, repo.findCase(id)!);
	});
}

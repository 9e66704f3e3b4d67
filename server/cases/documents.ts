// Materials staff can see (issue 14): an uploaded document or the signature served to the people
// who may see the case, each view written to the audit trail, and staff's review of each
// document (合格 / 请重新上传 with a reason), which the citizen's form follows live.
import { recordAudit } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import { blobStoreOf, type OpenBlob } from '../db/blobs.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { CaseDocument, DocumentReviewInput } from '../../shared/schemas/cases.ts';
import { requireDocumentReviewer, requireDocumentViewer } from '../access/cases.ts';
import {
	appendCaseEvent,
	createCasesRepo,
	type CaseRow,
	type ReviewedDocumentRow
} from './repo.ts';

/** Types a browser shows itself; anything else is offered as a download. */
const SHOWN_INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/** Reviews only while the case is still being handled; a decided case keeps its materials as they were. */
const DECIDED: CaseRow['status'][] = ['approved', 'rejected', 'completed'];

export function toDocument(deps: Deps, d: ReviewedDocumentRow): CaseDocument {
	const tz = deps.config.timeZone;
	return {
		id: d.id,
		material: d.material,
		filename: d.filename,
		mime: d.mime,
		size: d.size,
		sha256: d.sha256,
		uploadedAt: toIso(d.created_at, tz),
		review:
			d.review_verdict && d.reviewed_by && d.reviewed_at !== null
				? {
						verdict: d.review_verdict,
						reason: d.review_reason,
						reviewerId: d.reviewed_by,
						reviewerName: d.reviewer_name,
						at: toIso(d.reviewed_at, tz)
					}
				: null
	};
}

const UNSAFE_IN_NAME = /[\p{Cc}"\\/]/gu; // control characters, quote, backslash, slash

/**
 * Content-Disposition (RFC 6266): inline for what the browser shows, attachment otherwise, with
 * the name as UTF-8 in filename* and a plain ASCII fallback in filename. Control characters,
 * quotes, backslashes and path separators never reach the header.
 */
export function contentDisposition(mime: string, filename: string): string {
	const type = SHOWN_INLINE.has(mime) ? 'inline' : 'attachment';
	const clean = filename.normalize('NFC').replace(UNSAFE_IN_NAME, '_').trim();
	const name = clean || 'document';
	const ascii = name.replace(/[^\x20-\x7e]/g, '_');
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface StoredFile {
	body: ReadableStream<Uint8Array>;
	mime: string;
	size: number;
	disposition: string;
}

/**
 * Opens a stored file for streaming from the engine's blob store. A file that is gone answers
 * 404 file_missing (and is logged: the hall has lost it); a failing disk or database surfaces
 * as a storage fault (503).
 */
async function openStored(
	deps: Deps,
	kind: 'documents' | 'signatures',
	sha256: string,
	what: Record<string, string>
): Promise<OpenBlob> {
	if (!/^[0-9a-f]{64}$/.test(sha256)) throw missing(deps, what);
	const blob = await blobStoreOf(deps).open(kind, sha256);
	if (!blob) throw missing(deps, what);
	return blob;
}

function missing(deps: Deps, what: Record<string, string>) {
	deps.log('stored file missing', what);
	return new AppError(404, 'file_missing', 'The file is missing from storage');
}

async function requireCase(deps: Deps, id: string): Promise<CaseRow> {
	const row = await createCasesRepo(deps.store).findCase(id);
	if (!row) throw AppError.notFound('Case');
	return row;
}

/** One uploaded document, by its id (never its content hash), to whoever may see the case. */
export async function openCaseDocument(
	deps: Deps,
	user: User,
	caseId: string,
	documentId: string
): Promise<StoredFile> {
	const row = await requireCase(deps, caseId);
	await requireDocumentViewer(deps, user, row);
	const doc = await createCasesRepo(deps.store).findDocument(caseId, documentId);
	if (!doc) throw AppError.notFound('Document');
	const blob = await openStored(deps, 'documents', doc.sha256, {
		caseId,
		documentId
	});
	try {
		// no audit entry, no view: the entry is written before a byte leaves
		await recordAudit(deps, {
			action: 'document.viewed',
			target: { type: 'case', id: caseId },
			detail: { documentId: doc.id, material: doc.material }
		});
	} catch (err) {
		await blob.close();
		throw err;
	}
	return {
		body: blob.stream(),
		mime: doc.mime,
		size: blob.size,
		disposition: contentDisposition(doc.mime, doc.filename)
	};
}

/** The citizen's signature image, to whoever may see the case. */
export async function openCaseSignature(
	deps: Deps,
	user: User,
	caseId: string
): Promise<StoredFile> {
	const row = await requireCase(deps, caseId);
	await requireDocumentViewer(deps, user, row);
	if (!row.signature_sha256 || !row.signed_at) throw AppError.notFound('Signature');
	const blob = await openStored(deps, 'signatures', row.signature_sha256, {
		caseId,
		signature: row.signature_sha256
	});
	try {
		await recordAudit(deps, {
			action: 'document.viewed',
			target: { type: 'case', id: caseId },
			detail: { documentId: null, material: 'signature' }
		});
	} catch (err) {
		await blob.close();
		throw err;
	}
	return {
		body: blob.stream(),
		mime: 'image/png',
		size: blob.size,
		disposition: contentDisposition('image/png', `signature-${caseId}.png`)
	};
}

/**
 * 材料审核: staff in the live session or of an org unit handling the case mark a document 合格 or
 * 请重新上传 (with a reason). The verdict replaces the previous one; the case event tells the
 * citizen's open form, and the audit trail keeps who decided what.
 */
export async function reviewDocument(
	deps: Deps,
	user: User,
	caseId: string,
	documentId: string,
	input: DocumentReviewInput
): Promise<CaseDocument> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createCasesRepo(tx);
		await repo.lockCase(caseId); // the status check holds until commit
		const row = await requireCase(txDeps, caseId);
		await requireDocumentReviewer(txDeps, user, row);
		const doc = await repo.findDocument(caseId, documentId);
		if (!doc) throw AppError.notFound('Document');
		if (DECIDED.includes(row.status))
			throw AppError.conflict(
				'case_locked',
				'This case has been decided; its materials stay as they are'
			);
		const now = deps.now();
		const reason = input.reason ? input.reason : null;
		await repo.reviewDocument({
			id: doc.id,
			verdict: input.verdict,
			reason,
			reviewed_by: user.id,
			reviewed_at: now
		});
		await repo.touch(caseId, now);
		await appendCaseEvent(
			txDeps,
			caseId,
			'document.reviewed',
			user.id,
			{ documentId: doc.id, material: doc.material, verdict: input.verdict, reason },
			now
		);
		await recordAudit(txDeps, {
			action: 'document.reviewed',
			target: { type: 'case', id: caseId },
			detail: { documentId: doc.id, material: doc.material, verdict: input.verdict, reason }
		});
		return toDocument(deps, (await repo.findDocument(caseId, documentId))!);
	});
}

// Documents and the signature image, named by their SHA-256 and kept in the engine's blob store
// (server/db/blobs.ts: DATA_DIR's folders on SQLite, the database on PostgreSQL). The type is
// decided by the file's first bytes, never by its name or the browser's claim.
import type { Deps } from '../deps.ts';
import { blobStoreOf, sha256Hex, type BlobKind } from '../db/blobs.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Case } from '../../shared/schemas/cases.ts';
import { contentHash, isCaseMaterial, toCase } from './cases.ts';
import { toDocument } from './documents.ts';
import { appendCaseEvent, createCasesRepo, type CaseRow } from './repo.ts';
import { cancelOwedReminder, isOwedAndOpen } from './owed.ts';

/** A draft or returned case takes any material; a submitted one only what it still owes (容缺). */
async function mayUpload(
	deps: Deps,
	caseId: string,
	status: CaseRow['status'],
	material: string
): Promise<boolean> {
	return (
		['draft', 'returned'].includes(status) || (await isOwedAndOpen(deps, caseId, status, material))
	);
}
import { requireCaseAccess, requireDocumentUploader } from '../access/cases.ts';
import { refuseApplicationPart } from './parts.ts';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_SIGNATURE_BYTES = 256 * 1024;

const SIGNATURES: {
	mime: string;
	bytes: number[];
	at?: number;
	also?: { at: number; bytes: number[] };
}[] = [
	{ mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
	{ mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
	{ mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
	{
		mime: 'image/webp',
		bytes: [0x52, 0x49, 0x46, 0x46],
		also: { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] }
	}
];

// HEIF (an ISO-BMFF `ftyp` box at byte 4): HEVC-coded brands are iPhone photos (HEIC); the
// generic mif1/msf1 brands count as HEIC unless an AVIF brand is listed beside them.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);

function isHeic(data: Uint8Array): boolean {
	const ascii = (from: number) => String.fromCharCode(...data.subarray(from, from + 4));
	if (data.byteLength < 16 || ascii(4) !== 'ftyp') return false;
	const major = ascii(8);
	if (HEIC_BRANDS.has(major)) return true;
	if (!HEIF_BRANDS.has(major)) return false;
	const boxEnd = Math.min(
		data.byteLength,
		((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0
	);
	const compatible: string[] = [];
	for (let at = 16; at + 4 <= boxEnd; at += 4) compatible.push(ascii(at));
	return !compatible.some((b) => b === 'avif' || b === 'avis');
}

/**
 * The content type read from the first bytes, or null for anything we do not accept.
 * `image/heic` is recognised only to be refused with its own explanation (see uploadDocument).
 */
export function sniffType(data: Uint8Array): string | null {
	const matches = (bytes: number[], at = 0) => bytes.every((b, i) => data[at + i] === b);
	const found = SIGNATURES.find(
		(s) => matches(s.bytes, s.at) && (!s.also || matches(s.also.bytes, s.also.at))
	);
	return found?.mime ?? (isHeic(data) ? 'image/heic' : null);
}

/**
 * HEIC photos are refused, not converted: no browser but Safari shows them, and converting in
 * JavaScript (heic-convert: libheif compiled to WebAssembly plus jpeg-js) took 3.0-3.5 s of CPU
 * and 450 MB of memory per 12-megapixel photo on this 2-core machine, blocking the event loop
 * the whole time. iOS itself sends JPEG from the photo picker; a HEIC arrives from a computer or
 * a file manager, and the citizen is told how to send a JPEG instead.
 */
export const HEIC_MESSAGE =
	'iPhone HEIC photos cannot be shown to staff. On the iPhone choose Settings > Camera > Formats > Most Compatible and take the photo again, or take a screenshot of the photo and upload the screenshot';

/**
 * Stores the bytes under their SHA-256 in the blob store (DATA_DIR/<kind>/<sha256> on SQLite).
 * Named by content, so storing before the database transaction is harmless: a failed request
 * leaves at most an unreferenced copy of bytes that were valid anyway.
 */
async function store(
	deps: Deps,
	kind: BlobKind,
	data: Uint8Array
): Promise<{ sha256: string; file: string }> {
	const sha256 = sha256Hex(data);
	const blobs = blobStoreOf(deps);
	await blobs.put(kind, sha256, data);
	return { sha256, file: blobs.locate(kind, sha256) };
}

export async function uploadDocument(
	deps: Deps,
	user: User,
	caseId: string,
	material: string,
	name: string,
	data: Uint8Array
) {
	const repo = createCasesRepo(deps.store);
	const row = await repo.findCase(caseId);
	if (!row) throw AppError.notFound('Case');
	await requireDocumentUploader(deps, user, row);
	refuseApplicationPart(row);
	if (!(await mayUpload(deps, row.id, row.status, material)))
		throw AppError.conflict('case_locked', 'This case can no longer be changed');
	if (!(await isCaseMaterial(deps, row, material)))
		throw AppError.validation({ material: 'not a material of this item' });
	if (data.byteLength > MAX_DOCUMENT_BYTES)
		throw new AppError(
			413,
			'payload_too_large',
			`Documents are at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`
		);
	const mime = sniffType(data);
	if (mime === 'image/heic')
		throw new AppError(415, 'heic_not_supported', HEIC_MESSAGE, {
			fields: { file: 'is a HEIC photo; send a JPEG (Most Compatible) or a screenshot' }
		});
	if (!mime)
		throw new AppError(
			415,
			'unsupported_type',
			'Only photos (JPEG, PNG, WebP) and PDF files are accepted',
			{ fields: { file: 'is not a photo or a PDF' } }
		);
	const { sha256 } = await store(deps, 'documents', data);
	const id = newId();
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const txRepo = createCasesRepo(tx);
		// re-checked under the case lock: the case may have been submitted meanwhile
		await txRepo.lockCase(caseId);
		if (!(await mayUpload(txDeps, caseId, (await txRepo.findCase(caseId))!.status, material)))
			throw AppError.conflict('case_locked', 'This case can no longer be changed');
		await txRepo.insertDocument({
			id,
			case_id: caseId,
			material,
			filename: name.slice(0, 120),
			mime,
			size: data.byteLength,
			sha256,
			uploaded_by: user.id,
			created_at: deps.now()
		});
		await appendCaseEvent(
			txDeps,
			caseId,
			'document.uploaded',
			user.id,
			{ material, documentId: id },
			deps.now()
		);
		await cancelOwedReminder(txDeps, caseId, material);
	});
	return toDocument(deps, (await repo.findDocument(caseId, id))!);
}

/**
 * The citizen's handwritten signature, bound to the hash of the form content it signs. Always
 * the applicant's own: on their own device, or drawn by the resident on the tablet of the grid
 * worker beside them (入户办), which the event records as signedOnDeviceOf the grid worker.
 */
export async function signCase(
	deps: Deps,
	user: User,
	caseId: string,
	dataUrl: string
): Promise<Case> {
	const repo = createCasesRepo(deps.store);
	const row = await repo.findCase(caseId);
	if (!row) throw AppError.notFound('Case');
	const who = await requireCaseAccess(
		deps,
		user,
		row,
		['citizen', 'visit-grid-worker'],
		'Only the applicant signs'
	);
	if (!['draft', 'returned'].includes(row.status))
		throw AppError.conflict('case_locked', 'This case can no longer be changed');
	refuseApplicationPart(row);
	const data = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
	if (data.byteLength > MAX_SIGNATURE_BYTES)
		throw new AppError(413, 'payload_too_large', 'The signature image is too large');
	if (sniffType(data) !== 'image/png') throw AppError.validation({ image: 'is not a PNG image' });
	const { sha256, file } = await store(deps, 'signatures', data);
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const txRepo = createCasesRepo(tx);
		await txRepo.lockCase(caseId);
		const current = (await txRepo.findCase(caseId))!;
		if (!['draft', 'returned'].includes(current.status))
			throw AppError.conflict('case_locked', 'This case can no longer be changed');
		const now = deps.now();
		await txRepo.setSignature({
			id: caseId,
			signature_sha256: sha256,
			signature_file: file,
			signed_content_sha256: await contentHash(txDeps, current),
			signed_at: now,
			now
		});
		await appendCaseEvent(
			txDeps,
			caseId,
			'case.signed',
			user.id,
			{
				signatureSha256: sha256,
				// the resident signed; the tablet was the grid worker's (as the visit's consent says)
				...(who === 'visit-grid-worker'
					? { signedBy: row.citizen_id, signedOnDeviceOf: user.id }
					: {})
			},
			now
		);
	});
	return toCase(deps, user, (await repo.findCase(caseId))!);
}

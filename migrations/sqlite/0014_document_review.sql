-- Review of uploaded materials (材料审核): staff mark each document 合格 (accepted) or
-- 请重新上传 (reupload, with a reason). Columns on the document, not a table of reviews: a
-- document has exactly one current verdict, and every verdict ever given (with who, when and
-- why) is already kept twice, in the case's events ('document.reviewed', which the citizen's
-- form follows live) and in the audit log. A new upload is a new row, so it starts unreviewed.
ALTER TABLE case_documents ADD COLUMN review_verdict TEXT
  CHECK (review_verdict IS NULL OR review_verdict IN ('accepted', 'reupload'));
ALTER TABLE case_documents ADD COLUMN review_reason TEXT;
ALTER TABLE case_documents ADD COLUMN reviewed_by TEXT REFERENCES users(id);
ALTER TABLE case_documents ADD COLUMN reviewed_at INTEGER;

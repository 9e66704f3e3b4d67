-- 代办授权 confirmed by the grantor's signature in a video session (issue 23 item 1: "confirmed
-- by the grantor (SMS code, or signature in a session)"). The desk agent serving the grantor asks
-- for the signature of a pending grant (signature_asked_in/by); the grantor signs on their own
-- video page. Kept: how a grant was confirmed and, for a signature, the session it was drawn in,
-- the agent who asked for it and saw it drawn (the witness) and the image, by its SHA-256 in the
-- signature blob store, as a case's signature is kept.
ALTER TABLE proxy_grants ADD COLUMN confirmed_via TEXT CHECK (confirmed_via IN ('sms', 'signature'));
ALTER TABLE proxy_grants ADD COLUMN confirmed_session_id TEXT REFERENCES video_sessions(id);
ALTER TABLE proxy_grants ADD COLUMN witness_id TEXT REFERENCES users(id);
ALTER TABLE proxy_grants ADD COLUMN signature_sha256 TEXT;
ALTER TABLE proxy_grants ADD COLUMN signature_file TEXT;
ALTER TABLE proxy_grants ADD COLUMN signature_asked_in TEXT REFERENCES video_sessions(id);
ALTER TABLE proxy_grants ADD COLUMN signature_asked_by TEXT REFERENCES users(id);
-- every grant confirmed before this migration was confirmed by SMS code, the only way there was
UPDATE proxy_grants SET confirmed_via = 'sms' WHERE confirmed_at IS NOT NULL;

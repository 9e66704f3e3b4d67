-- Documents and signature images on PostgreSQL (issue 21, item 5): where every node of the hall
-- can read them. On SQLite they stay files in DATA_DIR (documents/<sha256>, signatures/<sha256>);
-- here the same content-addressed pairs are rows: `kind` is the folder's name, `sha256` the hex
-- SHA-256 of `bytes` (the name of the file on SQLite), `size` its length in bytes, `created_at`
-- UTC epoch milliseconds of the first upload. Written with ON CONFLICT DO NOTHING: the same bytes
-- uploaded twice are one row. No SQLite twin: the SQLite hall keeps its folders.
CREATE TABLE document_blobs (
  kind       TEXT NOT NULL CHECK (kind IN ('documents', 'signatures')),
  sha256     TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes      BYTEA NOT NULL,
  size       BIGINT NOT NULL CHECK (size = octet_length(bytes)),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (kind, sha256)
);

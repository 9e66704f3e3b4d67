-- The assistant learns from what it could not answer (issue 25 item 3). Staff link a question
-- to an existing entry (it becomes a paraphrase of that entry, indexed with it) or write a new
-- FAQ from it; off-topic questions are marked so and kept out of the knowledge-base gaps.
--
-- entry_id names a kb_entries row or a service item's entry (service:<code>, not a row of its
-- own), so it is not a foreign key; a paraphrase of an entry that is gone is not indexed.
CREATE TABLE kb_paraphrases (
  id          TEXT PRIMARY KEY,
  entry_id    TEXT NOT NULL,
  text        TEXT NOT NULL,
  created_by  TEXT REFERENCES users(id),
  created_at  BIGINT NOT NULL,
  UNIQUE (entry_id, text)
);
-- a paraphrase is part of the index: every process rebuilds when it changes
CREATE TRIGGER kb_version_paraphrases_insert AFTER INSERT ON kb_paraphrases
  FOR EACH ROW EXECUTE FUNCTION kb_version_bump();
CREATE TRIGGER kb_version_paraphrases_delete AFTER DELETE ON kb_paraphrases
  FOR EACH ROW EXECUTE FUNCTION kb_version_bump();

-- why an unanswered question was not answered, decided when it was asked: off_topic (not the
-- hall's business) or gap (the hall's business, not in the knowledge base yet)
ALTER TABLE assistant_questions ADD COLUMN unanswered TEXT CHECK (unanswered IN ('off_topic', 'gap'));
-- what staff did with it in the learning queue
ALTER TABLE assistant_questions ADD COLUMN review TEXT CHECK (review IN ('linked', 'faq', 'off_topic'));
ALTER TABLE assistant_questions ADD COLUMN review_entry_id TEXT;
ALTER TABLE assistant_questions ADD COLUMN reviewed_by TEXT REFERENCES users(id);
ALTER TABLE assistant_questions ADD COLUMN reviewed_at BIGINT;
CREATE INDEX assistant_questions_queue ON assistant_questions(answered, review, created_at);

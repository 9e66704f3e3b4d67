-- 适老化 (age-friendly) mode remembered for the account: large text, large targets, high
-- contrast, read-aloud. The device remembers it too (the `care` cookie).
ALTER TABLE users ADD COLUMN care_mode INTEGER NOT NULL DEFAULT 0;

-- Background work once across app nodes (issue 22, item 2). Every node runs the background loop;
-- a sweep (the closing sweep, guidance escalation, audit retention, LiveKit reconciliation) runs
-- on one node at a time under a lease in job_leases, and each notice is claimed for a while
-- (lease_until) before it is handed to a gateway. A node that dies mid-job leaves its lease to
-- expire, and another node takes the work. Times are UTC epoch milliseconds.
CREATE TABLE job_leases (
  name        TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);

-- A notice is sent at least once: claimed (claimed_by, lease_until), handed to the gateway with
-- its id as the idempotency key, then marked sent_at. A failed send is tried again after the
-- lease, up to a limit; then failed_at ends it.
ALTER TABLE notifications ADD COLUMN claimed_by TEXT;
ALTER TABLE notifications ADD COLUMN lease_until INTEGER;
ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN failed_at INTEGER;

-- An agent serves one desk at a time, across halls: openDesk checks it, and on PostgreSQL (where
-- the `hall:` locks of two halls do not exclude each other) this index is what holds; kept the
-- same here so both schemas stay equal. A violation is answered 409 already_serving.
CREATE UNIQUE INDEX desks_one_per_agent ON desks(served_by) WHERE served_by IS NOT NULL;

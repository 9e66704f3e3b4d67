-- A checked-in appointment still holds its place and counts as the citizen's booking of the
-- day; a queue ticket is active only on its own day.

DROP INDEX appointments_one_per_day;
CREATE UNIQUE INDEX appointments_one_per_day ON appointments(citizen_id, service_item_id, local_date)
  WHERE status IN ('booked', 'checked_in');

DROP INDEX tickets_one_active;
CREATE UNIQUE INDEX tickets_one_active ON tickets(citizen_id, service_item_id, day)
  WHERE citizen_id IS NOT NULL AND status IN ('waiting', 'called', 'serving');

-- Why a ticket was cancelled: by its citizen, or because its hall closed for the day while it
-- was still waiting (the citizen is told and offered a booking for another day; the ticket stays
-- in their list with the reason). Older cancelled tickets were all given up by their citizens.
ALTER TABLE tickets ADD COLUMN cancel_reason TEXT
  CHECK (cancel_reason IS NULL OR cancel_reason IN ('citizen', 'hall_closed'));
UPDATE tickets SET cancel_reason = 'citizen' WHERE status = 'cancelled';
-- the closing sweep looks for tickets still waiting, by day
CREATE INDEX tickets_waiting_by_day ON tickets(day) WHERE status = 'waiting';

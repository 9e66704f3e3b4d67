-- Statistics (数据看板, server/stats): ranges of tickets per hall, an agent's own day, and the
-- live counts that the dashboard stream recomputes every second.

-- history: tickets of some halls issued in a range
CREATE INDEX tickets_hall_created ON tickets(hall_id, created_at);
-- my day: tickets I served, tickets I marked as no-shows
CREATE INDEX tickets_served_by ON tickets(called_by, finished_at) WHERE status = 'done';
CREATE INDEX tickets_missed_by ON tickets(called_by, no_show_at) WHERE status = 'no_show';
-- live: sessions in progress; my day: sessions I hosted
CREATE INDEX video_sessions_open ON video_sessions(org_unit_id) WHERE status = 'open';
CREATE INDEX video_sessions_host ON video_sessions(created_by, created_at);
-- history: guidance requested in a range; my day: guidance I gave
CREATE INDEX guidance_created ON guidance_requests(created_at);
CREATE INDEX guidance_accepted_by ON guidance_requests(accepted_by, accepted_at) WHERE accepted_by IS NOT NULL;
-- history: hand-offs from the assistant in a range
CREATE INDEX assistant_handoffs ON assistant_conversations(handoff_at) WHERE handoff_at IS NOT NULL;

-- A citizen's ended sessions not yet rated (GET /api/ratings/pending); cases already have
-- cases_citizen.
CREATE INDEX video_sessions_citizen ON video_sessions(citizen_id, status);

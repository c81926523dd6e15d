-- 020: meetings of a trajectory (issue 12, part 2) — a network consultation, an evaluation talk with the
-- employer, an intake, a job-coaching contact... — with when (UTC unix seconds), how long, the contact mode
-- (the seed's blended rule and the time for cost evaluation), where, an agenda, its attendees and their
-- answers. The minutes are items (kind 'minutes', a category and a source party, visible by the rule)
-- linked to the meeting by meeting_minutes. calendar_tokens: the personal calendar feed, by the hash of a
-- 256-bit secret; a revoked token answers 404.
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('consultation', 'evaluation', 'intake', 'jobcoaching', 'other')),
  mode TEXT NOT NULL CHECK (mode IN ('individual', 'group', 'online', 'phone')),
  starts_at BIGINT NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
  place TEXT,
  video_url TEXT,
  agenda TEXT,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meetings_trajectory ON meetings (trajectory_id, starts_at);

-- An attendee is a network member (member_id) or the participant (member_id NULL). Who answers is decided
-- when they answer: the member's account while the membership is live, the participant's account.
CREATE TABLE meeting_attendees (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  member_id INTEGER REFERENCES network_members (id),
  response TEXT NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'accepted', 'declined')),
  responded_at BIGINT
);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees (meeting_id);
CREATE INDEX meeting_attendees_member ON meeting_attendees (member_id);

CREATE TABLE meeting_minutes (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE
);
CREATE INDEX meeting_minutes_meeting ON meeting_minutes (meeting_id);

CREATE TABLE calendar_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);

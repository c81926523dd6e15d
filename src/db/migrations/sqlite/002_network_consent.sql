-- 002: the network of a trajectory, case information items, consents; access-log grounds.

-- A member of the participant's care or work network, with or without an account.
CREATE TABLE network_members (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('care', 'work')),
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  organisation TEXT,
  email TEXT,
  phone TEXT,
  user_id INTEGER REFERENCES users (id),
  created_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL,
  removed_at BIGINT
);
CREATE INDEX network_members_trajectory ON network_members (trajectory_id);
CREATE INDEX network_members_user ON network_members (user_id);
-- one live membership per account and trajectory (the visibility rule relies on it)
CREATE UNIQUE INDEX network_members_one_live ON network_members (trajectory_id, user_id)
  WHERE user_id IS NOT NULL AND removed_at IS NULL;

-- Case information: notes now; documents, plan items, minutes and messages share this table.
-- source_member_id NULL means the participant is the source party.
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'note',
  category TEXT NOT NULL CHECK (category IN ('health', 'capacity', 'work', 'plan', 'practical')),
  source_member_id INTEGER REFERENCES network_members (id),
  author_id INTEGER NOT NULL REFERENCES users (id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT,
  deleted_at BIGINT
);
CREATE INDEX items_trajectory ON items (trajectory_id, created_at);

-- A consent from a source party (participant: source_member_id NULL) to one member, a whole side, or
-- (for a member's own information) the participant, for one category. Withdrawal sets withdrawn_at; rows are never deleted (history).
CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  source_member_id INTEGER REFERENCES network_members (id),
  grantee_member_id INTEGER REFERENCES network_members (id),
  grantee_side TEXT CHECK (grantee_side IN ('care', 'work', 'participant')),
  category TEXT NOT NULL CHECK (category IN ('health', 'capacity', 'work', 'plan', 'practical')),
  given_on TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('portal', 'conversation', 'signed_form')),
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  valid_until TEXT,
  withdrawn_at BIGINT,
  withdrawn_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL,
  CHECK ((grantee_member_id IS NULL AND grantee_side IS NOT NULL) OR
         (grantee_member_id IS NOT NULL AND grantee_side IS NULL))
);
CREATE INDEX consents_trajectory ON consents (trajectory_id, category);

ALTER TABLE access_log ADD COLUMN consent_id INTEGER;
ALTER TABLE access_log ADD COLUMN on_behalf_of INTEGER;

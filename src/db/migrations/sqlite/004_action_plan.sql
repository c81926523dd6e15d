-- 004: the SMART action plan. Each version of a trajectory's plan is one case-information item
-- (items.kind 'plan', category 'plan', the participant as source party), so that every read goes through
-- the visibility rule; these tables hold its structured content, keyed by that item.

-- One version of the plan. Versions are never changed afterwards except for the two confirmations.
CREATE TABLE plan_versions (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version >= 1),
  reason TEXT,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  confirmed_by_participant_at BIGINT,
  confirmed_by_participant INTEGER REFERENCES users (id),
  confirmed_by_coach_at BIGINT,
  confirmed_by_coach INTEGER REFERENCES users (id),
  CHECK ((confirmed_by_participant_at IS NULL) = (confirmed_by_participant IS NULL)),
  CHECK ((confirmed_by_coach_at IS NULL) = (confirmed_by_coach IS NULL))
);
-- one version number per trajectory: two concurrent saves cannot both become version n
CREATE UNIQUE INDEX plan_versions_number ON plan_versions (trajectory_id, version);

-- A SMART goal of one version, in order.
CREATE TABLE plan_goals (
  id INTEGER PRIMARY KEY,
  version_item_id INTEGER NOT NULL REFERENCES plan_versions (item_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  specific TEXT NOT NULL,
  measurable TEXT NOT NULL,
  achievable TEXT NOT NULL,
  relevant TEXT NOT NULL,
  time_bound TEXT NOT NULL, -- 'YYYY-MM-DD'
  UNIQUE (version_item_id, position)
);

-- An action of a goal. The owner is the participant, the coach, or a network member of the trajectory.
CREATE TABLE plan_actions (
  id INTEGER PRIMARY KEY,
  goal_id INTEGER NOT NULL REFERENCES plan_goals (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('participant', 'coach', 'member')),
  owner_member_id INTEGER REFERENCES network_members (id),
  due_on TEXT NOT NULL, -- 'YYYY-MM-DD'
  status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
  measure_slug TEXT,    -- a measure of the knowledge base, when relevant
  CHECK ((owner_kind = 'member') = (owner_member_id IS NOT NULL)),
  UNIQUE (goal_id, position)
);

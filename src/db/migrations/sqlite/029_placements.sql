-- 029: trial placements and job starts, their evaluation talks with the employer, and job coaching after
-- the start (issue 13, parts 5 and 6).
--
-- A placement is case information: an items row (kind 'placement', category work, the participant as source
-- party) with a placements row holding the employer (an organisation), the opening it fills (optional), its
-- kind, start and end (TEXT 'YYYY-MM-DD'; no end for an open-ended job start), the hours a week (in tenths)
-- and the agreements (tasks, buddy, adjustments), its state and its outcome. Hours build up by a schedule:
-- placement_hours holds from which day how many hours a week apply.
--
-- An evaluation talk with the employer is an items row of its own (kind 'placement_eval', category work; the
-- source party is the employer's member of the network when the coach records the employer's remarks, else
-- the participant) with a placement_evaluations row: what goes well, what needs adjusting, the hours for the
-- next period and whether the placement continues.
--
-- A job-coaching contact is an items row (kind 'jobcoaching', category work, the participant as source) with
-- a job_coaching_contacts row: planned for a day (the schedule proposed when a placement starts), then held
-- on a day with a mode, a duration and a short note (the item's body), or cancelled.
--
-- placement_notices: what a user is told in the portal when a placement of a trajectory they follow starts,
-- ends in a hire or stops. It names nothing: the trajectory and placement ids for the link only.
CREATE TABLE placements (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  employer_org_id INTEGER NOT NULL REFERENCES organisations (id),
  opening_id INTEGER REFERENCES openings (id),
  kind TEXT NOT NULL CHECK (kind IN ('trial', 'job')),
  starts_on TEXT NOT NULL,
  ends_on TEXT,
  hours_tenths INTEGER NOT NULL CHECK (hours_tenths BETWEEN 0 AND 600),
  tasks TEXT NOT NULL DEFAULT '',
  buddy TEXT NOT NULL DEFAULT '',
  adjustments TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'started', 'ended')),
  outcome TEXT CHECK (outcome IN ('hired', 'extended', 'stopped')),
  outcome_on TEXT,
  contract_type TEXT CHECK (contract_type IN ('permanent', 'fixed_term', 'temp_agency', 'other')),
  contract_hours_tenths INTEGER CHECK (contract_hours_tenths BETWEEN 0 AND 600),
  stop_reason TEXT CHECK (stop_reason IN ('participant', 'employer', 'health', 'mismatch', 'other')),
  stop_note TEXT,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_by INTEGER REFERENCES users (id),
  updated_at BIGINT
);
CREATE INDEX placements_trajectory ON placements (trajectory_id, starts_on);

CREATE TABLE placement_hours (
  id INTEGER PRIMARY KEY,
  placement_id INTEGER NOT NULL REFERENCES placements (item_id) ON DELETE CASCADE,
  from_on TEXT NOT NULL,
  hours_tenths INTEGER NOT NULL CHECK (hours_tenths BETWEEN 0 AND 600)
);
CREATE UNIQUE INDEX placement_hours_from ON placement_hours (placement_id, from_on);

CREATE TABLE placement_evaluations (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  placement_id INTEGER NOT NULL REFERENCES placements (item_id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  held_on TEXT NOT NULL,
  goes_well TEXT NOT NULL DEFAULT '',
  to_adjust TEXT NOT NULL DEFAULT '',
  hours_next_tenths INTEGER CHECK (hours_next_tenths BETWEEN 0 AND 600),
  decision TEXT NOT NULL CHECK (decision IN ('continue', 'stop')),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX placement_evaluations_placement ON placement_evaluations (placement_id, held_on);

CREATE TABLE job_coaching_contacts (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  placement_id INTEGER NOT NULL REFERENCES placements (item_id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  due_on TEXT NOT NULL,
  with_whom TEXT NOT NULL CHECK (with_whom IN ('participant', 'employer', 'both')),
  held_on TEXT,
  mode TEXT CHECK (mode IN ('visit', 'phone', 'online', 'office', 'email')),
  minutes INTEGER CHECK (minutes BETWEEN 1 AND 480),
  cancelled_at BIGINT,
  done_by INTEGER REFERENCES users (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX job_coaching_placement ON job_coaching_contacts (placement_id, due_on);
-- the coach's day: contacts still to hold, by trajectory (the day starts from the coach's assignments)
CREATE INDEX job_coaching_open ON job_coaching_contacts (trajectory_id, due_on)
  WHERE held_on IS NULL AND cancelled_at IS NULL;

CREATE TABLE placement_notices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  placement_id INTEGER NOT NULL REFERENCES placements (item_id) ON DELETE CASCADE,
  event TEXT NOT NULL CHECK (event IN ('started', 'hired', 'stopped')),
  at BIGINT NOT NULL,
  dismissed_at BIGINT
);
CREATE INDEX placement_notices_user ON placement_notices (user_id, dismissed_at);

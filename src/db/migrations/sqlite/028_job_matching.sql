-- 028: the participant's job profile and proposals to employers (issue 13, parts 3 and 4).
--
-- job_profiles: one per trajectory. Its parts are case information of the participant: two items rows (kind
-- 'job_profile'), one of category 'work' (kinds of work, hours, regions and travel, and the participant's
-- own words about work) and one of category 'capacity' (tasks to avoid, support that helps, strengths, and
-- the participant's own words about what they can do). The structured wishes and the coach's words of a
-- category are shown only where its item is (the one door decides). kinds is the participant's order of
-- preference of work kinds (the keys of src/store/openings.h), comma-separated; regions one per line;
-- avoid one task per line; support a bit set (1 gradual start, 2 adjusted tasks, 4 a buddy, 8 flexible
-- hours). Hours are whole hours a week.
CREATE TABLE job_profiles (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  work_item_id INTEGER NOT NULL REFERENCES items (id),
  capacity_item_id INTEGER NOT NULL REFERENCES items (id),
  kinds TEXT NOT NULL DEFAULT '',
  hours_now INTEGER CHECK (hours_now IS NULL OR (hours_now >= 0 AND hours_now <= 60)),
  hours_goal INTEGER CHECK (hours_goal IS NULL OR (hours_goal >= 0 AND hours_goal <= 60)),
  regions TEXT NOT NULL DEFAULT '',
  max_travel_min INTEGER CHECK (max_travel_min IS NULL OR (max_travel_min >= 0 AND max_travel_min <= 240)),
  avoid TEXT NOT NULL DEFAULT '',
  support INTEGER NOT NULL DEFAULT 0,
  coach_work TEXT NOT NULL DEFAULT '',
  coach_capacity TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES users (id),
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX job_profiles_trajectory ON job_profiles (trajectory_id);

-- Matching reads every open opening's status, end, kind of work, region, hours, support and employer:
-- from this index alone, without the rows (their texts are read only for the few openings ranked first).
CREATE INDEX openings_match ON openings (status, ends_on, work_kind, region, hours_min, hours_max, support,
                                         employer_org_id);

-- A proposal of a participant (trajectory) for an opening, by the mediator, to the employer. The participant
-- answers first; agreeing gives consents for 'work' and 'capacity' to the employer's contact person
-- (member_id, a work-side network member), recorded in consent_work_id / consent_capacity_id. The employer
-- sees the proposal only while such a consent is live.
CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  opening_id INTEGER NOT NULL REFERENCES openings (id),
  employer_org_id INTEGER NOT NULL REFERENCES organisations (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_participant', 'declined_by_participant', 'sent',
                                         'accepted', 'declined_by_employer', 'withdrawn')),
  note TEXT NOT NULL DEFAULT '',
  member_id INTEGER REFERENCES network_members (id),
  consent_work_id INTEGER REFERENCES consents (id),
  consent_capacity_id INTEGER REFERENCES consents (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  status_changed_by INTEGER REFERENCES users (id),
  status_changed_at BIGINT NOT NULL,
  employer_reply TEXT
);
CREATE INDEX proposals_trajectory ON proposals (trajectory_id, created_at);
CREATE INDEX proposals_employer ON proposals (employer_org_id, status);
CREATE UNIQUE INDEX proposals_one_live ON proposals (trajectory_id, opening_id)
  WHERE status IN ('draft', 'awaiting_participant', 'sent', 'accepted');

-- 027: the employer register (issue 13, parts 1 and 2). An employer is an organisation of kind 'employer';
-- employer_profiles holds what the mediator builds up about it (one row per organisation, created on the
-- first save), employer_contacts the contact history with the employer (visits, calls, information
-- sessions), openings the jobs and work-experience places the employer offers. support is a bit set:
-- 1 gradual start, 2 adjusted tasks, 4 a buddy, 8 flexible hours. work_kind is one of the fixed keys in
-- src/store/openings.h. Dates are TEXT 'YYYY-MM-DD', times BIGINT unix seconds.
CREATE TABLE employer_profiles (
  org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
  sector TEXT,
  region TEXT,
  size_band TEXT CHECK (size_band IN ('1-9', '10-49', '50-249', '250+')),
  work_processes TEXT,
  job_kinds TEXT,
  culture TEXT,
  support INTEGER NOT NULL DEFAULT 0,
  contact_user_id INTEGER REFERENCES users (id),
  mediator_user_id INTEGER REFERENCES users (id),
  updated_by INTEGER REFERENCES users (id),
  updated_at BIGINT
);
CREATE INDEX employer_profiles_mediator ON employer_profiles (mediator_user_id);

CREATE TABLE employer_contacts (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  held_on TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('visit', 'phone', 'online', 'info_session', 'email')),
  minutes INTEGER NOT NULL,
  note TEXT,
  by_user_id INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX employer_contacts_org ON employer_contacts (org_id, held_on);

CREATE TABLE openings (
  id INTEGER PRIMARY KEY,
  employer_org_id INTEGER NOT NULL REFERENCES organisations (id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('job', 'work_experience')),
  work_kind TEXT NOT NULL,
  tasks TEXT,
  hours_min INTEGER,
  hours_max INTEGER NOT NULL,
  region TEXT NOT NULL,
  requirements TEXT,
  support INTEGER NOT NULL DEFAULT 0,
  starts_on TEXT,
  ends_on TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'withdrawn')),
  created_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_by INTEGER REFERENCES users (id),
  updated_at BIGINT
);
CREATE INDEX openings_status_kind ON openings (status, work_kind);
CREATE INDEX openings_employer ON openings (employer_org_id);

-- 001: organisations, users, sessions, one-time links, participants, trajectories, access log.
-- Times are unix seconds (BIGINT) in UTC; calendar dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('employer', 'care', 'coaching', 'agency')),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

-- roles is a bit set: 1 administrator, 2 coach, 4 team lead, 8 participant, 16 partner, 32 log officer
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  roles INTEGER NOT NULL CHECK (roles > 0),
  org_id INTEGER REFERENCES organisations (id),
  side TEXT CHECK (side IN ('care', 'work')),
  function TEXT,
  password_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  locked INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  lang TEXT,
  created_at BIGINT NOT NULL,
  last_login_at BIGINT
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  mfa_ok INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

-- Password-reset and invitation links: only the hash of the token is kept.
CREATE TABLE one_time_links (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
  created_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE UNIQUE INDEX one_time_links_token ON one_time_links (token_hash);

CREATE TABLE participants (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users (id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  created_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX participants_user ON participants (user_id);
CREATE UNIQUE INDEX participants_identity ON participants (first_name, last_name, birth_date);

CREATE TABLE trajectories (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  phase TEXT NOT NULL CHECK (phase IN ('registration', 'intake', 'exploration', 'consultation',
                                       'action_plan', 'follow_up', 'aftercare', 'closure')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  referred_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  employer_org_id INTEGER REFERENCES organisations (id),
  employer_name TEXT,
  absence_start TEXT,
  start_consent TEXT NOT NULL,
  started_on TEXT NOT NULL,
  phase_since TEXT NOT NULL,
  closed_on TEXT,
  outcome TEXT,
  last_activity_at BIGINT NOT NULL,
  created_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX trajectories_participant ON trajectories (participant_id);
CREATE UNIQUE INDEX trajectories_one_open ON trajectories (participant_id) WHERE status = 'open';

CREATE TABLE trajectory_coaches (
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (trajectory_id, user_id)
);
CREATE INDEX trajectory_coaches_user ON trajectory_coaches (user_id);

-- Access log: append-only, each entry hash-chained to the one before (see policy/audit.c).
CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  at BIGINT NOT NULL,
  user_id INTEGER,
  role TEXT NOT NULL,
  participant_id INTEGER,
  trajectory_id INTEGER,
  item TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  grounds TEXT,
  client TEXT,
  request_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX access_log_participant ON access_log (participant_id, at);
CREATE INDEX access_log_user ON access_log (user_id, at);

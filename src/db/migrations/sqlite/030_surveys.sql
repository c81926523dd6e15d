-- 030: experience surveys (issue 14), and indexes for the outcome reports (at the end). Issue 14 also adds
-- the role bit 64, programme manager, to users.roles (auth/user.h: ROLE_PROGRAMME); no schema change. After closure the participant, and after a placement or return to
-- work the employer's contact (the trajectory's work-side member of the employer's organisation), may
-- answer a short survey: satisfaction 1-5, would recommend yes/no, an open remark.
-- survey_answers says who answered for which trajectory (so nobody answers twice); survey_responses holds
-- the answers WITHOUT the trajectory or the person: the reports show them only in aggregate, and an open
-- remark is never attributed. A response keeps the month it was given (YYYY-MM) and the team (the coaching
-- organisation of the trajectory's coach) for the report's filters, nothing finer.
CREATE TABLE survey_answers (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  respondent TEXT NOT NULL CHECK (respondent IN ('participant', 'employer')),
  user_id INTEGER NOT NULL REFERENCES users (id),
  answered_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX survey_answers_once ON survey_answers (trajectory_id, respondent, user_id);
CREATE INDEX survey_answers_user ON survey_answers (user_id);

CREATE TABLE survey_responses (
  id INTEGER PRIMARY KEY,
  respondent TEXT NOT NULL CHECK (respondent IN ('participant', 'employer')),
  satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  recommend INTEGER NOT NULL CHECK (recommend IN (0, 1)),
  remark TEXT,
  answered_month TEXT NOT NULL,
  team_id INTEGER REFERENCES organisations (id)
);
CREATE INDEX survey_responses_month ON survey_responses (answered_month);

-- The outcome reports (store/reports.c) read every trajectory of a year with its first step past
-- registration and its meetings: covering indexes keep those reads off the wide rows (reason, agenda).
CREATE INDEX phase_history_first_move ON phase_history (trajectory_id, entered_on) WHERE phase <> 'registration';
CREATE INDEX meetings_report ON meetings (trajectory_id, starts_at, duration_minutes, kind, mode);

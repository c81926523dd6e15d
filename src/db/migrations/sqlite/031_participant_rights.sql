-- 031: the participant's rights (issue 14, parts 5 and 6).
-- correction_requests: a participant asks that information about them be corrected (GDPR art. 16); the
-- request is a task for the trajectory's coach, who marks it handled with an answer the participant reads.
-- item_id: the note or other item the request is about, when the participant named one (else NULL).
CREATE TABLE correction_requests (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  item_id INTEGER REFERENCES items (id),
  requested_by INTEGER NOT NULL REFERENCES users (id),
  request TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  handled_at BIGINT,
  handled_by INTEGER REFERENCES users (id),
  answer TEXT,
  CHECK ((handled_at IS NULL) = (answer IS NULL))
);
CREATE INDEX correction_requests_open ON correction_requests (trajectory_id, handled_at);

-- trajectory_erasures: a trajectory whose case content was erased, when and under which rule (the
-- retention term after closure, or a request under GDPR art. 17). Kept after the erasure: it is what the
-- trajectory page says instead of the content.
CREATE TABLE trajectory_erasures (
  trajectory_id INTEGER PRIMARY KEY REFERENCES trajectories (id),
  erased_on TEXT NOT NULL,
  rule TEXT NOT NULL CHECK (rule IN ('retention', 'request')),
  request_id INTEGER,
  created_at BIGINT NOT NULL
);

-- erasure_requests: an administrator's request to erase a participant's case content before its term (GDPR
-- art. 17), with the reason; carried out only after a log officer (another person) approved it. Keyed by
-- participant: it concerns every trajectory of the person.
CREATE TABLE erasure_requests (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  reason TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users (id),
  requested_at BIGINT NOT NULL,
  decision TEXT CHECK (decision IN ('approved', 'declined')),
  decided_by INTEGER REFERENCES users (id),
  decided_at BIGINT,
  carried_out_at BIGINT,
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX erasure_requests_open ON erasure_requests (decision, participant_id);

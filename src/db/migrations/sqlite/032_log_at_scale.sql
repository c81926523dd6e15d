-- 032: the access log stays fast at millions of entries (issue 15, part 4).
--
-- audit_checkpoint: how far the chain was last verified — the entry's id and its hash, the boundary of the
-- keyed chain, when that verification ran, and when the last verification of the WHOLE chain ran and how
-- far it reached — with a MAC under a subkey of the chain key (kept outside the database), so that a
-- checkpoint written by someone without the key is detected. A verification from the checkpoint walks only
-- the entries after it; a change to an entry before it is found by the full verification. One row at most.
CREATE TABLE audit_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  entry_id BIGINT NOT NULL CHECK (entry_id >= 0),
  hash TEXT NOT NULL,
  keyed_from BIGINT NOT NULL,
  verified_at BIGINT NOT NULL,
  full_at BIGINT NOT NULL,
  full_entry_id BIGINT NOT NULL,
  mac TEXT NOT NULL
);

-- the log officer's filters on the acting account and on the trajectory, paged by id (newest first); the
-- participant filter and the participant's own view use access_log_participant_id
CREATE INDEX access_log_user_id ON access_log (user_id, id);
CREATE INDEX access_log_trajectory_id ON access_log (trajectory_id, id);
CREATE INDEX access_log_participant_id ON access_log (participant_id, id);
CREATE INDEX access_log_action_id ON access_log (action, id);
-- refusals are few and what a review looks for first: alone, and with an action
CREATE INDEX access_log_denied ON access_log (id) WHERE outcome = 'denied';
CREATE INDEX access_log_denied_action ON access_log (action, id) WHERE outcome = 'denied';
DROP INDEX access_log_participant;
-- the time filter: a period is read newest first in (at, id) order, without sorting it
CREATE INDEX access_log_at ON access_log (at, id);

-- the team overview pages through the coaches by name (store/team.c)
CREATE INDEX users_name ON users (name, id);

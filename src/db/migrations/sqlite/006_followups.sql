-- 006: follow-up moments — reviews, evaluation talks with the employer, long-term check-ins after return
-- to work. Each is case information (an items row: kind 'followup', category practical, the participant
-- as source party); this table holds its date and whether it took place.
CREATE TABLE followups (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('review', 'evaluation', 'checkin')),
  due_on TEXT NOT NULL,
  done_on TEXT,
  done_by INTEGER REFERENCES users (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX followups_trajectory ON followups (trajectory_id, due_on);
CREATE INDEX followups_due ON followups (due_on) WHERE done_on IS NULL;

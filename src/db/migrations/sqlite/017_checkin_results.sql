-- 017: aftercare after closure. A check-in (followups.kind 'checkin') knows how many months after the return
-- to work it lies, and what it found is stored as its result: whether the participant works (in the same
-- job, another job, or not) and how many hours a week, so that reports can count who still works at 3, 6
-- and 12 months. The result is case information of its own: an items row (kind 'checkin', category work,
-- the participant as source party) whose body is the coach's remark; this table holds the facts.
ALTER TABLE followups ADD COLUMN months INTEGER CHECK (months IS NULL OR months BETWEEN 1 AND 120);

CREATE TABLE checkin_results (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  followup_id INTEGER NOT NULL UNIQUE REFERENCES followups (item_id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  work_status TEXT NOT NULL CHECK (work_status IN ('same_job', 'other_job', 'not_working')),
  hours_per_week_tenths INTEGER NOT NULL CHECK (hours_per_week_tenths BETWEEN 0 AND 600),
  held_on TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX checkin_results_trajectory ON checkin_results (trajectory_id);

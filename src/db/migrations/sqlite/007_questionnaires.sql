-- 007: filled-in questionnaires (first-line assessment, exploration phase). Each is case information: an
-- items row (kind 'assessment', the participant as source party) carries its visibility, this table the
-- answers and the scores the server computed. The category comes from the questionnaire's definition:
-- distress screening (K10) is health; work ability and the strengths inventory are capacity (what the
-- person can do, without diagnosis); the work-situation analysis is work.
CREATE TABLE assessments (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  questionnaire TEXT NOT NULL,
  version INTEGER NOT NULL,
  answers TEXT NOT NULL,
  scores TEXT NOT NULL,
  filled_by TEXT NOT NULL CHECK (filled_by IN ('participant', 'coach')),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX assessments_trajectory ON assessments (trajectory_id, questionnaire, created_at);

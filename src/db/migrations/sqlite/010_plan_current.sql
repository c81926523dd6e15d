-- 010: the coach's dashboard asks, for each of the coach's trajectories, which actions of the current plan
-- version are open and due soon. Each action row now names its trajectory and whether its version is the
-- current one (the plan's save path sets it: a new version's actions become current, the previous
-- version's stop being so), so one index range per trajectory answers the question without walking
-- versions and goals (measured: about half the instructions of the walk through plan_versions and
-- plan_goals with the index of 008).
ALTER TABLE plan_actions ADD COLUMN trajectory_id INTEGER REFERENCES trajectories (id) ON DELETE CASCADE;
ALTER TABLE plan_actions ADD COLUMN is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1));

UPDATE plan_actions SET trajectory_id = (
  SELECT v.trajectory_id FROM plan_goals g JOIN plan_versions v ON v.item_id = g.version_item_id
  WHERE g.id = plan_actions.goal_id);

UPDATE plan_actions SET is_current = 1 WHERE goal_id IN (
  SELECT g.id FROM plan_goals g JOIN plan_versions v ON v.item_id = g.version_item_id
  WHERE v.version = (SELECT MAX(v2.version) FROM plan_versions v2 WHERE v2.trajectory_id = v.trajectory_id));

-- every column the dashboard reads is in the index, so the rows themselves are not visited
DROP INDEX plan_actions_open_due;
CREATE INDEX plan_actions_current_due ON plan_actions (trajectory_id, due_on, status, is_current, text)
  WHERE is_current = 1 AND status IN ('planned', 'in_progress');

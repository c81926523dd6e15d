-- 034: the next thing due of each trajectory, kept on its row for the caseload list (no look-up per row):
-- next_action is "YYYY-MM-DD text" of the open action of the current plan version due first (open
-- trajectories only), next_followup "YYYY-MM-DD kind" of the follow-up moment not done yet due first (of a
-- closed trajectory only its check-ins). NULL when there is none. Every path that changes plan actions,
-- follow-ups or the trajectory's status sets both again in its transaction (caseload_next_refresh).
ALTER TABLE trajectories ADD COLUMN next_action TEXT;
ALTER TABLE trajectories ADD COLUMN next_followup TEXT;

UPDATE trajectories SET
  next_action = (SELECT a.due_on || ' ' || a.text FROM plan_actions a WHERE a.trajectory_id = trajectories.id
                 AND a.is_current = 1 AND a.status IN ('planned', 'in_progress') AND trajectories.status = 'open'
                 ORDER BY a.due_on, a.id LIMIT 1),
  next_followup = (SELECT f.due_on || ' ' || f.kind FROM followups f WHERE f.trajectory_id = trajectories.id
                   AND f.done_on IS NULL AND (trajectories.status = 'open' OR f.kind = 'checkin')
                   ORDER BY f.due_on, f.item_id LIMIT 1);

-- The access log's index of actions without 'view' (most of the log, ~80 %): every view written (one per
-- participant shown on a list) no longer pays an index entry, and /log's filter on 'view' reads the entries
-- in id order, where views are dense (store/accesslog.c: filter_where).
DROP INDEX access_log_action_id;
CREATE INDEX access_log_action_id ON access_log (action, id) WHERE action <> 'view';

-- 016: the owners of the plan's actions act on it. An owner (the participant, or a network member who owns
-- an action) marks their own action started or done, with an optional remark, without a new version; the
-- network members who own actions of a version confirm it beside the participant and the coach.

-- One status update of an action by its owner. The action's status itself (plan_actions.status) becomes
-- the new status, so the coach's day and the edit form see it; the update keeps who, when and the remark.
-- The remark is case information of the owner: an items row (kind 'plan_remark', category 'plan', the
-- owner's membership as source party, or the participant), read only through the visibility rule.
CREATE TABLE plan_action_updates (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL REFERENCES plan_actions (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('in_progress', 'done')),
  owner_member_id INTEGER REFERENCES network_members (id), -- NULL: the participant
  remark_item_id INTEGER REFERENCES items (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
-- the coach's day: the latest updates of a trajectory
CREATE INDEX plan_action_updates_trajectory ON plan_action_updates (trajectory_id, created_at);

-- The latest owner's update of an action. A later version carries it over to an action that did not change
-- (same text, owner, due date and status), so the plan keeps saying who marked it and when.
ALTER TABLE plan_actions ADD COLUMN last_update_id INTEGER REFERENCES plan_action_updates (id);

-- The confirmation of a version by a network member who owns one of its actions (the participant's and the
-- coach's are columns of plan_versions). One per member and version.
CREATE TABLE plan_member_confirmations (
  version_item_id INTEGER NOT NULL REFERENCES plan_versions (item_id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL REFERENCES network_members (id),
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  confirmed_by INTEGER NOT NULL REFERENCES users (id),
  confirmed_at BIGINT NOT NULL,
  PRIMARY KEY (version_item_id, member_id)
);

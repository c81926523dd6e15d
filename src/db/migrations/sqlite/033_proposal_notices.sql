-- 033: what a user is told in the portal about a proposal to an employer (issue 13, part 4): the participant
-- when a proposal waits for their answer; the coaches and the employer's contact person when the participant
-- answers; the coaches and the participant when the employer answers. It names nothing: the trajectory and
-- proposal ids for the link only, and the event for the words of the notice.
CREATE TABLE proposal_notices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  event TEXT NOT NULL CHECK (event IN ('awaiting_participant', 'sent', 'declined_by_participant', 'accepted',
                                       'declined_by_employer')),
  at BIGINT NOT NULL,
  dismissed_at BIGINT
);
CREATE INDEX proposal_notices_user ON proposal_notices (user_id, dismissed_at);

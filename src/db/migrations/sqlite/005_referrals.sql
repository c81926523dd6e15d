-- 005: referrals to specialised care or career guidance, in any phase. Each referral is case
-- information: an items row (kind 'referral') carries its visibility (category health for specialised
-- care, work for career guidance; the participant is the source party), this table its course.
CREATE TABLE referrals (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('specialised_care', 'career_guidance')),
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'sent', 'accepted', 'declined', 'completed')),
  outcome TEXT,
  failure_reason TEXT,
  status_changed_at BIGINT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX referrals_trajectory ON referrals (trajectory_id);

-- 025: the mails of the day (issue 12, part 4): "actions due" and the digest of new messages.
--
-- daily_mails records, per user, kind and day (YYYY-MM-DD in the portal's time zone), that the day's pass
-- has dealt with that user, in the same transaction as the mail it queued: a second pass the same day (the
-- server's worker after a restart, or `zorgwerk mail due` from cron) finds the row and queues nothing again.
-- amount: how many new messages the digest counted (0: none, so no mail was queued; the next digest counts
-- from this pass on); NULL for "actions due".
CREATE TABLE daily_mails (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('action_due', 'digest')),
  day TEXT NOT NULL,
  amount INTEGER,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, kind, day)
);
CREATE INDEX daily_mails_last ON daily_mails (user_id, kind, created_at);

-- The hour (0-23, the portal's time zone) at or after which a user's mails of the day are sent.
ALTER TABLE users ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23);

-- A digest says how many new messages there are: the number travels with the mail (never anything else).
ALTER TABLE mail_outbox ADD COLUMN amount INTEGER;

-- Meetings are changed and cancelled (issue 12, part 2): sequence is the calendar's SEQUENCE (0 when planned,
-- raised by every change and by the cancellation; the UID stays); cancelled_at: when it was cancelled (the
-- meeting stays visible, marked cancelled, in the portal and in the calendar feed).
ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN cancelled_at BIGINT;

-- Mental-health practitioners join a case review per programme (issue 12, part 3): a care-side partner
-- invited to one review by a coach of the team. They read its agenda with the participants pseudonymised,
-- except where they are a network member of the trajectory holding the participant's consent for the
-- advice's category.
CREATE TABLE case_review_practitioners (
  review_id INTEGER NOT NULL REFERENCES case_reviews (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  added_by INTEGER NOT NULL REFERENCES users (id),
  added_at BIGINT NOT NULL,
  PRIMARY KEY (review_id, user_id)
);
CREATE INDEX case_review_practitioners_user ON case_review_practitioners (user_id, review_id);

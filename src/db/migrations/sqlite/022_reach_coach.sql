-- 022: reaching the coach and how a user hears of new messages (issue 12, part 5).
--
-- work_phone, work_email: a coach's work contact details, shown to the participant and the network of the
-- coach's trajectories (NULL: not given). message_mail: when a user gets a (content-free) mail about new
-- messages: at once, at most one a day, or never.
ALTER TABLE users ADD COLUMN work_phone TEXT;
ALTER TABLE users ADD COLUMN work_email TEXT;
ALTER TABLE users ADD COLUMN message_mail TEXT NOT NULL DEFAULT 'immediately'
  CHECK (message_mail IN ('immediately', 'daily', 'never'));

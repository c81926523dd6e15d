-- 019: secure messages in a trajectory (issue 12).
--
-- A message is case information: an items row (kind 'message') with a category and a source party (the
-- sender's), created by item_create, so the one visibility rule decides who may read it. This table adds
-- what only a message has: its thread (the first message of the conversation; NULL for that first message
-- itself) and its withdrawal by the author (the items row is kept, its text cleared; the access log keeps
-- the withdrawal).
CREATE TABLE messages (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  thread_id INTEGER REFERENCES items (id),
  withdrawn_at BIGINT
);
CREATE INDEX messages_trajectory ON messages (trajectory_id, item_id);

-- Who a message is addressed to, with a read receipt per recipient (read_at NULL: unread). A recipient
-- was checked against the visibility rule when the message was sent.
CREATE TABLE message_recipients (
  message_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  read_at BIGINT,
  PRIMARY KEY (message_id, user_id)
);
-- the unread count in the navigation: the recipient's unread rows only
CREATE INDEX message_recipients_unread ON message_recipients (user_id, read_at);

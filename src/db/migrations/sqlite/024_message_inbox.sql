-- 024: a summary of the messages addressed to each user, kept up to date by the writes of store/messages.c
-- (send, read, withdraw) in the same transaction, so that the unread badge in the menu (every page) and the
-- inbox (/messages) read a few summary rows instead of every message and receipt of the reader.
--
-- One row per recipient and per group of messages that the visibility rule cannot tell apart: the same
-- trajectory, category, source party and author (the only columns of an item the rule reads; messages are
-- never deleted nor re-categorised). The rule is still applied when reading — to the row, standing for its
-- messages — so a withdrawn consent or an ended stand-in hides the group at once, as it hid each message.
-- source_key is the item's source_member_id, 0 for the participant's own (NULL cannot be part of a key).
--   total:   messages addressed to user_id in the group (withdrawn ones included, as the inbox counted them)
--   unread:  of those, not read by user_id and not withdrawn
--   last_at: the newest message's created_at (the inbox's order)
CREATE TABLE message_inbox (
  user_id INTEGER NOT NULL REFERENCES users (id),
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  source_key BIGINT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users (id),
  total BIGINT NOT NULL CHECK (total >= 0),
  unread BIGINT NOT NULL CHECK (unread >= 0 AND unread <= total),
  last_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, trajectory_id, category, source_key, author_id)
);

-- the summary of the messages sent so far (the same statement recomputes it in tests and the benchmark)
INSERT INTO message_inbox (user_id, trajectory_id, category, source_key, author_id, total, unread, last_at)
SELECT r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id, COUNT(*),
       SUM(CASE WHEN r.read_at IS NULL AND m.withdrawn_at IS NULL THEN 1 ELSE 0 END), MAX(i.created_at)
FROM message_recipients r JOIN items i ON i.id = r.message_id JOIN messages m ON m.item_id = i.id
WHERE i.kind = 'message' AND i.deleted_at IS NULL
GROUP BY r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id;

-- 011: one-time links and network memberships can no longer hand an account to someone else.
--
-- A one-time link records who used it and from where; while it is live it keeps its token, so that the
-- person who created it (and only that person) can be shown the same link again instead of a new one
-- that would cancel the link the account's owner holds. The token is cleared when the link is used or
-- voided; expired links are cleared the next time a link is made for the account.
ALTER TABLE one_time_links ADD COLUMN used_by INTEGER REFERENCES users (id);
ALTER TABLE one_time_links ADD COLUMN used_from TEXT;
ALTER TABLE one_time_links ADD COLUMN token TEXT;
CREATE INDEX one_time_links_user ON one_time_links (user_id, used_at);

-- Linking an existing account to a network membership needs that account's confirmation: until the
-- request is accepted the membership has no user_id and grants nothing.
CREATE TABLE membership_requests (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES network_members (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  requested_by INTEGER REFERENCES users (id),
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  decision TEXT CHECK (decision IN ('accepted', 'declined', 'withdrawn'))
);
CREATE INDEX membership_requests_user ON membership_requests (user_id, decided_at);
CREATE INDEX membership_requests_member ON membership_requests (member_id, decided_at);

-- What an account's owner is told at the next sign-in until dismissed: a password set with a link that
-- someone else issued (an administrator, or the command line when by_user is NULL).
CREATE TABLE account_notices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('password_reset')),
  by_user INTEGER REFERENCES users (id),
  at BIGINT NOT NULL,
  dismissed_at BIGINT
);
CREATE INDEX account_notices_user ON account_notices (user_id, dismissed_at);

-- A person's side comes from their account: a membership on the other side of the account's own side
-- (or of its organisation's kind) no longer links the account, so it grants nothing there.
UPDATE network_members SET user_id = NULL
WHERE user_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM users u LEFT JOIN organisations o ON o.id = u.org_id
  WHERE u.id = network_members.user_id
    AND ((u.side IS NOT NULL AND u.side <> network_members.side)
      OR (o.kind IN ('employer', 'agency') AND network_members.side <> 'work')
      OR (o.kind = 'care' AND network_members.side <> 'care')));

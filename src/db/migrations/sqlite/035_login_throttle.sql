-- 035: login throttling in the database (issue 15, part 2), so that several servers on one database count the
-- failures of a key together instead of each in its own memory. key is the hex BLAKE2b-128 hash of the
-- throttle key ("acct:" e-mail, "ip:" address, "mfa:" user, ...): the table holds no e-mail or network
-- addresses. failures counted since the key was last cleared; last_ms the time of the last failure in epoch
-- milliseconds (the delays are in milliseconds). Old rows are pruned (account/throttle.h).
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY CHECK (length(key) = 32),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  last_ms BIGINT NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_ms);

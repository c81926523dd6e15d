-- 012: the browsers each user signed in from (login throttling lets a correct password on a known device
-- through, pages/login.c) and the count of wrong second-factor codes in a row (the second factor locks at
-- cfg.totp_lock_after until a recovery code is used or an administrator unlocks it).

ALTER TABLE users ADD COLUMN totp_failures INTEGER NOT NULL DEFAULT 0;

-- One row per user and browser: only the hash of the cookie's random token is kept.
CREATE TABLE login_devices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX login_devices_user_token ON login_devices (user_id, token_hash);

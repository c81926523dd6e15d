-- 021: the durable outbox of notification mails (issue 12).
--
-- A mail is queued in the same transaction as the event it tells about and sent later by the server's
-- background worker (src/mail/outbox.c), so a web request never waits for SMTP and a mail is never lost
-- when the SMTP server is down. A mail says only that something happened and links to the portal; no
-- case content is ever stored here. A link that carries a one-time token is kept sealed (like
-- one_time_links.token) and cleared once the mail is sent.
--
-- status: 'queued' (waiting, possibly after failures: attempts, last_error, next_at), 'sending' (recorded
-- before the SMTP call: after a crash it is sent again with the same message_id, so a receiver sees at most
-- one message per message_id), 'sent', 'failed' (given up after too many attempts; the admin sees it).
CREATE TABLE mail_outbox (
  id          INTEGER PRIMARY KEY,
  to_addr     TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  kind        TEXT NOT NULL,
  lang        TEXT,
  link        TEXT,
  attachment  TEXT,
  message_id  TEXT NOT NULL UNIQUE,
  status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_at);

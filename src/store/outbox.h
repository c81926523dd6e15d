/*
 * store/outbox.h — the durable outbox of notification mails (table mail_outbox, migration 021).
 * Rows hold an address, a kind, a link (sealed by mail/outbox.c when it carries a token), an optional
 * calendar attachment, a Message-ID and the delivery state. Never case content.
 */
#ifndef ZW_STORE_OUTBOX_H
#define ZW_STORE_OUTBOX_H

#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

typedef struct OutboxMail {
  int64_t id;
  const char *to_addr;
  const char *kind;
  const char *lang;       /* the recipient's language (NULL: the portal's default) */
  const char *link;       /* as stored (sealed or plain); NULL once sent */
  const char *attachment; /* NULL: none */
  const char *message_id;
  const char *status;     /* queued, sending, sent, failed */
  int64_t attempts, next_at, created_at, sent_at;
  const char *last_error; /* NULL: none */
  int64_t amount;         /* a digest's number of new messages; -1: none */
} OutboxMail;

/* The e-mail address (login name) and language (NULL: none chosen) of active account user_id into *addr and
 * *lang (arena strings), *addr NULL when there is no such active account. Returns a DB code. */
int outbox_user_address(Db *db, Arena *a, int64_t user_id, const char **addr, const char **lang);

/* Queues one mail (status queued, due at now); amount is a digest's number of new messages (-1: none). Call
 * inside the caller's transaction. Returns a DB code. */
int outbox_add(Db *db, const char *to_addr, int64_t user_id, const char *kind, const char *lang, const char *link,
               const char *attachment, int64_t amount, const char *message_id, int64_t now);

/* Whether a 'message' mail to user_id was queued after since, into *found. Returns a DB code. */
int outbox_message_since(Db *db, int64_t user_id, int64_t since, bool *found);

/* Takes the next mail to send: a 'sending' one whose lease ran out first (its sender crashed or stopped: sent
 * again with its Message-ID), else the oldest queued one due at now. Records status 'sending' with the lease
 * lease_until (in next_at: until then no other worker — of this server or another on the same database —
 * takes it) and one more attempt, and commits, before returning it; *found false when nothing is due.
 * Allocates the row's text in a. Returns a DB code. */
int outbox_claim(Db *db, Arena *a, int64_t now, int64_t lease_until, OutboxMail *m, bool *found);

/* After the SMTP server accepted mail id: status 'sent', the link cleared. Commits. Returns a DB code. */
int outbox_mark_sent(Db *db, int64_t id, int64_t now);

/* After a failed delivery: queued again for next_at, or 'failed' when give_up; error is a short reason
 * without case content. Commits. Returns a DB code. */
int outbox_mark_failed(Db *db, int64_t id, int64_t next_at, const char *error, bool give_up);

/* The mails that failed at least once and are not sent (newest first, at most limit), for the
 * administrator: addresses and delivery state only. Allocates in a. Returns a DB code. */
int outbox_list_failing(Db *db, Arena *a, int limit, OutboxMail **out, size_t *n);

#endif

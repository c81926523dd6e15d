/*
 * mail/outbox.h — notification mails without content, through a durable outbox (store/outbox.h) and a
 * background worker that delivers them over SMTP with libcurl (settings smtp_url, smtp_user,
 * smtp_password_file, mail_from, mail_retry_s, mail_timeout_s).
 *
 * A mail says only *that* something happened and links to the portal: its subject and text are fixed per
 * kind, never a name, a diagnosis, a note or a message text. It is queued in the caller's transaction, so it
 * exists exactly when the event does; the worker records "sending" (and the attempt) before the SMTP call
 * and "sent" after it, so a crash in between sends that one mail again with the same Message-ID. A failed
 * delivery (server down, slow, refusing, 4xx/5xx) is retried after mail_retry_s, doubling up to a day; the
 * administrator sees failing mails (addresses only) at /admin/outbox. The web request never waits for SMTP.
 */
#ifndef ZW_MAIL_OUTBOX_H
#define ZW_MAIL_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* Whether mail is configured (smtp_url set). Without it nothing is queued and links are shown. */
bool outbox_enabled(void);

/* Queues a mail of kind ("invite", "reset", "message", "meeting", "meeting_changed", "meeting_cancelled",
 * "action_due"; "digest" through outbox_queue_digest) to the active account user_id (in its language), or —
 * user_id 0 — to address; link is the portal URL the mail points to (a one-time link is kept sealed under a
 * subkey of the access log's key and cleared once sent); ics, if not NULL, is attached as invite.ics
 * (text/calendar with the calendar's own METHOD; it must carry no case content). Call inside the caller's
 * transaction (db_begin); outside one it makes its own. A "message" mail to an account that chose the daily
 * digest is not queued (DB_OK): the digest (mail/daily.h) tells of it. Refuses (DB_CONSTRAINT, nothing
 * queued) an unknown kind, an address that mail_address_ok refuses, or no such active account; DB_ERROR when
 * the link cannot be sealed (no key file) or mail is not configured. Returns a DB code. */
int outbox_queue(Db *db, int64_t user_id, const char *address, const char *kind, const char *link,
                 const char *ics);

/* Queues a digest (kind "digest") of amount new messages to user_id with link: outbox_queue's rules. */
int outbox_queue_digest(Db *db, int64_t user_id, const char *link, int64_t amount);

/* The portal URL of path (base_url, else the listen address), in a. Never fails. */
const char *outbox_portal_url(Arena *a, const char *path);

/* Starts the background worker when smtp_url is set (no-op otherwise); false if it cannot start. */
bool outbox_start(void);
/* Stops the worker after the delivery in progress. */
void outbox_stop(void);

/* ---- pure functions (fuzz/fuzz_mail.c) ---- */

/* An address as the portal sends to: local@domain in printable ASCII without spaces, quotes, angle
 * brackets, commas, semicolons or control characters (so never CR or LF), at most 254 bytes. */
bool mail_address_ok(const char *addr);
/* A header value: no control characters at all (CR, LF, NUL, TAB…), at most 900 bytes. */
bool mail_header_ok(const char *value);

typedef struct MailParts {
  const char *from, *to;    /* addresses (mail_address_ok) */
  const char *subject;      /* UTF-8, one line (mail_header_ok); encoded as RFC 2047 when not ASCII */
  const char *message_id;   /* "<...@...>" (mail_header_ok) */
  const char *date;         /* RFC 5322 date (mail_header_ok) */
  const char *text;         /* UTF-8 body; LF or CRLF line ends, written as CRLF */
  const char *ics;          /* NULL: no attachment */
} MailParts;

/* Writes the whole message (headers, CRLF line ends) into out. False, writing nothing usable, when any
 * field that reaches a header is refused (mail_address_ok / mail_header_ok): header injection is refused,
 * never cleaned. */
bool mail_compose(const MailParts *p, Buf *out);

#endif

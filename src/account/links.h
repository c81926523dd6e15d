/*
 * links.h — one-time links for setting a password (reset by an administrator, or an invitation).
 * The link carries a 256-bit token; the database stores its hash, the purpose, who created it, the expiry,
 * and when, by whom and from where it was used. Every link made, shown again, refused or used is an
 * access-log entry on item "account:<id>" (actions link_create, link_show, link_use).
 *
 * A link must never hand an account to someone other than its owner. So:
 * - an invitation never cancels a live link that someone else created: while one is out, nobody else gets
 *   a link for that account (LINK_HELD), and the creator asking again is shown the same link (LINK_SAME;
 *   the token is kept with the live link for this — sealed under a key kept outside the database, so
 *   that a copy of the database holds no usable link — and cleared when it is used, voided or expired);
 * - a reset (administrator or command line) is the way to recover an account: it replaces every earlier
 *   live link, and when the password is set with it, the owner is told at the next sign-in
 *   (account_notices) — the reset is in the access log as well.
 */
#ifndef ZW_LINKS_H
#define ZW_LINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/token.h"
#include "core/mem.h"
#include "db/db.h"
#include "http/http.h"

typedef enum LinkResult {
  LINK_CREATED = 1, /* a new link */
  LINK_SAME,        /* the creator's own live link of this purpose, shown again */
  LINK_HELD,        /* an invitation while someone else's link is live: no link */
} LinkResult;

/* Issues a link to set the password of account user_id for purpose "invite" or "reset", valid for `hours`,
 * on behalf of r's user (r NULL: the command line, on db). Writes the token (empty for LINK_HELD), the
 * result, the link's expiry (0 for LINK_HELD) and the access-log entry; call inside the caller's
 * transaction. Returns a DB code. */
int link_issue(Db *db, Req *r, int64_t user_id, const char *purpose, int hours, char token_out[TOKEN_LEN + 1],
               LinkResult *result, int64_t *expires_at);

/* A reset link that the owner of account user_id asked for from the sign-in page (r: that anonymous request),
 * to be mailed to the account's own address: like link_issue(…, "reset", …) but made on behalf of the
 * account itself, so that using it leaves no "your password was reset" notice; asking again while it is
 * live gives the same link (LINK_SAME). Call inside the caller's transaction. Returns a DB code. */
int link_issue_self(Db *db, Req *r, int64_t user_id, int hours, char token_out[TOKEN_LEN + 1], LinkResult *result,
                    int64_t *expires_at);

/* Whether account user_id has a live (unused, unexpired) link: *any for anyone's, *mine for one that
 * `creator` made (0: the command line) of purpose. Returns a DB code. */
int link_pending(Db *db, int64_t user_id, int64_t creator, const char *purpose, bool *any, bool *mine);

/* Before the login name (e-mail address) of an account that was invited and never activated is changed:
 * voids the live links of purpose that r's user (r NULL: the command line) made for user_id, each logged as
 * "link_void" on the account, so that a link handed to the old address cannot set the password. When
 * someone else's link is live, changes nothing and sets *held (that link stays the one that works). Call
 * inside the caller's transaction. Returns a DB code. */
int link_void_own(Db *db, Req *r, int64_t user_id, const char *purpose, bool *held);

/* Finds the live (unused, unexpired) link for token. DB_OK with *user_id set, or *user_id 0 if there is
 * none; *purpose gets "reset" or "invite" (arena string). */
int link_find(Db *db, Arena *a, const char *token, int64_t now, int64_t *user_id, const char **purpose);

/* Marks the link used by the request r (its user if signed in, its client address), writes the
 * link_use access-log entry and, for a reset link issued by someone else, the notice the owner sees at
 * the next sign-in. Fails with DB_CONSTRAINT if the link was used or expired meanwhile. Call inside the
 * transaction that sets the password. */
int link_use(Req *r, const char *token, int64_t now);

/* How a link reaches its person. Without mail (smtp_url empty) every link is shown once to whoever made it,
 * who must hand it to the person themselves (LINK_SHOW). With mail, link_deliver queues the link in the
 * outbox (mail/outbox.h) for the account's own e-mail address — in the caller's transaction when one is open
 * — and answers LINK_MAILED; pages then say so and show nothing. A link that cannot be queued is shown. */
typedef enum LinkDelivery {
  LINK_SHOW, /* show the link to its creator */
  LINK_MAILED,
} LinkDelivery;
LinkDelivery link_deliver(Db *db, int64_t user_id, const char *token);

/* "BASE/reset?token=TOKEN" with BASE from cfg.base_url or "http://LISTEN". Arena string. */
const char *link_url(Arena *a, const char *token);

#endif

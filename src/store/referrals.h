/*
 * referrals.h — referrals (doorverwijzing) of a trajectory: one struct per row, the list as the reader may
 * see it, and the writes (create, move along the status loop).
 *
 * A referral is case information: an items row (kind 'referral'; category health for specialised care,
 * work for career guidance) with a referrals row holding its target, reason and status. Lists take the
 * reader and filter with POLICY_SQL_ITEM_VISIBLE; the caller still discloses what it shows
 * (items_disclose). Which status may follow which is the page's rule; these functions store it.
 */
#ifndef ZW_STORE_REFERRALS_H
#define ZW_STORE_REFERRALS_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One referral; texts in the arena (outcome and failure_reason NULL when not recorded). */
typedef struct Referral {
  int64_t id, created_at, status_changed_at; /* id: items.id */
  const char *kind, *target, *reason, *status, *outcome, *failure_reason;
} Referral;

/* The referrals of trajectory tid that u may see on day today (YYYY-MM-DD), newest first, at most max, into
 * an arena array. Returns a DB code; *n may be 0. */
int referrals_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Referral **out,
                      int *n);

/* A new referral (status 'proposed'). kind: "specialised_care" or "career_guidance". */
typedef struct ReferralNew {
  int64_t trajectory_id, author_id, created_at;
  const char *kind, *target, *reason;
} ReferralNew;

/* Creates a referral (its item and its referrals row) inside the caller's transaction; writes its item id.
 * Returns a DB code. */
int referral_create(Db *db, const ReferralNew *n, int64_t *id);

/* The status of referral rid of trajectory tid into *status (arena): DB_ROW, DB_DONE when tid has no such
 * referral, or a DB error code. Asks nothing about the reader: for an assigned coach only. */
int referral_status(Db *db, Arena *a, int64_t tid, int64_t rid, const char **status);

/* Moves referral rid from status `from` to `to` at time now, inside the caller's transaction; note becomes
 * the outcome (to 'completed') or the failure reason (to 'declined'). Returns DB_OK, DB_DONE when the
 * referral is no longer in status `from` (changed meanwhile: nothing written), or a DB error code. */
int referral_move(Db *db, int64_t rid, const char *from, const char *to, const char *note, int64_t now);

#endif

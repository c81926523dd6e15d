/*
 * notices.h — what an account's owner is told at the next sign-in until they dismiss it: today, that their
 * password was set with a reset link someone else issued (links.c writes it when such a link is used).
 * Also the two writes every kind of notice shares (placements.c, proposals.c): a notice row of a trajectory
 * event for one recipient, and dismissing one of a user's own notices.
 */
#ifndef ZW_STORE_NOTICES_H
#define ZW_STORE_NOTICES_H

#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* An undismissed notice. by_user 0: issued from the command line; by_name NULL then. Arena strings. */
typedef struct Notice {
  int64_t id, by_user, at;
  const char *kind, *by_name;
} Notice;

/* Adds a notice of kind ("password_reset") for user_id, caused by by_user (0: the command line), at `at`.
 * Call inside the caller's transaction. Returns a DB code. */
int notice_add(Db *db, int64_t user_id, const char *kind, int64_t by_user, int64_t at);

/* The undismissed notices of user_id, oldest first, into an arena array. Returns a DB code. */
int notices_open(Db *db, Arena *a, int64_t user_id, Notice **out, size_t *n);

/* Dismisses notice id of user_id. Returns a DB code; DB_DONE when it is not an open notice of that user. */
int notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now);

/* The tables of notices a user dismisses one by one. */
typedef enum NoticeTable { NOTICES_ACCOUNT, NOTICES_PLACEMENT, NOTICES_PROPOSAL } NoticeTable;

/* Dismisses open notice id of user_id in table t. Returns a DB code; DB_DONE when it is not an open notice of
 * that user. */
int notice_row_dismiss(Db *db, NoticeTable t, int64_t user_id, int64_t id, int64_t now);

/* Adds a notice of event about subject_id (a placement or a proposal, by t) of trajectory tid for user_id, at
 * `at`. Inside the caller's transaction. Returns a DB code; DB_ERROR for NOTICES_ACCOUNT (use notice_add). */
int notice_event_add(Db *db, NoticeTable t, int64_t user_id, int64_t tid, int64_t subject_id, const char *event,
                     int64_t at);

#endif

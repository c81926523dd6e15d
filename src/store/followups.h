/*
 * followups.h — follow-up moments of a trajectory and the results of its check-ins.
 *
 * A follow-up moment (review, evaluation talk with the employer, check-in after the return to work) is case
 * information: an items row (kind 'followup', category practical, the participant as source party) with a
 * followups row holding its date, whether it took place and, for a check-in, how many months after the
 * return to work it lies. What a check-in found is a result of its own: an items row (kind 'checkin',
 * category work, the participant as source party, the coach's remark as body) with a checkin_results row
 * holding the work status and the hours a week, in a form reports can count ("still at work at 3, 6 and 12
 * months"). Check-ins are the one part of a trajectory that goes on after closure (the aftercare), so none of
 * these functions looks at the trajectory's status: the pages decide.
 */
#ifndef ZW_STORE_FOLLOWUPS_H
#define ZW_STORE_FOLLOWUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One follow-up moment; texts in the arena (done_on NULL while open, note "" when none). */
typedef struct Followup {
  int64_t id;      /* the item id */
  int months;      /* a check-in's months after the return to work; 0 unknown or not a check-in */
  const char *kind; /* "review", "evaluation" or "checkin" */
  const char *due_on, *done_on, *note;
} Followup;

/* A new follow-up moment. */
typedef struct FollowupNew {
  int64_t trajectory_id, author_id, created_at;
  const char *kind, *due_on, *note; /* due_on YYYY-MM-DD; note may be NULL */
  int months;                       /* 0: none */
} FollowupNew;

/* Creates one follow-up moment (item and followups row) inside the caller's transaction; writes its id.
 * Returns a DB code. */
int followup_create(Db *db, const FollowupNew *n, int64_t *id);

/* Plans one check-in per month count of the comma-separated list months (e.g. "3,6,12"; counts outside
 * 1..120 are skipped, at most 12 are planned) that many months after day `back` (a day number), inside the
 * caller's transaction. The check-ins carry their month count and no note: a page says "3 months after
 * return to work" in the reader's language. Writes how many were planned into *made. Returns a DB code. */
int followups_plan_checkins(Db *db, Arena *a, int64_t tid, int64_t author_id, int32_t back, const char *months,
                            int64_t now, int *made);

/* Whether trajectory tid is open (status 'open') into *open; false also when there is no such trajectory.
 * Returns a DB code. */
int followups_trajectory_open(Db *db, int64_t tid, bool *open);

/* Whether trajectory tid has any check-in planned (done or not) into *any. Returns a DB code. */
int followups_checkins_planned(Db *db, int64_t tid, bool *any);

/* The follow-up moments of trajectory tid that u may see (the one door's SQL filter; today YYYY-MM-DD), by
 * date, at most max, into an arena array. Returns a DB code. */
int followups_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Followup **out,
                      int *n);

/* Follow-up fid of trajectory tid into *out (texts in the arena): DB_ROW, DB_DONE when tid has no such
 * moment, or a DB error code. Asks nothing about the reader: for an assigned coach only. */
int followup_get(Db *db, Arena *a, int64_t tid, int64_t fid, Followup *out);

/* Marks follow-up fid of trajectory tid done on day `on` (YYYY-MM-DD) by user, inside the caller's
 * transaction. Returns DB_OK, DB_DONE when it is not an open moment of tid (done already, or another
 * trajectory's), or a DB error code. */
int followup_mark_done(Db *db, int64_t tid, int64_t fid, const char *on, int64_t user_id);

/* Work status codes of a check-in result, NULL-terminated. */
extern const char *const checkin_work_statuses[];

/* One check-in result; texts in the arena. */
typedef struct CheckinResult {
  int64_t id, followup_id; /* the result's item id; the check-in it answers */
  int64_t hours_tenths;    /* hours a week, in tenths */
  const char *work_status, *held_on, *remark;
} CheckinResult;

/* A check-in's result to record. */
typedef struct CheckinNew {
  int64_t trajectory_id, followup_id, author_id, created_at;
  const char *work_status; /* one of checkin_work_statuses */
  int64_t hours_tenths;    /* 0..600 */
  const char *held_on;     /* YYYY-MM-DD */
  const char *remark;      /* may be NULL or "" */
} CheckinNew;

/* Records the result of check-in n->followup_id of trajectory n->trajectory_id inside the caller's
 * transaction: the result item (kind 'checkin', category work, body the remark), its checkin_results row,
 * and the check-in marked done on the day it was held. Writes the result's item id. Returns DB_OK, DB_DONE
 * when the moment is not an open check-in of that trajectory (nothing written then, but the caller must
 * still roll back), or a DB error code. */
int checkin_record(Db *db, const CheckinNew *n, int64_t *id);

/* The check-in results of trajectory tid that u may see (the one door's SQL filter on the result item),
 * into an arena array (at most max). Returns a DB code. */
int checkin_results_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            CheckinResult **out, int *n);

/* ---- (issue 11): the participant's start page */

/* The first follow-up moment of trajectory tid not done and due on or after today that u may see
 * (POLICY_SQL_ITEM_VISIBLE), earliest first, into *out: DB_ROW, DB_DONE when there is none, or a DB error
 * code. Only id, kind and due_on are loaded. */
int followup_next_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, Followup *out);

#endif

/*
 * caseload.h — the coach's own trajectories as lists: the caseload's filtered, sorted pages and their phase
 * counts (/caseload), and the coach's day (/dashboard): the open caseload, the follow-up moments due by a
 * date, and the open referrals (the open actions of the current plans: plan_actions_open_due, store/plan.h).
 *
 * Every function takes the reader and reads only the trajectories reached through POLICY_SQL_COACH_JOIN for
 * that user (their own, and those of a coach they stand in for today); an assigned coach sees all of a
 * trajectory, so no per-item filter applies. The caller writes the access-log entry of every participant it
 * shows. Texts are copied into the arena given; the rows of one trajectory share its participant's name.
 * Every function returns a DB code (DB_OK, or the error of the statement).
 */
#ifndef ZW_STORE_CASELOAD_H
#define ZW_STORE_CASELOAD_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* ---- the caseload list ---- */

/* The orders of the list. */
typedef enum CaseloadSort {
  CASELOAD_BY_ACTIVITY, /* last activity, newest first */
  CASELOAD_BY_NAME,     /* last name, first name */
  CASELOAD_BY_PHASE,    /* phase in protocol order, longest in the phase first */
  CASELOAD_BY_START,    /* start date, newest first */
  CASELOAD_SORTS
} CaseloadSort;

/* What the list shows. */
typedef struct CaseloadQuery {
  const char *search; /* text to find in the first name, last name or both ("" for none); matched literally */
  const char *phase;  /* a phase code, or "" for every phase (the phase counts ignore it) */
  const char *status; /* "open", "closed" or "all" */
  CaseloadSort sort;
} CaseloadQuery;

/* The number of trajectories in one phase. */
typedef struct CaseloadPhaseCount {
  const char *phase;
  int64_t n;
} CaseloadPhaseCount;

enum { CASELOAD_PHASES_MAX = 16 };

/* The number of u's trajectories per phase that match q (phase filter not applied), at most
 * CASELOAD_PHASES_MAX phases, into *out (arena array) and *n. */
int caseload_phase_counts(Db *db, Arena *a, const User *u, const CaseloadQuery *q, CaseloadPhaseCount **out,
                          int *n);

/* A trajectory of the list. next_due: the day the next thing is due ("YYYY-MM-DD"), NULL when nothing is
 * planned: the open action of the current plan or the follow-up moment not done that is due first (the
 * action when both fall on one day; a closed trajectory has only its check-ins). For an action next_what is
 * its text and next_kind NULL; for a follow-up moment next_kind is its kind code and next_what "". */
typedef struct CaseloadRow {
  int64_t id, participant_id, last_activity_at;
  const char *first_name, *last_name, *phase, *phase_since, *started_on;
  const char *employer; /* the employer organisation's name or the name typed at registration; may be NULL */
  const char *next_due, *next_what, *next_kind;
} CaseloadRow;

/* At most limit of u's trajectories matching q, in q's order, from offset, into *out (arena array of limit
 * rows) and *n. */
int caseload_list(Db *db, Arena *a, const User *u, const CaseloadQuery *q, int limit, int64_t offset,
                  CaseloadRow **out, int *n);

/* ---- the coach's day ---- */

/* A line of the coach's day: a trajectory, its participant, and what is due or open. Which fields are
 * filled depends on the list (see each function). */
typedef struct DayRow {
  int64_t tid, pid;
  const char *first_name, *last_name;
  const char *phase;  /* caseload_open */
  int64_t at;         /* last activity (caseload_open), status change (caseload_open_referrals) */
  const char *what;   /* the follow-up's kind code, the referral's target */
  const char *due_on; /* YYYY-MM-DD: follow-up moments */
  const char *status; /* the trajectory's status (follow-ups), the referral's status (referrals) */
  int months;         /* a check-in's months after the return to work (0: not recorded) */
} DayRow;

/* u's open trajectories (phase, at = last_activity_at), in no particular order. */
int caseload_open(Db *db, Arena *a, const User *u, DayRow **out, int *n);

/* The follow-up moments not done and due on or before `by` of u's trajectories: those of open trajectories
 * and the check-ins of closed ones (aftercare): what = the kind code, due_on, status = the trajectory's,
 * months. Rows come per trajectory. */
int caseload_followups_due(Db *db, Arena *a, const User *u, const char *by, DayRow **out, int *n);

/* The referrals under way (proposed, sent or accepted) of u's trajectories: what = the target, status, at =
 * the status change. Rows come per trajectory. */
int caseload_open_referrals(Db *db, Arena *a, const User *u, DayRow **out, int *n);

/* Sets trajectory tid's next_action and next_followup (migration 034) from its plan actions and follow-ups:
 * call it in the transaction of every change of a plan action, a follow-up or the trajectory's status.
 * Returns DB_OK or the error. */
int caseload_next_refresh(Db *db, int64_t tid);

/* The same for every trajectory (after bulk writes: the demo data). */
int caseload_next_refresh_all(Db *db);

#endif

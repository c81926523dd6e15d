/*
 * trajectories.h — a trajectory with its participant as one struct, mapped from its row in one place, and
 * the summaries the trajectory's overview shows (next actions, open referrals, latest notes, the plan's
 * confirmation state).
 *
 * Nothing here decides who may open a trajectory: the caller has asked the one door (policy_trajectory)
 * first. The summaries that list case items take the reader and filter with POLICY_SQL_ITEM_VISIBLE (and
 * name network members only through POLICY_SQL_MEMBER_VISIBLE); the caller still logs each item shown.
 * All texts are copied into the arena given.
 */
#ifndef ZW_STORE_TRAJECTORIES_H
#define ZW_STORE_TRAJECTORIES_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One trajectory and its participant. Optional texts are NULL when not recorded. */
typedef struct Trajectory {
  int64_t id, participant_id, last_activity_at;
  const char *first_name, *last_name, *birth_date;
  const char *email, *phone; /* contact details entered at registration */
  const char *phase, *status, *phase_since, *started_on, *closed_on, *outcome;
  const char *referred_by, *reason, *employer, *absence_start, *start_consent;
  const char *programme; /* "zorg_en_werk" or "werk_als_beste_zorg" (migration 026) */
} Trajectory;

/* Loads trajectory id with its participant into *t. Returns DB_ROW when found, DB_DONE when there is no such
 * trajectory, or a DB error code. */
int trajectory_get(Db *db, Arena *a, int64_t id, Trajectory *t);

/* The names of the coaches assigned to trajectory id, by name, as an arena array of at most max names.
 * Returns a DB code; *n may be 0. */
int trajectory_coach_names(Db *db, Arena *a, int64_t id, int max, const char ***names, int *n);

/* Whether trajectory id is closed (its status is not 'open') into *closed; false when there is no such
 * trajectory. Returns a DB code. */
int trajectory_is_closed(Db *db, int64_t id, bool *closed);

/* The programme code of trajectory id (i18n/programme.h) into *code (static text; NULL when there is no such
 * trajectory or none is recorded): one column, for the pages that only need the programme's words. Returns a
 * DB code. */
int trajectory_programme(Db *db, int64_t id, const char **code);

/* Marks trajectory id's last activity at unix time `at` (inside the caller's transaction, with the change
 * it records). Returns a DB code. */
int trajectory_touch(Db *db, int64_t id, int64_t at);

/* An open action of the trajectory's current plan. owner_name is NULL for the participant and the coach and
 * for a member the reader may not see (policy_member_visible); owner_hidden tells the last case apart. */
typedef struct NextAction {
  int64_t plan_item_id; /* the plan version (items.id) the action belongs to */
  const char *text, *due_on, *status, *owner_kind, *owner_name;
  bool owner_hidden, owner_removed;
} NextAction;

/* The open actions (planned or in progress) of trajectory tid's current plan that user u may see — the plan
 * version's item passes POLICY_SQL_ITEM_VISIBLE for u on date today (YYYY-MM-DD) — earliest due first, at
 * most max. Returns a DB code. */
int trajectory_next_actions(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NextAction **out, int *n);

/* An open referral (proposed, sent or accepted). */
typedef struct OpenReferral {
  int64_t id, status_changed_at; /* id: items.id */
  const char *kind, *target, *status;
} OpenReferral;

/* The open referrals of trajectory tid that u may see (POLICY_SQL_ITEM_VISIBLE), newest first, at most max.
 * Returns a DB code. */
int trajectory_open_referrals(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                              OpenReferral **out, int *n);

/* A note as a line of a list. */
typedef struct NoteLine {
  int64_t id, created_at; /* id: items.id */
  const char *title, *category;
} NoteLine;

/* The latest notes of trajectory tid that u may see (POLICY_SQL_ITEM_VISIBLE), newest first, at most max.
 * Returns a DB code. */
int trajectory_latest_notes(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NoteLine **out, int *n);

/* The confirmation state of a plan version: unix seconds of each confirmation, 0 when not confirmed. */
typedef struct PlanState {
  int64_t item_id, version, participant_at, coach_at; /* item_id 0: no version u may see */
} PlanState;

/* The newest plan version of trajectory tid that u may see (POLICY_SQL_ITEM_VISIBLE) and its confirmations
 * into *s (item_id 0 when there is none). Returns a DB code. */
int trajectory_plan_state(Db *db, const User *u, int64_t tid, const char *today, PlanState *s);

/* ---- registration (doc/DOMAIN.md "Registration"): a new participant with a trajectory ---- */

/* A registration to write. Optional texts NULL: not given. */
typedef struct RegistrationNew {
  int64_t user_id; /* the participant's account; 0: none (the usual case: an invitation makes it later) */
  const char *first_name, *last_name, *birth_date, *email, *phone;
  const char *phase; /* the trajectory's phase code; NULL: "registration" */
  const char *referred_by, *reason, *start_consent;
  int64_t employer_org_id;                    /* 0: none from the list */
  const char *employer_name, *absence_start;  /* employer_name: an employer not in the list */
  const char *started_on, *phase_since;       /* YYYY-MM-DD */
  int64_t coach_id;                           /* who registers: creator of both rows and the trajectory's coach */
  int64_t created_at, last_activity_at;
  const char *programme; /* "zorg_en_werk" or "werk_als_beste_zorg"; NULL: the installation's (default template) */
  int64_t template_id;   /* the protocol template it follows; 0: the default template */
} RegistrationNew;

/* Writes the participant of n, their open trajectory and its coach assignment; *pid and *tid get the new
 * ids. Call inside the caller's transaction (and write the access-log entry in it). Returns DB_OK;
 * DB_CONSTRAINT when a participant with the same name and date of birth exists (participants_identity: roll
 * back, participant_find_identity tells which); or a DB error code. */
int registration_create(Db *db, const RegistrationNew *n, int64_t *pid, int64_t *tid);

/* An employer a registration may name: an active employer organisation. */
typedef struct RegistrationEmployer {
  int64_t id;
  const char *name;
} RegistrationEmployer;

/* The active employers by name into an arena array. Returns a DB code. */
int registration_employers(Db *db, Arena *a, RegistrationEmployer **out, size_t *n);

/* ---- (issue 11): the start pages of the participant (/me) and the partner (/shared) */

/* The latest diary notes user u wrote in trajectory tid as its participant (kind 'note', u the author, no
 * network member as source) that u may see (POLICY_SQL_ITEM_VISIBLE), newest first, at most max. Returns a
 * DB code. */
int trajectory_own_notes(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, NoteLine **out,
                         int *n);

/* An open trajectory a partner is a live network member of. */
typedef struct SharedTrajectory {
  int64_t id, participant_id;
  int64_t visible; /* items of the trajectory u may see (POLICY_SQL_ITEM_VISIBLE), so the count leaks nothing */
  const char *first_name, *last_name, *phase;
} SharedTrajectory;

/* The open trajectories u is a live network member of, by the participant's name, into an arena array.
 * Decides nothing about opening them: the caller asks policy_trajectory for each. Returns a DB code. */
int trajectories_shared_with(Db *db, Arena *a, const User *u, const char *today, SharedTrajectory **out, int *n);

#endif

/*
 * corrections.h — requests of a participant to correct information about them (GDPR art. 16), as a task
 * for the trajectory's coach: asked with a text (and the item concerned, when named), answered by the coach,
 * who marks the request handled. Table correction_requests (migration 031).
 *
 * Nothing here decides who may read or answer: the pages ask the one door first (the participant their
 * own trajectory, the coach as an assigned coach). Texts are copied into the arena; every function returns
 * a DB code.
 */
#ifndef ZW_STORE_CORRECTIONS_H
#define ZW_STORE_CORRECTIONS_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

enum { CORRECTION_TEXT_MAX = 4000 }; /* characters of a request or an answer */

/* One request. handled_at 0: still open. item_title: the title of the item concerned, NULL when none. */
typedef struct Correction {
  int64_t id, trajectory_id, participant_id, item_id, created_at, handled_at;
  const char *request, *answer, *handled_by, *item_title;
  const char *first_name, *last_name; /* the participant (coach's list) */
} Correction;

/* Records a request by user `by` about trajectory tid (item_id 0: none named) at `at`, inside the caller's
 * transaction; the new id into *id. */
int correction_create(Db *db, int64_t tid, int64_t item_id, int64_t by, const char *request, int64_t at, int64_t *id);

/* The requests of trajectory tid (only those by user `by` when by is not 0), newest first, at most max: arena
 * array. */
int corrections_of_trajectory(Db *db, Arena *a, int64_t tid, int64_t by, int max, Correction **out, int *n);

/* Request id of trajectory tid into *out: DB_ROW, DB_DONE when tid has no such request, or a DB error. */
int correction_get(Db *db, Arena *a, int64_t tid, int64_t id, Correction *out);

/* Marks request id handled by user `by` with answer at `at`, inside the caller's transaction. DB_OK, or
 * DB_DONE when it was handled already (nothing changed). */
int correction_answer(Db *db, int64_t id, int64_t by, const char *answer, int64_t at);

/* The open requests in the trajectories coach u has coach grounds on (POLICY_SQL_COACH_JOIN), oldest first, at
 * most max: arena array with the participants' names. */
int corrections_open_for_coach(Db *db, Arena *a, const User *u, int max, Correction **out, int *n);

#endif

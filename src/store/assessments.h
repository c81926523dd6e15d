/*
 * assessments.h — filled-in questionnaires of a trajectory (first-line assessment): one struct per row, the
 * list as the reader may see it, one result, and the write.
 *
 * A filled-in questionnaire is case information: an items row (kind 'assessment', the participant as source
 * party, the category of its definition) with an assessments row holding the definition's id and version,
 * the answers and the scores (JSON texts written by src/assess/questionnaire.c), and who filled it in
 * ('participant', or 'coach' entering it on the participant's behalf). Lists take the reader and filter with
 * POLICY_SQL_ITEM_VISIBLE; the name of the user who entered a result is given only as the membership rule
 * allows (POLICY_SQL_USER_VISIBLE). All texts are copied into the arena given.
 */
#ifndef ZW_STORE_ASSESSMENTS_H
#define ZW_STORE_ASSESSMENTS_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One stored result. answers is NULL in lists (only assessment_get reads it); entered_by is the name of the
 * user who stored it, NULL when the membership rule withholds it, "" when there is none. */
typedef struct Assessment {
  int64_t id, created_at; /* id: items.id */
  int version;
  const char *questionnaire, *answers, *scores, *filled_by, *entered_by;
} Assessment;

/* The results of trajectory tid that u may see on day today (YYYY-MM-DD), oldest first, at most max, into an
 * arena array. Returns a DB code; *n may be 0. */
int assessments_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                        Assessment **out, int *n);

/* Result aid of trajectory tid, with its answers, into *out: DB_ROW, DB_DONE when tid has no such result, or
 * a DB error code. Does not decide whether u may see it (the caller asked policy_item); u names the person
 * who entered it as the membership rule allows. */
int assessment_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t aid, Assessment *out);

/* A result to store. category: the definition's category; filled_by "participant" or "coach". */
typedef struct AssessmentNew {
  int64_t trajectory_id, author_id, created_at;
  int version;
  const char *questionnaire, *title, *category, *answers, *scores, *filled_by;
} AssessmentNew;

/* Stores a result (its item and its assessments row) inside the caller's transaction; writes its item id.
 * Returns a DB code. */
int assessment_create(Db *db, const AssessmentNew *n, int64_t *id);

#endif

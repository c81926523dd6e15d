/*
 * matching.h — what matching a participant with openings reads (issue 13, part 4): the open openings as
 * the scoring needs them, the details of the few shown, and the job profiles an opening is matched against.
 * The scoring itself is render/match.c (pure); the page puts the two together.
 *
 * Openings are not case information: coaches, team leads and administrators read every opening; an
 * employer's user only their own employer's (the rule of store/openings.h, applied inside). Job profiles
 * are: matching_profiles_open returns the wishes of every open trajectory for counting only — the caller
 * names a participant only where matching_own_candidates (POLICY_SQL_COACH_JOIN) says the reader is their
 * coach, and shows the others as counts.
 */
#ifndef ZW_STORE_MATCHING_H
#define ZW_STORE_MATCHING_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One open opening as the scoring reads it. Texts are valid only during the callback (not copied); title
 * and tasks are NULL unless asked for. hours_min -1: none. */
typedef struct MatchRow {
  int64_t id;
  const char *work_kind, *region, *title, *tasks;
  int hours_min, hours_max;
  unsigned support;
} MatchRow;

/* Calls cb for every opening u may read that is open on day today (status 'open', not ended before today);
 * with_texts: also read title and tasks (for tasks to avoid). Returns a DB code (the first error stops). */
int matching_scan(Db *db, const User *u, const char *today, bool with_texts, void (*cb)(const MatchRow *row, void *ctx),
                  void *ctx);

/* One opening as the matches page lists it (texts in the arena; starts_on NULL when not given). */
typedef struct MatchOpeningInfo {
  int64_t id, employer_org_id;
  const char *title, *kind, *work_kind, *region, *employer_name, *starts_on, *tasks, *status;
  int hours_min, hours_max;
  unsigned support;
} MatchOpeningInfo;

/* Opening id as u may read it into *out: DB_ROW, or DB_DONE when missing or not u's to read. */
int matching_opening(Db *db, Arena *a, const User *u, int64_t id, MatchOpeningInfo *out);

/* The wishes of one job profile, for counting (texts in the arena). own: the reader is a coach of it. */
typedef struct MatchProfileRow {
  int64_t trajectory_id;
  const char *kinds, *regions, *avoid;
  int hours_now, hours_goal;
  unsigned support;
} MatchProfileRow;

/* The job profiles of every open trajectory, at most max, into an arena array. Returns a DB code. */
int matching_profiles_open(Db *db, Arena *a, int max, MatchProfileRow **out, int *n);

/* The open trajectories the coach u has coach grounds on (POLICY_SQL_COACH_JOIN) that have a job profile:
 * trajectory and participant ids and names, at most max, into arena arrays. Returns a DB code. */
typedef struct MatchOwn {
  int64_t trajectory_id, participant_id;
  const char *first_name, *last_name;
} MatchOwn;
int matching_own_candidates(Db *db, Arena *a, const User *u, int max, MatchOwn **out, int *n);

#endif

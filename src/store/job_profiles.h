/*
 * job_profiles.h — the participant's job profile (issue 13, part 3): what work they wish for and can do, in
 * their own words and the coach's, one per trajectory, mapped from its row into one struct in one place.
 *
 * The profile's parts are case information of the participant (doc/DOMAIN.md, "Information and consent"):
 * two items rows of kind 'job_profile', one of category 'work' (kinds of work in order of preference, hours
 * now and aimed for, regions and travel time, and the participant's own words about work) and one of
 * category 'capacity' (tasks to avoid, support that helps, the participant's own words about what they can
 * do). The items carry the participant's own words as their body; the structured wishes and the coach's
 * words of a category are part of that category's item: the caller shows them only where the one door lets
 * the reader see that item (items_disclose). Nothing here decides who may read or write. All texts are
 * copied into the arena given.
 */
#ifndef ZW_STORE_JOB_PROFILES_H
#define ZW_STORE_JOB_PROFILES_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

enum {
  JOB_KINDS_MAX = 16,     /* kinds of work in one profile */
  JOB_REGIONS_MAX = 12,   /* regions in one profile */
  JOB_AVOID_MAX = 12,     /* tasks to avoid in one profile */
  JOB_WORDS_MAX = 4000,   /* characters of one text in someone's own words */
  JOB_LINE_MAX = 80,      /* characters of one region or task to avoid */
  JOB_HOURS_MAX = 60,     /* hours a week */
  JOB_TRAVEL_MAX = 240,   /* minutes of travel */
};

/* One job profile. Numbers are -1 when not recorded. kinds: comma-separated work-kind keys in order of
 * preference ("" none); regions and avoid: one per line ("" none); support: SUPPORT_* bits (openings.h). */
typedef struct JobProfile {
  int64_t id, trajectory_id, work_item_id, capacity_item_id, updated_at;
  const char *kinds, *regions, *avoid;
  int hours_now, hours_goal, max_travel_min;
  unsigned support;
  const char *own_work, *own_capacity;     /* the participant's own words (the items' bodies) */
  const char *coach_work, *coach_capacity; /* the coach's words */
  const char *updated_by;                  /* name of who saved last */
} JobProfile;

/* The profile of trajectory tid into *out: DB_ROW, DB_DONE when there is none, or a DB error code. */
int job_profile_get(Db *db, Arena *a, int64_t tid, JobProfile *out);

/* What an assigned coach saves: the structured wishes and the coach's words. Numbers -1: not recorded. */
typedef struct JobProfileCoach {
  const char *kinds, *regions, *avoid, *coach_work, *coach_capacity;
  int hours_now, hours_goal, max_travel_min;
  unsigned support;
} JobProfileCoach;

/* Saves c as the profile of trajectory tid by user `by` at `now`, creating the profile (with its two items,
 * authored by `by`) when there is none. expected: the updated_at the editor started from (0: a new profile);
 * when the stored profile changed since, nothing is written and DB_DONE is returned (a concurrent edit).
 * Call inside the caller's transaction; writes the profile id into *id. Returns DB_OK, DB_DONE or a DB error
 * code. */
int job_profile_save_coach(Db *db, int64_t tid, int64_t by, int64_t now, int64_t expected, const JobProfileCoach *c,
                           int64_t *id);

/* Saves the participant's own words (work, capacity) for trajectory tid, as job_profile_save_coach does
 * (created when missing, DB_DONE on a concurrent edit). Call inside the caller's transaction. */
int job_profile_save_own(Db *db, int64_t tid, int64_t by, int64_t now, int64_t expected, const char *work,
                         const char *capacity, int64_t *id);

/* The profile's items of trajectory tid that u may see on day today (POLICY_SQL_ITEM_VISIBLE): *work_item and
 * *capacity_item are their ids, or 0 for a part u may not see (both 0 when there is no profile). The caller
 * still discloses them (items_disclose). Returns a DB code. */
int job_profile_parts_visible(Db *db, const User *u, int64_t tid, const char *today, int64_t *work_item,
                              int64_t *capacity_item);

/* The newest strengths-inventory result of trajectory tid that u may see on day today (POLICY_SQL_ITEM_VISIBLE)
 * into *aid (its item id), or 0 when there is none. Returns a DB code. */
int job_profile_strengths(Db *db, const User *u, int64_t tid, const char *today, int64_t *aid);

#endif

/*
 * job_coaching.h — job coaching after a placement starts (issue 13, part 6; migration 029): contacts of the
 * coach with the participant and the employer, tapering off. When a placement starts, a schedule is proposed
 * (job_coaching_schedule: weekly for four weeks, fortnightly for eight weeks, then monthly); the coach adds,
 * records or cancels contacts. Each contact is case information: an items row (kind 'jobcoaching', category
 * work, the participant as source party, the note as its body) with a job_coaching_contacts row (planned
 * day, with whom, and once held: the day, the mode and the minutes). List functions filter with
 * POLICY_SQL_ITEM_VISIBLE; texts are copied into the arena; every function returns a DB code.
 */
#ifndef ZW_STORE_JOB_COACHING_H
#define ZW_STORE_JOB_COACHING_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

extern const char *const job_coaching_modes[]; /* visit, phone, online, office, email; NULL-terminated */
extern const char *const job_coaching_with[];  /* participant, employer, both */

/* The proposed schedule after a start on day `start` (a day number): the days of the contacts, into out (at
 * most max), as day numbers: weekly for 4 weeks, fortnightly for 8 weeks, then monthly up to 6 months after
 * the start. Returns how many. Pure. */
int job_coaching_schedule(int32_t start, int32_t *out, int max);

typedef struct JobContact {
  int64_t id, placement_id; /* id: the item id */
  const char *due_on, *with_whom, *held_on, *mode, *note; /* held_on, mode NULL while planned */
  int64_t minutes;
  bool cancelled;
} JobContact;

typedef struct JobContactNew {
  int64_t trajectory_id, placement_id, author_id, created_at;
  const char *due_on, *with_whom;
} JobContactNew;

/* Plans one contact inside the caller's transaction; writes its item id. */
int job_contact_plan(Db *db, const JobContactNew *n, int64_t *id);

/* Records contact id of trajectory tid as held on day held_on with mode, minutes and note (the item's body),
 * inside the caller's transaction. DB_DONE when it is not an open contact of tid. */
int job_contact_record(Db *db, int64_t tid, int64_t id, const char *held_on, const char *mode, int64_t minutes,
                       const char *note, int64_t by, int64_t now);

/* Cancels open contact id of trajectory tid. DB_DONE when it is not an open contact of tid. */
int job_contact_cancel(Db *db, int64_t tid, int64_t id, int64_t now);

/* The contacts of placement pl that u may see on day today, by day, at most max, into an arena array. */
int job_contacts_visible(Db *db, Arena *a, const User *u, int64_t pl, const char *today, int max, JobContact **out,
                         int *n);

/* Contact id of trajectory tid into *out (no reader check): DB_ROW, DB_DONE when there is none. */
int job_contact_get(Db *db, Arena *a, int64_t tid, int64_t id, JobContact *out);

/* A contact due on the coach's day. */
typedef struct JobContactDue {
  int64_t tid, pid, id;
  const char *first, *last, *due_on, *with_whom;
} JobContactDue;

/* The open contacts due on or before horizon (YYYY-MM-DD) in the trajectories the coach u has coach grounds
 * on (POLICY_SQL_COACH_JOIN), at most max, unsorted, into an arena array. One query starting from the
 * coach's assignments, then the partial index job_coaching_open per trajectory. */
int job_contacts_due(Db *db, Arena *a, const User *u, const char *horizon, int max, JobContactDue **out, int *n);

#endif

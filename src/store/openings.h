/*
 * openings.h — openings (issue 13, part 2): jobs and work-experience places an employer offers, with title,
 * tasks, hours a week (hours_min optional, hours_max required), region, requirements, the support possible
 * (SUPPORT_* bits of store/employers.h), from/until and a status open/filled/withdrawn. work_kind is one of
 * the fixed keys below (labels in pages/jobwords.h), so matching can compare it with a participant's wishes.
 *
 * Visibility is applied inside, as for employers (store/employers.h): coaches, team leads and administrators
 * read every opening; a partner of an employer only their own employer's; anyone else none. Who may write
 * is policy (policy/employers_policy.h). Texts are copied into the arena given; every function returns a DB
 * code (loads: DB_ROW or DB_DONE).
 */
#ifndef ZW_STORE_OPENINGS_H
#define ZW_STORE_OPENINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"
#include "store/employers.h"

/* The kinds of work, a fixed list; work_kind_keys[k] is the stored key of kind k. */
typedef enum WorkKind {
  WK_ADMINISTRATION,
  WK_CARE,
  WK_CLEANING,
  WK_CONSTRUCTION,
  WK_EDUCATION,
  WK_GREEN,
  WK_HOSPITALITY,
  WK_ICT,
  WK_LOGISTICS,
  WK_PRODUCTION,
  WK_RETAIL,
  WK_TRANSPORT,
  WK_OTHER,
  WORK_KIND_COUNT
} WorkKind;
extern const char *const work_kind_keys[WORK_KIND_COUNT];
/* The kind of key, or -1 when key is not one (also NULL). Pure. */
int work_kind_from_key(const char *key);

/* Opening kinds ('job', 'work_experience') and statuses ('open', 'filled', 'withdrawn'); NULL-terminated. */
extern const char *const opening_kinds[];
extern const char *const opening_statuses[];
bool opening_kind_valid(const char *s);
bool opening_status_valid(const char *s);

enum { OPENING_HOURS_MAX = 60 }; /* hours a week: 1 .. 60 */

typedef struct Opening {
  int64_t id, employer_org_id, created_by, created_at, updated_by, updated_at;
  const char *employer_name, *title, *kind, *work_kind, *tasks, *region, *requirements;
  const char *starts_on, *ends_on, *status; /* starts_on/ends_on: YYYY-MM-DD or NULL */
  const char *updated_by_name;              /* NULL: never edited */
  int hours_min, hours_max;                 /* hours_min 0: not given */
  int support;
} Opening;

/* Which openings to list: employer_org_id 0 any; status, work_kind NULL any; limit 0 means 500. */
typedef struct OpeningFilter {
  int64_t employer_org_id;
  const char *status, *work_kind;
  int limit;
} OpeningFilter;

/* What can be wrong with an opening's fields; pages/jobwords.h's opening_fault_text says it in words. */
typedef enum OpeningFault {
  OPENING_OK,
  OPENING_NO_TITLE,
  OPENING_BAD_KIND,
  OPENING_BAD_WORK_KIND,
  OPENING_NO_REGION,
  OPENING_HOURS_RANGE,     /* hours_max not 1..60, or hours_min given and not 1..60 */
  OPENING_HOURS_ORDER,     /* hours_min > hours_max */
  OPENING_BAD_START,
  OPENING_BAD_END,
  OPENING_END_BEFORE_START, /* ends_on not after starts_on */
  OPENING_BAD_STATUS,
} OpeningFault;

/* The first thing wrong with o's fields, or OPENING_OK: title, region required; kind, work_kind known;
 * hours_max 1..60, hours_min 0 (not given) or 1..hours_max; dates YYYY-MM-DD and ends_on after starts_on;
 * status NULL or known. Pure. */
OpeningFault opening_invalid(const Opening *o);

/* Opening id as u may read it into *out: DB_ROW, or DB_DONE when missing or not u's to read. */
int opening_load(Db *db, Arena *a, const User *u, int64_t id, Opening *out);

/* The openings u may read that pass f, newest first, into an arena array. */
int openings_list(Db *db, Arena *a, const User *u, const OpeningFilter *f, Opening **out, int *n);

/* Inserts o (employer_org_id .. ends_on; status 'open') created by u; writes the new id. The caller
 * validated o (opening_invalid) and checked u may write for the employer. */
int opening_insert(Db *db, const User *u, const Opening *o, int64_t now, int64_t *id);

/* Writes the fields of o (title .. ends_on, status) of opening o->id, with updated_by u. */
int opening_update(Db *db, const User *u, const Opening *o, int64_t now);

/* Sets the status of opening id ('open', 'filled', 'withdrawn'), with updated_by u. */
int opening_set_status(Db *db, const User *u, int64_t id, const char *status, int64_t now);

#endif

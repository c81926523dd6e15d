/*
 * placements.h — trial placements and job starts of a trajectory, their build-up of hours, the evaluation
 * talks with the employer, and the notices that tell the people following a trajectory that a placement
 * started, ended in a hire or stopped (migration 029; issue 13, part 5).
 *
 * A placement is case information: an items row (kind 'placement', category work, the participant as source
 * party) with a placements row. An evaluation talk is an items row of its own (kind 'placement_eval',
 * category work; the source party is the employer's member of the network for the employer's remarks, else
 * the participant) with a placement_evaluations row. The list functions take the reader and filter with
 * POLICY_SQL_ITEM_VISIBLE; the *_get functions ask nothing about the reader (the caller asked policy_item).
 * Every text is copied into the arena given; every function returns a DB code.
 */
#ifndef ZW_STORE_PLACEMENTS_H
#define ZW_STORE_PLACEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* Codes as stored, NULL-terminated. */
extern const char *const placement_kinds[];          /* trial, job */
extern const char *const placement_contract_types[]; /* permanent, fixed_term, temp_agency, other */
extern const char *const placement_stop_reasons[];   /* participant, employer, health, mismatch, other */
bool placement_code_in(const char *const *codes, const char *code);

/* One placement. ends_on, outcome, outcome_on, contract_type, stop_reason NULL when not set; opening_title
 * NULL without an opening; texts "" when empty. */
typedef struct Placement {
  int64_t id, trajectory_id, employer_org_id, opening_id; /* id: the item id; opening_id 0: none */
  const char *employer, *opening_title;
  const char *kind, *starts_on, *ends_on, *status;
  int64_t hours_tenths;
  const char *tasks, *buddy, *adjustments;
  const char *outcome, *outcome_on, *contract_type, *stop_reason, *stop_note;
  int64_t contract_hours_tenths;
} Placement;

/* One step of the build-up: from day from_on on, hours_tenths a week. */
typedef struct PlacementStep {
  const char *from_on;
  int64_t hours_tenths;
} PlacementStep;

enum { PLACEMENT_STEPS_MAX = 12 };

/* A new placement; steps (may be 0) are the build-up schedule. */
typedef struct PlacementNew {
  int64_t trajectory_id, author_id, created_at, employer_org_id, opening_id; /* opening_id 0: none */
  const char *kind, *starts_on, *ends_on;                                    /* ends_on NULL: open-ended */
  int64_t hours_tenths;
  const char *tasks, *buddy, *adjustments;
  const PlacementStep *steps;
  int nsteps;
} PlacementNew;

/* Creates the placement (item, placements row, build-up steps) inside the caller's transaction; writes its
 * id. */
int placement_create(Db *db, const PlacementNew *n, int64_t *id);

/* Changes dates, hours, agreements and build-up of placement id of trajectory n->trajectory_id (the steps
 * are replaced), inside the caller's transaction. DB_DONE when there is no such placement there. */
int placement_update(Db *db, int64_t id, const PlacementNew *n, int64_t by, int64_t now);

/* Whether another placement of trajectory tid (not except_id) overlaps the days starts_on..ends_on (ends_on
 * NULL: open-ended) into *overlap. A placement lasts from its start to its end, or to its outcome's day
 * when it ended, or for ever when it has neither. */
int placement_overlaps(Db *db, int64_t tid, const char *starts_on, const char *ends_on, int64_t except_id,
                       bool *overlap);

/* The placements of trajectory tid that u may see on day today, newest start first, at most max, into an
 * arena array. */
int placements_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Placement **out,
                       int *n);

/* Placement id of trajectory tid into *out: DB_ROW, DB_DONE when tid has no such placement. */
int placement_get(Db *db, Arena *a, int64_t tid, int64_t id, Placement *out);

/* The build-up steps of placement id, by day, into an arena array (at most PLACEMENT_STEPS_MAX). */
int placement_steps(Db *db, Arena *a, int64_t id, PlacementStep **out, int *n);

/* The opening's employer and most hours a week into *org_id and *hours_max (whole hours): DB_ROW, or
 * DB_DONE when there is no such opening. */
int placement_opening(Db *db, int64_t opening_id, int64_t *org_id, int64_t *hours_max);

/* Whether organisation org_id exists, is active and is an employer, into *ok; its name into *name. */
int placement_employer(Db *db, Arena *a, int64_t org_id, bool *ok, const char **name);

/* An employer organisation as a choice on the form. */
typedef struct PlacementEmployer {
  int64_t id;
  const char *name;
} PlacementEmployer;
/* The active employer organisations by name (at most max), into an arena array. */
int placement_employers(Db *db, Arena *a, int max, PlacementEmployer **out, int *n);

/* An open opening as a choice on the form: its title and employer. */
typedef struct PlacementOpening {
  int64_t id, org_id, hours_max;
  const char *title, *employer;
} PlacementOpening;
/* The open openings of active employers by employer and title (at most max), into an arena array. */
int placement_openings(Db *db, Arena *a, int max, PlacementOpening **out, int *n);

/* Marks placement id of trajectory tid started (from 'planned'). DB_DONE when it is not planned there. */
int placement_mark_started(Db *db, int64_t tid, int64_t id, int64_t by, int64_t now);

/* The outcome of a placement. */
typedef struct PlacementOutcome {
  const char *outcome, *on;            /* hired, extended, stopped; the day */
  const char *contract_type;           /* hired */
  int64_t contract_hours_tenths;       /* hired */
  const char *new_ends_on;             /* extended */
  const char *stop_reason, *stop_note; /* stopped */
} PlacementOutcome;

/* Records outcome o on placement id of trajectory tid (one that has not ended): hired and stopped end it,
 * extended moves its end to o->new_ends_on and keeps it running. DB_DONE when there is no such running
 * placement. */
int placement_set_outcome(Db *db, int64_t tid, int64_t id, const PlacementOutcome *o, int64_t by, int64_t now);

/* ---- evaluation talks with the employer */

typedef struct PlacementEval {
  int64_t id, placement_id; /* id: the item id */
  const char *held_on, *goes_well, *to_adjust, *decision;
  int64_t hours_next_tenths; /* -1: not said */
  bool employer_source;      /* the employer's member is the source party */
} PlacementEval;

typedef struct PlacementEvalNew {
  int64_t trajectory_id, placement_id, author_id, source_member_id, created_at; /* source 0: participant */
  const char *held_on, *goes_well, *to_adjust, *decision;
  int64_t hours_next_tenths; /* -1: not said */
} PlacementEvalNew;

/* Records an evaluation talk inside the caller's transaction; writes its item id. */
int placement_eval_create(Db *db, const PlacementEvalNew *n, int64_t *id);

/* The evaluations of placement pl that u may see on day today, by day, at most max, into an arena array. */
int placement_evals_visible(Db *db, Arena *a, const User *u, int64_t pl, const char *today, int max,
                            PlacementEval **out, int *n);

/* The live work-side members of trajectory tid (the candidates for the source of an evaluation), the ones
 * whose account belongs to organisation org_id first; ids and names into arena arrays (at most max). */
int placement_work_members(Db *db, Arena *a, int64_t tid, int64_t org_id, int max, int64_t **ids,
                           const char ***names, int *n);

/* Whether member mid is a live work-side member of trajectory tid, into *ok. */
int placement_work_member_ok(Db *db, int64_t tid, int64_t mid, bool *ok);

/* ---- events and notices */

/* The accounts that might be told about an event of trajectory tid: its coaches, the participant's account
 * and the accounts of its live network members, each once (at most max), into an arena array. The caller
 * keeps only those the one door lets see the placement. */
int placement_audience_candidates(Db *db, Arena *a, int64_t tid, int max, int64_t **uids, int *n);

/* Adds a notice of event ("started", "hired", "stopped") about placement pl of trajectory tid for user_id,
 * inside the caller's transaction. */
int placement_notice_add(Db *db, int64_t user_id, int64_t tid, int64_t pl, const char *event, int64_t at);

typedef struct PlacementNotice {
  int64_t id, trajectory_id, placement_id, at;
} PlacementNotice;

/* The undismissed placement notices of user_id, oldest first (at most max), into an arena array. */
int placement_notices_open(Db *db, Arena *a, int64_t user_id, int max, PlacementNotice **out, int *n);

/* Dismisses notice id of user_id; DB_DONE when it is not an open notice of that user. */
int placement_notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now);

#endif

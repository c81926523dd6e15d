/*
 * reports.h — the facts behind the outcome reports (/reports): one small record per trajectory that was
 * active in a year, with dates as day numbers, the coach and team it counts for, the outcome and hours at
 * closure, the check-ins after closure, the change in questionnaire scores and the time spent in
 * meetings. No names, no participant ids, no free text: the records only ever leave the page as
 * aggregates (policy/reports_policy.h decides which aggregates may be shown). The counting is done over
 * these records in memory, so that every figure and its suppression checks come from one read.
 *
 * Definitions (doc/DOMAIN.md "Evaluation"; README "Outcome reports"):
 * - registered: the trajectory's started_on (the day of registration);
 * - started: the first day it was in a phase after registration (phase history; the registration date
 *   for a trajectory registered directly in a later phase);
 * - the coach a trajectory counts for is its assigned coach with the lowest user id, the team is that
 *   coach's organisation;
 * - return to work: the closure of a trajectory with an outcome with work (kept or returned to own job,
 *   other function at the same employer, new employer);
 * - first employer contact: the first meeting held that is an evaluation talk or has a work-side
 *   attendee; time in the field: the minutes of evaluation talks and job coaching held in person.
 */
#ifndef ZW_STORE_REPORTS_H
#define ZW_STORE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* The closure outcomes in report order (codes as pages/protocol.c records them). NULL-terminated. */
extern const char *const report_outcomes[];
enum { REPORT_OUTCOMES = 8, REPORT_CHECKIN_MONTHS = 3 }; /* check-ins at 3, 6 and 12 months */
extern const int report_checkin_months[REPORT_CHECKIN_MONTHS];

typedef struct ReportFact {
  int64_t tid;                  /* internal: to join the per-trajectory reads; never shown */
  int64_t coach_id, team_id;    /* 0: no coach (or no organisation) */
  int32_t registered, started, closed, absence; /* day numbers (since 1970-01-01); 0: none */
  int32_t first_employer;       /* day of the first employer contact; 0: none */
  int outcome;                  /* index into report_outcomes; -1: not closed or unknown */
  int hours_tenths;             /* hours a week at closure in tenths; -1: not recorded */
  signed char at_work[REPORT_CHECKIN_MONTHS]; /* check-in result: 1 works, 0 does not, -1 no result */
  bool has_k10, has_was;        /* a first and a later score of the questionnaire */
  int k10_change10, was_change10; /* last minus first score, in tenths */
  int64_t minutes, field_minutes; /* meetings held */
} ReportFact;

typedef struct ReportCoach {
  int64_t id, team_id;
  const char *name;
  int64_t open_now; /* open trajectories the coach is assigned to today */
} ReportCoach;

typedef struct ReportTeam {
  int64_t id;
  const char *name;
} ReportTeam;

/* Reads into *factsand *n (arena arrays) every trajectory active at some day between from and to (day
 * numbers, inclusive): registered on or before `to`, and open or closed on or after `from`. Meetings count
 * when they began before now (unix seconds). u is the reader (a team lead or programme manager): the
 * records carry no case content, and the page decides on the scope. Returns a DB code; on failure *n is
 * 0. */
int reports_facts(Db *db, Arena *a, const User *u, int32_t from, int32_t to, int64_t now, ReportFact **facts,
                  int *n);

/* Every active coach with their team and today's open caseload, by name, into *coachesand *n (arena).
 * Returns a DB code. */
int reports_coaches(Db *db, Arena *a, const User *u, ReportCoach **coaches, int *n);

/* Every active coaching organisation (a team), by name, into *teamsand *n (arena). Returns a DB code. */
int reports_teams(Db *db, Arena *a, const User *u, ReportTeam **teams, int *n);

/* The score of scale `scale` in a stored scores JSON ("[{"scale":"total","score":23,...}]")
 * in tenths into *tenths; false when the scale is not there. Pure. */
bool reports_score_tenths(const char *scores, const char *scale, int *tenths);

#endif

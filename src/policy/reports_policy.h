/*
 * reports_policy.h — who may see which outcome report, and which figures of it may be shown.
 *
 * Reports are aggregates only (doc/DOMAIN.md "Evaluation"): a team lead sees their own team (the coaching
 * organisation of their account), a programme manager every team. No figure may single out a person:
 * - a count is shown only when it is at least REPORT_K (5); 0 is not shown either ("fewer than 5");
 * - a count under a filter (a month, a quarter, a team, a coach) is shown only when, for every wider
 *   selection the form allows (its quarter and year, its team, all teams), the difference with the same
 *   count there is 0 or at least REPORT_K, so that two reports cannot be subtracted into a small cell;
 * - in a table whose rows add up to a total that is shown, the hidden cells together are 0 or at least
 *   REPORT_K (more cells are hidden, the smallest first, else the total), so that the total minus the shown
 *   cells gives nothing away; the same for the reports of the months of a quarter (the quarters of a year,
 *   the coaches of a team, the teams) against the report of their total (pages/reports.c: count_of);
 * - an average or a percentage is shown only when it is computed over at least REPORT_K trajectories.
 */
#ifndef ZW_REPORTS_POLICY_H
#define ZW_REPORTS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"

enum { REPORT_K = 5 };

/* The selection of a report: a period (a year, or one quarter or month of it) and a unit (all teams, one
 * team, one coach). */
typedef struct ReportScope {
  int year;           /* e.g. 2026 */
  int quarter, month; /* 0: the whole year; at most one of them set */
  int64_t team_id;    /* 0: every team */
  int64_t coach_id;   /* 0: every coach of the unit */
  int64_t coach_team; /* the team of coach_id (set by the page) */
} ReportScope;

/* Whether u may open the reports at all (team lead or programme manager). Pure. */
bool policy_reports_allowed(const User *u);

/* Fixes the unit of *s for u: a team lead's reports are always their own team (u->org_id), whatever was
 * asked; a programme manager may choose any team. A coach outside the team is dropped. Pure. */
void policy_reports_scope(const User *u, ReportScope *s);

/* Whether u may read the open remarks of the experience surveys (the programme manager only). Pure. */
bool policy_reports_remarks(const User *u);

/* The first and last day (day numbers) of the period of s. Pure. */
void report_period_days(const ReportScope *s, int32_t *from, int32_t *to);

/* The wider selections of s (the selections the form allows that contain it, s itself excluded), into
 * out (room for 8); returns how many. Pure. */
int report_scope_wider(const ReportScope *s, ReportScope out[8]);

/* The first rule: whether a count n may be shown at all. Pure. */
bool policy_report_count_ok(int64_t n);

/* The second rule: whether count n of s may be shown, given the same count in each wider selection
 * (wider[i], as returned by report_scope_wider). Pure. */
bool policy_report_count_shown(int64_t n, const int64_t *wider, int nwider);

/* The third rule over one table: cells[0..n) are parts of total (shown unless *total_hidden); hidden[i] is
 * true for the cells already hidden by the first two rules. Hides more cells (the smallest shown first)
 * and, if that is not enough, the total (*total_hidden), until the total minus the shown cells is 0 or at
 * least REPORT_K. Pure. */
void policy_report_complement(const int64_t *cells, bool *hidden, int n, int64_t total, bool *total_hidden);

#endif

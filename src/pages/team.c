/*
 * team.c — the team lead's overview (/team): how the caseload is spread over the coaches and where the
 * trajectories are, as counts only. No names of participants and no case content: a team lead sees
 * case information only where they are also an assigned coach (and then through /caseload). The team
 * lead's route table also lists the assignment pages (assign.c: assign, second coach, hand-over,
 * stand-ins), which show the least needed to assign and log it per participant.
 */
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/assign.h"
#include "pages/pages.h"
#include "store/assignments.h"
#include "store/plan.h"
#include "store/team.h"

enum { MAX_COACHES = 50 }; /* coaches per page of the overview */

typedef TeamCoach CoachRow;

/* The coach's row in rows, or NULL (not a coach shown). */
static CoachRow *coach_row(CoachRow *rows, int n, int64_t coach) {
  for (int k = 0; k < n; k++)
    if (rows[k].id == coach) return &rows[k];
  return NULL;
}

/* The open actions of the current plans due within a week (or overdue; the one definition,
 * PLAN_SQL_ACTION_OPEN in store/plan.h) per coach shown, into actions_due[k]. */
static int actions_due(Req *r, CoachRow *rows, int n, int64_t *due) {
  char horizon[11];
  date_format(date_today() + 7, horizon);
  PlanDueAction *acts;
  int nacts;
  int rc = plan_actions_open_due(r->db, r->a, 0, horizon, &acts, &nacts);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < nacts; i++) {
    CoachRow *row = coach_row(rows, n, acts[i].coach_id);
    if (row) due[row - rows]++;
  }
  return DB_OK;
}

/* The team's figures: MAX_COACHES active coaches by name (after coach `after`; *more: there are more), with their trajectories per phase, open
 * and closed, and their day (follow-up moments due, trajectories without contact for cfg.no_contact_weeks,
 * open referrals, actions due), read for those coaches only (store/team.h); the totals are over the coaches
 * shown. Returns a DB code. */
static int team_load(Req *r, int64_t after, bool *more, CoachRow **rows, int *n, int64_t **due, int64_t totals[8],
                     int64_t *open_total, int64_t *closed_total) {
  int rc = team_coaches(r->db, r->a, after, MAX_COACHES, rows, n, more);
  if (rc != DB_OK) return rc;
  char horizon[11];
  date_format(date_today() + 7, horizon);
  rc = team_coach_counts(r->db, *rows, *n, horizon,
                         (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400, trajectory_phase_index);
  if (rc != DB_OK) return rc;
  for (int k = 0; k < *n; k++) {
    for (int i = 0; i < 8; i++) totals[i] += (*rows)[k].phase_open[i];
    *open_total += (*rows)[k].open;
    *closed_total += (*rows)[k].closed;
  }
  *due = arena_alloc(r->a, sizeof **due * (size_t)(*n ? *n : 1));
  memset(*due, 0, sizeof **due * (size_t)(*n ? *n : 1));
  return actions_due(r, *rows, *n, *due);
}

static int get_team(Req *r) {
  CoachRow *rows = NULL;
  int n = 0;
  int64_t totals[8] = {0}, open_total = 0, closed_total = 0, *due = NULL;
  int64_t after = query_int(r, "after", 0);
  bool more = false;
  int rc = team_load(r, after > 0 ? after : 0, &more, &rows, &n, &due, totals, &open_total, &closed_total);
  if (rc != DB_OK) return http_db_error(r, rc);

  team_page_begin(r, _("Team"), _("Team overview"), "team",
                  _("How the trajectories are spread over the coaches. Counts only: participants' information stays "
                    "with their coach."));
  table_begin(r, NULL, _("Open trajectories per coach and phase"));
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th>", _("Coach"));
  for (int i = 0; trajectory_phases[i]; i++) html(&r->out, "<th scope=\"col\">%s</th>", label_phase(trajectory_phases[i]));
  html(&r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>", _("Open"), _("Closed"));
  for (int k = 0; k < n; k++) {
    html(&r->out, "<tr><th scope=\"row\">%s</th>", rows[k].name);
    for (int i = 0; trajectory_phases[i]; i++) html(&r->out, "<td>%lld</td>", (long long)rows[k].phase_open[i]);
    html(&r->out, "<td>%lld", (long long)rows[k].open);
    if (rows[k].open > cfg.caseload_max)
      html(&r->out, " <span class=\"badge badge-warn\">%s</span>", _("above the maximum"));
    html(&r->out, "</td><td>%lld</td></tr>", (long long)rows[k].closed);
  }
  html(&r->out, "</tbody><tfoot><tr><th scope=\"row\">%s</th>", _("Total"));
  for (int i = 0; trajectory_phases[i]; i++) html(&r->out, "<td>%lld</td>", (long long)totals[i]);
  html(&r->out, "<td>%lld</td><td>%lld</td></tr></tfoot>", (long long)open_total, (long long)closed_total);
  table_end(r);
  table_begin(r, NULL, _("The coaches' day, as counts"));
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Coach"), _("Actions due this week or overdue"),
       _("Follow-up moments due"), _("No recent contact"), _("Open referrals"));
  for (int k = 0; k < n; k++)
    html(&r->out, "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>", rows[k].name,
         (long long)due[k], (long long)rows[k].followups_due, (long long)rows[k].quiet,
         (long long)rows[k].referrals);
  html(&r->out, "</tbody>");
  table_end(r);
  if (after > 0 || more) {
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
         arena_printf(r->a, P_("%d coach on this page; the totals are of these coaches.",
                               "%d coaches on this page; the totals are of these coaches.", n), n));
    if (after > 0) html(&r->out, "<a href=\"/team\">%s</a> ", _("First coaches"));
    if (more && n > 0) html(&r->out, "<a rel=\"next\" href=\"/team?after=%lld\">%s</a>", (long long)rows[n - 1].id,
                            _("Next coaches"));
    html(&r->out, "</nav>");
  }
  html(&r->out, "<p class=\"muted small\">%s %d.</p>",
       _("Supported-employment fidelity scales advise at most this many active trajectories per coach:"),
       cfg.caseload_max);
  page_end(r);
  return 200;
}

const Route team_routes[] = {
    {"GET", "/team", ROLE_TEAMLEAD, 0, get_team},
    {"GET", "/team/assign", ROLE_TEAMLEAD, R_CASE, get_assign_list},
    {"GET", "/team/assign/{id}", ROLE_TEAMLEAD, R_CASE, get_assign_one},
    {"POST", "/team/assign/{id}/coaches", ROLE_TEAMLEAD, R_CASE, post_assign_coach},
    {"POST", "/team/assign/{id}/handover", ROLE_TEAMLEAD, R_CASE, post_assign_handover},
    {"GET", "/team/standins", ROLE_TEAMLEAD, 0, get_standins},
    {"POST", "/team/standins", ROLE_TEAMLEAD, R_CASE, post_standin},
    {"POST", "/team/standins/{id}/cancel", ROLE_TEAMLEAD, R_CASE, post_standin_cancel},
    {0},
};

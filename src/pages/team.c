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

enum { MAX_COACHES = 200 };

typedef struct CoachRow {
  int64_t id;
  const char *name;
  int64_t per_phase[8], open, closed;
  int64_t actions_due, followups_due, quiet, referrals; /* the coach's day, as counts */
} CoachRow;

/* The coach's row in rows, or NULL (not an active coach). */
static CoachRow *coach_row(CoachRow *rows, int n, int64_t coach) {
  for (int k = 0; k < n; k++)
    if (rows[k].id == coach) return &rows[k];
  return NULL;
}

/* The coach's day per coach: open actions of the current plans due within a week (or overdue; the one
 * definition, PLAN_SQL_ACTION_OPEN in store/plan.h), follow-up moments due, trajectories without contact
 * for cfg.no_contact_weeks, open referrals. */
static int day_counts(Req *r, CoachRow *rows, int n) {
  char horizon[11];
  date_format(date_today() + 7, horizon);
  PlanDueAction *acts;
  int nacts;
  int rc = plan_actions_open_due(r->db, r->a, 0, horizon, &acts, &nacts);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < nacts; i++) {
    CoachRow *row = coach_row(rows, n, acts[i].coach_id);
    if (row) row->actions_due++;
  }
  TeamDayCount *days;
  int ndays;
  rc = team_day_counts(r->db, r->a, horizon, (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400,
                       &days, &ndays);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < ndays; i++) {
    CoachRow *row = coach_row(rows, n, days[i].coach_id);
    if (!row) continue;
    row->followups_due = days[i].followups_due;
    row->quiet = days[i].quiet;
    row->referrals = days[i].referrals;
  }
  return DB_OK;
}

/* The team's figures: each active coach (at most MAX_COACHES, by name) with their trajectories per phase,
 * open and closed, into rows and *n, and the totals. Returns a DB code. */
static int team_load(Req *r, CoachRow *rows, int *n, int64_t totals[8], int64_t *open_total, int64_t *closed_total) {
  TeamPhaseCount *pc;
  int npc;
  int rc = team_phase_counts(r->db, r->a, &pc, &npc);
  if (rc != DB_OK) return rc;
  *n = 0;
  for (int i = 0; i < npc; i++) {
    if (*n == 0 || rows[*n - 1].id != pc[i].coach_id) {
      if (*n == MAX_COACHES) break;
      rows[(*n)++] = (CoachRow){.id = pc[i].coach_id, .name = pc[i].coach_name};
    }
    CoachRow *row = &rows[*n - 1];
    if (!pc[i].status) continue;
    if (strcmp(pc[i].status, "open") == 0) {
      int ph = trajectory_phase_index(pc[i].phase);
      if (ph >= 0) {
        row->per_phase[ph] += pc[i].n;
        totals[ph] += pc[i].n;
      }
      row->open += pc[i].n;
      *open_total += pc[i].n;
    } else {
      row->closed += pc[i].n;
      *closed_total += pc[i].n;
    }
  }
  return day_counts(r, rows, *n);
}

static int get_team(Req *r) {
  CoachRow *rows = arena_alloc(r->a, sizeof *rows * MAX_COACHES);
  int n = 0;
  int64_t totals[8] = {0}, open_total = 0, closed_total = 0;
  int rc = team_load(r, rows, &n, totals, &open_total, &closed_total);
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
    for (int i = 0; trajectory_phases[i]; i++) html(&r->out, "<td>%lld</td>", (long long)rows[k].per_phase[i]);
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
         (long long)rows[k].actions_due, (long long)rows[k].followups_due, (long long)rows[k].quiet,
         (long long)rows[k].referrals);
  html(&r->out, "</tbody>");
  table_end(r);
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

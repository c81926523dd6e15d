/*
 * team.c — the team lead's overview (/team): how the caseload is spread over the coaches and where the
 * trajectories are, as counts only. No names of participants and no case content: a team lead sees
 * case information only where they are also an assigned coach (and then through /caseload). The team
 * lead's route table also lists the assignment pages (assign.c: assign, second coach, hand-over,
 * stand-ins), which show the least needed to assign and log it per participant.
 */
#include <string.h>
#include <time.h>
#include <stddef.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/assign.h"
#include "pages/pages.h"

enum { MAX_COACHES = 200 };

typedef struct CoachRow {
  int64_t id;
  const char *name;
  int64_t per_phase[8], open, closed;
  int64_t actions_due, followups_due, quiet, referrals; /* the coach's day, as counts */
} CoachRow;

/* Adds one count per coach from a query returning (coach, n) into the field at offset `field`. A query
 * with a parameter gets the date t (when not NULL) or the number i. */
static int add_counts(Req *r, CoachRow *rows, int n, const char *sql, size_t field, const char *t, int64_t i) {
  Stmt *st = db_prepare(r->db, sql);
  if (!st) return DB_ERROR;
  if (t) db_bind_text(st, 1, t);
  else if (strchr(sql, '?')) db_bind_int(st, 1, i);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t coach = db_int(st, "coach");
    for (int k = 0; k < n; k++)
      if (rows[k].id == coach) *(int64_t *)((char *)&rows[k] + field) = db_int(st, "n");
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The coach's day per coach: open actions of the latest plans due within a week (or overdue), follow-up
 * moments due, trajectories without contact for cfg.no_contact_weeks, open referrals. */
static int day_counts(Req *r, CoachRow *rows, int n) {
  char horizon[11];
  date_format(date_today() + 7, horizon);
  int rc = add_counts(r, rows, n,
                      "SELECT c.user_id AS coach, COUNT(*) AS n FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                      "JOIN plan_versions v ON v.item_id = g.version_item_id JOIN trajectories t ON t.id = v.trajectory_id "
                      "JOIN trajectory_coaches c ON c.trajectory_id = t.id WHERE a.due_on <= ? AND t.status = 'open' "
                      "AND a.status IN ('planned', 'in_progress') AND v.version = (SELECT MAX(v2.version) FROM "
                      "plan_versions v2 WHERE v2.trajectory_id = v.trajectory_id) GROUP BY c.user_id",
                      offsetof(CoachRow, actions_due), horizon, 0);
  if (rc == DB_OK)
    rc = add_counts(r, rows, n,
                    "SELECT c.user_id AS coach, COUNT(*) AS n FROM followups f JOIN trajectory_coaches c "
                    "ON c.trajectory_id = f.trajectory_id WHERE f.done_on IS NULL AND f.due_on <= ? GROUP BY c.user_id",
                    offsetof(CoachRow, followups_due), horizon, 0);
  if (rc == DB_OK)
    rc = add_counts(r, rows, n,
                    "SELECT c.user_id AS coach, COUNT(*) AS n FROM trajectories t JOIN trajectory_coaches c "
                    "ON c.trajectory_id = t.id WHERE t.status = 'open' AND t.last_activity_at < ? GROUP BY c.user_id",
                    offsetof(CoachRow, quiet), NULL,
                    (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400);
  if (rc == DB_OK)
    rc = add_counts(r, rows, n,
                    "SELECT c.user_id AS coach, COUNT(*) AS n FROM referrals f JOIN trajectory_coaches c "
                    "ON c.trajectory_id = f.trajectory_id WHERE f.status IN ('proposed', 'sent', 'accepted') "
                    "GROUP BY c.user_id",
                    offsetof(CoachRow, referrals), NULL, 0);
  return rc;
}

static int get_team(Req *r) {
  Stmt *st = db_prepare(r->db,
                        "SELECT u.id, u.name, t.phase, t.status, COUNT(t.id) AS n FROM users u "
                        "LEFT JOIN trajectory_coaches c ON c.user_id = u.id "
                        "LEFT JOIN trajectories t ON t.id = c.trajectory_id "
                        "WHERE u.active = 1 AND (u.roles & ?) <> 0 "
                        "GROUP BY u.id, u.name, t.phase, t.status ORDER BY u.name, u.id");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, ROLE_COACH);
  CoachRow *rows = arena_alloc(r->a, sizeof *rows * MAX_COACHES);
  int n = 0, rc;
  int64_t totals[8] = {0}, open_total = 0, closed_total = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t id = db_int(st, "id");
    if (n == 0 || rows[n - 1].id != id) {
      if (n == MAX_COACHES) break;
      rows[n++] = (CoachRow){.id = id, .name = arena_strdup(r->a, db_text(st, "name"))};
    }
    CoachRow *row = &rows[n - 1];
    if (db_null(st, "status")) continue;
    int64_t count = db_int(st, "n");
    if (strcmp(db_text(st, "status"), "open") == 0) {
      int ph = trajectory_phase_index(db_text(st, "phase"));
      if (ph >= 0) {
        row->per_phase[ph] += count;
        totals[ph] += count;
      }
      row->open += count;
      open_total += count;
    } else {
      row->closed += count;
      closed_total += count;
    }
  }
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) return http_db_error(r, rc);

  if ((rc = day_counts(r, rows, n)) != DB_OK) return http_db_error(r, rc);

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

/*
 * dashboard.c — the coach's day (/dashboard): caseload size against the maximum (IPS fidelity: 20),
 * overdue and due-this-week actions of the current plans and follow-up moments, trajectories without
 * contact for cfg.no_contact_weeks weeks, open referrals, and the caseload by phase.
 *
 * Everything comes from the coach's own trajectories (POLICY_SQL_COACH_TRAJECTORY): an assigned coach
 * sees all of a trajectory, so no per-item filter is needed here. The page names participants, so one
 * access-log entry records the view.
 */
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"

enum { ROWS_MAX = 50 };

/* Writes one "what is due" row; overdue ones are marked. */
static void due_row(Req *r, const char *today, int64_t tid, const char *first, const char *last, const char *what,
                    const char *due, const char *section) {
  bool overdue = strcmp(due, today) < 0;
  html(&r->out, "<li><a href=\"/t/%lld/%s\">%s %s</a>: %s · ", (long long)tid, section, first, last, what);
  if (overdue) html(&r->out, "<span class=\"badge badge-warn\">%s %s</span></li>", _("overdue since"), due);
  else html(&r->out, "<span class=\"badge\">%s</span></li>", due);
}

/* Runs one "due" query (bound: coach id, horizon date) and writes its rows. Returns a DB code. */
static int due_list(Req *r, const char *sql, const char *today, const char *horizon, const char *section,
                    bool followups, int *count) {
  Stmt *st = db_prepare(r->db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, r->user->id);
  db_bind_text(st, 2, horizon);
  db_bind_int(st, 3, ROWS_MAX);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if ((*count)++ == 0) html(&r->out, "<ul class=\"due\">");
    const char *what = followups ? followup_kind_label(db_text(st, "what")) : db_text(st, "what");
    due_row(r, today, db_int(st, "tid"), db_text(st, "first_name"), db_text(st, "last_name"), what,
            db_text(st, "due_on"), section);
  }
  db_done(st);
  if (*count) html(&r->out, "</ul>");
  return rc == DB_DONE ? DB_OK : rc;
}

static int get_dashboard(Req *r) {
  char today[11], horizon[11];
  int32_t d = date_today();
  date_format(d, today);
  date_format(d + 7, horizon);
  int rc = audit_write(r, &(AuditEntry){.item = "dashboard", .action = "list", .outcome = "ok", .grounds = "coach"});
  if (rc != DB_OK) return http_db_error(r, rc);

  /* caseload size and phases */
  Stmt *st = db_prepare(r->db, "SELECT t.phase, COUNT(*) AS n FROM trajectories t WHERE t.status = 'open' AND "
                               POLICY_SQL_COACH_TRAJECTORY " GROUP BY t.phase");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, r->user->id);
  int64_t per_phase[8] = {0}, open = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int ph = trajectory_phase_index(db_text(st, "phase"));
    if (ph >= 0) per_phase[ph] = db_int(st, "n");
    open += db_int(st, "n");
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);

  page_begin(r, _("Today"));
  html(&r->out, "<h1>%s</h1><section class=\"card\" aria-labelledby=\"load\"><h2 id=\"load\">%s</h2>", _("Today"),
       _("Caseload"));
  html(&r->out, "<p><strong>%lld</strong> %s %d", (long long)open, _("active trajectories, of at most"), cfg.caseload_max);
  if (open > cfg.caseload_max)
    html(&r->out, " <span class=\"badge badge-warn\">%s</span>", _("above the maximum"));
  html(&r->out, "</p><ul class=\"chips\">");
  for (int i = 0; trajectory_phases[i]; i++)
    if (per_phase[i])
      html(&r->out, "<li><a class=\"chip\" href=\"/caseload?phase=%s\">%s <span class=\"count\">%lld</span></a></li>",
           trajectory_phases[i], label_phase(trajectory_phases[i]), (long long)per_phase[i]);
  html(&r->out, "</ul><p><a href=\"/caseload\">%s</a></p></section>", _("Open the caseload"));

  /* plan actions of the latest version of each plan */
  html(&r->out, "<section class=\"card\" aria-labelledby=\"acts\"><h2 id=\"acts\">%s</h2>",
       _("Actions due this week or overdue"));
  int n = 0;
  rc = due_list(r,
                "SELECT t.id AS tid, p.first_name, p.last_name, a.text AS what, a.due_on FROM plan_actions a "
                "JOIN plan_goals g ON g.id = a.goal_id JOIN plan_versions v ON v.item_id = g.version_item_id "
                "JOIN trajectories t ON t.id = v.trajectory_id JOIN participants p ON p.id = t.participant_id "
                "WHERE t.status = 'open' AND " POLICY_SQL_COACH_TRAJECTORY " AND a.status IN ('planned', 'in_progress') "
                "AND a.due_on <= ? AND v.version = (SELECT MAX(v2.version) FROM plan_versions v2 "
                "WHERE v2.trajectory_id = v.trajectory_id) ORDER BY a.due_on LIMIT ?",
                today, horizon, "plan", false, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!n) html(&r->out, "<p class=\"empty\">%s</p>", _("Nothing due."));
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\" aria-labelledby=\"fups\"><h2 id=\"fups\">%s</h2>",
       _("Follow-up moments this week or overdue"));
  n = 0;
  rc = due_list(r,
                "SELECT t.id AS tid, p.first_name, p.last_name, f.kind AS what, f.due_on FROM followups f "
                "JOIN trajectories t ON t.id = f.trajectory_id JOIN participants p ON p.id = t.participant_id "
                "WHERE t.status IN ('open', 'closed') AND " POLICY_SQL_COACH_TRAJECTORY
                " AND f.done_on IS NULL AND f.due_on <= ? ORDER BY f.due_on LIMIT ?",
                today, horizon, "followups", true, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!n) html(&r->out, "<p class=\"empty\">%s</p>", _("Nothing due."));
  html(&r->out, "</section>");

  /* no contact for N weeks */
  html(&r->out, "<section class=\"card\" aria-labelledby=\"quiet\"><h2 id=\"quiet\">%s %d %s</h2>",
       _("No contact for"), cfg.no_contact_weeks, _("weeks or more"));
  st = db_prepare(r->db, "SELECT t.id, p.first_name, p.last_name, t.last_activity_at FROM trajectories t "
                         "JOIN participants p ON p.id = t.participant_id WHERE t.status = 'open' AND "
                         POLICY_SQL_COACH_TRAJECTORY " AND t.last_activity_at < ? ORDER BY t.last_activity_at LIMIT ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, r->user->id);
  db_bind_int(st, 2, (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400);
  db_bind_int(st, 3, ROWS_MAX);
  n = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n++ == 0) html(&r->out, "<ul class=\"due\">");
    html(&r->out, "<li><a href=\"/t/%lld\">%s %s</a>: %s %s</li>", (long long)db_int(st, "id"), db_text(st, "first_name"),
         db_text(st, "last_name"), _("last activity"), fmt_time(r, db_int(st, "last_activity_at")));
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
  if (n) html(&r->out, "</ul>");
  else html(&r->out, "<p class=\"empty\">%s</p>", _("Everyone had contact recently."));
  html(&r->out, "</section>");

  /* open referrals */
  html(&r->out, "<section class=\"card\" aria-labelledby=\"refs\"><h2 id=\"refs\">%s</h2>", _("Open referrals"));
  st = db_prepare(r->db, "SELECT t.id, p.first_name, p.last_name, f.target, f.status FROM referrals f "
                         "JOIN trajectories t ON t.id = f.trajectory_id JOIN participants p ON p.id = t.participant_id "
                         "WHERE f.status IN ('proposed', 'sent', 'accepted') AND " POLICY_SQL_COACH_TRAJECTORY
                         " ORDER BY f.status_changed_at LIMIT ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, r->user->id);
  db_bind_int(st, 2, ROWS_MAX);
  n = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n++ == 0) html(&r->out, "<ul class=\"due\">");
    html(&r->out, "<li><a href=\"/t/%lld/referrals\">%s %s</a>: %s · <span class=\"badge\">%s</span></li>",
         (long long)db_int(st, "id"), db_text(st, "first_name"), db_text(st, "last_name"), db_text(st, "target"),
         referral_status_label(db_text(st, "status")));
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
  if (n) html(&r->out, "</ul>");
  else html(&r->out, "<p class=\"empty\">%s</p>", _("No open referrals."));
  html(&r->out, "</section>");
  page_end(r);
  return 200;
}

const Route dashboard_routes[] = {
    {"GET", "/dashboard", ROLE_COACH, R_CASE, get_dashboard},
    {0},
};

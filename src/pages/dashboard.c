/*
 * dashboard.c — the coach's day (/dashboard): caseload size against the maximum (IPS fidelity: 20),
 * overdue and due-this-week actions of the current plans and follow-up moments, the check-ins due (also of
 * closed trajectories: aftercare runs on after closure), trajectories without contact for
 * cfg.no_contact_weeks weeks, open referrals, and the caseload by phase (open trajectories only).
 *
 * Everything comes from the coach's own trajectories (POLICY_SQL_COACH_JOIN): an assigned coach sees all
 * of a trajectory, so no per-item filter is needed here. The page names participants next to what is due
 * or open for them (an action, a referral's target), so every participant shown gets an access-log entry
 * (one per trajectory, in one batch), which their "who looked at my file" shows; a day with nobody on it
 * is logged once without a participant.
 *
 * Four queries, each starting from the coach's assignments, and no sorting in SQL: the lists are short
 * (bounded by the caseload and the size of a plan), and sorting them here avoids a temporary b-tree per
 * query, which measured as the larger part of the page's cost. The caseload query gives the phases and
 * the trajectories without recent contact at once.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/plan.h"

enum { ROWS_MAX = 50 }; /* rows shown per list; the rest is counted */
enum { OWNER_UPDATE_DAYS = 14 }; /* how far back the owners' updates of actions are listed */

/* One line of a list: a trajectory, its participant's name, what is due or open, and the sort key: the
 * due date (day number in at, 'YYYY-MM-DD' in due) or a time in at. Texts live in the request arena. */
typedef struct Row {
  int64_t tid, pid, at;
  const char *first, *last, *what, *due, *extra;
} Row;

typedef struct Rows {
  Row **v; /* pointers, so sorting moves 8 bytes per row */
  int n, cap;
} Rows;

static Row *rows_add(Req *r, Rows *rs) {
  if (rs->n == rs->cap) {
    int ncap = rs->cap ? rs->cap * 2 : 32;
    Row **nv = arena_alloc(r->a, sizeof *nv * (size_t)ncap);
    if (rs->n) memcpy(nv, rs->v, sizeof *nv * (size_t)rs->n);
    rs->v = nv;
    rs->cap = ncap;
  }
  Row *w = arena_alloc(r->a, sizeof *w);
  memset(w, 0, sizeof *w);
  return rs->v[rs->n++] = w;
}

/* Fills the columns every list has: tid, pid, first_name, last_name. */
static Row *row_from(Req *r, Rows *rs, Stmt *st) {
  Row *w = rows_add(r, rs);
  w->tid = db_int(st, "tid");
  w->pid = db_int(st, "pid");
  const Row *prev = rs->n > 1 ? rs->v[rs->n - 2] : NULL;
  if (prev && prev->tid == w->tid) { /* rows arrive per trajectory: the same participant's name again */
    w->first = prev->first;
    w->last = prev->last;
  } else {
    w->first = arena_strdup(r->a, db_text(st, "first_name"));
    w->last = arena_strdup(r->a, db_text(st, "last_name"));
  }
  return w;
}

/* Earlier first, then by trajectory: the same order every time. */
static int by_key(const void *a, const void *b) {
  const Row *x = *(Row *const *)a, *y = *(Row *const *)b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* A stable merge sort that starts from the ascending runs already in the list: the rows come from an
 * index per trajectory, so a list of n rows over k trajectories costs about n log k comparisons. */
static void rows_sort(Req *r, Rows *rs) {
  int n = rs->n;
  if (n < 2) return;
  Row **a = rs->v, **b = arena_alloc(r->a, sizeof *b * (size_t)n);
  int *starts = arena_alloc(r->a, sizeof *starts * (size_t)(n + 1)), runs = 0;
  for (int i = 0; i < n; i++)
    if (i == 0 || by_key(&a[i - 1], &a[i]) > 0) starts[runs++] = i;
  starts[runs] = n;
  while (runs > 1) {
    int out = 0;
    for (int k = 0; k < runs; k += 2) {
      int lo = starts[k], mid = starts[k + 1], hi = k + 2 <= runs ? starts[k + 2] : mid;
      int i = lo, j = mid, o = lo;
      while (i < mid && j < hi) b[o++] = by_key(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
      while (i < mid) b[o++] = a[i++];
      while (j < hi) b[o++] = a[j++];
      starts[out++] = lo;
    }
    starts[out] = n;
    runs = out;
    Row **t = a;
    a = b;
    b = t;
  }
  rs->v = a;
}

/* "… and 12 more" under a list that was cut at ROWS_MAX. */
static void rows_more(Req *r, const Rows *rs) {
  if (rs->n <= ROWS_MAX) return;
  int more = rs->n - ROWS_MAX;
  html(&r->out, "<p class=\"muted\">%s</p>", arena_printf(r->a, P_("and %d more", "and %d more", more), more));
}

/* The "what is due" list: overdue rows are marked with the date they were due. */
static void due_list(Req *r, const Rows *rs, int32_t today, const char *section, const char *empty) {
  if (!rs->n) {
    html(&r->out, "<p class=\"empty\">%s</p>", empty);
    return;
  }
  html(&r->out, "<ul class=\"due\">");
  const char *overdue = NULL; /* "overdue since <date>" of the previous row: sorted rows share dates */
  for (int i = 0; i < rs->n && i < ROWS_MAX; i++) {
    const Row *w = rs->v[i];
    html(&r->out, "<li><a href=\"/t/%lld/%s\">%s %s</a>: %s · ", (long long)w->tid, section, w->first, w->last, w->what);
    if (w->extra) html(&r->out, "<span class=\"badge\">%s</span> ", w->extra);
    if (w->at < today) {
      if (!overdue || (i && rs->v[i - 1]->at != w->at)) overdue = arena_printf(r->a, _("overdue since %s"), w->due);
      html(&r->out, "<span class=\"badge badge-warn\">%s</span></li>", overdue);
    } else {
      html(&r->out, "<span class=\"badge\">%s</span></li>", w->due);
    }
  }
  html(&r->out, "</ul>");
  rows_more(r, rs);
}

/* Runs st to the end, adding a row per result with fill; returns a DB code. */
static int collect(Req *r, Stmt *st, Rows *rs, void (*fill)(Req *, Row *, Stmt *)) {
  int rc;
  while ((rc = db_step(st)) == DB_ROW) fill(r, row_from(r, rs, st), st);
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The due date as text and as a day number (a malformed stored date sorts first rather than vanishing). */
static void set_due(Req *r, Row *w, Stmt *st) {
  w->due = arena_strdup(r->a, db_text(st, "due_on"));
  int32_t day;
  w->at = date_parse(w->due, &day) ? day : INT32_MIN;
}

static void fill_due(Req *r, Row *w, Stmt *st) {
  w->what = arena_strdup(r->a, db_text(st, "what"));
  set_due(r, w, st);
}

static void fill_followup(Req *r, Row *w, Stmt *st) {
  w->what = followup_kind_label(db_text(st, "what"));
  set_due(r, w, st);
}

/* A check-in: its place after the return to work, and whether its trajectory is closed (aftercare). */
static void fill_checkin(Req *r, Row *w, Stmt *st) {
  int months = db_null(st, "months") ? 0 : (int)db_int(st, "months");
  w->what = months > 0 ? arena_printf(r->a, P_("check-in %d month after return to work",
                                               "check-in %d months after return to work", months), months)
                       : followup_kind_label("checkin");
  if (strcmp(db_text(st, "status"), "open") != 0) w->extra = _("trajectory closed");
  set_due(r, w, st);
}

static void fill_referral(Req *r, Row *w, Stmt *st) {
  w->what = arena_strdup(r->a, db_text(st, "target"));
  w->extra = referral_status_label(db_text(st, "status"));
  w->at = db_int(st, "status_changed_at");
}

/* Binds the coach and, when given, the horizon date, and checks the statement was prepared. */
static Stmt *query(Req *r, const char *sql, const char *horizon) {
  Stmt *st = db_prepare(r->db, sql);
  if (!st) return NULL;
  db_bind_int(st, 1, r->user->id);
  if (horizon) db_bind_text(st, 2, horizon);
  return st;
}

/* One list of the page: runs sql for the coach (and horizon), fills rs row by row and sorts it. */
static int list(Req *r, const char *sql, const char *horizon, Rows *rs, void (*fill)(Req *, Row *, Stmt *)) {
  Stmt *st = query(r, sql, horizon);
  if (!st) return DB_ERROR;
  int rc = collect(r, st, rs, fill);
  if (rc == DB_OK) rows_sort(r, rs);
  return rc;
}

/* Writes the access-log entries of the page: one per trajectory among the rows shown (the first ROWS_MAX of
 * each of the n lists), each once, as one batch; one without a participant when nobody is shown. Returns a
 * DB code. */
static int log_shown(Req *r, const Rows *const *lists, int n) {
  int total = 0;
  for (int k = 0; k < n; k++) total += lists[k]->n < ROWS_MAX ? lists[k]->n : ROWS_MAX;
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(total ? total : 1));
  int ne = 0;
  for (int k = 0; k < n; k++)
    for (int i = 0; i < lists[k]->n && i < ROWS_MAX; i++) {
      const Row *w = lists[k]->v[i];
      int j = 0;
      while (j < ne && entries[j].trajectory_id != w->tid) j++; /* a handful of trajectories: a scan is enough */
      if (j == ne)
        entries[ne++] = (AuditEntry){.participant_id = w->pid, .trajectory_id = w->tid, .item = "dashboard",
                                     .action = "list", .outcome = "ok", .grounds = "coach"};
    }
  if (!ne) entries[ne++] = (AuditEntry){.item = "dashboard", .action = "list", .outcome = "ok", .grounds = "coach"};
  return audit_write_many(r, entries, ne);
}

static int get_dashboard(Req *r) {
  char horizon[11];
  int32_t today = date_today();
  date_format(today + 7, horizon);
  int rc;

  /* the open caseload: size, phases, and who had no contact lately */
  Stmt *st = query(r, "SELECT t.id AS tid, t.participant_id AS pid, t.phase, t.last_activity_at, p.first_name, "
                      "p.last_name FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id WHERE t.status = 'open'",
                   NULL);
  if (!st) return http_db_error(r, DB_ERROR);
  int64_t per_phase[8] = {0}, open = 0;
  int64_t quiet_before = (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400;
  Rows quiet = {0};
  while ((rc = db_step(st)) == DB_ROW) {
    open++;
    int ph = trajectory_phase_index(db_text(st, "phase"));
    if (ph >= 0) per_phase[ph]++;
    int64_t last = db_int(st, "last_activity_at");
    if (last < quiet_before) row_from(r, &quiet, st)->at = last;
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
  rows_sort(r, &quiet);

  /* actions of the current plan version (is_current, kept by the plan's save path) that are still open
   * and due by next week */
  Rows acts = {0};
  rc = list(r, "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, a.text AS what, a.due_on "
              "FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id JOIN plan_actions a ON a.trajectory_id = t.id "
              "WHERE t.status = 'open' AND a.is_current = 1 AND a.status IN ('planned', 'in_progress') "
              "AND a.due_on <= ?",
            horizon, &acts, fill_due);
  if (rc != DB_OK) return http_db_error(r, rc);

  /* follow-up moments not done and due by next week: reviews and evaluation talks of open trajectories,
   * and, in a list of their own, check-ins, which run on after closure (aftercare); one query for both */
  Rows fups = {0}, checks = {0};
  st = query(r, "SELECT t.id AS tid, t.participant_id AS pid, t.status, p.first_name, p.last_name, f.kind AS what, "
                "f.due_on, f.months FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                "JOIN followups f ON f.trajectory_id = t.id "
                "WHERE (t.status = 'open' OR f.kind = 'checkin') AND f.done_on IS NULL AND f.due_on <= ?",
             horizon);
  if (!st) return http_db_error(r, DB_ERROR);
  while ((rc = db_step(st)) == DB_ROW) {
    bool checkin = strcmp(db_text(st, "what"), "checkin") == 0;
    Row *w = row_from(r, checkin ? &checks : &fups, st);
    if (checkin) fill_checkin(r, w, st);
    else fill_followup(r, w, st);
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
  rows_sort(r, &fups);
  rows_sort(r, &checks);

  /* referrals still under way, longest unchanged first */
  Rows refs = {0};
  rc = list(r, "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, f.target, f.status, "
              "f.status_changed_at FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
              "JOIN referrals f ON f.trajectory_id = t.id WHERE f.status IN ('proposed', 'sent', 'accepted')",
            NULL, &refs, fill_referral);
  if (rc != DB_OK) return http_db_error(r, rc);
  /* what the owners of actions marked started or done lately (store/plan.h), newest first */
  Rows owners = {0};
  PlanOwnerUpdate *ups;
  int nups;
  if ((rc = plan_owner_updates_recent(r->db, r->a, r->user->id, (int64_t)time(NULL) - OWNER_UPDATE_DAYS * 86400,
                                      1000, &ups, &nups)) != DB_OK)
    return http_db_error(r, rc);
  for (int i = 0; i < nups; i++) {
    Row *w = rows_add(r, &owners);
    *w = (Row){.tid = ups[i].tid, .pid = ups[i].pid, .at = ups[i].at, .first = ups[i].first, .last = ups[i].last,
               .what = ups[i].action, .due = ups[i].who,
               .extra = strcmp(ups[i].status, "done") == 0 ? _("Done") : _("Started")};
  }
  if ((rc = log_shown(r, (const Rows *[]){&acts, &fups, &checks, &quiet, &refs, &owners}, 6)) != DB_OK)
    return http_db_error(r, rc);

  page_begin(r, _("Today"));
  html(&r->out, "<h1>%s</h1><section class=\"card\" aria-labelledby=\"load\"><h2 id=\"load\">%s</h2><p>%s", _("Today"),
       _("Caseload"),
       arena_printf(r->a, P_("%d active trajectory, of at most %d", "%d active trajectories, of at most %d", open),
                    (int)open, cfg.caseload_max));
  if (open > cfg.caseload_max)
    html(&r->out, " <span class=\"badge badge-warn\">%s</span>", _("above the maximum"));
  html(&r->out, "</p><ul class=\"chips\">");
  for (int i = 0; trajectory_phases[i]; i++)
    if (per_phase[i])
      html(&r->out, "<li><a class=\"chip\" href=\"/caseload?phase=%s\">%s <span class=\"count\">%lld</span></a></li>",
           trajectory_phases[i], label_phase(trajectory_phases[i]), (long long)per_phase[i]);
  html(&r->out, "</ul><p><a href=\"/caseload\">%s</a></p></section>", _("Open the caseload"));

  html(&r->out, "<section class=\"card\" aria-labelledby=\"acts\"><h2 id=\"acts\">%s</h2>",
       _("Actions due this week or overdue"));
  due_list(r, &acts, today, "plan", _("Nothing due."));
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"fups\"><h2 id=\"fups\">%s</h2>",
       _("Follow-up moments this week or overdue"));
  due_list(r, &fups, today, "followups", _("Nothing due."));
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"checks\"><h2 id=\"checks\">%s</h2>",
       _("Check-ins due this week or overdue"));
  due_list(r, &checks, today, "followups", _("No check-ins due."));
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\" aria-labelledby=\"quiet\"><h2 id=\"quiet\">%s</h2>",
       arena_printf(r->a, P_("No contact for %d week or more", "No contact for %d weeks or more", cfg.no_contact_weeks),
                    cfg.no_contact_weeks));
  if (quiet.n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < quiet.n && i < ROWS_MAX; i++)
      html(&r->out, "<li><a href=\"/t/%lld\">%s %s</a>: %s</li>", (long long)quiet.v[i]->tid, quiet.v[i]->first,
           quiet.v[i]->last, arena_printf(r->a, _("last activity %s"), fmt_time(r, quiet.v[i]->at)));
    html(&r->out, "</ul>");
    rows_more(r, &quiet);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("Everyone had contact recently."));
  }
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\" aria-labelledby=\"refs\"><h2 id=\"refs\">%s</h2>", _("Open referrals"));
  if (refs.n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < refs.n && i < ROWS_MAX; i++)
      html(&r->out, "<li><a href=\"/t/%lld/referrals\">%s %s</a>: %s · <span class=\"badge\">%s</span></li>",
           (long long)refs.v[i]->tid, refs.v[i]->first, refs.v[i]->last, refs.v[i]->what, refs.v[i]->extra);
    html(&r->out, "</ul>");
    rows_more(r, &refs);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("No open referrals."));
  }
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\" aria-labelledby=\"owners\"><h2 id=\"owners\">%s</h2>",
       arena_printf(r->a, P_("Marked by the owners of actions in the last %d day",
                             "Marked by the owners of actions in the last %d days", OWNER_UPDATE_DAYS),
                    OWNER_UPDATE_DAYS));
  if (owners.n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < owners.n && i < ROWS_MAX; i++) {
      const Row *w = owners.v[i];
      html(&r->out, "<li><a href=\"/t/%lld/plan\">%s %s</a>: %s · <span class=\"badge\">%s</span> "
                    "<span class=\"small muted\">%s</span></li>",
           (long long)w->tid, w->first, w->last, w->what, w->extra,
           arena_printf(r->a, _("by %s, %s"), w->due, fmt_time(r, w->at)));
    }
    html(&r->out, "</ul>");
    rows_more(r, &owners);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("Nothing marked lately."));
  }
  html(&r->out, "</section>");
  page_end(r);
  return 200;
}

const Route dashboard_routes[] = {
    {"GET", "/dashboard", ROLE_COACH, R_CASE, get_dashboard},
    {0},
};

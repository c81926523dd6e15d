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
 * Loading (day_load: store/caseload.h, and store/plan.h for the actions and the owners' updates), logging
 * (log_shown) and rendering (the *_card functions) are separate steps. Four queries, each starting from the
 * coach's assignments, and no sorting in SQL: the lists are short (bounded by the caseload and the size of
 * a plan), and sorting them here avoids a temporary b-tree per query, which measured as the larger part of
 * the page's cost. The caseload query gives the phases and the trajectories without recent contact at once.
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
#include "core/dates.h"
#include "store/caseload.h"
#include "store/messages.h"
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

/* A row of the page for a row of the store: its trajectory, participant and name (shared, not copied). */
static Row *row_from(Req *r, Rows *rs, const DayRow *d) {
  Row *w = rows_add(r, rs);
  w->tid = d->tid;
  w->pid = d->pid;
  w->first = d->first_name;
  w->last = d->last_name;
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

/* The due date as text and as a day number (a malformed stored date sorts first rather than vanishing). */
static void set_due(Row *w, const char *due_on) {
  w->due = due_on;
  int32_t day;
  w->at = date_parse(w->due, &day) ? day : INT32_MIN;
}

/* A check-in: its place after the return to work, and whether its trajectory is closed (aftercare). */
static void fill_checkin(Req *r, Row *w, const DayRow *d) {
  w->what = d->months > 0 ? arena_printf(r->a, P_("check-in %d month after return to work",
                                                  "check-in %d months after return to work", d->months), d->months)
                          : followup_kind_label("checkin");
  if (strcmp(d->status, "open") != 0) w->extra = _("trajectory closed");
  set_due(w, d->due_on);
}

/* The lists of the coach's day, loaded and sorted (each by due date or time, then trajectory). */
typedef struct Day {
  int64_t per_phase[8], open; /* the open caseload */
  Rows quiet;                 /* no contact for cfg.no_contact_weeks weeks; at: the last activity */
  Rows acts, fups, checks;    /* due by next week or overdue */
  Rows refs;                  /* referrals under way; at: the status change */
  Rows owners;                /* marked by the owners of actions lately; at: when */
  Rows jobc;                  /* job-coaching contacts due by next week or overdue */
} Day;

/* The open caseload: size, phases, and who had no contact lately. */
static int day_caseload(Req *r, Day *d) {
  DayRow *rows;
  int n;
  int rc = caseload_open(r->db, r->a, r->user, &rows, &n);
  if (rc != DB_OK) return rc;
  int64_t quiet_before = (int64_t)time(NULL) - (int64_t)cfg.no_contact_weeks * 7 * 86400;
  for (int i = 0; i < n; i++) {
    d->open++;
    int ph = trajectory_phase_index(rows[i].phase);
    if (ph >= 0) d->per_phase[ph]++;
    if (rows[i].at < quiet_before) row_from(r, &d->quiet, &rows[i])->at = rows[i].at;
  }
  rows_sort(r, &d->quiet);
  return DB_OK;
}

/* Open actions of the current plan versions (store/plan.h: PLAN_SQL_ACTION_OPEN) due by horizon. */
static int day_actions(Req *r, Day *d, const char *horizon) {
  PlanDueAction *acts;
  int n;
  int rc = plan_actions_open_due(r->db, r->a, r->user->id, horizon, &acts, &n);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < n; i++) {
    Row *w = rows_add(r, &d->acts);
    *w = (Row){.tid = acts[i].tid, .pid = acts[i].pid, .first = acts[i].first, .last = acts[i].last,
               .what = acts[i].text};
    set_due(w, acts[i].due_on);
  }
  rows_sort(r, &d->acts);
  return DB_OK;
}

/* Follow-up moments not done and due by horizon: reviews and evaluation talks of open trajectories, and,
 * in a list of their own, check-ins, which run on after closure (aftercare). */
static int day_followups(Req *r, Day *d, const char *horizon) {
  DayRow *rows;
  int n;
  int rc = caseload_followups_due(r->db, r->a, r->user, horizon, &rows, &n);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < n; i++) {
    if (strcmp(rows[i].what, "checkin") == 0) {
      fill_checkin(r, row_from(r, &d->checks, &rows[i]), &rows[i]);
    } else {
      Row *w = row_from(r, &d->fups, &rows[i]);
      w->what = followup_kind_label(rows[i].what);
      set_due(w, rows[i].due_on);
    }
  }
  rows_sort(r, &d->fups);
  rows_sort(r, &d->checks);
  return DB_OK;
}

/* Referrals still under way, longest unchanged first. */
static int day_referrals(Req *r, Day *d) {
  DayRow *rows;
  int n;
  int rc = caseload_open_referrals(r->db, r->a, r->user, &rows, &n);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < n; i++) {
    Row *w = row_from(r, &d->refs, &rows[i]);
    w->what = rows[i].what;
    w->extra = referral_status_label(rows[i].status);
    w->at = rows[i].at;
  }
  rows_sort(r, &d->refs);
  return DB_OK;
}

/* What the owners of actions marked started or done lately (store/plan.h), newest first. */
static int day_owner_updates(Req *r, Day *d) {
  PlanOwnerUpdate *ups;
  int nups;
  int rc = plan_owner_updates_recent(r->db, r->a, r->user->id, (int64_t)time(NULL) - OWNER_UPDATE_DAYS * 86400,
                                     1000, &ups, &nups);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < nups; i++) {
    Row *w = rows_add(r, &d->owners);
    *w = (Row){.tid = ups[i].tid, .pid = ups[i].pid, .at = ups[i].at, .first = ups[i].first, .last = ups[i].last,
               .what = ups[i].action, .due = ups[i].who,
               .extra = strcmp(ups[i].status, "done") == 0 ? _("Done") : _("Started")};
  }
  return DB_OK;
}

/* ---- (issue 13, part 6): job-coaching contacts due. One query from the coach's assignments
 * (store/job_coaching.h, the partial index job_coaching_open); its rows join the day's access-log batch. */

static int day_jobcoaching(Req *r, Day *d, const char *horizon) {
  JobContactDue *v;
  int n;
  int rc = job_contacts_due(r->db, r->a, r->user, horizon, 1000, &v, &n);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < n; i++) {
    Row *w = rows_add(r, &d->jobc);
    *w = (Row){.tid = v[i].tid, .pid = v[i].pid, .first = v[i].first, .last = v[i].last,
               .what = job_contact_with_label(v[i].with_whom)};
    set_due(w, v[i].due_on);
  }
  rows_sort(r, &d->jobc);
  return DB_OK;
}

static void jobcoaching_card(Req *r, const Day *d, int32_t today) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"jobc\"><h2 id=\"jobc\">%s</h2>",
       _("Job-coaching contacts this week or overdue"));
  due_list(r, &d->jobc, today, "placements", _("No job-coaching contacts due."));
  html(&r->out, "</section>");
}


/* Loads every list of the coach's day into *d (zeroed here). Returns a DB code. */
static int day_load(Req *r, Day *d, int32_t today) {
  char horizon[11];
  date_format(today + 7, horizon);
  *d = (Day){0};
  int rc = day_caseload(r, d);
  if (rc == DB_OK) rc = day_actions(r, d, horizon);
  if (rc == DB_OK) rc = day_followups(r, d, horizon);
  if (rc == DB_OK) rc = day_referrals(r, d);
  if (rc == DB_OK) rc = day_owner_updates(r, d);
  if (rc == DB_OK) rc = day_jobcoaching(r, d, horizon);
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

/* The caseload card: size against the maximum and the phases, as links into /caseload. */
static void caseload_card(Req *r, const Day *d) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"load\"><h2 id=\"load\">%s</h2><p>%s", _("Caseload"),
       arena_printf(r->a, P_("%d active trajectory, of at most %d", "%d active trajectories, of at most %d", d->open),
                    (int)d->open, cfg.caseload_max));
  if (d->open > cfg.caseload_max)
    html(&r->out, " <span class=\"badge badge-warn\">%s</span>", _("above the maximum"));
  html(&r->out, "</p><ul class=\"chips\">");
  for (int i = 0; trajectory_phases[i]; i++)
    if (d->per_phase[i])
      html(&r->out, "<li><a class=\"chip\" href=\"/caseload?phase=%s\">%s <span class=\"count\">%lld</span></a></li>",
           trajectory_phases[i], label_phase(trajectory_phases[i]), (long long)d->per_phase[i]);
  html(&r->out, "</ul><p><a href=\"/caseload\">%s</a></p></section>", _("Open the caseload"));
}

/* The cards of what is due: actions, follow-up moments, check-ins. */
static void due_cards(Req *r, const Day *d, int32_t today) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"acts\"><h2 id=\"acts\">%s</h2>",
       _("Actions due this week or overdue"));
  due_list(r, &d->acts, today, "plan", _("Nothing due."));
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"fups\"><h2 id=\"fups\">%s</h2>",
       _("Follow-up moments this week or overdue"));
  due_list(r, &d->fups, today, "followups", _("Nothing due."));
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"checks\"><h2 id=\"checks\">%s</h2>",
       _("Check-ins due this week or overdue"));
  due_list(r, &d->checks, today, "followups", _("No check-ins due."));
  html(&r->out, "</section>");
}

/* The card of the trajectories without recent contact. */
static void quiet_card(Req *r, const Rows *quiet) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"quiet\"><h2 id=\"quiet\">%s</h2>",
       arena_printf(r->a, P_("No contact for %d week or more", "No contact for %d weeks or more", cfg.no_contact_weeks),
                    cfg.no_contact_weeks));
  if (quiet->n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < quiet->n && i < ROWS_MAX; i++)
      html(&r->out, "<li><a href=\"/t/%lld\">%s %s</a>: %s</li>", (long long)quiet->v[i]->tid, quiet->v[i]->first,
           quiet->v[i]->last, arena_printf(r->a, _("last activity %s"), fmt_time(r, quiet->v[i]->at)));
    html(&r->out, "</ul>");
    rows_more(r, quiet);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("Everyone had contact recently."));
  }
  html(&r->out, "</section>");
}

/* The card of the open referrals. */
static void referrals_card(Req *r, const Rows *refs) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"refs\"><h2 id=\"refs\">%s</h2>", _("Open referrals"));
  if (refs->n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < refs->n && i < ROWS_MAX; i++)
      html(&r->out, "<li><a href=\"/t/%lld/referrals\">%s %s</a>: %s · <span class=\"badge\">%s</span></li>",
           (long long)refs->v[i]->tid, refs->v[i]->first, refs->v[i]->last, refs->v[i]->what, refs->v[i]->extra);
    html(&r->out, "</ul>");
    rows_more(r, refs);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("No open referrals."));
  }
  html(&r->out, "</section>");
}

/* The card of what the owners of actions marked lately. */
static void owners_card(Req *r, const Rows *owners) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"owners\"><h2 id=\"owners\">%s</h2>",
       arena_printf(r->a, P_("Marked by the owners of actions in the last %d day",
                             "Marked by the owners of actions in the last %d days", OWNER_UPDATE_DAYS),
                    OWNER_UPDATE_DAYS));
  if (owners->n) {
    html(&r->out, "<ul class=\"due\">");
    for (int i = 0; i < owners->n && i < ROWS_MAX; i++) {
      const Row *w = owners->v[i];
      html(&r->out, "<li><a href=\"/t/%lld/plan\">%s %s</a>: %s · <span class=\"badge\">%s</span> "
                    "<span class=\"small muted\">%s</span></li>",
           (long long)w->tid, w->first, w->last, w->what, w->extra,
           arena_printf(r->a, _("by %s, %s"), w->due, fmt_time(r, w->at)));
    }
    html(&r->out, "</ul>");
    rows_more(r, owners);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", _("Nothing marked lately."));
  }
  html(&r->out, "</section>");
}

/* The card of the messages addressed to the coach that are unread: their number, a link to the inbox. */
static void messages_card(Req *r, int64_t unread) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"msgs\"><h2 id=\"msgs\">%s</h2><p>", _("Messages"));
  if (unread)
    html(&r->out, "<a href=\"/messages\">%s</a>",
         arena_printf(r->a, P_("%lld unread message", "%lld unread messages", unread), (long long)unread));
  else
    html(&r->out, "%s", _("No unread messages."));
  html(&r->out, "</p></section>");
}

static int get_dashboard(Req *r) {
  int32_t today = date_today();
  Day d;
  int rc = day_load(r, &d, today);
  if (rc == DB_OK)
    rc = log_shown(r, (const Rows *[]){&d.acts, &d.fups, &d.checks, &d.quiet, &d.refs, &d.owners, &d.jobc}, 7);
  int64_t unread = 0;
  if (rc == DB_OK) rc = messages_nav_unread(r, &unread); /* the menu's badge shows it too: counted once */
  CorrectionsDue fixes = {0};
  if (rc == DB_OK) rc = corrections_due_load(r, &fixes); /* participants' requests to correct their file */
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Today"));
  html(&r->out, "<h1>%s</h1>", _("Today"));
  caseload_card(r, &d);
  messages_card(r, unread);
  corrections_due_card(r, &fixes);
  due_cards(r, &d, today);
  quiet_card(r, &d.quiet);
  referrals_card(r, &d.refs);
  owners_card(r, &d.owners);
  jobcoaching_card(r, &d, today);
  page_end(r);
  return 200;
}

const Route dashboard_routes[] = {
    {"GET", "/dashboard", ROLE_COACH, R_CASE, get_dashboard},
    {0},
};

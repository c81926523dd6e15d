/*
 * caseload.c — the coach's own caseload (/caseload): the trajectories the coach is assigned to, with a
 * name search, phase and status filters, a fixed set of sort orders and pagination.
 *
 * Only trajectories reached through POLICY_SQL_COACH_JOIN for the signed-in coach are ever read, in the
 * phase counts as much as in the list. User text reaches SQL only as bound parameters: the search is a
 * LIKE pattern with % and _ escaped, the phase is checked against the known codes, and the sort key
 * chooses one of the complete literal statements below. Each row also shows what is due next — the open
 * action of the current plan or the follow-up moment due first, marked when overdue — read in the same
 * query (CASELOAD_NEXT); the coach sees all of an assigned trajectory, so no item filter applies. Each view
 * writes one access-log entry per trajectory listed (its participant's name, phase and next action are
 * shown), as one batch, so that the participant's "who looked at my file" shows the look at the list; an
 * empty list writes one entry without a participant.
 */
#include <string.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"


enum { PHASES = 8, SEARCH_MAX = 100 };

/* FROM and WHERE shared by the phase counts and the list. Parameters, in order: the coach's user id;
 * status flag (0: all) and status; phase flag (0: all) and phase; search flag (0: none) and the LIKE
 * pattern three times. bind_filter() binds them. */
#define CASELOAD_FROM_WHERE                                                                                     \
  " FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id"                            \
  " LEFT JOIN organisations o ON o.id = t.employer_org_id"                                                      \
  " WHERE (? = 0 OR t.status = ?) AND (? = 0 OR t.phase = ?)"                                                   \
  " AND (? = 0 OR LOWER(p.first_name) LIKE LOWER(?) ESCAPE '\\' OR LOWER(p.last_name) LIKE LOWER(?) ESCAPE '\\'" \
  " OR LOWER(p.first_name || ' ' || p.last_name) LIKE LOWER(?) ESCAPE '\\')"

/* The next thing due in a trajectory, as two columns of the one list query (no query per row), each
 * "YYYY-MM-DD what": the open action of the current plan version due first (one step into the covering
 * partial index plan_actions_current_due; the text comes with it, so no row lookup), and the follow-up
 * moment not done yet due first (the index followups_trajectory, in date order, to the first one not done).
 * A closed trajectory has only its check-ins (aftercare). Measured with callgrind on the benchmark's
 * caseload: a join to each next row instead cost one more row lookup per trajectory. */
#define CASELOAD_NEXT                                                                                           \
  ", (SELECT a.due_on || ' ' || a.text FROM plan_actions a WHERE a.trajectory_id = t.id AND a.is_current = 1"   \
  " AND a.status IN ('planned', 'in_progress') AND t.status = 'open' ORDER BY a.due_on LIMIT 1) AS next_action"  \
  ", (SELECT f.due_on || ' ' || f.kind FROM followups f WHERE f.trajectory_id = t.id AND f.done_on IS NULL"      \
  " AND (t.status = 'open' OR f.kind = 'checkin') ORDER BY f.due_on LIMIT 1) AS next_followup"

#define CASELOAD_LIST(order)                                                                                  \
  "SELECT t.id, t.participant_id, t.phase, t.phase_since, t.started_on, t.last_activity_at, p.first_name,"    \
  " p.last_name, COALESCE(o.name, t.employer_name) AS employer" CASELOAD_NEXT CASELOAD_FROM_WHERE              \
  " ORDER BY " order " LIMIT ? OFFSET ?"

/* The sort orders: ?sort= picks one by key; the first is the default. */
static const struct {
  const char *key, *label, *sql;
} sorts[] = {
    {"activity", N_("Last activity (newest first)"), CASELOAD_LIST("t.last_activity_at DESC, t.id DESC")},
    {"name", N_("Name"), CASELOAD_LIST("LOWER(p.last_name), LOWER(p.first_name), t.id")},
    {"phase", N_("Phase"),
     CASELOAD_LIST("CASE t.phase WHEN 'registration' THEN 1 WHEN 'intake' THEN 2 WHEN 'exploration' THEN 3 "
                   "WHEN 'consultation' THEN 4 WHEN 'action_plan' THEN 5 WHEN 'follow_up' THEN 6 "
                   "WHEN 'aftercare' THEN 7 ELSE 8 END, t.phase_since, t.id")},
    {"start", N_("Start date (newest first)"), CASELOAD_LIST("t.started_on DESC, t.id DESC")},
};
enum { SORTS = sizeof sorts / sizeof *sorts };

/* The status filter values; the first is the default. */
static const char *const statuses[] = {"open", N_("Open"), "closed", N_("Closed"), "all", N_("All"), NULL};

/* The list's parameters, from the query string, each already checked. */
typedef struct Filter {
  const char *q;      /* search text, trimmed; "" for none */
  const char *like;   /* q as a LIKE pattern with % and _ escaped, wrapped in % */
  const char *phase;  /* a known phase code, or "" */
  const char *status; /* "open", "closed" or "all" */
  int sort;           /* index into sorts */
  int64_t page;       /* 1-based, clamped to the last page once the total is known */
} Filter;

/* One row of the list; text in the request arena. next_due and next_what: the next open action of the
 * current plan or follow-up moment, whichever is due first (NULL: nothing planned); next_kind is the
 * follow-up's kind, NULL for an action. */
typedef struct Row {
  int64_t id, participant_id, last_activity_at;
  const char *first_name, *last_name, *phase, *phase_since, *started_on, *employer;
  const char *next_due, *next_what, *next_kind;
} Row;

/* Splits "YYYY-MM-DD what" (CASELOAD_NEXT) at its first space into a copy in the arena: *due and *what. */
static void next_split(Req *r, const char *s, const char **due, const char **what) {
  char *c = arena_strdup(r->a, s), *sp = strchr(c, ' ');
  if (sp) *sp++ = 0;
  *due = c;
  *what = sp ? sp : "";
}

/* Fills w's next thing due from the current row of st: the earlier of the next action and the next
 * follow-up (the action when both fall on one day). */
static void next_from(Req *r, Row *w, Stmt *st) {
  const char *act = db_null(st, "next_action") ? NULL : db_text(st, "next_action");
  const char *fup = db_null(st, "next_followup") ? NULL : db_text(st, "next_followup");
  if (act && (!fup || strncmp(act, fup, 10) <= 0)) {
    next_split(r, act, &w->next_due, &w->next_what);
  } else if (fup) {
    next_split(r, fup, &w->next_due, &w->next_kind);
    w->next_what = followup_kind_label(w->next_kind);
  }
}

/* Turns s into a LIKE pattern "%s%" with \, % and _ escaped by a backslash. Allocates in the arena. */
static const char *like_pattern(Arena *a, const char *s) {
  char *p = arena_alloc(a, strlen(s) * 2 + 3), *d = p;
  *d++ = '%';
  for (; *s; s++) {
    if (*s == '\\' || *s == '%' || *s == '_') *d++ = '\\';
    *d++ = *s;
  }
  *d++ = '%';
  return p;
}

/* Reads and checks the query parameters; anything unknown falls back to its default. */
static Filter filter_parse(Req *r) {
  Filter f = {.phase = "", .status = statuses[0], .sort = 0};
  f.q = text_trim(arena_strdup(r->a, query_str(r, "q")));
  if (text_chars(f.q) > SEARCH_MAX) f.q = "";
  f.like = like_pattern(r->a, f.q);
  const char *phase = query_str(r, "phase");
  if (trajectory_phase_index(phase) >= 0) f.phase = trajectory_phases[trajectory_phase_index(phase)];
  const char *status = query_str(r, "status");
  for (int i = 0; statuses[i]; i += 2)
    if (strcmp(statuses[i], status) == 0) f.status = statuses[i];
  const char *sort = query_str(r, "sort");
  for (int i = 0; i < SORTS; i++)
    if (strcmp(sorts[i].key, sort) == 0) f.sort = i;
  f.page = query_int(r, "page", 1);
  if (f.page < 1) f.page = 1;
  return f;
}

/* Binds the CASELOAD_FROM_WHERE parameters from 1; with_phase false leaves the phase filter off (for the
 * per-phase counts). Returns the next parameter index. */
static int bind_filter(Req *r, Stmt *st, const Filter *f, bool with_phase) {
  db_bind_int(st, 1, r->user->id);
  db_bind_int(st, 2, strcmp(f->status, "all") != 0);
  db_bind_text(st, 3, f->status);
  db_bind_int(st, 4, with_phase && *f->phase);
  db_bind_text(st, 5, f->phase);
  db_bind_int(st, 6, *f->q != 0);
  for (int i = 7; i <= 9; i++) db_bind_text(st, i, f->like);
  return 10;
}

/* Counts the coach's trajectories per phase (status and search applied, phase filter not) into counts,
 * indexed like trajectory_phases. Returns a DB code. */
static int count_phases(Req *r, const Filter *f, int64_t counts[PHASES]) {
  Stmt *st = db_prepare(r->db, "SELECT t.phase, COUNT(*) AS n" CASELOAD_FROM_WHERE " GROUP BY t.phase");
  if (!st) return DB_ERROR;
  bind_filter(r, st, f, false);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int i = trajectory_phase_index(db_text(st, "phase"));
    if (i >= 0) counts[i] = db_int(st, "n");
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* Reads one page of the list into *rows (at most cfg.page_size, allocated in the arena) and *n.
 * Returns a DB code. */
static int load_rows(Req *r, const Filter *f, Row **rows, int *n) {
  Stmt *st = db_prepare(r->db, sorts[f->sort].sql);
  if (!st) return DB_ERROR;
  int i = bind_filter(r, st, f, true);
  db_bind_int(st, i, cfg.page_size);
  db_bind_int(st, i + 1, (f->page - 1) * cfg.page_size);
  *rows = arena_alloc(r->a, sizeof(Row) * (size_t)cfg.page_size);
  *n = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < cfg.page_size) {
    (*rows)[(*n)++] = (Row){
        .id = db_int(st, "id"),
        .participant_id = db_int(st, "participant_id"),
        .last_activity_at = db_int(st, "last_activity_at"),
        .first_name = arena_strdup(r->a, db_text(st, "first_name")),
        .last_name = arena_strdup(r->a, db_text(st, "last_name")),
        .phase = arena_strdup(r->a, db_text(st, "phase")),
        .phase_since = arena_strdup(r->a, db_text(st, "phase_since")),
        .started_on = arena_strdup(r->a, db_text(st, "started_on")),
        .employer = arena_strdup(r->a, db_text(st, "employer")),
    };
    next_from(r, &(*rows)[*n - 1], st);
  }
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Writes a /caseload URL (for an href) keeping f's search, status and sort, with the given phase and
 * page; default values are left out. */
static void caseload_href(Req *r, const Filter *f, const char *phase, int64_t page) {
  html(&r->out, "/caseload?status=%s&amp;sort=%s", f->status, sorts[f->sort].key);
  if (*f->q) {
    html(&r->out, "&amp;q=");
    html_urlarg(&r->out, f->q);
  }
  if (*phase) {
    html(&r->out, "&amp;phase=");
    html_urlarg(&r->out, phase);
  }
  if (page > 1) html(&r->out, "&amp;page=%lld", (long long)page);
}

/* The GET search form: name, phase, status and sort, each with a label. */
static void search_form(Req *r, const Filter *f) {
  const char *phase_opts[2 * PHASES + 3] = {"", _("All phases")};
  for (int i = 0; trajectory_phases[i]; i++) {
    phase_opts[2 + 2 * i] = trajectory_phases[i];
    phase_opts[3 + 2 * i] = label_phase(trajectory_phases[i]);
  }
  const char *status_opts[7] = {0};
  for (int i = 0; statuses[i]; i += 2) {
    status_opts[i] = statuses[i];
    status_opts[i + 1] = _(statuses[i + 1]);
  }
  const char *sort_opts[2 * SORTS + 1] = {0};
  for (int i = 0; i < SORTS; i++) {
    sort_opts[2 * i] = sorts[i].key;
    sort_opts[2 * i + 1] = _(sorts[i].label);
  }
  /* behind one button on a phone (a <details>, no JavaScript); open when a search, status or order is chosen
   * (the phase has its chips) */
  html(&r->out, "<details class=\"filter-box\"");
  if (*f->q || f->status != statuses[0] || f->sort != 0) html(&r->out, " open");
  html(&r->out, "><summary>%s</summary>", _("Search and filters"));
  html(&r->out, "<form method=\"get\" action=\"/caseload\" class=\"form filters\" role=\"search\">");
  field_input(r, &(Field){.name = "q", .label = _("Search by name"), .type = "search", .value = f->q,
                          .maxlength = SEARCH_MAX});
  field_select(r, &(Field){.name = "phase", .label = _("Phase"), .value = f->phase}, phase_opts);
  field_select(r, &(Field){.name = "status", .label = _("Status"), .value = f->status}, status_opts);
  field_select(r, &(Field){.name = "sort", .label = _("Sort by"), .value = sorts[f->sort].key}, sort_opts);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/caseload\">%s</a></div></form></details>",
       _("Show"), _("Clear filters"));
}

/* The phase chips: "All phases" and each phase with its count, as links that filter the list. */
static void phase_chips(Req *r, const Filter *f, const int64_t counts[PHASES], int64_t all) {
  html(&r->out, "<nav aria-label=\"%s\"><ul class=\"chips\">", _("Filter by phase"));
  for (int i = -1; i < PHASES; i++) {
    const char *code = i < 0 ? "" : trajectory_phases[i];
    html(&r->out, "<li><a class=\"chip\" href=\"");
    caseload_href(r, f, code, 1);
    html(&r->out, "\"");
    if (strcmp(code, f->phase) == 0) html(&r->out, " aria-current=\"true\"");
    html(&r->out, ">%s <span class=\"count\">%lld</span></a></li>", i < 0 ? _("All phases") : label_phase(code),
         (long long)(i < 0 ? all : counts[i]));
  }
  html(&r->out, "</ul></nav>");
}

/* The "next action" cell of a row: what is due first and when, marked when overdue (today: YYYY-MM-DD). */
static void next_cell(Req *r, const Row *w, const char *today) {
  html(&r->out, "<td>");
  if (!w->next_due) {
    html(&r->out, "<span class=\"muted\">%s</span></td>", _("Nothing planned"));
    return;
  }
  html(&r->out, "%s · ", w->next_what);
  if (strcmp(w->next_due, today) < 0)
    html(&r->out, "<span class=\"badge badge-warn\">%s</span>", arena_printf(r->a, _("overdue since %s"), w->next_due));
  else
    html(&r->out, "<span class=\"badge\">%s</span>", w->next_due);
  html(&r->out, "</td>");
}

/* The table of one page of rows. */
static void caseload_table(Req *r, const Row *rows, int n) {
  char today[11];
  date_format(date_today(), today);
  table_begin(r, NULL, _("Participants in your caseload"));
  html(&r->out, "<thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Participant"), _("Phase"), _("Next action"), _("Phase since"),
       _("Start date"), _("Employer"), _("Last activity"));
  for (int i = 0; i < n; i++) {
    char activity[11];
    date_format((int32_t)(rows[i].last_activity_at / 86400), activity);
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/t/%lld\">%s %s</a></th><td>%s</td>", (long long)rows[i].id,
         rows[i].first_name, rows[i].last_name, label_phase(rows[i].phase));
    next_cell(r, &rows[i], today);
    html(&r->out, "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", rows[i].phase_since, rows[i].started_on,
         rows[i].employer ? rows[i].employer : "", activity);
  }
  html(&r->out, "</tbody>");
  table_end(r);
}

/* "x–y of N" and the previous/next links, keeping the other parameters. */
static void pager(Req *r, const Filter *f, int n, int64_t total, int64_t pages) {
  int64_t first = (f->page - 1) * cfg.page_size + 1;
  html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
       arena_printf(r->a, _("%lld–%lld of %lld"), (long long)first, (long long)(first + n - 1), (long long)total));
  if (f->page > 1) {
    html(&r->out, "<a rel=\"prev\" href=\"");
    caseload_href(r, f, f->phase, f->page - 1);
    html(&r->out, "\">%s</a> ", _("Previous page"));
  }
  if (f->page < pages) {
    html(&r->out, "<a rel=\"next\" href=\"");
    caseload_href(r, f, f->phase, f->page + 1);
    html(&r->out, "\">%s</a>", _("Next page"));
  }
  html(&r->out, "</nav>");
}

/* What to show when the list is empty: why, and the way to register a participant. */
static void empty_state(Req *r, const Filter *f) {
  bool filtered = *f->q || *f->phase || strcmp(f->status, statuses[0]) != 0;
  html(&r->out, "<div class=\"empty\"><p>%s</p><p>",
       filtered ? _("No participants in your caseload match these filters.")
                : _("You have no participants in your caseload yet."));
  if (filtered) html(&r->out, "<a href=\"/caseload\">%s</a> · ", _("Clear filters"));
  html(&r->out, "<a href=\"/participants/new\">%s</a></p></div>", _("Register a participant"));
}

static int get_caseload(Req *r) {
  Filter f = filter_parse(r);
  int64_t counts[PHASES] = {0}, all = 0;
  int rc = count_phases(r, &f, counts);
  if (rc != DB_OK) return http_db_error(r, rc);
  for (int i = 0; i < PHASES; i++) all += counts[i];
  int64_t total = *f.phase ? counts[trajectory_phase_index(f.phase)] : all;
  int64_t pages = total ? (total + cfg.page_size - 1) / cfg.page_size : 1;
  if (f.page > pages) f.page = pages;
  Row *rows;
  int n;
  if ((rc = load_rows(r, &f, &rows, &n)) != DB_OK) return http_db_error(r, rc);
  /* one entry per participant listed, in one batch; an empty list is logged once without a participant */
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++)
    entries[i] = (AuditEntry){.participant_id = rows[i].participant_id, .trajectory_id = rows[i].id,
                              .item = "caseload", .action = *f.q ? "search" : "list", .outcome = "ok",
                              .grounds = grounds_name(GROUNDS_COACH)};
  if (!n)
    entries[0] = (AuditEntry){.item = "caseload", .action = *f.q ? "search" : "list", .outcome = "ok",
                              .grounds = grounds_name(GROUNDS_COACH)};
  if ((rc = audit_write_many(r, entries, n ? n : 1)) != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Caseload"));
  html(&r->out, "<h1>%s</h1>", _("My caseload"));
  search_form(r, &f);
  phase_chips(r, &f, counts, all);
  if (n == 0) empty_state(r, &f);
  else {
    caseload_table(r, rows, n);
    pager(r, &f, n, total, pages);
  }
  page_end(r);
  return 200;
}

const Route caseload_routes[] = {
    {"GET", "/caseload", ROLE_COACH, R_CASE, get_caseload},
    {0},
};

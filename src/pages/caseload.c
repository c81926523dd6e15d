/*
 * caseload.c — the coach's own caseload (/caseload): the trajectories the coach is assigned to, with a
 * name search, phase and status filters, a fixed set of sort orders and pagination.
 *
 * The rows and counts come from store/caseload.h, which reads only the trajectories reached through
 * POLICY_SQL_COACH_JOIN for the signed-in coach, in the phase counts as much as in the list. The query
 * parameters are checked here: the search is trimmed and bounded, the phase checked against the known
 * codes, and the sort key chooses one of the store's fixed orders. Each row also shows what is due next — the open
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
#include "store/caseload.h"


enum { PHASES = 8, SEARCH_MAX = 100 };

/* The sort orders: ?sort= picks one by key; the first is the default. */
static const struct {
  const char *key, *label;
  CaseloadSort sort;
} sorts[] = {
    {"activity", N_("Last activity (newest first)"), CASELOAD_BY_ACTIVITY},
    {"name", N_("Name"), CASELOAD_BY_NAME},
    {"phase", N_("Phase"), CASELOAD_BY_PHASE},
    {"start", N_("Start date (newest first)"), CASELOAD_BY_START},
};
enum { SORTS = sizeof sorts / sizeof *sorts };

/* The status filter values; the first is the default. */
static const char *const statuses[] = {"open", N_("Open"), "closed", N_("Closed"), "all", N_("All"), NULL};

/* The list's parameters, from the query string, each already checked. */
typedef struct Filter {
  const char *q;      /* search text, trimmed; "" for none */
  const char *phase;  /* a known phase code, or "" */
  const char *status; /* "open", "closed" or "all" */
  int sort;           /* index into sorts */
  int64_t page;       /* 1-based, clamped to the last page once the total is known */
} Filter;

/* Reads and checks the query parameters; anything unknown falls back to its default. */
static Filter filter_parse(Req *r) {
  Filter f = {.phase = "", .status = statuses[0], .sort = 0};
  f.q = text_trim(arena_strdup(r->a, query_str(r, "q")));
  if (text_chars(f.q) > SEARCH_MAX) f.q = "";
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

/* The store's query for f. */
static CaseloadQuery filter_query(const Filter *f) {
  return (CaseloadQuery){.search = f->q, .phase = f->phase, .status = f->status, .sort = sorts[f->sort].sort};
}

/* Counts the coach's trajectories per phase (status and search applied, phase filter not) into counts,
 * indexed like trajectory_phases. Returns a DB code. */
static int count_phases(Req *r, const Filter *f, int64_t counts[PHASES]) {
  CaseloadQuery q = filter_query(f);
  CaseloadPhaseCount *pc;
  int n;
  int rc = caseload_phase_counts(r->db, r->a, r->user, &q, &pc, &n);
  for (int k = 0; rc == DB_OK && k < n; k++) {
    int i = trajectory_phase_index(pc[k].phase);
    if (i >= 0) counts[i] = pc[k].n;
  }
  return rc;
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
static void next_cell(Req *r, const CaseloadRow *w, const char *today) {
  html(&r->out, "<td>");
  if (!w->next_due) {
    html(&r->out, "<span class=\"muted\">%s</span></td>", _("Nothing planned"));
    return;
  }
  html(&r->out, "%s · ", w->next_kind ? followup_kind_label(w->next_kind) : w->next_what);
  if (strcmp(w->next_due, today) < 0)
    html(&r->out, "<span class=\"badge badge-warn\">%s</span>", arena_printf(r->a, _("overdue since %s"), w->next_due));
  else
    html(&r->out, "<span class=\"badge\">%s</span>", w->next_due);
  html(&r->out, "</td>");
}

/* The table of one page of rows. */
static void caseload_table(Req *r, const CaseloadRow *rows, int n) {
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
  CaseloadQuery q = filter_query(&f);
  CaseloadRow *rows = NULL;
  int n = 0, rc;
  /* the first page without a phase filter, when not full, holds every trajectory the phase counts count
   * (same status and search): they are tallied from it instead of by a second query */
  bool whole = false;
  if (f.page == 1 && !*f.phase) {
    if ((rc = caseload_list(r->db, r->a, r->user, &q, cfg.page_size, 0, &rows, &n)) != DB_OK)
      return http_db_error(r, rc);
    whole = n < cfg.page_size;
    for (int i = 0; whole && i < n; i++) {
      int k = trajectory_phase_index(rows[i].phase);
      if (k >= 0) counts[k]++;
    }
  }
  if (!whole && (rc = count_phases(r, &f, counts)) != DB_OK) return http_db_error(r, rc);
  for (int i = 0; i < PHASES; i++) all += counts[i];
  int64_t total = *f.phase ? counts[trajectory_phase_index(f.phase)] : all;
  int64_t pages = total ? (total + cfg.page_size - 1) / cfg.page_size : 1;
  if (f.page > pages) f.page = pages;
  if (!rows &&
      (rc = caseload_list(r->db, r->a, r->user, &q, cfg.page_size, (f.page - 1) * cfg.page_size, &rows, &n)) != DB_OK)
    return http_db_error(r, rc);
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

/*
 * reports.c — the outcome reports (/reports) for the team lead (their team) and the programme manager
 * (every team): per period (a year, a quarter or a month), team and coach, the flow of trajectories,
 * outcomes at closure, durations, hours at closure, work at 3, 6 and 12 months, the change in the K10 and
 * work-ability scores, time spent and the IPS fidelity items the data can show. Aggregates only, with
 * small cells suppressed by the rules of policy/reports_policy.h; every table has a CSV download
 * (/reports.csv?table=...) and the charts beside the tables are server-drawn SVG (render/svgchart.h).
 * Every view and download is written to the access log (no participant: the item names the report).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/reports_policy.h"
#include "render/svgchart.h"
#include "store/reports.h"
#include "store/surveys.h"

enum { YEARS_BACK = 10, MAX_COLS = 5 };

/* Outcome labels, in report_outcomes' order (the same English as the closure form's). */
static const char *const outcome_labels[] = {
    N_("Kept own job"), N_("Returned to own job"), N_("Other function at the same employer"), N_("New employer"),
    N_("Referred to career guidance"), N_("Referred to specialised care"), N_("No work prospect"),
    N_("Stopped by the participant")};

/* ---------------------------------------------------------------------------------------- the model */

/* One table of the report: its cells as the page shows them (suppressed ones as "fewer than 5"), and
 * the values of its chart column. */
typedef struct RTable {
  const char *id, *caption, *note;
  int ncols;
  const char *cols[MAX_COLS]; /* column headers after the row header */
  int nrows, cap;
  const char **rows;          /* row headers */
  const char **cells;         /* nrows * ncols */
  double *chart_v;            /* per row: the chart column's value */
  bool *chart_shown;
  int chart_col;              /* -1: no chart */
  const char *total_label;
  const char *total[MAX_COLS];
} RTable;

typedef struct Report {
  Req *r;
  ReportScope s;
  int32_t from, to;
  ReportFact *facts;
  int nfacts;
  ReportCoach *coaches;
  int ncoaches;
  ReportTeam *teams;
  int nteams;
  SurveySummary surveys[2];
  bool survey_hidden[2]; /* the responses' count may not be shown (rules 1 and 2 over the survey selections) */
  RTable t[10];
  int nt;
  /* the counts of the year per measure key, month and unit (a coach with their team), so that a count of
   * any selection is a sum over a few cells instead of a pass over every trajectory (cube_build) */
  int nunits;
  int64_t *unit_coach, *unit_team;
  int32_t *cube; /* [N_KEYS][12][nunits] */
} Report;

static RTable *table_new(Report *rp, const char *id, const char *caption, int ncols) {
  RTable *t = &rp->t[rp->nt++];
  *t = (RTable){.id = id, .caption = caption, .ncols = ncols, .chart_col = -1, .cap = 16};
  t->rows = arena_alloc(rp->r->a, sizeof *t->rows * 16);
  t->cells = arena_alloc(rp->r->a, sizeof *t->cells * 16 * MAX_COLS);
  t->chart_v = arena_alloc(rp->r->a, sizeof *t->chart_v * 16);
  t->chart_shown = arena_alloc(rp->r->a, sizeof *t->chart_shown * 16);
  return t;
}

/* Adds a row; returns its index. */
static int table_row(Report *rp, RTable *t, const char *label) {
  if (t->nrows == t->cap) {
    Arena *a = rp->r->a;
    int cap = t->cap * 2;
    const char **rows = arena_alloc(a, sizeof *rows * (size_t)cap);
    const char **cells = arena_alloc(a, sizeof *cells * (size_t)cap * MAX_COLS);
    double *v = arena_alloc(a, sizeof *v * (size_t)cap);
    bool *sh = arena_alloc(a, sizeof *sh * (size_t)cap);
    memcpy(rows, t->rows, sizeof *rows * (size_t)t->nrows);
    memcpy(cells, t->cells, sizeof *cells * (size_t)t->nrows * MAX_COLS);
    memcpy(v, t->chart_v, sizeof *v * (size_t)t->nrows);
    memcpy(sh, t->chart_shown, sizeof *sh * (size_t)t->nrows);
    t->rows = rows, t->cells = cells, t->chart_v = v, t->chart_shown = sh, t->cap = cap;
  }
  t->rows[t->nrows] = label;
  return t->nrows++;
}

static void cell_set(RTable *t, int row, int col, const char *text) {
  t->cells[row * MAX_COLS + col] = text;
}

static const char *hidden_text(void) {
  return _("fewer than 5");
}

static const char *num_text(Req *r, int64_t n) {
  return arena_printf(r->a, "%lld", (long long)n);
}

/* ------------------------------------------------------------------------------------- counting */

typedef enum Measure {
  M_REGISTERED, M_STARTED, M_CLOSED, M_OUTCOME, M_CHECKIN, M_AT_WORK, M_NOT_AT_WORK, M_RETURNED,
  /* the trajectories a duration or an average is computed over (value_of gives the value) */
  M_ABSENCE_START, M_ABSENCE_RETURN, M_START_CLOSURE, M_START_EMPLOYER, M_HOURS, M_K10, M_WAS,
} Measure;

static bool in_unit(const ReportFact *f, const ReportScope *s) {
  return (!s->team_id || f->team_id == s->team_id) && (!s->coach_id || f->coach_id == s->coach_id);
}

static bool in_days(int32_t d, int32_t from, int32_t to) {
  return d && d >= from && d <= to;
}

static bool works(int outcome) {
  return outcome >= 0 && outcome <= 3;
}

/* Whether fact f counts for measure m (arg: the outcome index or the check-in index) in [from, to]. */
static bool counts(const ReportFact *f, Measure m, int arg, int32_t from, int32_t to) {
  switch (m) {
  case M_REGISTERED: return in_days(f->registered, from, to);
  case M_STARTED: return in_days(f->started, from, to);
  case M_CLOSED: return in_days(f->closed, from, to);
  case M_OUTCOME: return in_days(f->closed, from, to) && f->outcome == arg;
  case M_RETURNED: return in_days(f->closed, from, to) && works(f->outcome);
  case M_CHECKIN: return in_days(f->closed, from, to) && f->at_work[arg] >= 0;
  case M_AT_WORK: return in_days(f->closed, from, to) && f->at_work[arg] == 1;
  case M_NOT_AT_WORK: return in_days(f->closed, from, to) && f->at_work[arg] == 0;
  case M_ABSENCE_START: return in_days(f->started, from, to) && f->absence && f->started >= f->absence;
  case M_ABSENCE_RETURN:
    return in_days(f->closed, from, to) && works(f->outcome) && f->absence && f->closed >= f->absence;
  case M_START_CLOSURE: return in_days(f->closed, from, to) && f->started && f->closed >= f->started;
  case M_START_EMPLOYER:
    return in_days(f->started, from, to) && f->first_employer && f->first_employer >= f->started;
  case M_HOURS: return in_days(f->closed, from, to) && works(f->outcome) && f->hours_tenths >= 0;
  case M_K10: return in_days(f->closed, from, to) && f->has_k10;
  case M_WAS: return in_days(f->closed, from, to) && f->has_was;
  }
  return false;
}

/* The value of fact f for a duration or average measure (days, hours, score change, meeting hours). */
static double value_of(const ReportFact *f, Measure m) {
  switch (m) {
  case M_ABSENCE_START: return f->started - f->absence;
  case M_ABSENCE_RETURN: return f->closed - f->absence;
  case M_START_CLOSURE: return f->closed - f->started;
  case M_START_EMPLOYER: return f->first_employer - f->started;
  case M_HOURS: return f->hours_tenths / 10.0;
  case M_K10: return f->k10_change10 / 10.0;
  case M_WAS: return f->was_change10 / 10.0;
  case M_CLOSED: return f->minutes / 60.0;
  default: return 0;
  }
}

enum { N_KEYS = 28 };

/* The key of a measure with its argument in the cube. */
static int measure_key(Measure m, int arg) {
  switch (m) {
  case M_REGISTERED: return 0;
  case M_STARTED: return 1;
  case M_CLOSED: return 2;
  case M_OUTCOME: return 3 + arg;
  case M_CHECKIN: return 11 + arg;
  case M_AT_WORK: return 14 + arg;
  case M_NOT_AT_WORK: return 17 + arg;
  case M_RETURNED: return 20;
  default: return 21 + (int)(m - M_ABSENCE_START); /* the seven duration and average measures */
  }
}

/* The day a measure's period is decided by: registration, start or closure. */
static int32_t measure_day(const ReportFact *f, Measure m) {
  if (m == M_REGISTERED) return f->registered;
  if (m == M_STARTED || m == M_ABSENCE_START || m == M_START_EMPLOYER) return f->started;
  return f->closed;
}

/* Fills the cube from the facts of the year [yfrom, yto]. */
static void cube_build(Report *rp, int32_t yfrom, int32_t yto) {
  Arena *a = rp->r->a;
  int cap = 64;
  rp->unit_coach = arena_alloc(a, sizeof *rp->unit_coach * (size_t)cap);
  rp->unit_team = arena_alloc(a, sizeof *rp->unit_team * (size_t)cap);
  int *unit_of = arena_alloc(a, sizeof *unit_of * (size_t)(rp->nfacts + 1));
  for (int i = 0; i < rp->nfacts; i++) {
    const ReportFact *f = &rp->facts[i];
    int u = 0;
    while (u < rp->nunits && (rp->unit_coach[u] != f->coach_id || rp->unit_team[u] != f->team_id)) u++;
    if (u == rp->nunits) {
      if (u == cap) {
        int64_t *c = arena_alloc(a, sizeof *c * (size_t)cap * 2), *t = arena_alloc(a, sizeof *t * (size_t)cap * 2);
        memcpy(c, rp->unit_coach, sizeof *c * (size_t)cap);
        memcpy(t, rp->unit_team, sizeof *t * (size_t)cap);
        rp->unit_coach = c, rp->unit_team = t, cap *= 2;
      }
      rp->unit_coach[u] = f->coach_id, rp->unit_team[u] = f->team_id, rp->nunits++;
    }
    unit_of[i] = u;
  }
  int nu = rp->nunits ? rp->nunits : 1;
  rp->cube = arena_alloc(a, sizeof *rp->cube * (size_t)N_KEYS * 12 * (size_t)nu);
  static const struct {
    Measure m;
    int args;
  } keys[] = {{M_REGISTERED, 1}, {M_STARTED, 1}, {M_CLOSED, 1}, {M_OUTCOME, REPORT_OUTCOMES},
              {M_CHECKIN, REPORT_CHECKIN_MONTHS}, {M_AT_WORK, REPORT_CHECKIN_MONTHS},
              {M_NOT_AT_WORK, REPORT_CHECKIN_MONTHS}, {M_RETURNED, 1}, {M_ABSENCE_START, 1}, {M_ABSENCE_RETURN, 1},
              {M_START_CLOSURE, 1}, {M_START_EMPLOYER, 1}, {M_HOURS, 1}, {M_K10, 1}, {M_WAS, 1}};
  for (int i = 0; i < rp->nfacts; i++) {
    const ReportFact *f = &rp->facts[i];
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
      int32_t day = measure_day(f, keys[k].m);
      if (!in_days(day, yfrom, yto)) continue;
      int y;
      unsigned mo, d;
      civil_from_days(day, &y, &mo, &d);
      for (int arg = 0; arg < keys[k].args; arg++)
        if (counts(f, keys[k].m, arg, yfrom, yto))
          rp->cube[((size_t)measure_key(keys[k].m, arg) * 12 + (mo - 1)) * (size_t)nu + (size_t)unit_of[i]]++;
    }
  }
}

static int64_t count_in(const Report *rp, const ReportScope *s, Measure m, int arg) {
  int m0 = 0, m1 = 11;
  if (s->quarter) m0 = (s->quarter - 1) * 3, m1 = m0 + 2;
  if (s->month) m0 = m1 = s->month - 1;
  int nu = rp->nunits ? rp->nunits : 1;
  size_t key = (size_t)measure_key(m, arg);
  int64_t n = 0;
  for (int u = 0; u < rp->nunits; u++) {
    if ((s->team_id && rp->unit_team[u] != s->team_id) || (s->coach_id && rp->unit_coach[u] != s->coach_id)) continue;
    for (int mo = m0; mo <= m1; mo++) n += rp->cube[(key * 12 + (size_t)mo) * (size_t)nu + (size_t)u];
  }
  return n;
}

/* A count of the report's selection and whether it may be shown (rules 1 and 2). */
typedef struct Count {
  int64_t n;
  bool hidden;
} Count;

/* Rules 1 and 2 for the count of selection s: whether it may be shown; its value in *n. */
static bool count_shown(const Report *rp, const ReportScope *s, Measure m, int arg, int64_t *n) {
  int64_t wider[8];
  ReportScope w[8];
  *n = count_in(rp, s, m, arg);
  int nw = report_scope_wider(s, w);
  for (int i = 0; i < nw; i++) wider[i] = count_in(rp, &w[i], m, arg);
  return policy_report_count_shown(*n, wider, nw);
}

enum { MAX_SIBLINGS = 64 };

/* The selections that, with s, make up its parent in one dimension (the months of its quarter, the
 * quarters of its year, the coaches of its team, the teams), into sib (s among them, at *self), and the
 * parent into *parent. Returns how many; 0 when s has no parent in that dimension. */
static int siblings(const Report *rp, const ReportScope *s, bool period, ReportScope *sib, int *self,
                    ReportScope *parent) {
  int n = 0;
  *parent = *s;
  if (period && s->month) {
    parent->month = 0, parent->quarter = (s->month - 1) / 3 + 1;
    for (int mo = (parent->quarter - 1) * 3 + 1; mo <= parent->quarter * 3; mo++) {
      if (mo == s->month) *self = n;
      sib[n] = *s, sib[n++].month = mo;
    }
  } else if (period && s->quarter) {
    parent->quarter = 0;
    for (int q = 1; q <= 4; q++) {
      if (q == s->quarter) *self = n;
      sib[n] = *s, sib[n++].quarter = q;
    }
  } else if (!period && (s->coach_id || s->team_id > 0)) {
    bool coaches = s->coach_id != 0;
    parent->coach_id = 0, parent->coach_team = 0;
    if (!coaches) parent->team_id = 0;
    for (int u = 0; u < rp->nunits && n < MAX_SIBLINGS; u++) {
      int64_t id = coaches ? rp->unit_coach[u] : rp->unit_team[u];
      if (coaches && rp->unit_team[u] != s->team_id) continue;
      bool seen = false;
      for (int k = 0; k < n && !seen; k++) seen = (coaches ? sib[k].coach_id : sib[k].team_id) == id;
      if (seen) continue;
      sib[n] = *s;
      if (coaches) sib[n].coach_id = id;
      else sib[n].team_id = id;
      n++;
    }
    int64_t want = coaches ? s->coach_id : s->team_id;
    *self = -1;
    for (int k = 0; k < n; k++)
      if ((coaches ? sib[k].coach_id : sib[k].team_id) == want) *self = k;
    if (*self < 0) return 0; /* nothing counted for s: it is 0 and hidden anyway */
  }
  return n;
}

/* A count of selection s under the three rules: 1 and 2 (count_shown), and 3 across its siblings in each
 * dimension — the months of its quarter add up to the quarter, the coaches of a team to the team — so that
 * the other months' (coaches') reports subtracted from the parent's do not give away a hidden one. Every
 * sibling's page makes the same decision: it depends on the data only. */
static Count count_of(const Report *rp, const ReportScope *s, Measure m, int arg) {
  Count c;
  c.hidden = !count_shown(rp, s, m, arg, &c.n);
  for (int d = 0; d < 2 && !c.hidden; d++) {
    ReportScope sib[MAX_SIBLINGS], parent;
    int self = 0, n = siblings(rp, s, d == 0, sib, &self, &parent);
    int64_t total, cells[MAX_SIBLINGS];
    if (n < 2 || !count_shown(rp, &parent, m, arg, &total)) continue;
    bool hidden[MAX_SIBLINGS], total_hidden = false;
    for (int k = 0; k < n; k++) hidden[k] = !count_shown(rp, &sib[k], m, arg, &cells[k]);
    policy_report_complement(cells, hidden, n, total, &total_hidden);
    if (hidden[self]) c.hidden = true;
  }
  return c;
}

static const char *count_text(Req *r, Count c) {
  return c.hidden ? hidden_text() : num_text(r, c.n);
}

/* A percentage text of part in whole, or "—" when either may not be shown. */
static const char *pct_text(Req *r, Count part, Count whole) {
  if (part.hidden || whole.hidden || whole.n < REPORT_K) return "—";
  return arena_printf(r->a, "%lld %%", (long long)((part.n * 100 + whole.n / 2) / whole.n));
}

/* A figure derived from n trajectories: its text, or "—" (and *shown false) below REPORT_K. */
static const char *derived_text(Req *r, double v, int n, int decimals, bool sign, bool *shown) {
  *shown = n >= REPORT_K;
  if (!*shown) return "—";
  return sign ? arena_printf(r->a, "%+.*f", decimals, v) : arena_printf(r->a, "%.*f", decimals, v);
}

/* ------------------------------------------------------------------------------------- the tables */

static void build_flow(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "flow", _("Trajectories in the period"), 1);
  t->cols[0] = _("Trajectories");
  t->chart_col = 0;
  static const Measure ms[] = {M_REGISTERED, M_STARTED, M_CLOSED};
  const char *labels[] = {_("Referrals in (registered)"), _("Started (past registration)"), _("Closed")};
  for (int i = 0; i < 3; i++) {
    Count c = count_of(rp, &rp->s, ms[i], 0);
    int row = table_row(rp, t, labels[i]);
    cell_set(t, row, 0, count_text(r, c));
    t->chart_v[row] = (double)c.n, t->chart_shown[row] = !c.hidden;
  }
}

static void build_outcomes(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "outcomes", _("Outcome at closure"), 2);
  t->cols[0] = _("Trajectories");
  t->cols[1] = _("Share of the closures");
  t->chart_col = 0;
  Count closed = count_of(rp, &rp->s, M_CLOSED, 0);
  Count c[REPORT_OUTCOMES];
  int64_t cells[REPORT_OUTCOMES];
  bool hidden[REPORT_OUTCOMES];
  for (int i = 0; i < REPORT_OUTCOMES; i++) {
    c[i] = count_of(rp, &rp->s, M_OUTCOME, i);
    cells[i] = c[i].n, hidden[i] = c[i].hidden;
  }
  bool total_hidden = closed.hidden;
  if (!total_hidden) policy_report_complement(cells, hidden, REPORT_OUTCOMES, closed.n, &total_hidden);
  closed.hidden = total_hidden;
  for (int i = 0; i < REPORT_OUTCOMES; i++) {
    c[i].hidden = hidden[i];
    int row = table_row(rp, t, _(outcome_labels[i]));
    cell_set(t, row, 0, count_text(r, c[i]));
    cell_set(t, row, 1, pct_text(r, c[i], closed));
    t->chart_v[row] = (double)c[i].n, t->chart_shown[row] = !c[i].hidden;
  }
  t->total_label = _("Closed");
  t->total[0] = count_text(r, closed);
  t->total[1] = closed.hidden ? "—" : "100 %";
}

/* The values of measure m over the report's selection, into an arena array; their number in *n. */
static double *values_of(Report *rp, Measure m, int *n) {
  double *v = arena_alloc(rp->r->a, sizeof *v * (size_t)(rp->nfacts + 1));
  *n = 0;
  for (int i = 0; i < rp->nfacts; i++)
    if (in_unit(&rp->facts[i], &rp->s) && counts(&rp->facts[i], m, 0, rp->from, rp->to))
      v[(*n)++] = value_of(&rp->facts[i], m);
  return v;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Adds a row "label: figure, trajectories" for measure m: the median (median true) or the average of its
 * values, shown only when the number of trajectories may be shown. */
static void figure_row(Report *rp, RTable *t, const char *label, Measure m, bool median, int decimals, bool sign) {
  Req *r = rp->r;
  int n;
  double *v = values_of(rp, m, &n), fig = 0;
  Count c = count_of(rp, &rp->s, m, 0);
  if (n && median) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    fig = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  } else if (n) {
    for (int i = 0; i < n; i++) fig += v[i];
    fig /= n;
  }
  int row = table_row(rp, t, label);
  bool shown;
  cell_set(t, row, 0, c.hidden ? "—" : derived_text(r, fig, n, decimals, sign, &shown));
  cell_set(t, row, 1, count_text(r, c));
  t->chart_v[row] = fig, t->chart_shown[row] = !c.hidden && fig >= 0;
}

static void build_durations(Report *rp) {
  RTable *t = table_new(rp, "durations", _("Time taken, in days (median)"), 2);
  t->cols[0] = _("Median days");
  t->cols[1] = _("Trajectories");
  t->chart_col = 0;
  figure_row(rp, t, _("From the first day of absence to the start"), M_ABSENCE_START, true, 0, false);
  figure_row(rp, t, _("From the first day of absence to the return to work"), M_ABSENCE_RETURN, true, 0, false);
  figure_row(rp, t, _("From the start to the closure"), M_START_CLOSURE, true, 0, false);
  figure_row(rp, t, _("From the start to the first contact with the employer"), M_START_EMPLOYER, true, 0, false);
  t->note = _("The return to work is the closure with an outcome with work. A full return (back at the hours "
              "before the absence) is not recorded separately.");
}

static void build_closure(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "closure", _("Hours, scores and time spent"), 2);
  t->cols[0] = _("Average");
  t->cols[1] = _("Trajectories");
  figure_row(rp, t, _("Hours a week at closure (with work)"), M_HOURS, false, 1, false);
  figure_row(rp, t, _("Change in K10 score from intake to closure (lower is better)"), M_K10, false, 1, true);
  figure_row(rp, t, _("Change in work-ability score from intake to closure (higher is better)"), M_WAS, false, 1, true);
  figure_row(rp, t, _("Hours of meetings and contact moments per closed trajectory"), M_CLOSED, false, 1, false);
  int64_t field = 0, all = 0;
  for (int i = 0; i < rp->nfacts; i++) {
    const ReportFact *f = &rp->facts[i];
    if (in_unit(f, &rp->s) && in_days(f->closed, rp->from, rp->to)) field += f->field_minutes, all += f->minutes;
  }
  Count closed = count_of(rp, &rp->s, M_CLOSED, 0);
  int row = table_row(rp, t, _("Share of that time spent in the field (%)"));
  bool shown;
  cell_set(t, row, 0, closed.hidden || !all ? "—"
                                            : derived_text(r, (double)field * 100.0 / (double)all, (int)closed.n, 0,
                                                           false, &shown));
  cell_set(t, row, 1, count_text(r, closed));
}

static void build_retention(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "retention", _("Still at work after the closure"), 3);
  t->cols[0] = _("Check-ins recorded");
  t->cols[1] = _("At work");
  t->cols[2] = _("Share at work");
  t->chart_col = 2;
  for (int k = 0; k < REPORT_CHECKIN_MONTHS; k++) {
    Count all = count_of(rp, &rp->s, M_CHECKIN, k), yes = count_of(rp, &rp->s, M_AT_WORK, k),
          no = count_of(rp, &rp->s, M_NOT_AT_WORK, k);
    int64_t cells[2] = {yes.n, no.n};
    bool hidden[2] = {yes.hidden, no.hidden}, total_hidden = all.hidden;
    if (!total_hidden) policy_report_complement(cells, hidden, 2, all.n, &total_hidden);
    yes.hidden = hidden[0], all.hidden = total_hidden;
    int row = table_row(rp, t, arena_printf(r->a, P_("after %d month", "after %d months", report_checkin_months[k]),
                                            report_checkin_months[k]));
    cell_set(t, row, 0, count_text(r, all));
    cell_set(t, row, 1, count_text(r, yes));
    const char *pct = pct_text(r, yes, all);
    cell_set(t, row, 2, pct);
    t->chart_shown[row] = strcmp(pct, "—") != 0;
    t->chart_v[row] = t->chart_shown[row] ? (double)yes.n * 100.0 / (double)all.n : 0;
  }
}

static void build_coaches(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "coaches", _("Per coach"), 4);
  t->cols[0] = _("Referrals in");
  t->cols[1] = _("Started");
  t->cols[2] = _("Closed");
  t->cols[3] = _("Open now");
  t->chart_col = 3;
  int at_most = 0, ncoach = 0;
  static const Measure ms[] = {M_REGISTERED, M_STARTED, M_CLOSED};
  Count *cc = arena_alloc(r->a, sizeof *cc * (size_t)(rp->ncoaches + 1) * 3);
  for (int i = 0; i < rp->ncoaches; i++) {
    const ReportCoach *c = &rp->coaches[i];
    if (rp->s.team_id && c->team_id != rp->s.team_id) continue;
    if (rp->s.coach_id && c->id != rp->s.coach_id) continue;
    ReportScope cs = rp->s;
    cs.coach_id = c->id, cs.coach_team = c->team_id, cs.team_id = c->team_id;
    int row = table_row(rp, t, c->name);
    for (int k = 0; k < 3; k++) cc[row * 3 + k] = count_of(rp, &cs, ms[k], 0);
    Count open = {c->open_now, !policy_report_count_ok(c->open_now)};
    const char *txt = count_text(r, open);
    if (c->open_now > cfg.caseload_max) txt = arena_printf(r->a, "%s (%s)", txt, _("above the maximum"));
    cell_set(t, row, 3, txt);
    t->chart_v[row] = (double)c->open_now, t->chart_shown[row] = !open.hidden;
    ncoach++;
    if (c->open_now <= cfg.caseload_max) at_most++;
  }
  /* the coaches of a column add up to the count of the selection: what is hidden must not be worked out */
  for (int k = 0; k < 3; k++) {
    Count total = count_of(rp, &rp->s, ms[k], 0);
    int64_t *cells = arena_alloc(r->a, sizeof *cells * (size_t)(t->nrows + 1));
    bool *hidden = arena_alloc(r->a, sizeof *hidden * (size_t)(t->nrows + 1)), total_hidden = total.hidden;
    for (int i = 0; i < t->nrows; i++) cells[i] = cc[i * 3 + k].n, hidden[i] = cc[i * 3 + k].hidden;
    policy_report_complement(cells, hidden, t->nrows, total.n, &total_hidden);
    for (int i = 0; i < t->nrows; i++) {
      cc[i * 3 + k].hidden = hidden[i] || total_hidden;
      cell_set(t, i, k, count_text(r, cc[i * 3 + k]));
    }
  }
  t->note = arena_printf(r->a, _("The maximum caseload is %d open trajectories per coach (IPS fidelity: at most 20)."),
                         cfg.caseload_max);
  RTable *fid = table_new(rp, "fidelity", _("IPS fidelity items the data can show"), 1);
  fid->cols[0] = _("Value");
  int row = table_row(rp, fid, _("Coaches at or under the maximum caseload"));
  cell_set(fid, row, 0, ncoach >= REPORT_K ? arena_printf(r->a, "%d / %d", at_most, ncoach) : "—");
}

static void build_surveys(Report *rp) {
  Req *r = rp->r;
  RTable *t = table_new(rp, "surveys", _("Experience surveys"), 3);
  t->cols[0] = _("Responses");
  t->cols[1] = _("Average satisfaction (1-5)");
  t->cols[2] = _("Would recommend");
  const char *labels[2] = {_("Participants"), _("Employers")};
  for (int k = 0; k < 2; k++) {
    const SurveySummary *s = &rp->surveys[k];
    int row = table_row(rp, t, labels[k]);
    bool ok = !rp->survey_hidden[k];
    cell_set(t, row, 0, ok ? num_text(r, s->n) : hidden_text());
    cell_set(t, row, 1, ok ? arena_printf(r->a, "%.1f", (double)s->satisfaction_sum / (double)s->n) : "—");
    cell_set(t, row, 2, ok ? arena_printf(r->a, "%lld %%", (long long)((s->recommend * 100 + s->n / 2) / s->n)) : "—");
  }
}

/* ------------------------------------------------------------------------------------- the request */

/* Reads the selection from the query string into rp->s. False (with the message in *err) for a value
 * the form does not offer. */
static bool parse_scope(Report *rp, const char **err) {
  Req *r = rp->r;
  int this_year;
  unsigned mm, dd;
  civil_from_days(date_today(), &this_year, &mm, &dd);
  rp->s = (ReportScope){.year = this_year};
  const char *y = query_str(r, "year"), *p = query_str(r, "period"), *team = query_str(r, "team"),
             *coach = query_str(r, "coach");
  if (*y) {
    char *end;
    long v = strtol(y, &end, 10);
    if (*end || v < this_year - YEARS_BACK || v > this_year) return *err = _("Choose a year from the list."), false;
    rp->s.year = (int)v;
  }
  if (*p && strcmp(p, "year") != 0) {
    char *end;
    long v = strtol(p + 1, &end, 10);
    if (p[0] == 'q' && !*end && end != p + 1 && v >= 1 && v <= 4) rp->s.quarter = (int)v;
    else if (p[0] == 'm' && !*end && end != p + 1 && v >= 1 && v <= 12) rp->s.month = (int)v;
    else return *err = _("Choose a period from the list."), false;
  }
  if (*team) {
    int64_t id = atoll(team);
    bool found = false;
    for (int i = 0; i < rp->nteams; i++) found = found || rp->teams[i].id == id;
    if (!found) return *err = _("Choose a team from the list."), false;
    rp->s.team_id = id;
  }
  if (*coach) {
    int64_t id = atoll(coach);
    bool found = false;
    for (int i = 0; i < rp->ncoaches; i++)
      if (rp->coaches[i].id == id) found = true, rp->s.coach_team = rp->coaches[i].team_id;
    if (!found) return *err = _("Choose a coach from the list."), false;
    rp->s.coach_id = id;
  }
  policy_reports_scope(r->user, &rp->s);
  return true;
}

/* Loads what the report needs and builds its tables. Returns 0, or an error status already rendered. */
static int report_load(Report *rp) {
  Req *r = rp->r;
  int rc = db_snapshot_begin(r->db);
  if (rc == DB_OK) rc = reports_teams(r->db, r->a, r->user, &rp->teams, &rp->nteams);
  if (rc == DB_OK) rc = reports_coaches(r->db, r->a, r->user, &rp->coaches, &rp->ncoaches);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *err = NULL;
  if (!parse_scope(rp, &err)) return http_error(r, 400, err);
  ReportScope year = rp->s;
  year.quarter = year.month = 0;
  int32_t yfrom, yto;
  report_period_days(&year, &yfrom, &yto);
  report_period_days(&rp->s, &rp->from, &rp->to);
  rc = reports_facts(r->db, r->a, r->user, yfrom, yto, (int64_t)time(NULL), &rp->facts, &rp->nfacts);
  if (rc == DB_OK) cube_build(rp, yfrom, yto);
  if (rc == DB_OK) {
    char from[11], to[11];
    date_format(rp->from, from);
    date_format(rp->to, to);
    rc = surveys_summary(r->db, r->a, r->user, from, to, rp->s.team_id, policy_reports_remarks(r->user), rp->surveys);
  }
  /* the surveys know the team and the month, not the coach: their wider selections are the team's and the
   * programme's in the period, its quarter and its year */
  ReportScope w[8];
  int nw = rc == DB_OK ? report_scope_wider(&rp->s, w) : 0;
  int64_t wider[2][8];
  for (int i = 0; i < nw && rc == DB_OK; i++) {
    int32_t f0, t0;
    char from[11], to[11];
    report_period_days(&w[i], &f0, &t0);
    date_format(f0, from);
    date_format(t0, to);
    SurveySummary ws[2];
    rc = surveys_summary(r->db, r->a, r->user, from, to, w[i].team_id, false, ws);
    for (int k = 0; k < 2; k++) wider[k][i] = ws[k].n;
  }
  for (int k = 0; k < 2; k++) rp->survey_hidden[k] = !policy_report_count_shown(rp->surveys[k].n, wider[k], nw);
  if (rc != DB_OK) return http_db_error(r, rc);
  build_flow(rp);
  build_outcomes(rp);
  build_durations(rp);
  build_closure(rp);
  build_retention(rp);
  if (!rp->s.coach_id) build_coaches(rp);
  build_surveys(rp);
  return 0;
}

/* The access-log item naming the report: "report[:table]:YEAR[-qN|-mN]:team=N:coach=N". */
static const char *report_item(Req *r, const ReportScope *s, const char *table) {
  const char *period = s->month ? arena_printf(r->a, "%d-m%d", s->year, s->month)
                       : s->quarter ? arena_printf(r->a, "%d-q%d", s->year, s->quarter)
                                    : arena_printf(r->a, "%d", s->year);
  return arena_printf(r->a, "report%s%s:%s:team=%lld:coach=%lld", table ? ":" : "", table ? table : "", period,
                      (long long)s->team_id, (long long)s->coach_id);
}

/* The query string of the selection, for the CSV links (arena; starts with '&'). */
static void scope_query(Req *r, const ReportScope *s) {
  html(&r->out, "&amp;year=%d", s->year);
  if (s->quarter) html(&r->out, "&amp;period=q%d", s->quarter);
  if (s->month) html(&r->out, "&amp;period=m%d", s->month);
  if (s->team_id > 0) html(&r->out, "&amp;team=%lld", (long long)s->team_id);
  if (s->coach_id) html(&r->out, "&amp;coach=%lld", (long long)s->coach_id);
}

static void scope_form(Report *rp) {
  Req *r = rp->r;
  Arena *a = r->a;
  int this_year;
  unsigned mm, dd;
  civil_from_days(date_today(), &this_year, &mm, &dd);
  html(&r->out, "<form method=\"get\" action=\"/reports\" class=\"filters\">");
  const char **years = arena_alloc(a, sizeof *years * (YEARS_BACK * 2 + 4));
  int k = 0;
  for (int y = this_year; y >= this_year - YEARS_BACK; y--) {
    years[k] = arena_printf(a, "%d", y);
    years[k + 1] = years[k];
    k += 2;
  }
  field_select(r, &(Field){.name = "year", .label = _("Year"), .required = true, .value = arena_printf(a, "%d", rp->s.year)}, years);
  static const char *const months[] = {N_("January"), N_("February"), N_("March"),     N_("April"),
                                       N_("May"),     N_("June"),     N_("July"),      N_("August"),
                                       N_("September"), N_("October"), N_("November"), N_("December")};
  const char **periods = arena_alloc(a, sizeof *periods * 40);
  k = 0;
  periods[k++] = "year", periods[k++] = _("The whole year");
  for (int q = 1; q <= 4; q++) periods[k++] = arena_printf(a, "q%d", q), periods[k++] = arena_printf(a, _("Quarter %d"), q);
  for (int m = 1; m <= 12; m++) periods[k++] = arena_printf(a, "m%d", m), periods[k++] = _(months[m - 1]);
  const char *cur = rp->s.month ? arena_printf(a, "m%d", rp->s.month) : rp->s.quarter ? arena_printf(a, "q%d", rp->s.quarter) : "year";
  field_select(r, &(Field){.name = "period", .label = _("Period"), .required = true, .value = cur}, periods);
  if (r->user->roles & ROLE_PROGRAMME) {
    const char **teams = arena_alloc(a, sizeof *teams * (size_t)(rp->nteams * 2 + 3));
    k = 0;
    teams[k++] = "", teams[k++] = _("Every team");
    for (int i = 0; i < rp->nteams; i++)
      teams[k++] = arena_printf(a, "%lld", (long long)rp->teams[i].id), teams[k++] = rp->teams[i].name;
    field_select(r, &(Field){.name = "team", .label = _("Team"),
                             .value = rp->s.team_id > 0 ? arena_printf(a, "%lld", (long long)rp->s.team_id) : ""},
                 teams);
  }
  const char **coaches = arena_alloc(a, sizeof *coaches * (size_t)(rp->ncoaches * 2 + 3));
  k = 0;
  coaches[k++] = "", coaches[k++] = _("Every coach");
  for (int i = 0; i < rp->ncoaches; i++) {
    if (!(r->user->roles & ROLE_PROGRAMME) && rp->coaches[i].team_id != r->user->org_id) continue;
    coaches[k++] = arena_printf(a, "%lld", (long long)rp->coaches[i].id), coaches[k++] = rp->coaches[i].name;
  }
  field_select(r, &(Field){.name = "coach", .label = _("Coach"),
                           .value = rp->s.coach_id ? arena_printf(a, "%lld", (long long)rp->s.coach_id) : ""},
               coaches);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div></form>",
       _("Show the report"));
}

static void table_html(Report *rp, const RTable *t) {
  Req *r = rp->r;
  html(&r->out, "<section class=\"report-table\" id=\"report-%s\">", t->id);
  if (t->chart_col >= 0 && t->nrows) {
    ChartBar *bars = arena_alloc(r->a, sizeof *bars * (size_t)t->nrows);
    for (int i = 0; i < t->nrows; i++)
      bars[i] = (ChartBar){.label = t->rows[i], .value = t->chart_v[i], .shown = t->chart_shown[i],
                           .text = t->cells[i * MAX_COLS + t->chart_col]};
    html(&r->out, "<figure class=\"chart\">");
    html_markup(&r->out,
                svgchart_bars(r->a, &(Chart){.id = arena_printf(r->a, "chart-%s", t->id), .title = t->caption,
                                             .desc = _("Bar chart of the table below; the table gives the same figures."),
                                             .bars = bars, .nbars = t->nrows}));
    html(&r->out, "</figure>");
  }
  table_begin(r, NULL, t->caption);
  html(&r->out, "<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">%s</span></th>", _("Figure"));
  for (int c = 0; c < t->ncols; c++) html(&r->out, "<th scope=\"col\">%s</th>", t->cols[c]);
  html(&r->out, "</tr></thead><tbody>");
  for (int i = 0; i < t->nrows; i++) {
    html(&r->out, "<tr><th scope=\"row\">%s</th>", t->rows[i]);
    for (int c = 0; c < t->ncols; c++) html(&r->out, "<td>%s</td>", t->cells[i * MAX_COLS + c]);
    html(&r->out, "</tr>");
  }
  html(&r->out, "</tbody>");
  if (t->total_label) {
    html(&r->out, "<tfoot><tr><th scope=\"row\">%s</th>", t->total_label);
    for (int c = 0; c < t->ncols; c++) html(&r->out, "<td>%s</td>", t->total[c] ? t->total[c] : "");
    html(&r->out, "</tr></tfoot>");
  }
  table_end(r);
  if (t->note) html(&r->out, "<p class=\"muted small\">%s</p>", t->note);
  html(&r->out, "<p class=\"tools\"><a href=\"/reports.csv?table=%s", t->id);
  scope_query(r, &rp->s);
  html(&r->out, "\" download>%s</a></p></section>", arena_printf(r->a, _("Download “%s” as CSV"), t->caption));
}

static int get_reports(Req *r) {
  Report rp = {.r = r};
  int st = report_load(&rp);
  if (st) return st;
  int rc = audit_write(r, &(AuditEntry){.item = report_item(r, &rp.s, NULL), .action = "view", .outcome = "ok"});
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Outcome reports"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Outcome reports"),
       _("Figures only: no participant can be recognised. A number below 5 is shown as “fewer than 5”, and so is "
         "any number from which one could be worked out."));
  scope_form(&rp);
  for (int i = 0; i < rp.nt; i++) table_html(&rp, &rp.t[i]);
  /* open remarks: the programme manager only, of a group of respondents whose count is shown (at least 5) */
  if (policy_reports_remarks(r->user)) {
    int total = 0;
    for (int k = 0; k < 2; k++) total += rp.survey_hidden[k] ? 0 : rp.surveys[k].nremarks;
    if (total) {
      html(&r->out, "<section class=\"report-remarks\"><h2>%s</h2><ul>", _("Open remarks (not attributed)"));
      for (int k = 0; k < 2; k++)
        for (int i = 0; !rp.survey_hidden[k] && i < rp.surveys[k].nremarks; i++)
          html(&r->out, "<li>%s</li>", rp.surveys[k].remarks[i]);
      html(&r->out, "</ul></section>");
    }
  }
  page_end(r);
  return 200;
}

/* Whether s is a plain number ("-4.7", "+1.0", "12 %"), which no spreadsheet runs as a formula. */
static bool csv_number(const char *s) {
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  if (*p < '0' || *p > '9') return false;
  while ((*p >= '0' && *p <= '9') || *p == '.') p++;
  return !*p || strcmp(p, " %") == 0;
}

/* Writes one CSV field (RFC 4180): always quoted, quotes doubled, a leading = + - @ (or tab, CR) defused
 * with a single quote so that a spreadsheet does not run it as a formula (a plain number is left as is). */
static void csv_field(Req *r, const char *s, bool last) {
  buf_putc(&r->out, '"'); /* raw: CSV */
  if (s && *s && strchr("=+-@\t\r", *s) && !csv_number(s)) buf_putc(&r->out, '\''); /* raw: CSV */
  for (const char *p = s; p && *p; p++) {
    if (*p == '"') buf_putc(&r->out, '"'); /* raw: CSV */
    buf_putc(&r->out, *p); /* raw: CSV */
  }
  buf_puts(&r->out, last ? "\"\r\n" : "\","); /* raw: CSV */
}

static int get_reports_csv(Req *r) {
  Report rp = {.r = r};
  int st = report_load(&rp);
  if (st) return st;
  const char *id = query_str(r, "table");
  const RTable *t = NULL;
  for (int i = 0; i < rp.nt; i++)
    if (strcmp(rp.t[i].id, id) == 0) t = &rp.t[i];
  if (!t) return http_error(r, 400, _("Choose one of the report's tables to download."));
  int rc = audit_write(r, &(AuditEntry){.item = report_item(r, &rp.s, t->id), .action = "export", .outcome = "ok"});
  if (rc != DB_OK) return http_db_error(r, rc);
  csv_field(r, t->caption, false);
  for (int c = 0; c < t->ncols; c++) csv_field(r, t->cols[c], c == t->ncols - 1);
  for (int i = 0; i < t->nrows; i++) {
    csv_field(r, t->rows[i], false);
    for (int c = 0; c < t->ncols; c++) csv_field(r, t->cells[i * MAX_COLS + c], c == t->ncols - 1);
  }
  if (t->total_label) {
    csv_field(r, t->total_label, false);
    for (int c = 0; c < t->ncols; c++) csv_field(r, t->total[c], c == t->ncols - 1);
  }
  r->content_type = "text/csv; charset=utf-8";
  http_header(r, "Content-Disposition",
              arena_printf(r->a, "attachment; filename=\"report-%s-%d.csv\"", t->id, rp.s.year));
  return 200;
}

const Route reports_routes[] = {
    {"GET", "/reports", ROLE_TEAMLEAD | ROLE_PROGRAMME, 0, get_reports},
    {"GET", "/reports.csv", ROLE_TEAMLEAD | ROLE_PROGRAMME, R_NOFRAME, get_reports_csv},
    {0},
};

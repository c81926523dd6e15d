/*
 * reports_policy.c — see reports_policy.h: the scope of a report and the suppression of small cells.
 */
#include "policy/reports_policy.h"

#include "core/text.h"

bool policy_reports_allowed(const User *u) {
  return u && (u->roles & (ROLE_TEAMLEAD | ROLE_PROGRAMME));
}

void policy_reports_scope(const User *u, ReportScope *s) {
  if (!(u->roles & ROLE_PROGRAMME)) s->team_id = u->org_id ? u->org_id : -1; /* no team: nothing */
  if (s->coach_id && s->team_id && s->coach_team != s->team_id) s->coach_id = 0;
  if (s->coach_id && !s->team_id) s->team_id = s->coach_team;
}

bool policy_reports_remarks(const User *u) {
  return u && (u->roles & ROLE_PROGRAMME);
}

void report_period_days(const ReportScope *s, int32_t *from, int32_t *to) {
  unsigned m0 = 1, m1 = 12;
  if (s->quarter) m0 = (unsigned)(s->quarter - 1) * 3 + 1, m1 = m0 + 2;
  if (s->month) m0 = m1 = (unsigned)s->month;
  *from = days_from_civil(s->year, m0, 1);
  *to = m1 == 12 ? days_from_civil(s->year + 1, 1, 1) - 1 : days_from_civil(s->year, m1 + 1, 1) - 1;
}

int report_scope_wider(const ReportScope *s, ReportScope out[8]) {
  ReportScope periods[3], units[3];
  int np = 0, nu = 0;
  periods[np++] = *s;
  if (s->month) {
    ReportScope q = *s;
    q.month = 0, q.quarter = (s->month - 1) / 3 + 1;
    periods[np++] = q;
  }
  if (s->month || s->quarter) {
    ReportScope y = *s;
    y.month = y.quarter = 0;
    periods[np++] = y;
  }
  units[nu++] = (ReportScope){.team_id = s->team_id, .coach_id = s->coach_id, .coach_team = s->coach_team};
  if (s->coach_id) units[nu++] = (ReportScope){.team_id = s->team_id};
  if (s->team_id) units[nu++] = (ReportScope){0};
  int n = 0;
  for (int p = 0; p < np; p++)
    for (int u = 0; u < nu; u++) {
      if (p == 0 && u == 0) continue;
      out[n] = periods[p];
      out[n].team_id = units[u].team_id, out[n].coach_id = units[u].coach_id, out[n].coach_team = units[u].coach_team;
      n++;
    }
  return n;
}

bool policy_report_count_ok(int64_t n) {
  return n >= REPORT_K;
}

bool policy_report_count_shown(int64_t n, const int64_t *wider, int nwider) {
  if (!policy_report_count_ok(n)) return false;
  for (int i = 0; i < nwider; i++) {
    int64_t d = wider[i] - n;
    if (d != 0 && d < REPORT_K) return false;
  }
  return true;
}

void policy_report_complement(const int64_t *cells, bool *hidden, int n, int64_t total, bool *total_hidden) {
  if (*total_hidden) return;
  for (;;) {
    int64_t rest = total;
    for (int i = 0; i < n; i++)
      if (!hidden[i]) rest -= cells[i];
    if (rest == 0 || rest >= REPORT_K) return;
    int smallest = -1;
    for (int i = 0; i < n; i++)
      if (!hidden[i] && (smallest < 0 || cells[i] < cells[smallest])) smallest = i;
    if (smallest < 0) {
      *total_hidden = true;
      return;
    }
    hidden[smallest] = true;
  }
}

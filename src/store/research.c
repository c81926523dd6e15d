/*
 * research.c — see research.h.
 */
#include "store/research.h"

#include <ctype.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "store/reports.h"

/* Ten-year age bands at the start of the trajectory. */
static const char *age_band(const char *birth, int32_t start) {
  int32_t b;
  if (!birth || !date_parse(birth, &b) || !start) return "";
  int by, sy;
  unsigned bm, bd, sm, sd;
  civil_from_days(b, &by, &bm, &bd);
  civil_from_days(start, &sy, &sm, &sd);
  int age = sy - by - ((sm < bm || (sm == bm && sd < bd)) ? 1 : 0);
  if (age < 25) return "<25";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  return "55+";
}

static void month_of(const char *date, char out[8]) {
  out[0] = 0;
  if (date && strlen(date) >= 7) snprintf(out, 8, "%.7s", date);
}

int research_rows(Db *db, Arena *a, const User *u, ResearchRow **rows, int *n) {
  (void)u;
  *n = 0;
  Stmt *st = db_prepare(
      db, "SELECT t.id, t.participant_id, p.birth_date, t.status, t.phase, t.outcome, t.started_on, t.closed_on, "
          "t.absence_start, t.hours_per_week_tenths, COALESCE(ep.region, '') AS region, "
          "COALESCE(ep.size_band, '') AS size_band, "
          "(SELECT COUNT(*) FROM phase_history h WHERE h.trajectory_id = t.id) AS moves, "
          "(SELECT COUNT(*) FROM referrals rf WHERE rf.trajectory_id = t.id) AS referrals, "
          "(SELECT COUNT(*) FROM meetings m WHERE m.trajectory_id = t.id) AS meetings "
          "FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "LEFT JOIN employer_profiles ep ON ep.org_id = t.employer_org_id ORDER BY t.id");
  if (!st) return DB_ERROR;
  int cap = 256, rc;
  *rows = arena_alloc(a, sizeof **rows * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      ResearchRow *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
      memcpy(more, *rows, sizeof *more * (size_t)cap);
      *rows = more, cap *= 2;
    }
    ResearchRow *r = &(*rows)[(*n)++];
    int32_t start = 0, close = 0, absent = 0;
    const char *started = db_text(st, "started_on"), *closed = db_text(st, "closed_on"), *abs = db_text(st, "absence_start");
    bool is_closed = strcmp(db_text(st, "status"), "closed") == 0;
    if (started) date_parse(started, &start);
    if (is_closed && closed) date_parse(closed, &close);
    if (abs) date_parse(abs, &absent);
    *r = (ResearchRow){.participant_id = db_int(st, "participant_id"), .trajectory_id = db_int(st, "id"),
                       .meetings = (int)db_int(st, "meetings"),
                       .age_band = age_band(db_text(st, "birth_date"), start),
                       .region = db_text_copy(a, st, "region"), .employer_size = db_text_copy(a, st, "size_band"),
                       .outcome = is_closed && db_text(st, "outcome") ? db_text_copy(a, st, "outcome") : "",
                       .status = is_closed ? "closed" : "open", .phase = db_text_copy(a, st, "phase"),
                       .days_absence_to_start = start && absent && start >= absent ? start - absent : -1,
                       .days_start_to_close = start && close && close >= start ? close - start : -1,
                       .hours_tenths = is_closed && !db_null(st, "hours_per_week_tenths")
                                           ? (int)db_int(st, "hours_per_week_tenths") : -1,
                       .k10_change10 = INT_MIN, .was_change10 = INT_MIN, .at_work = {-1, -1, -1},
                       .phase_moves = (int)db_int(st, "moves"), .referrals = (int)db_int(st, "referrals")};
    month_of(started, r->start_month);
    if (is_closed) month_of(closed, r->close_month);
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  if (!*n) return DB_OK;
  /* scores, check-ins and meetings: the same facts as the outcome reports, over every year */
  ReportFact *facts;
  int nf;
  rc = reports_facts(db, a, u, days_from_civil(1900, 1, 1), days_from_civil(2200, 12, 31), INT64_MAX, &facts, &nf);
  if (rc != DB_OK) return rc;
  int k = 0;
  for (int i = 0; i < *n; i++) {
    ResearchRow *r = &(*rows)[i];
    int64_t tid = r->trajectory_id;
    while (k < nf && facts[k].tid < tid) k++;
    if (k == nf || facts[k].tid != tid) continue;
    const ReportFact *f = &facts[k];
    if (f->has_k10) r->k10_change10 = f->k10_change10;
    if (f->has_was) r->was_change10 = f->was_change10;
    for (int m = 0; m < 3; m++) r->at_work[m] = f->at_work[m];
    r->meeting_minutes = (int)f->minutes;
  }
  return DB_OK;
}

void research_recipient_key(const unsigned char secret[RESEARCH_KEY_BYTES], const char *recipient,
                            unsigned char key[RESEARCH_KEY_BYTES]) {
  char folded[256];
  size_t n = 0;
  while (*recipient == ' ') recipient++;
  for (const char *p = recipient; *p && n < sizeof folded - 1; p++) folded[n++] = (char)tolower((unsigned char)*p);
  while (n && folded[n - 1] == ' ') n--;
  folded[n] = 0;
  crypto_generichash_state st;
  crypto_generichash_init(&st, secret, RESEARCH_KEY_BYTES, RESEARCH_KEY_BYTES);
  static const char ctx[] = "zorgwerk research export v1\n";
  crypto_generichash_update(&st, (const unsigned char *)ctx, sizeof ctx - 1);
  crypto_generichash_update(&st, (const unsigned char *)folded, n);
  crypto_generichash_final(&st, key, RESEARCH_KEY_BYTES);
}

void research_pseudonymise(ResearchRow *rows, int n, const unsigned char key[RESEARCH_KEY_BYTES]) {
  for (int i = 0; i < n; i++) {
    char msg[48];
    int len = snprintf(msg, sizeof msg, "participant:%lld", (long long)rows[i].participant_id);
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, (unsigned long long)len, key, RESEARCH_KEY_BYTES);
    sodium_bin2hex(rows[i].pseudonym, sizeof rows[i].pseudonym, h, sizeof h);
    rows[i].participant_id = rows[i].trajectory_id = 0;
  }
}

/* The combination of quasi-identifiers of a row as one string (arena). */
static const char *qi_of(Arena *a, const ResearchRow *r) {
  return arena_printf(a, "%s|%s|%s|%s", r->age_band, r->region, r->employer_size, r->outcome);
}

/* Marks in small[] the kept rows whose combination occurs fewer than RESEARCH_K times among the kept rows;
 * returns how many. O(n^2) over the distinct combinations, fine for a programme's trajectories. */
static int mark_small(Arena *a, ResearchRow *rows, int n, bool *small) {
  const char **qi = arena_alloc(a, sizeof *qi * (size_t)(n + 1));
  for (int i = 0; i < n; i++) qi[i] = rows[i].dropped ? NULL : qi_of(a, &rows[i]);
  /* count per combination through a sorted index */
  int *idx = arena_alloc(a, sizeof *idx * (size_t)(n + 1));
  int m = 0;
  for (int i = 0; i < n; i++)
    if (qi[i]) idx[m++] = i;
  /* insertion into buckets by simple sort (qsort needs a global for the strings: do a shell sort) */
  for (int gap = m / 2; gap > 0; gap /= 2)
    for (int i = gap; i < m; i++)
      for (int j = i; j >= gap && strcmp(qi[idx[j - gap]], qi[idx[j]]) > 0; j -= gap) {
        int t = idx[j];
        idx[j] = idx[j - gap], idx[j - gap] = t;
      }
  int count = 0;
  for (int s = 0; s < m;) {
    int e = s;
    while (e < m && strcmp(qi[idx[e]], qi[idx[s]]) == 0) e++;
    for (int k = s; k < e; k++) {
      small[idx[k]] = e - s < RESEARCH_K;
      if (small[idx[k]]) count++;
    }
    s = e;
  }
  return count;
}

static const char *wide_age(const char *band) {
  if (!strcmp(band, "<25") || !strcmp(band, "25-34")) return "<35";
  if (!strcmp(band, "35-44") || !strcmp(band, "45-54")) return "35-54";
  if (!strcmp(band, "55+")) return "55+";
  return band;
}

static const char *wide_outcome(const char *o) {
  if (!*o) return o;
  static const char *const working[] = {"kept_own_job", "returned_own_job", "other_function_same_employer",
                                        "new_employer", NULL};
  for (int i = 0; working[i]; i++)
    if (!strcmp(o, working[i])) return "work";
  return "no_work";
}

void research_k_anonymise(Arena *a, ResearchRow *rows, int n, int *coarsened, int *dropped) {
  *coarsened = *dropped = 0;
  bool *small = arena_alloc(a, sizeof *small * (size_t)(n + 1));
  if (!mark_small(a, rows, n, small)) return;
  /* step 1: the small rows get the wide age band and lose region and size */
  for (int i = 0; i < n; i++)
    if (small[i]) {
      rows[i].age_band = wide_age(rows[i].age_band), rows[i].region = "*", rows[i].employer_size = "*";
      rows[i].coarsened = 1;
    }
  if (mark_small(a, rows, n, small)) {
    /* step 2: still small: the outcome becomes work / no work */
    for (int i = 0; i < n; i++)
      if (small[i]) rows[i].outcome = wide_outcome(rows[i].outcome), rows[i].coarsened = 2;
    if (mark_small(a, rows, n, small))
      for (int i = 0; i < n; i++)
        if (small[i]) rows[i].dropped = true;
  }
  /* the coarsened rows may have joined groups of rows that were big enough already: fine, they stay >= k */
  for (int i = 0; i < n; i++) {
    if (rows[i].dropped) (*dropped)++;
    else if (rows[i].coarsened) (*coarsened)++;
  }
}

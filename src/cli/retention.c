/*
 * retention.c — the retention rule run from cron (`zorgwerk retention run [--dry-run] [--as-of YYYY-MM-DD]`)
 * and daily inside the server: the case content of trajectories closed more than cfg.retention_case_years
 * ago is erased (store/retention.h), each erasure recorded in the access log in the same transaction. A dry
 * run counts, per kind, what would go, and writes nothing at all. --as-of sets the day the rule is applied
 * on (tests move the clock with it; a later day erases more).
 *
 * Only ids and counts reach the output and the server log, never content.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "core/worker.h"
#include "policy/audit.h"
#include "store/participants.h"
#include "store/retention.h"

/* What one pass did or would do. */
typedef struct Pass {
  char cutoff[11];
  int due, erased;
  int64_t counts[RETENTION_KINDS_MAX];
} Pass;

/* Applies the retention rule on day as_of (YYYY-MM-DD): every trajectory closed on or before as_of minus
 * cfg.retention_case_years is counted and, unless dry, erased in a transaction of its own with its
 * access-log entry (role "system", grounds "retention"). Returns a DB code; what was done is in *p. */
static int retention_pass(Db *db, const char *as_of, bool dry, Pass *p) {
  memset(p, 0, sizeof *p);
  int32_t day;
  if (!date_parse(as_of, &day)) return DB_ERROR;
  date_format(date_add_months(day, -12 * cfg.retention_case_years), p->cutoff);
  Arena *a = arena_new();
  int64_t *tids;
  int n, rc = retention_due(db, a, p->cutoff, &tids, &n);
  p->due = n;
  for (int i = 0; rc == DB_OK && i < n; i++) {
    int64_t counts[RETENTION_KINDS_MAX] = {0}, pid = 0;
    if (!dry && (rc = db_begin(db)) != DB_OK) break;
    rc = retention_count(db, tids[i], counts);
    if (rc == DB_OK && !dry) {
      if ((rc = participant_of_trajectory(db, tids[i], &pid)) == DB_OK)
        rc = retention_erase(db, tids[i], as_of, "retention", 0, (int64_t)time(NULL));
      if (rc == DB_OK)
        rc = audit_append(db, 0, "system", "", "", &(AuditEntry){.participant_id = pid, .trajectory_id = tids[i],
                                                                 .item = "case_content", .action = "delete",
                                                                 .outcome = "ok", .grounds = "retention"});
      if (rc == DB_OK) rc = db_commit(db);
      else if (rc == DB_DONE) { /* erased in the meantime */
        db_rollback(db);
        rc = DB_OK;
        continue;
      } else db_rollback(db);
      if (rc == DB_OK) p->erased++;
    }
    if (rc == DB_OK)
      for (int k = 0; k < retention_kinds(); k++) p->counts[k] += counts[k];
  }
  arena_free(a);
  /* one entry of its own for the pass, committed alone: it moves the access log's seal on past the erasures */
  if (rc == DB_OK && !dry && p->erased)
    rc = audit_append(db, 0, "system", "", "", &(AuditEntry){.item = "retention", .action = "delete", .outcome = "ok",
                                                             .grounds = "retention"});
  return rc;
}

int cmd_retention(int argc, char **argv) {
  bool dry = false;
  char as_of[11];
  date_format(date_today(), as_of);
  if (argc < 2 || strcmp(argv[1], "run") != 0) goto usage; /* argv[0]: "retention" */
  for (int i = 2; i < argc; i++) {
    int32_t d;
    if (strcmp(argv[i], "--dry-run") == 0) dry = true;
    else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc && date_parse(argv[i + 1], &d)) date_format(d, as_of), i++;
    else goto usage;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  if (!dry && audit_key_load() != KEY_OK) {
    fprintf(stderr, "zorgwerk: the access-log key cannot be used; the erasures could not be logged: nothing erased\n");
    db_close(db);
    return 1;
  }
  Pass p;
  int rc = retention_pass(db, as_of, dry, &p);
  db_close(db);
  printf("retention: case content is kept %d years after closure; as of %s that is trajectories closed on or "
         "before %s\n", cfg.retention_case_years, as_of, p.cutoff);
  printf(dry ? "dry run: %d trajectories would be erased (nothing was changed)\n" : "%d trajectories due\n", p.due);
  if (!dry) printf("erased: %d trajectories\n", p.erased);
  for (int k = 0; k < retention_kinds(); k++)
    printf("  %-24s %lld %s\n", retention_kind_name(k), (long long)p.counts[k], dry ? "rows would be erased" : "rows erased");
  printf("access log: kept (at least %d years, NEN 7513)\n", cfg.retention_log_years);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: retention stopped: %s\n", db_code_name(rc));
    return 1;
  }
  return 0;
usage:
  fprintf(stderr, "usage: zorgwerk retention run [--dry-run] [--as-of YYYY-MM-DD]\n");
  return 2;
}

/* ---- the daily job in the server */

enum { DAILY_EVERY_S = 24 * 3600, DAILY_CHECK_S = 3600 };

static Worker daily = WORKER_INIT;

static void *daily_main(void *arg) {
  (void)arg;
  Db *db = NULL;
  if (db_open(cfg.db, &db) != DB_OK) {
    log_error("retention: cannot open the database; the retention rule does not run");
    return NULL;
  }
  int64_t last = 0;
  while (!worker_stopping(&daily)) {
    int64_t now = (int64_t)time(NULL);
    if (now - last >= DAILY_EVERY_S) {
      last = now;
      char today[11];
      date_format(date_today(), today);
      Pass p;
      int rc = retention_pass(db, today, false, &p);
      if (rc != DB_OK) log_error("retention: the daily pass stopped: %s", db_code_name(rc));
      else if (p.erased) log_info("retention: %d trajectories erased (closed on or before %s)", p.erased, p.cutoff);
    }
    if (!worker_wait(&daily, DAILY_CHECK_S)) break;
  }
  db_close(db);
  return NULL;
}

bool retention_daily_start(void) {
  if (worker_start(&daily, daily_main)) return true;
  log_error("retention: cannot start the daily job");
  return false;
}

void retention_daily_stop(void) { worker_stop(&daily); }

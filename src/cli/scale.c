/*
 * scale.c — `zorgwerk scale-data [--participants N] [--log-entries M]`: fills a demo database for `make
 * bench-scale` (bench/scale.sh) with N synthetic participants (default 100,000), one coach per 40 of them
 * (2,500), one trajectory each (30 % open, in every phase; the rest closed) and M access-log entries (default
 * 10,000,000) on the valid keyed chain, spread over five years; then verifies the whole chain, seals its head
 * and sets the verified checkpoint (audit_reseal), as `demo` leaves a database.
 *
 * Both drivers (the `db` setting). Speed: everything is written with multi-row INSERTs (BATCH_ROWS rows a
 * statement, one round trip on PostgreSQL) in big transactions, the chain's hashes computed here, in order,
 * so 10 M entries take minutes. The new trajectories get their protocol steps and first phase-history row as
 * the store's protocol_on_insert gives them, set-based (protocol_start_all); on PostgreSQL the identity
 * sequences are moved past the ids written here, and the tables are vacuumed and analysed at the end. Not a test fixture and never for a production database: it
 * refuses a database without the demo's team lead. Synthetic names only ("Deelnemer S0000001").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/user.h"
#include "cli/cli.h"
#include "core/text.h"
#include "db/pgddl.h"
#include "policy/audit.h"
#include "store/audit_chain.h"

enum { LOG_BATCH = 200000, BATCH_ROWS = 500, BATCH_COLS = 16 };

/* A multi-row INSERT being collected: up to BATCH_ROWS rows of ncol values, kept here (texts copied) until
 * batch_flush prepares "INSERT INTO <head> VALUES (?, ...), (?, ...)..." for the rows collected, binds them
 * and runs it. One statement per row count (the full one and the last, shorter one) lands in the cache. */
typedef struct {
  bool text, null;
  int64_t i;
  char s[72];
} BatchVal;
typedef struct {
  const char *head; /* "table (col, col...)" */
  int ncol, rows;
  BatchVal v[BATCH_ROWS * BATCH_COLS];
} Batch;

static BatchVal *batch_at(Batch *b, int col) { return &b->v[b->rows * b->ncol + col]; }
static void bv_int(Batch *b, int col, int64_t v) { *batch_at(b, col) = (BatchVal){.i = v}; }
static void bv_text(Batch *b, int col, const char *s) {
  BatchVal *v = batch_at(b, col);
  v->text = true;
  v->null = s == NULL;
  if (s) snprintf(v->s, sizeof v->s, "%s", s);
}

/* Runs the rows collected (if any); DB_OK or the driver's code. */
static int batch_flush(Db *db, Batch *b) {
  if (b->rows == 0) return DB_OK;
  size_t cap = strlen(b->head) + 32 + (size_t)b->rows * ((size_t)b->ncol * 3 + 4);
  char *sql = malloc(cap);
  if (!sql) return DB_ERROR;
  size_t n = (size_t)snprintf(sql, cap, "INSERT INTO %s VALUES ", b->head);
  for (int r = 0; r < b->rows; r++) {
    sql[n++] = r ? ',' : ' ';
    sql[n++] = '(';
    for (int c = 0; c < b->ncol; c++) {
      if (c) sql[n++] = ',';
      sql[n++] = '?';
    }
    sql[n++] = ')';
  }
  sql[n] = 0;
  Stmt *st = db_prepare(db, sql);
  free(sql);
  if (!st) return DB_ERROR;
  for (int k = 0; k < b->rows * b->ncol; k++) {
    BatchVal *v = &b->v[k];
    if (!v->text) db_bind_int(st, k + 1, v->i);
    else if (v->null) db_bind_null(st, k + 1);
    else db_bind_text_static(st, k + 1, v->s);
  }
  int rc = db_run(st);
  b->rows = 0;
  return rc;
}

/* Ends the current row; flushes when the batch is full. */
static int batch_row(Db *db, Batch *b) {
  return ++b->rows == BATCH_ROWS ? batch_flush(db, b) : DB_OK;
}

/* xorshift64*: a fixed sequence, so that two runs build the same database */
static uint64_t rnd_state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(uint64_t n) {
  rnd_state ^= rnd_state >> 12;
  rnd_state ^= rnd_state << 25;
  rnd_state ^= rnd_state >> 27;
  return (rnd_state * 0x2545F4914F6CDD1DULL) % n;
}

static int64_t one_int(Db *db, const char *sql) {
  Stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  int64_t v = db_step(st) == DB_ROW ? db_int(st, "v") : -1;
  db_done(st);
  return v;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* What the store's protocol_on_insert does for each new trajectory, for the trajectories with ids in [t0, t1)
 * at once: the default template, its steps, the first phase-history row. */
static int protocol_start_all(Db *db, int64_t t0, int64_t t1) {
  static const char *const sql[] = {
      "UPDATE trajectories SET protocol_template_id = COALESCE(protocol_template_id, (SELECT id FROM "
      "protocol_templates WHERE active = 1 ORDER BY is_default DESC, id LIMIT 1)) WHERE id >= ? AND id < ?",
      "INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required) "
      "SELECT t.id, s.phase, s.position, s.text, s.required FROM trajectories t JOIN protocol_steps s "
      "ON s.template_id = t.protocol_template_id WHERE t.id >= ? AND t.id < ? ORDER BY t.id, s.id",
      "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at) "
      "SELECT id, phase, 'start', phase_since, created_at FROM trajectories WHERE id >= ? AND id < ? ORDER BY id",
  };
  for (size_t k = 0; k < sizeof sql / sizeof *sql; k++) {
    Stmt *st = db_prepare(db, sql[k]);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, t0);
    db_bind_int(st, 2, t1);
    int rc = db_run(st);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

/* Coaches, participants, trajectories and their coaches; ids from the current maxima on. */
static int add_people(Db *db, int64_t n, int64_t ncoach, int64_t *coach0, int64_t *part0, int64_t *traj0) {
  int64_t org = one_int(db, "SELECT COALESCE(MIN(id), 0) AS v FROM organisations WHERE kind = 'coaching'");
  *coach0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM users");
  *part0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM participants");
  *traj0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM trajectories");
  if (org <= 0 || *coach0 <= 0 || *part0 <= 0 || *traj0 <= 0) return DB_ERROR;
  Batch *users = calloc(1, sizeof *users), *parts = calloc(1, sizeof *parts), *trajs = calloc(1, sizeof *trajs),
        *coaches = calloc(1, sizeof *coaches);
  if (!users || !parts || !trajs || !coaches) {
    free(users), free(parts), free(trajs), free(coaches);
    return DB_ERROR;
  }
  users->head = "users (id, email, name, roles, org_id, active, created_at)";
  users->ncol = 7;
  parts->head = "participants (id, user_id, first_name, last_name, birth_date, created_at)";
  parts->ncol = 6;
  trajs->head = "trajectories (id, participant_id, phase, status, referred_by, reason, start_consent, started_on, "
                "phase_since, closed_on, outcome, last_activity_at, created_at)";
  trajs->ncol = 13;
  coaches->head = "trajectory_coaches (trajectory_id, user_id)";
  coaches->ncol = 2;
  int64_t now = (int64_t)time(NULL);
  int32_t today = date_today();
  int rc = db_begin(db);
  for (int64_t i = 0; rc == DB_OK && i < ncoach; i++) {
    char email[64], name[64];
    snprintf(email, sizeof email, "coach%05" PRId64 "@scale.example", i + 1);
    snprintf(name, sizeof name, "Coach S%05" PRId64, i + 1);
    bv_int(users, 0, *coach0 + i);
    bv_text(users, 1, email);
    bv_text(users, 2, name);
    bv_int(users, 3, ROLE_COACH);
    bv_int(users, 4, org);
    bv_int(users, 5, 1);
    bv_int(users, 6, now);
    rc = batch_row(db, users);
  }
  if (rc == DB_OK) rc = batch_flush(db, users);
  static const char *const phases[] = {"registration", "intake",    "exploration", "consultation",
                                       "action_plan",  "follow_up", "aftercare"};
  static const char *const outcomes[] = {"kept_own_job", "returned_own_job", "new_employer", "no_work_prospect"};
  /* BATCH_ROWS participants at a time: their accounts first, then the rows that refer to them */
  for (int64_t i0 = 0; rc == DB_OK && i0 < n; i0 += BATCH_ROWS) {
    for (int64_t i = i0; i < i0 + BATCH_ROWS && i < n; i++) {
      /* each participant has an account, as in a programme where participants sign in */
      char last[32], email[64], name[64];
      snprintf(last, sizeof last, "S%07" PRId64, i + 1);
      snprintf(email, sizeof email, "deelnemer%07" PRId64 "@scale.example", i + 1);
      snprintf(name, sizeof name, "Deelnemer %s", last);
      int64_t uid = *coach0 + ncoach + i;
      bv_int(users, 0, uid);
      bv_text(users, 1, email);
      bv_text(users, 2, name);
      bv_int(users, 3, ROLE_PARTICIPANT);
      bv_text(users, 4, NULL);
      bv_int(users, 5, 1);
      bv_int(users, 6, now);
      users->rows++;
      bv_int(parts, 0, *part0 + i);
      bv_int(parts, 1, uid);
      bv_text(parts, 2, "Deelnemer");
      bv_text(parts, 3, last);
      bv_text(parts, 4, "1980-01-01");
      bv_int(parts, 5, now);
      parts->rows++;
      bool open = rnd(10) < 3;
      char started[11], closed[11];
      date_format(today - 30 - (int32_t)rnd(1800), started);
      date_format(today - (int32_t)rnd(30), closed);
      bv_int(trajs, 0, *traj0 + i);
      bv_int(trajs, 1, *part0 + i);
      bv_text(trajs, 2, open ? phases[rnd(7)] : "closure");
      bv_text(trajs, 3, open ? "open" : "closed");
      bv_text(trajs, 4, "huisarts");
      bv_text(trajs, 5, "synthetisch");
      bv_text(trajs, 6, "synthetisch");
      bv_text(trajs, 7, started);
      bv_text(trajs, 8, open ? started : closed);
      bv_text(trajs, 9, open ? NULL : closed);
      bv_text(trajs, 10, open ? NULL : outcomes[rnd(4)]);
      bv_int(trajs, 11, now - (int64_t)rnd(60 * 86400));
      bv_int(trajs, 12, now);
      trajs->rows++;
      bv_int(coaches, 0, *traj0 + i);
      bv_int(coaches, 1, *coach0 + i % ncoach);
      coaches->rows++;
    }
    if ((rc = batch_flush(db, users)) == DB_OK && (rc = batch_flush(db, parts)) == DB_OK &&
        (rc = batch_flush(db, trajs)) == DB_OK)
      rc = batch_flush(db, coaches);
  }
  free(users), free(parts), free(trajs), free(coaches);
  if (rc == DB_OK) rc = protocol_start_all(db, *traj0, *traj0 + n);
  if (rc == DB_OK) return db_commit(db);
  db_rollback(db);
  return rc;
}

/* PostgreSQL: the access log's secondary indexes (not the primary key) are dropped while the entries are
 * written and built again afterwards (one sort each instead of m inserts into each: the generation's largest
 * cost on PostgreSQL). log_indexes_drop saves their definitions (malloc'd) in defs; log_indexes_make runs
 * and frees them. DB_OK or the driver's code. */
enum { MAX_LOG_INDEXES = 32 };
static int log_indexes_drop(Db *db, char **defs, int *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                            "AND tablename = 'access_log' AND indexname NOT IN (SELECT conname FROM pg_constraint) "
                            "ORDER BY indexname");
  if (!st) return DB_ERROR;
  char names[MAX_LOG_INDEXES][128];
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < MAX_LOG_INDEXES) {
    snprintf(names[*n], sizeof names[*n], "%s", db_text(st, "indexname"));
    if (!(defs[*n] = strdup(db_text(st, "indexdef")))) break;
    (*n)++;
  }
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) return rc;
  for (int i = 0; i < *n; i++) {
    char sql[160];
    snprintf(sql, sizeof sql, "DROP INDEX \"%.127s\"", names[i]);
    if ((rc = db_exec(db, sql)) != DB_OK) return rc;
  }
  return DB_OK;
}

static int log_indexes_make(Db *db, char **defs, int n) {
  int rc = DB_OK;
  for (int i = 0; i < n; i++) {
    if (rc == DB_OK) rc = db_exec(db, defs[i]);
    free(defs[i]);
  }
  return rc;
}

/* m chained entries after the current head, in transactions of LOG_BATCH. Entry i is about synthetic
 * participant i's pick, read by its coach; one in m/100 is about the demo's participant An Janssens (so
 * that her /me/log, which the benchmark opens, has a realistic length). */
static int add_log(Db *db, int64_t m, int64_t n, int64_t ncoach, int64_t coach0, int64_t part0, int64_t traj0) {
  int64_t keyed_from;
  int rc = audit_chain_keyed_from(db, &keyed_from);
  if (rc != DB_OK) return rc == DB_DONE ? DB_ERROR : rc;
  int64_t id = one_int(db, "SELECT COALESCE(MAX(id), 0) AS v FROM access_log");
  char prev[65];
  snprintf(prev, sizeof prev, "%s", "0000000000000000000000000000000000000000000000000000000000000000");
  if (id > 0 && audit_chain_hash_at(db, id, prev) != DB_OK) return DB_ERROR;
  int64_t demo_p = one_int(db, "SELECT COALESCE(MIN(p.id), 0) AS v FROM participants p JOIN users u "
                              "ON u.id = p.user_id WHERE u.email = 'an.janssens@mail.example'");
  int64_t demo_t = 0, demo_c = 0;
  if (demo_p > 0) {
    Stmt *st = db_prepare(db, "SELECT t.id, c.user_id FROM trajectories t JOIN trajectory_coaches c "
                              "ON c.trajectory_id = t.id WHERE t.participant_id = ? ORDER BY t.id DESC LIMIT 1");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, demo_p);
    if (db_step(st) == DB_ROW) {
      demo_t = db_int(st, "id");
      demo_c = db_int(st, "user_id");
    }
    db_done(st);
  }
  int64_t now = (int64_t)time(NULL), span = 5 * 365 * 86400LL, every = m >= 100 ? m / 100 : 1;
  static const char *const actions[] = {"view", "view", "view", "view", "view", "view", "view", "view",
                                        "list", "update"};
  Batch *log = calloc(1, sizeof *log);
  if (!log) return DB_ERROR;
  log->head = "access_log (id, at, user_id, participant_id, trajectory_id, action, outcome, client, request_id, "
              "prev_hash, hash, role, item, grounds)";
  log->ncol = 14;
  double t0 = now_s();
  for (int64_t i = 0; i < m; i += LOG_BATCH) {
    if ((rc = db_begin(db)) != DB_OK) {
      free(log);
      return rc;
    }
    for (int64_t j = i; j < i + LOG_BATCH && j < m; j++) {
      int64_t p = (int64_t)rnd((uint64_t)n);
      int64_t pid = part0 + p, tid = traj0 + p, uid = coach0 + p % ncoach;
      if (demo_t && j % every == 0) {
        pid = demo_p;
        tid = demo_t;
        uid = demo_c;
      }
      int64_t at = now - span + (int64_t)((double)span * (double)j / (double)m);
      const char *action = actions[rnd(10)], *outcome = rnd(100) == 0 ? "denied" : "ok";
      char client[24], rid[17];
      snprintf(client, sizeof client, "10.%d.%d.%d", (int)rnd(256), (int)rnd(256), (int)rnd(256));
      snprintf(rid, sizeof rid, "%016" PRIx64, (uint64_t)rnd(UINT64_MAX));
      char h[65];
      id++;
      if (!audit_entry_hash(prev, keyed_from, id, at, uid, "coach", pid, tid, "trajectory", action, outcome, "coach",
                            client, rid, h)) {
        free(log);
        db_rollback(db);
        return DB_ERROR;
      }
      bv_int(log, 0, id);
      bv_int(log, 1, at);
      bv_int(log, 2, uid);
      bv_int(log, 3, pid);
      bv_int(log, 4, tid);
      bv_text(log, 5, action);
      bv_text(log, 6, outcome);
      bv_text(log, 7, client);
      bv_text(log, 8, rid);
      bv_text(log, 9, prev);
      bv_text(log, 10, h);
      bv_text(log, 11, "coach");
      bv_text(log, 12, "trajectory");
      bv_text(log, 13, "coach");
      if ((rc = batch_row(db, log)) != DB_OK) {
        free(log);
        db_rollback(db);
        return rc;
      }
      memcpy(prev, h, sizeof prev);
    }
    if ((rc = batch_flush(db, log)) != DB_OK) {
      free(log);
      db_rollback(db);
      return rc;
    }
    if ((rc = db_commit(db)) != DB_OK) {
      free(log);
      return rc;
    }
    int64_t done = i + LOG_BATCH < m ? i + LOG_BATCH : m;
    double el = now_s() - t0;
    fprintf(stderr, "\rscale-data: %" PRId64 " of %" PRId64 " log entries (%.0f/s)", done, m,
            el > 0 ? (double)done / el : 0.0);
  }
  fprintf(stderr, "\n");
  free(log);
  return DB_OK;
}

int cmd_scale_data(int argc, char **argv) {
  int64_t n = 100000, m = 10000000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--participants") && i + 1 < argc) n = strtoll(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--log-entries") && i + 1 < argc) m = strtoll(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--set") || !strcmp(argv[i], "--config")) i++;
    else {
      fprintf(stderr, "usage: zorgwerk scale-data [--participants N] [--log-entries M]\n");
      return 2;
    }
  }
  if (n < 40 || m < 0) {
    fprintf(stderr, "zorgwerk: scale-data needs at least 40 participants\n");
    return 2;
  }
  if (audit_key_load() != KEY_OK) {
    fprintf(stderr, "zorgwerk: scale-data needs the access-log key (run `zorgwerk demo` first)\n");
    return 1;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  if (one_int(db, "SELECT COUNT(*) AS v FROM users WHERE email = 'hilde.maes@zorgwerk.example'") != 1) {
    fprintf(stderr, "zorgwerk: scale-data fills only a demo database (`zorgwerk demo`)\n");
    db_close(db);
    return 1;
  }
  if (!db_is_pg(db)) db_exec(db, "PRAGMA cache_size = -262144"); /* 256 MiB while the indexes grow */
  int64_t ncoach = n / 40, coach0, part0, traj0;
  double t = now_s();
  int rc = add_people(db, n, ncoach, &coach0, &part0, &traj0);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: scale-data: adding participants failed (%s)\n", db_code_name(rc));
    db_close(db);
    return 1;
  }
  printf("scale-data: %" PRId64 " participants, %" PRId64 " coaches in %.1f s\n", n, ncoach, now_s() - t);
  t = now_s();
  char *defs[MAX_LOG_INDEXES];
  int ndefs = 0;
  if (db_is_pg(db) && (rc = log_indexes_drop(db, defs, &ndefs)) != DB_OK) {
    fprintf(stderr, "zorgwerk: scale-data: %s\n", db_errmsg(db));
    log_indexes_make(db, defs, ndefs);
    db_close(db);
    return 1;
  }
  rc = add_log(db, m, n, ncoach, coach0, part0, traj0);
  if (rc != DB_OK) fprintf(stderr, "zorgwerk: scale-data: adding log entries failed (%s)\n", db_code_name(rc));
  double tl = now_s() - t;
  t = now_s();
  int rc2 = log_indexes_make(db, defs, ndefs);
  if (rc2 != DB_OK) fprintf(stderr, "zorgwerk: scale-data: rebuilding the log's indexes: %s\n", db_errmsg(db));
  if (rc != DB_OK || rc2 != DB_OK) {
    db_close(db);
    return 1;
  }
  printf("scale-data: %" PRId64 " access-log entries in %.1f s", m, tl);
  if (ndefs) printf(", their %d indexes built again in %.1f s", ndefs, now_s() - t);
  printf("\n");
  t = now_s();
  if (db_is_pg(db)) {
    /* ids were written explicitly: the identity sequences go past them; then what autovacuum would do
     * after a bulk load (statistics, visibility map for index-only scans) */
    if (db_exec(db, pgddl_sync_identities) != DB_OK || db_exec(db, "VACUUM ANALYZE") != DB_OK) {
      fprintf(stderr, "zorgwerk: scale-data: %s\n", db_errmsg(db));
      db_close(db);
      return 1;
    }
  } else {
    db_exec(db, "ANALYZE");
  }
  AuditCheck c;
  Seal now;
  rc = audit_reseal(db, &c, &now);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: scale-data: the chain does not verify or cannot be sealed (%s)\n", db_code_name(rc));
    return 1;
  }
  printf("scale-data: verified and sealed up to entry %" PRId64 " in %.1f s\n", now.id, now_s() - t);
  return 0;
}

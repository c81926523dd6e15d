/*
 * scale.c — `zorgwerk scale-data [--participants N] [--log-entries M]`: fills a demo database for `make
 * bench-scale` (bench/scale.sh) with N synthetic participants (default 100,000), one coach per 40 of them
 * (2,500), one trajectory each (30 % open, in every phase; the rest closed) and M access-log entries (default
 * 10,000,000) on the valid keyed chain, spread over five years; then verifies the whole chain, seals its head
 * and sets the verified checkpoint (audit_reseal), as `demo` leaves a database.
 *
 * Speed: everything is written with prepared single-row statements in big transactions (the chain's hashes
 * computed here, in order), so 10 M entries take minutes. Not a test fixture and never for a production
 * database: it refuses a database without the demo's team lead. Synthetic names only ("Deelnemer S0000001").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/user.h"
#include "cli/cli.h"
#include "core/text.h"
#include "policy/audit.h"
#include "store/audit_chain.h"

enum { LOG_BATCH = 200000 };

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

/* Coaches, participants, trajectories and their coaches; ids from the current maxima on. */
static int add_people(Db *db, int64_t n, int64_t ncoach, int64_t *coach0, int64_t *part0, int64_t *traj0) {
  int64_t org = one_int(db, "SELECT COALESCE(MIN(id), 0) AS v FROM organisations WHERE kind = 'coaching'");
  *coach0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM users");
  *part0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM participants");
  *traj0 = one_int(db, "SELECT COALESCE(MAX(id), 0) + 1 AS v FROM trajectories");
  if (org <= 0 || *coach0 <= 0 || *part0 <= 0 || *traj0 <= 0) return DB_ERROR;
  int64_t now = (int64_t)time(NULL);
  int32_t today = date_today();
  int rc = db_begin(db);
  for (int64_t i = 0; rc == DB_OK && i < ncoach; i++) {
    Stmt *st = db_prepare(db, "INSERT INTO users (id, email, name, roles, org_id, active, created_at) "
                              "VALUES (?, ?, ?, ?, ?, 1, ?)");
    if (!st) return DB_ERROR;
    char email[64], name[64];
    snprintf(email, sizeof email, "coach%05" PRId64 "@scale.example", i + 1);
    snprintf(name, sizeof name, "Coach S%05" PRId64, i + 1);
    db_bind_int(st, 1, *coach0 + i);
    db_bind_text(st, 2, email);
    db_bind_text(st, 3, name);
    db_bind_int(st, 4, ROLE_COACH);
    db_bind_int(st, 5, org);
    db_bind_int(st, 6, now);
    rc = db_run(st);
  }
  static const char *const phases[] = {"registration", "intake",    "exploration", "consultation",
                                       "action_plan",  "follow_up", "aftercare"};
  static const char *const outcomes[] = {"kept_own_job", "returned_own_job", "new_employer", "no_work_prospect"};
  for (int64_t i = 0; rc == DB_OK && i < n; i++) {
    /* each participant has an account, as in a programme where participants sign in */
    Stmt *st = db_prepare(db, "INSERT INTO users (id, email, name, roles, active, created_at) VALUES (?, ?, ?, ?, 1, ?)");
    if (!st) return DB_ERROR;
    char last[32], email[64], name[64];
    snprintf(last, sizeof last, "S%07" PRId64, i + 1);
    snprintf(email, sizeof email, "deelnemer%07" PRId64 "@scale.example", i + 1);
    snprintf(name, sizeof name, "Deelnemer %s", last);
    int64_t uid = *coach0 + ncoach + i;
    db_bind_int(st, 1, uid);
    db_bind_text(st, 2, email);
    db_bind_text(st, 3, name);
    db_bind_int(st, 4, ROLE_PARTICIPANT);
    db_bind_int(st, 5, now);
    if ((rc = db_run(st)) != DB_OK) break;
    st = db_prepare(db, "INSERT INTO participants (id, user_id, first_name, last_name, birth_date, created_at) "
                        "VALUES (?, ?, 'Deelnemer', ?, '1980-01-01', ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, *part0 + i);
    db_bind_int(st, 2, uid);
    db_bind_text(st, 3, last);
    db_bind_int(st, 4, now);
    if ((rc = db_run(st)) != DB_OK) break;
    bool open = rnd(10) < 3;
    char started[11], closed[11];
    date_format(today - 30 - (int32_t)rnd(1800), started);
    date_format(today - (int32_t)rnd(30), closed);
    st = db_prepare(db, "INSERT INTO trajectories (id, participant_id, phase, status, referred_by, reason, "
                        "start_consent, started_on, phase_since, closed_on, outcome, last_activity_at, created_at) "
                        "VALUES (?, ?, ?, ?, 'huisarts', 'synthetisch', 'synthetisch', ?, ?, ?, ?, ?, ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, *traj0 + i);
    db_bind_int(st, 2, *part0 + i);
    db_bind_text(st, 3, open ? phases[rnd(7)] : "closure");
    db_bind_text(st, 4, open ? "open" : "closed");
    db_bind_text(st, 5, started);
    db_bind_text(st, 6, open ? started : closed);
    db_bind_text(st, 7, open ? NULL : closed);
    db_bind_text(st, 8, open ? NULL : outcomes[rnd(4)]);
    db_bind_int(st, 9, now - (int64_t)rnd(60 * 86400));
    db_bind_int(st, 10, now);
    if ((rc = db_run(st)) != DB_OK) break;
    st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, *traj0 + i);
    db_bind_int(st, 2, *coach0 + i % ncoach);
    rc = db_run(st);
  }
  if (rc == DB_OK) return db_commit(db);
  db_rollback(db);
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
  double t0 = now_s();
  for (int64_t i = 0; i < m; i += LOG_BATCH) {
    if ((rc = db_begin(db)) != DB_OK) return rc;
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
        db_rollback(db);
        return DB_ERROR;
      }
      Stmt *st = db_prepare(db, "INSERT INTO access_log (id, at, user_id, role, participant_id, trajectory_id, item, "
                                "action, outcome, grounds, client, request_id, prev_hash, hash) "
                                "VALUES (?, ?, ?, 'coach', ?, ?, 'trajectory', ?, ?, 'coach', ?, ?, ?, ?)");
      if (!st) {
        db_rollback(db);
        return DB_ERROR;
      }
      db_bind_int(st, 1, id);
      db_bind_int(st, 2, at);
      db_bind_int(st, 3, uid);
      db_bind_int(st, 4, pid);
      db_bind_int(st, 5, tid);
      db_bind_text(st, 6, action);
      db_bind_text(st, 7, outcome);
      db_bind_text(st, 8, client);
      db_bind_text(st, 9, rid);
      db_bind_text(st, 10, prev);
      db_bind_text(st, 11, h);
      if ((rc = db_run(st)) != DB_OK) {
        db_rollback(db);
        return rc;
      }
      memcpy(prev, h, sizeof prev);
    }
    if ((rc = db_commit(db)) != DB_OK) return rc;
    int64_t done = i + LOG_BATCH < m ? i + LOG_BATCH : m;
    double el = now_s() - t0;
    fprintf(stderr, "\rscale-data: %" PRId64 " of %" PRId64 " log entries (%.0f/s)", done, m,
            el > 0 ? (double)done / el : 0.0);
  }
  fprintf(stderr, "\n");
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
  if ((rc = add_log(db, m, n, ncoach, coach0, part0, traj0)) != DB_OK) {
    fprintf(stderr, "zorgwerk: scale-data: adding log entries failed (%s)\n", db_code_name(rc));
    db_close(db);
    return 1;
  }
  printf("scale-data: %" PRId64 " access-log entries in %.1f s\n", m, now_s() - t);
  t = now_s();
  if (!db_is_pg(db)) db_exec(db, "ANALYZE");
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

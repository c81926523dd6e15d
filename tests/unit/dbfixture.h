/*
 * dbfixture.h — a fresh migrated SQLite database in a temporary file for unit tests, with a few
 * helpers to insert users and trajectories. Header-only; each test includes it once.
 */
#ifndef ZW_DBFIXTURE_H
#define ZW_DBFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "db/db.h"

static char fixture_path[64];

static Db *fixture_open(void) {
  config_defaults(&cfg);
  snprintf(fixture_path, sizeof fixture_path, "/tmp/zw-unit-XXXXXX");
  int fd = mkstemp(fixture_path);
  if (fd >= 0) close(fd);
  Db *db = NULL;
  if (db_open(fixture_path, &db) != DB_OK || db_migrate(db) != DB_OK) abort();
  return db;
}

static void fixture_close(Db *db) {
  db_close(db);
  char p[96];
  unlink(fixture_path);
  snprintf(p, sizeof p, "%s-wal", fixture_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fixture_path);
  unlink(p);
}

__attribute__((unused)) static int64_t fixture_user(Db *db, const char *email, unsigned roles) {
  Stmt *st = db_prepare(db, "INSERT INTO users (email, name, roles, created_at) VALUES (?, ?, ?, 0) RETURNING id");
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, email);
  db_bind_int(st, 3, roles);
  int64_t id = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  return id;
}

/* A participant (optionally with an account) and an open trajectory assigned to coach. */
__attribute__((unused)) static int64_t fixture_trajectory(Db *db, const char *last_name, int64_t participant_user, int64_t coach) {
  Stmt *st = db_prepare(db, "INSERT INTO participants (user_id, first_name, last_name, birth_date, created_at) "
                            "VALUES (?, 'Test', ?, '1980-01-01', 0) RETURNING id");
  if (participant_user) db_bind_int(st, 1, participant_user); else db_bind_null(st, 1);
  db_bind_text(st, 2, last_name);
  int64_t pid = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  st = db_prepare(db, "INSERT INTO trajectories (participant_id, phase, referred_by, reason, start_consent, started_on, "
                      "phase_since, last_activity_at, created_at) VALUES (?, 'intake', 'r', 'r', 'c', '2026-01-01', "
                      "'2026-01-01', 0, 0) RETURNING id");
  db_bind_int(st, 1, pid);
  int64_t tid = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (coach) {
    st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
    db_bind_int(st, 1, tid);
    db_bind_int(st, 2, coach);
    db_run(st);
  }
  return tid;
}

#endif

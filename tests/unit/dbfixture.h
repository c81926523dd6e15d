/*
 * dbfixture.h — a fresh migrated database for unit tests (SQLite in a temporary file; PostgreSQL when
 * ZW_TEST_DB_URL is set), with a few
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
#include "store/protocol.h"

static char fixture_path[1100];
static char fixture_pg_name[64]; /* with ZW_TEST_DB_URL: the database made for this fixture */

/* ZW_TEST_DB_URL (a PostgreSQL cluster, make test-pg) with its database name replaced by name. */
static void fixture_pg_url(const char *name, char *out, size_t n) {
  const char *base = getenv("ZW_TEST_DB_URL");
  const char *auth = strstr(base, "://");
  const char *path = auth ? strchr(auth + 3, '/') : NULL;
  if (!path) abort();
  const char *rest = path + strcspn(path, "?");
  snprintf(out, n, "%.*s/%s%s", (int)(path - base), base, name, rest);
}

/* Runs sql on the cluster's own database of ZW_TEST_DB_URL. */
static void fixture_pg_admin(const char *sql) {
  Db *admin = NULL;
  if (db_open(getenv("ZW_TEST_DB_URL"), &admin) != DB_OK || db_exec(admin, sql) != DB_OK) abort();
  db_close(admin);
}

/* A fresh migrated database: a temporary SQLite file, or with ZW_TEST_DB_URL set a new PostgreSQL
 * database in that cluster (both drivers run the same tests). */
static Db *fixture_open(void) {
  config_defaults(&cfg);
  const char *pg = getenv("ZW_TEST_DB_URL");
  if (pg && *pg) {
    static int seq;
    char sql[128];
    snprintf(fixture_pg_name, sizeof fixture_pg_name, "zw_unit_%d_%d", (int)getpid(), ++seq);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fixture_pg_name);
    fixture_pg_admin(sql);
    fixture_pg_url(fixture_pg_name, fixture_path, sizeof fixture_path);
  } else {
    fixture_pg_name[0] = 0;
    snprintf(fixture_path, sizeof fixture_path, "/tmp/zw-unit-XXXXXX");
    int fd = mkstemp(fixture_path);
    if (fd >= 0) close(fd);
  }
  Db *db = NULL;
  if (db_open(fixture_path, &db) != DB_OK || db_migrate(db) != DB_OK) abort();
  return db;
}

static void fixture_close(Db *db) {
  db_close(db);
  if (fixture_pg_name[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", fixture_pg_name);
    fixture_pg_admin(sql);
    return;
  }
  char p[1200];
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
  if (protocol_on_insert(db, tid) != DB_OK) abort(); /* as the store does after every insert */
  if (coach) {
    st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
    db_bind_int(st, 1, tid);
    db_bind_int(st, 2, coach);
    db_run(st);
  }
  return tid;
}

#endif

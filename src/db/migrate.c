/*
 * migrate.c — numbered schema migrations, embedded in the binary from src/db/migrations/sqlite/.
 *
 * On PostgreSQL each migration is the translation of the SQLite file (pgddl.c), or, where one exists, the
 * hand-written src/db/migrations/postgresql/ file with the same number; after each, identity sequences are
 * moved past ids inserted explicitly.
 *
 * File names start with a zero-padded number (001_foundation.sql); each runs once, in order, in its own
 * transaction, and is recorded in schema_migrations. A migration is applied when its own number is not
 * recorded (not merely when it is above the highest), so one that arrives late on a branch still runs. A migration that fails rolls back and stops the
 * start-up with its name in the log.
 */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"
#include "db/pgddl.h"

extern const EmbeddedFile migrations_sqlite[];
extern const EmbeddedFile migrations_postgresql[];

int db_schema_known(void) {
  int max = 0;
  for (const EmbeddedFile *f = migrations_sqlite; f->name; f++)
    if (atoi(f->name) > max) max = atoi(f->name);
  return max;
}

/* The text of migration f for db's driver: malloc'd, free it. */
static char *migration_text(Db *db, const EmbeddedFile *f) {
  if (db_is_pg(db)) {
    int v = atoi(f->name);
    for (const EmbeddedFile *o = migrations_postgresql; o->name; o++)
      if (atoi(o->name) == v) return xstrdup((const char *)o->data);
    return pgddl_translate((const char *)f->data);
  }
  char *sql = xmalloc(f->len + 1);
  memcpy(sql, f->data, f->len);
  sql[f->len] = 0;
  return sql;
}

int db_schema_version(Db *db, int *version) {
  *version = 0;
  Stmt *st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW) *version = (int)db_int(st, "v");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int db_migrate(Db *db) {
  int rc = db_exec(db,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  if (rc != DB_OK) return rc;
  int have_max = 0;
  if ((rc = db_schema_version(db, &have_max)) != DB_OK) return rc;
  if (have_max > db_schema_known()) {
    log_error("the database has schema version %d, newer than this zorgwerk knows (%d): it was upgraded by a newer "
              "release; run that release (or restore a backup made before the upgrade)", have_max, db_schema_known());
    return DB_ERROR;
  }
  for (const EmbeddedFile *f = migrations_sqlite; f->name; f++) {
    int v = atoi(f->name);
    Stmt *q = db_prepare(db, "SELECT COUNT(*) AS n FROM schema_migrations WHERE version = ?");
    if (!q) return DB_ERROR;
    db_bind_int(q, 1, v);
    rc = db_step(q);
    int64_t have = rc == DB_ROW ? db_int(q, "n") : 0;
    db_done(q);
    if (rc != DB_ROW) return rc;
    if (have) continue;
    char *sql = migration_text(db, f);
    if ((rc = db_begin(db)) != DB_OK) {
      free(sql);
      return rc;
    }
    rc = db_exec(db, sql);
    free(sql);
    if (rc == DB_OK && db_is_pg(db)) rc = db_exec(db, pgddl_sync_identities);
    if (rc == DB_OK) {
      Stmt *st = db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      if (!st) rc = DB_ERROR;
      else {
        db_bind_int(st, 1, v);
        db_bind_text(st, 2, f->name);
        db_bind_int(st, 3, (int64_t)time(NULL));
        rc = db_run(st);
      }
    }
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
      db_rollback(db);
      log_error("migration %s failed: %s", f->name, db_errmsg(db));
      return rc;
    }
    log_info("applied migration %s", f->name);
  }
  return DB_OK;
}

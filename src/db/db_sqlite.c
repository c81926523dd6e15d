/*
 * db_sqlite.c — the SQLite driver behind db.h (entry points sq_*, reached through db.c). The only file that
 * calls sqlite3_*.
 *
 * Each connection keeps a small open-addressing cache of prepared statements keyed by SQL text, so a
 * request that runs the same query twice compiles it once per worker thread. SQL is literal text, so a
 * second, direct-mapped table keyed by the text's address answers the common case without hashing the
 * statement (a hit is still confirmed by comparing the text).
 */
#include "db/db.h"
#include "db/driver.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

struct Stmt {
  DbKind kind; /* first: DB_KIND_SQLITE (db.c dispatches on it) */
  sqlite3_stmt *s;
  const char *sql; /* owned copy */
  Db *db;
  int ncols;
  char **names;       /* owned copies of the column names (SQLite's own pointers die on re-prepare) */
  bool writes;
};

enum { BY_ADDR = 128 }; /* slots of the address-keyed table (a power of two) */

struct Db {
  DbKind kind; /* first: DB_KIND_SQLITE */
  sqlite3 *h;
  StmtCache cache;
  int64_t changes;
  struct { const char *sql; Stmt *st; } by_addr[BY_ADDR];
  bool snapshot; /* a read transaction opened by db_snapshot_begin is open */
};

static int map_rc(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_FULL: return DB_FULL;
    case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_READONLY: return DB_IOERR;
    default: return DB_ERROR;
  }
}

int sq_open(const char *path, Db **out) {
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    log_error("db: cannot open %s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return map_rc(rc) == DB_ERROR ? DB_IOERR : map_rc(rc);
  }
  sqlite3_busy_timeout(h, 5000);
  sqlite3_extended_result_codes(h, 1);
  static const char *pragmas =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY;";
  char *err = NULL;
  rc = sqlite3_exec(h, pragmas, NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    log_error("db: setting up %s: %s", path, err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(h);
    return map_rc(rc);
  }
  Db *db = xcalloc(1, sizeof *db);
  db->h = h;
  stmt_cache_init(&db->cache);
  *out = db;
  return DB_OK;
}

static void stmt_free(Stmt *st) {
  sqlite3_finalize(st->s);
  free((void *)st->sql);
  for (int i = 0; i < st->ncols; i++) free(st->names[i]);
  free(st->names);
  free(st);
}

void sq_close(Db *db) {
  if (!db) return;
  stmt_cache_free(&db->cache, stmt_free);
  sqlite3_close(db->h);
  free(db);
}

/* The SQL text of st (the statement cache's key). */
static const char *stmt_sql(const Stmt *st) { return st->sql; }

/* The address-keyed slot of sql. */
static size_t addr_slot(const char *sql) {
  uintptr_t a = (uintptr_t)sql;
  return (size_t)((a >> 3) ^ (a >> 11)) & (BY_ADDR - 1);
}

static Stmt *reuse(Stmt *e) {
  sqlite3_reset(e->s);
  sqlite3_clear_bindings(e->s);
  return e;
}

Stmt *sq_prepare(Db *db, const char *sql) {
  size_t k = addr_slot(sql);
  if (db->by_addr[k].sql == sql && strcmp(db->by_addr[k].st->sql, sql) == 0) return reuse(db->by_addr[k].st);
  Stmt *e = stmt_cache_find(&db->cache, sql, stmt_sql);
  if (e) {
    db->by_addr[k].sql = sql;
    db->by_addr[k].st = e;
    return reuse(e);
  }
  sqlite3_stmt *s = NULL;
  const char *tail = NULL;
  int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, &tail);
  if (rc != SQLITE_OK) {
    log_error("db: prepare failed: %s (%s)", sqlite3_errmsg(db->h), sql);
    return NULL;
  }
  assert(tail && *tail == 0 && "one statement per db_prepare");
  Stmt *st = xcalloc(1, sizeof *st);
  st->s = s;
  st->sql = xstrdup(sql);
  st->db = db;
  st->ncols = sqlite3_column_count(s);
  st->names = xcalloc((size_t)st->ncols + 1, sizeof *st->names);
  for (int i = 0; i < st->ncols; i++) st->names[i] = xstrdup(sqlite3_column_name(s, i));
  st->writes = !sqlite3_stmt_readonly(s);
  stmt_cache_put(&db->cache, st, stmt_sql);
  db->by_addr[k].sql = sql;
  db->by_addr[k].st = st;
  return st;
}

void sq_bind_int(Stmt *st, int idx, int64_t v) { sqlite3_bind_int64(st->s, idx, v); }
void sq_bind_text(Stmt *st, int idx, const char *s) {
  if (s) sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st->s, idx);
}
void sq_bind_text_static(Stmt *st, int idx, const char *s) {
  if (s) sqlite3_bind_text(st->s, idx, s, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st->s, idx);
}
void sq_bind_null(Stmt *st, int idx) { sqlite3_bind_null(st->s, idx); }

int sq_step(Stmt *st) {
  if (st->writes) {
    int f = db_injected_fault();
    if (f != DB_OK) return f;
  }
  int rc = sqlite3_step(st->s);
  if (rc == SQLITE_DONE) st->db->changes = sqlite3_changes64(st->db->h);
  int m = map_rc(rc);
  if (m >= DB_BUSY && m != DB_CONSTRAINT && m != DB_BUSY)
    log_error("db: step failed: %s", sqlite3_errmsg(st->db->h));
  return m;
}

void sq_done(Stmt *st) {
  if (!st) return;
  sqlite3_reset(st->s);
  sqlite3_clear_bindings(st->s);
}

static int col_index(Stmt *st, const char *col) {
  for (int i = 0; i < st->ncols; i++)
    if (st->names[i][0] == col[0] && strcmp(st->names[i], col) == 0) return i;
  log_error("db: no column '%s' in: %s", col, st->sql);
  assert(!"column not in select list");
  return -1;
}

int64_t sq_int(Stmt *st, const char *col) {
  int i = col_index(st, col);
  return i < 0 ? 0 : sqlite3_column_int64(st->s, i);
}

const char *sq_text(Stmt *st, const char *col) {
  int i = col_index(st, col);
  return i < 0 ? NULL : (const char *)sqlite3_column_text(st->s, i);
}

bool sq_null(Stmt *st, const char *col) {
  int i = col_index(st, col);
  return i < 0 || sqlite3_column_type(st->s, i) == SQLITE_NULL;
}

int sq_run(Stmt *st) {
  int rc = sq_step(st);
  while (rc == DB_ROW) rc = sq_step(st);
  sq_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int64_t sq_changes(Db *db) { return db->changes; }

int sq_exec(Db *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db->h, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    log_error("db: exec failed: %s", err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
  }
  return map_rc(rc);
}

int sq_begin(Db *db) {
  sq_snapshot_end(db); /* a write transaction reads the newest data, not the page's snapshot */
  int f = db_injected_fault();
  if (f != DB_OK) return f;
  Stmt *st = sq_prepare(db, "BEGIN IMMEDIATE");
  return st ? sq_run(st) : DB_ERROR;
}

int sq_commit(Db *db) {
  Stmt *st = sq_prepare(db, "COMMIT");
  int rc = st ? sq_run(st) : DB_ERROR;
  if (rc != DB_OK) sq_rollback(db);
  return rc;
}

void sq_rollback(Db *db) {
  db->snapshot = false;
  if (sqlite3_get_autocommit(db->h)) return;
  sq_reset_all(db);
  Stmt *st = sq_prepare(db, "ROLLBACK");
  if (st) sq_run(st);
}

bool sq_in_tx(Db *db) { return !db->snapshot && !sqlite3_get_autocommit(db->h); }

int sq_snapshot_begin(Db *db) {
  if (db->snapshot || !sqlite3_get_autocommit(db->h)) return DB_OK;
  Stmt *st = sq_prepare(db, "BEGIN");
  int rc = st ? sq_run(st) : DB_ERROR;
  db->snapshot = rc == DB_OK;
  return rc;
}

void sq_snapshot_end(Db *db) {
  if (!db->snapshot) return;
  db->snapshot = false;
  sq_reset_all(db);
  Stmt *st = sq_prepare(db, "COMMIT");
  if (st && sq_run(st) != DB_OK) sq_rollback(db);
}

int sq_reset_all(Db *db) {
  int n = 0;
  for (size_t i = 0; i < db->cache.cap; i++) {
    Stmt *st = db->cache.slot[i];
    if (st && sqlite3_stmt_busy(st->s)) {
      n++;
      sqlite3_reset(st->s);
    }
  }
  return n;
}

int sq_backup(Db *db, const char *dest) {
  sqlite3 *to = NULL;
  int rc = sqlite3_open(dest, &to);
  if (rc != SQLITE_OK) {
    log_error("backup: cannot open %s: %s", dest, to ? sqlite3_errmsg(to) : "?");
    sqlite3_close(to);
    return DB_IOERR;
  }
  sqlite3_backup *b = sqlite3_backup_init(to, "main", db->h, "main");
  if (!b) {
    log_error("backup: %s", sqlite3_errmsg(to));
    sqlite3_close(to);
    return DB_ERROR;
  }
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  int m = rc == SQLITE_DONE ? DB_OK : map_rc(rc);
  if (m != DB_OK) log_error("backup: %s", sqlite3_errmsg(to));
  sqlite3_close(to);
  return m;
}

const char *sq_errmsg(Db *db) { return sqlite3_errmsg(db->h); }

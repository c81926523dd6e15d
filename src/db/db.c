/*
 * db.c — the dispatch behind db.h: one binary, two drivers. db_open chooses the driver from the `db`
 * setting (db_is_pg_url); every other call goes to the driver that made the Db or Stmt (its DbKind, see
 * driver.h). Also what both drivers share: fault injection for tests, the per-thread connection, the
 * status-code names.
 */
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "db/driver.h"

#define PG(p) (DB_KIND_OF(p) == DB_KIND_PG)

bool db_is_pg_url(const char *where) {
  return where && (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0);
}

bool db_is_pg(Db *db) { return db && PG(db); }

const char *db_safe_name(const char *where) {
  static _Thread_local char out[1100];
  snprintf(out, sizeof out, "%s", where ? where : "");
  if (!db_is_pg_url(out)) return out;
  char *auth = strstr(out, "://") + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/');
  if (at && (!slash || at < slash)) { /* user:secret@host */
    char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (colon) memmove(colon, at, strlen(at) + 1);
  }
  for (char *pw = out; (pw = strstr(pw, "password=")); pw += 12) { /* ?password=secret */
    char *end = pw + 9;
    while (*end && *end != '&' && *end != ' ') end++;
    memmove(pw + 12, end, strlen(end) + 1);
    memcpy(pw + 9, "***", 3);
  }
  return out;
}

int db_open(const char *where, Db **out) {
  *out = NULL;
  return db_is_pg_url(where) ? pg_open(where, out) : sq_open(where, out);
}

void db_close(Db *db) {
  if (!db) return;
  if (PG(db)) pg_close(db);
  else sq_close(db);
}

Stmt *db_prepare(Db *db, const char *sql) { return PG(db) ? pg_prepare(db, sql) : sq_prepare(db, sql); }
void db_bind_int(Stmt *st, int idx, int64_t v) {
  if (PG(st)) pg_bind_int(st, idx, v);
  else sq_bind_int(st, idx, v);
}
void db_bind_text(Stmt *st, int idx, const char *s) {
  if (PG(st)) pg_bind_text(st, idx, s);
  else sq_bind_text(st, idx, s);
}
void db_bind_text_static(Stmt *st, int idx, const char *s) {
  if (PG(st)) pg_bind_text_static(st, idx, s);
  else sq_bind_text_static(st, idx, s);
}
void db_bind_null(Stmt *st, int idx) {
  if (PG(st)) pg_bind_null(st, idx);
  else sq_bind_null(st, idx);
}
int db_step(Stmt *st) { return PG(st) ? pg_step(st) : sq_step(st); }
void db_done(Stmt *st) {
  if (!st) return;
  if (PG(st)) pg_done(st);
  else sq_done(st);
}
int64_t db_int(Stmt *st, const char *col) { return PG(st) ? pg_int(st, col) : sq_int(st, col); }
const char *db_text(Stmt *st, const char *col) { return PG(st) ? pg_text(st, col) : sq_text(st, col); }
bool db_null(Stmt *st, const char *col) { return PG(st) ? pg_null(st, col) : sq_null(st, col); }
const char *db_text_copy(Arena *a, Stmt *st, const char *col) { return arena_strdup(a, db_text(st, col)); }
int db_run(Stmt *st) { return PG(st) ? pg_run(st) : sq_run(st); }
int64_t db_changes(Db *db) { return PG(db) ? pg_changes(db) : sq_changes(db); }
int db_exec(Db *db, const char *sql) { return PG(db) ? pg_exec(db, sql) : sq_exec(db, sql); }
int db_begin(Db *db) { return PG(db) ? pg_begin(db) : sq_begin(db); }
int db_commit(Db *db) { return PG(db) ? pg_commit(db) : sq_commit(db); }
void db_rollback(Db *db) {
  if (PG(db)) pg_rollback(db);
  else sq_rollback(db);
}
bool db_in_tx(Db *db) { return PG(db) ? pg_in_tx(db) : sq_in_tx(db); }
int db_snapshot_begin(Db *db) { return PG(db) ? pg_snapshot_begin(db) : sq_snapshot_begin(db); }
void db_snapshot_end(Db *db) {
  if (PG(db)) pg_snapshot_end(db);
  else sq_snapshot_end(db);
}
int db_backup(Db *db, const char *dest) { return PG(db) ? pg_backup(db, dest) : sq_backup(db, dest); }
int db_reset_all(Db *db) { return PG(db) ? pg_reset_all(db) : sq_reset_all(db); }
const char *db_errmsg(Db *db) { return PG(db) ? pg_errmsg(db) : sq_errmsg(db); }

/* Bulk load: PostgreSQL only (migrate-to writes into PostgreSQL). */
int db_copy_begin(Db *db, const char *sql) { return PG(db) ? pg_copy_begin(db, sql) : DB_ERROR; }
int db_copy_put(Db *db, const char *data, size_t n) { return PG(db) ? pg_copy_put(db, data, n) : DB_ERROR; }
int db_copy_end(Db *db) { return PG(db) ? pg_copy_end(db) : DB_ERROR; }

/* On SQLite every write transaction already holds the one write lock (BEGIN IMMEDIATE): nothing to do. */
int db_lock(Db *db, const char *name) { return PG(db) ? pg_lock(db, name) : DB_OK; }

const char *db_code_name(int code) {
  static const char *names[] = {"ok", "row", "done", "busy", "constraint", "full", "ioerr", "error"};
  return code >= 0 && code <= DB_ERROR ? names[code] : "?";
}

/* ---- statement cache (both drivers) ---- */

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

void stmt_cache_init(StmtCache *c) {
  c->cap = 64;
  c->count = 0;
  c->slot = xcalloc(c->cap, sizeof *c->slot);
}

Stmt *stmt_cache_find(const StmtCache *c, const char *sql, StmtSqlFn sql_of) {
  size_t j = hash_str(sql) & (c->cap - 1);
  for (Stmt *e; (e = c->slot[j]); j = (j + 1) & (c->cap - 1))
    if (strcmp(sql_of(e), sql) == 0) return e;
  return NULL;
}

void stmt_cache_put(StmtCache *c, Stmt *st, StmtSqlFn sql_of) {
  if ((c->count + 1) * 2 > c->cap) {
    size_t ncap = c->cap * 2;
    Stmt **n = xcalloc(ncap, sizeof *n);
    for (size_t i = 0; i < c->cap; i++) {
      Stmt *e = c->slot[i];
      if (!e) continue;
      size_t j = hash_str(sql_of(e)) & (ncap - 1);
      while (n[j]) j = (j + 1) & (ncap - 1);
      n[j] = e;
    }
    free(c->slot);
    c->slot = n;
    c->cap = ncap;
  }
  size_t j = hash_str(sql_of(st)) & (c->cap - 1);
  while (c->slot[j]) j = (j + 1) & (c->cap - 1);
  c->slot[j] = st;
  c->count++;
}

void stmt_cache_free(StmtCache *c, void (*free_st)(Stmt *st)) {
  for (size_t i = 0; i < c->cap; i++)
    if (c->slot[i]) free_st(c->slot[i]);
  free(c->slot);
  c->slot = NULL;
  c->cap = c->count = 0;
}

/* ---- fault injection (tests) ---- */

static _Atomic int fault_code = 0;
static _Atomic int fault_left = 0;

void db_fault_inject(int code, int n) {
  atomic_store(&fault_left, n);
  atomic_store(&fault_code, code);
}

static char *fault_path;

void db_fault_file(const char *path) {
  free(fault_path);
  fault_path = path && *path ? xstrdup(path) : NULL;
}

/* The code the fault file asks for, or DB_OK. */
static int fault_from_file(void) {
  if (!fault_path) return DB_OK;
  FILE *f = fopen(fault_path, "r");
  if (!f) return DB_OK;
  char buf[16] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  if (strncmp(buf, "full", 4) == 0) return DB_FULL;
  if (strncmp(buf, "ioerr", 5) == 0) return DB_IOERR;
  return DB_OK;
}

int db_injected_fault(void) {
  if (atomic_load(&fault_left) > 0 && atomic_fetch_sub(&fault_left, 1) > 0) return atomic_load(&fault_code);
  return fault_from_file();
}

/* ---- per-thread connection ---- */

static char *default_path;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

/* Runs when a worker thread exits: its connection closes with it. */
static void thread_db_free(void *p) { db_close(p); }
static void thread_key_make(void) { pthread_key_create(&thread_key, thread_db_free); }

void db_set_default_path(const char *path) {
  free(default_path);
  default_path = xstrdup(path);
}

const char *db_default_path(void) { return default_path; }

Db *db_thread(void) {
  pthread_once(&thread_once, thread_key_make);
  Db *db = pthread_getspecific(thread_key);
  if (db && PG(db) && pg_broken(db)) { /* the server went away: a new connection for this request */
    db_close(db);
    pthread_setspecific(thread_key, NULL);
    db = NULL;
  }
  if (!db && default_path) {
    if (db_open(default_path, &db) != DB_OK) return NULL;
    pthread_setspecific(thread_key, db);
  }
  return db;
}

void db_thread_close(void) {
  pthread_once(&thread_once, thread_key_make);
  db_close(pthread_getspecific(thread_key));
  pthread_setspecific(thread_key, NULL);
}

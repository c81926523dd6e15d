/*
 * driver.h — what the drivers behind db.h share with the dispatch in db.c (private to src/db/).
 *
 * Both drivers are in the one binary; db_open picks one by the `db` setting (postgresql:// or postgres://
 * means PostgreSQL, anything else is a SQLite file) and every Db and Stmt starts with its DbKind, so db.c
 * sends each call to the driver that made the object. The drivers' entry points are sq_* (db_sqlite.c)
 * and pg_* (db_pg.c), each with the contract of the db_* function of the same name in db.h.
 */
#ifndef ZW_DB_DRIVER_H
#define ZW_DB_DRIVER_H

#include "db/db.h"

#include <stddef.h>

typedef enum { DB_KIND_SQLITE = 0, DB_KIND_PG = 1 } DbKind;

/* The kind of a Db or Stmt (its first member). */
#define DB_KIND_OF(p) (*(const DbKind *)(p))

/* The prepared statements of one connection, cached by SQL text: open addressing, at most half full
 * (slot has cap entries, a power of two). sql_of gives a cached statement's SQL text; the cache owns no
 * statement: the driver frees them (stmt_cache_free) when it closes. */
typedef struct {
  Stmt **slot;
  size_t cap, count;
} StmtCache;
typedef const char *(*StmtSqlFn)(const Stmt *st);

void stmt_cache_init(StmtCache *c);
/* The cached statement with SQL text sql, or NULL. */
Stmt *stmt_cache_find(const StmtCache *c, const char *sql, StmtSqlFn sql_of);
/* Adds st (not yet cached), growing the table when needed. */
void stmt_cache_put(StmtCache *c, Stmt *st, StmtSqlFn sql_of);
/* Frees every cached statement with free_st, then the table. */
void stmt_cache_free(StmtCache *c, void (*free_st)(Stmt *st));

/* An injected failure for a write (db_fault_inject, db_fault_file), or DB_OK. */
int db_injected_fault(void);

#define DB_DRIVER_DECLS(P)                                                                                  \
  int P##_open(const char *where, Db **out);                                                                \
  void P##_close(Db *db);                                                                                   \
  Stmt *P##_prepare(Db *db, const char *sql);                                                               \
  void P##_bind_int(Stmt *st, int idx, int64_t v);                                                          \
  void P##_bind_text(Stmt *st, int idx, const char *s);                                                     \
  void P##_bind_text_static(Stmt *st, int idx, const char *s);                                              \
  void P##_bind_null(Stmt *st, int idx);                                                                    \
  int P##_step(Stmt *st);                                                                                   \
  void P##_done(Stmt *st);                                                                                  \
  int64_t P##_int(Stmt *st, const char *col);                                                               \
  const char *P##_text(Stmt *st, const char *col);                                                          \
  bool P##_null(Stmt *st, const char *col);                                                                 \
  int P##_run(Stmt *st);                                                                                    \
  int64_t P##_changes(Db *db);                                                                              \
  int P##_exec(Db *db, const char *sql);                                                                    \
  int P##_begin(Db *db);                                                                                    \
  int P##_commit(Db *db);                                                                                   \
  void P##_rollback(Db *db);                                                                                \
  bool P##_in_tx(Db *db);                                                                                   \
  int P##_snapshot_begin(Db *db);                                                                           \
  void P##_snapshot_end(Db *db);                                                                            \
  int P##_backup(Db *db, const char *dest);                                                                 \
  int P##_reset_all(Db *db);                                                                                \
  const char *P##_errmsg(Db *db);

DB_DRIVER_DECLS(sq)
DB_DRIVER_DECLS(pg)

/* PostgreSQL only: takes the transaction-scoped advisory lock named name (db_lock). */
int pg_lock(Db *db, const char *name);
/* PostgreSQL only: the connection is lost (reconnect on the next use). */
bool pg_broken(Db *db);
/* PostgreSQL only: bulk load (db_copy_begin, db_copy_put, db_copy_end). */
int pg_copy_begin(Db *db, const char *sql);
int pg_copy_put(Db *db, const char *data, size_t n);
int pg_copy_end(Db *db);

#endif

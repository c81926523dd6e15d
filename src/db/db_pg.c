/*
 * db_pg.c — the PostgreSQL driver behind db.h (entry points pg_*, reached through db.c). The only file
 * that calls libpq.
 *
 * Statements: the portable SQL's ? placeholders become $1, $2... (outside string literals, quoted names
 * and comments); each statement is prepared once per connection (PQprepare, names zw1, zw2...) on its
 * first run, and cached by its SQL text. Parameters are sent as text; an integer parameter is declared
 * bigint, a text one is left for the server to infer (and declared text if it cannot). A run fetches the
 * whole result; db_step walks its rows; columns are found by name (PQfnumber).
 *
 * Transactions (decided for issue 15, part 1): db_begin is BEGIN ISOLATION LEVEL READ COMMITTED plus one
 * transaction-scoped advisory lock, the "writer" lock, which every db_begin takes. That is SQLite's BEGIN
 * IMMEDIATE across every server process: one writing transaction at a time, readers never blocked, and
 * every read inside it sees all that was committed before, so the code written for one writer (chain head,
 * MAX(position) + 1, read-then-write checks) stays correct. No serialisation failures can arise among such
 * transactions; a deadlock or serialisation failure of a single statement outside a transaction is retried
 * (three tries). db_lock takes a named advisory lock as well, marking the places that need it, so that the
 * writer lock can later be narrowed. Lock waits end after 5 s (lock_timeout), as SQLite's busy timeout.
 * db_snapshot_begin is REPEATABLE READ READ ONLY.
 *
 * Errors: SQLSTATE class 23 -> DB_CONSTRAINT; 40001, 40P01, 55P03 -> DB_BUSY; class 53 -> DB_FULL; class
 * 08, 57P0x and a lost connection -> DB_IOERR (503); everything else DB_ERROR (logged). A lost connection
 * is re-established on the next run of a statement (PQreset) or by db_thread.
 */
#include <assert.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"
#include "db/driver.h"

enum { OID_INT8 = 20, OID_TEXT = 25 };

struct Stmt {
  DbKind kind; /* first: DB_KIND_PG (db.c dispatches on it) */
  Db *db;
  char *sql;   /* the portable text: the cache key */
  char *pgsql; /* with $n placeholders */
  char name[16];
  int gen;      /* connection generation it was prepared in (0: not prepared) */
  bool writes;  /* not a SELECT/WITH: fault injection applies */
  int nparams;
  char **vals;  /* nparams values, NULL for SQL NULL */
  bool *owned;  /* vals[i] is our copy */
  Oid *types;   /* per parameter: OID_INT8 for an int binding, 0 otherwise */
  PGresult *res;
  int row, nrows;
  bool ran;     /* executed since the last reset */
};

struct Db {
  DbKind kind; /* first: DB_KIND_PG */
  PGconn *c;
  int gen;     /* bumped on every (re)connection: prepared statements are per connection */
  int seq;     /* statement names */
  StmtCache cache;
  int64_t changes;
  bool tx, snapshot;
  char err[512];
};

/* ---- errors ---- */

static int map_state(const char *state) {
  if (!state || !*state) return DB_ERROR;
  if (strncmp(state, "23", 2) == 0) return DB_CONSTRAINT;
  if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) return DB_BUSY;
  if (strncmp(state, "53", 2) == 0) return DB_FULL;
  if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0) return DB_IOERR;
  return DB_ERROR;
}

/* The DB code of a finished command's result (res may be NULL); keeps the message for db_errmsg. */
static int result_code(Db *db, PGresult *res) {
  ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY) return DB_OK;
  const char *msg = res ? PQresultErrorMessage(res) : "";
  if (!msg || !*msg) msg = PQerrorMessage(db->c);
  snprintf(db->err, sizeof db->err, "%s", msg ? msg : "?");
  size_t n = strlen(db->err);
  while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' ')) db->err[--n] = 0;
  if (PQstatus(db->c) == CONNECTION_BAD) return DB_IOERR;
  return map_state(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
}

static bool is_retryable(PGresult *res) {
  const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  return st && (!strcmp(st, "40001") || !strcmp(st, "40P01"));
}

/* ---- connection ---- */

static void no_notices(void *arg, const char *message) {}

/* Settings of every new connection. */
static bool conn_setup(PGconn *c) {
  PQsetNoticeProcessor(c, no_notices, NULL);
  PGresult *r = PQexec(c, "SET lock_timeout = '5s'; SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  return ok;
}

int pg_open(const char *where, Db **out) {
  PGconn *c = PQconnectdb(where);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    const char *why = c ? PQerrorMessage(c) : "out of memory";
    char msg[512];
    snprintf(msg, sizeof msg, "%s", why);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = 0;
    log_error("db: cannot connect to the PostgreSQL database of the setting db (%s): %s", db_safe_name(where), msg);
    PQfinish(c);
    return DB_IOERR;
  }
  if (!conn_setup(c)) {
    log_error("db: setting up the PostgreSQL connection: %s", PQerrorMessage(c));
    PQfinish(c);
    return DB_IOERR;
  }
  Db *db = xcalloc(1, sizeof *db);
  db->kind = DB_KIND_PG;
  db->c = c;
  db->gen = 1;
  stmt_cache_init(&db->cache);
  *out = db;
  return DB_OK;
}

bool pg_broken(Db *db) { return PQstatus(db->c) == CONNECTION_BAD; }

/* Makes a new connection in place of db's (statements are prepared again on their next run); false if the
 * server cannot be reached. An open transaction is lost with it. */
static bool reconnect_now(Db *db) {
  PQreset(db->c);
  if (PQstatus(db->c) != CONNECTION_OK || !conn_setup(db->c)) {
    snprintf(db->err, sizeof db->err, "connection lost: %s", PQerrorMessage(db->c));
    return false;
  }
  db->gen++;
  db->tx = db->snapshot = false;
  log_info("db: reconnected to PostgreSQL");
  return true;
}

/* Re-establishes a connection libpq knows to be lost; true at once for one it still takes to be good. */
static bool reconnect(Db *db) { return PQstatus(db->c) == CONNECTION_OK || reconnect_now(db); }

/* Whether a failed statement met a connection that the server had closed while it was idle (a restart, a
 * failover) before this run: then nothing of it ran, and a statement that starts no work of its own
 * (outside a transaction: a BEGIN, a read) may run again at once on a new connection. libpq may still take
 * such a connection to be good when the command's answer was the server's farewell (SQLSTATE 57P01
 * "terminating connection due to administrator command", read from the socket before its end): any
 * connection error outside a transaction counts. */
static bool lost_while_idle(Db *db, int rc) { return rc == DB_IOERR && !db->tx && !db->snapshot; }

static void stmt_reset(Stmt *st) {
  PQclear(st->res);
  st->res = NULL;
  st->row = st->nrows = 0;
  st->ran = false;
  for (int i = 0; i < st->nparams; i++) {
    if (st->owned[i]) free(st->vals[i]);
    st->vals[i] = NULL;
    st->owned[i] = false;
    st->types[i] = 0;
  }
}

static void stmt_free(Stmt *st) {
  stmt_reset(st);
  free(st->sql);
  free(st->pgsql);
  free(st->vals);
  free(st->owned);
  free(st->types);
  free(st);
}

void pg_close(Db *db) {
  if (!db) return;
  stmt_cache_free(&db->cache, stmt_free);
  PQfinish(db->c);
  free(db);
}

/* ---- statements ---- */

/* sql with each ? outside literals, quoted names and comments replaced by $1, $2...; *n: how many. */
static char *rewrite(const char *sql, int *n) {
  size_t len = strlen(sql);
  char *out = xmalloc(len * 4 + 16), *o = out;
  int k = 0;
  for (const char *p = sql; *p;) {
    if (*p == '\'' || *p == '"') { /* '...' ('' inside) or "..." */
      char q = *p;
      *o++ = *p++;
      while (*p) {
        if (*p == q && p[1] == q) {
          *o++ = *p++;
          *o++ = *p++;
        } else if (*p == q) {
          *o++ = *p++;
          break;
        } else *o++ = *p++;
      }
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n') *o++ = *p++;
    } else if (p[0] == '/' && p[1] == '*') {
      const char *e = strstr(p + 2, "*/");
      size_t m = e ? (size_t)(e + 2 - p) : strlen(p);
      memcpy(o, p, m);
      o += m;
      p += m;
    } else if (*p == '?') {
      o += sprintf(o, "$%d", ++k);
      p++;
    } else *o++ = *p++;
  }
  *o = 0;
  *n = k;
  return out;
}

/* The SQL text of st (the statement cache's key). */
static const char *stmt_sql(const Stmt *st) { return st->sql; }

static bool starts_with_word(const char *s, const char *w) {
  while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '(') s++;
  return strncasecmp(s, w, strlen(w)) == 0;
}

Stmt *pg_prepare(Db *db, const char *sql) {
  Stmt *e = stmt_cache_find(&db->cache, sql, stmt_sql);
  if (e) {
    stmt_reset(e);
    return e;
  }
  Stmt *st = xcalloc(1, sizeof *st);
  st->kind = DB_KIND_PG;
  st->db = db;
  st->sql = xstrdup(sql);
  st->pgsql = rewrite(sql, &st->nparams);
  snprintf(st->name, sizeof st->name, "zw%d", ++db->seq);
  st->writes = !starts_with_word(sql, "SELECT") && !starts_with_word(sql, "WITH") &&
               !starts_with_word(sql, "BEGIN") && !starts_with_word(sql, "COMMIT") &&
               !starts_with_word(sql, "ROLLBACK");
  size_t np = (size_t)st->nparams + 1;
  st->vals = xcalloc(np, sizeof *st->vals);
  st->owned = xcalloc(np, sizeof *st->owned);
  st->types = xcalloc(np, sizeof *st->types);
  stmt_cache_put(&db->cache, st, stmt_sql);
  return st;
}

static void bind(Stmt *st, int idx, char *v, bool owned, Oid type) {
  assert(idx >= 1 && idx <= st->nparams && "parameter index out of range");
  if (idx < 1 || idx > st->nparams) {
    if (owned) free(v);
    return;
  }
  int i = idx - 1;
  if (st->owned[i]) free(st->vals[i]);
  st->vals[i] = v;
  st->owned[i] = owned;
  if (type || !st->types[i]) st->types[i] = type;
}

void pg_bind_int(Stmt *st, int idx, int64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", (long long)v);
  bind(st, idx, xstrdup(buf), true, OID_INT8);
}
void pg_bind_text(Stmt *st, int idx, const char *s) { bind(st, idx, s ? xstrdup(s) : NULL, s != NULL, 0); }
void pg_bind_text_static(Stmt *st, int idx, const char *s) { bind(st, idx, (char *)s, false, 0); }
void pg_bind_null(Stmt *st, int idx) { bind(st, idx, NULL, false, 0); }

/* PQprepare inside a savepoint when a transaction is open (a failed prepare would abort it). */
static PGresult *prepare_once(Db *db, Stmt *st, const Oid *types) {
  bool intx = PQtransactionStatus(db->c) == PQTRANS_INTRANS;
  if (intx) PQclear(PQexec(db->c, "SAVEPOINT zw_prepare"));
  PGresult *r = PQprepare(db->c, st->name, st->pgsql, st->nparams, types);
  if (intx) {
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(PQexec(db->c, ok ? "RELEASE SAVEPOINT zw_prepare" : "ROLLBACK TO SAVEPOINT zw_prepare"));
  }
  return r;
}

/* Prepares st on the current connection: first with bigint for integer bindings and inferred types for
 * the rest; where the server cannot infer a type (? IS NULL, SELECT ?), again with text for those. */
static int prepare_now(Db *db, Stmt *st) {
  Oid *types = xcalloc((size_t)st->nparams + 1, sizeof *types);
  memcpy(types, st->types, (size_t)st->nparams * sizeof *types);
  PGresult *r = prepare_once(db, st, types);
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  if (state && (!strcmp(state, "42P18") || !strcmp(state, "42725") || !strcmp(state, "42804"))) {
    PQclear(r);
    for (int i = 0; i < st->nparams; i++)
      if (!types[i]) types[i] = OID_TEXT;
    r = prepare_once(db, st, types);
  }
  free(types);
  int rc = result_code(db, r);
  PQclear(r);
  if (rc == DB_OK) st->gen = db->gen;
  else if (rc == DB_ERROR) log_error("db: prepare failed: %s (%s)", db->err, st->sql);
  return rc;
}

/* Runs st with its bindings and keeps the whole result. */
static int execute(Stmt *st) {
  Db *db = st->db;
  if (st->writes) {
    int f = db_injected_fault();
    if (f != DB_OK) return f;
  }
  if (!reconnect(db)) return DB_IOERR;
  for (int attempt = 0;; attempt++) {
    if (st->gen != db->gen) {
      int rc = prepare_now(db, st);
      if (attempt == 0 && lost_while_idle(db, rc)) { /* the prepare met a connection closed meanwhile */
        if (!reconnect_now(db)) return DB_IOERR;
        continue;
      }
      if (rc != DB_OK) return rc;
    }
    PGresult *r = PQexecPrepared(db->c, st->name, st->nparams, (const char *const *)st->vals, NULL, NULL, 0);
    int rc = result_code(db, r);
    if (rc == DB_BUSY && !db->tx && !db->snapshot && attempt < 2 && is_retryable(r)) {
      PQclear(r);
      usleep(10000u << attempt);
      continue;
    }
    if (attempt == 0 && !st->writes && lost_while_idle(db, rc)) { /* a read on a connection closed meanwhile */
      PQclear(r);
      if (!reconnect_now(db)) return DB_IOERR;
      continue; /* the new connection has a new generation: st is prepared again */
    }
    if (rc != DB_OK) {
      if (rc != DB_CONSTRAINT && rc != DB_BUSY) log_error("db: step failed: %s (%s)", db->err, st->sql);
      PQclear(r);
      if (rc == DB_IOERR && PQstatus(db->c) == CONNECTION_BAD) db->tx = db->snapshot = false;
      return rc;
    }
    const char *tag = PQcmdStatus(r), *ct = PQcmdTuples(r); /* as SQLite: only writes count as changes */
    if (ct && *ct && tag && (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) || !strncmp(tag, "DELETE", 6)))
      db->changes = strtoll(ct, NULL, 10);
    st->res = r;
    st->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    st->row = -1;
    st->ran = true;
    return DB_OK;
  }
}

int pg_step(Stmt *st) {
  if (!st->ran) {
    int rc = execute(st);
    if (rc != DB_OK) return rc;
  }
  if (st->row < st->nrows) st->row++;
  return st->row < st->nrows ? DB_ROW : DB_DONE;
}

void pg_done(Stmt *st) {
  if (st) stmt_reset(st);
}

static int col_index(Stmt *st, const char *col) {
  int i = st->res ? PQfnumber(st->res, col) : -1;
  if (i < 0 || st->row < 0 || st->row >= st->nrows) {
    log_error("db: no column '%s' (or no row) in: %s", col, st->sql);
    assert(!"column not in select list");
    return -1;
  }
  return i;
}

int64_t pg_int(Stmt *st, const char *col) {
  int i = col_index(st, col);
  if (i < 0 || PQgetisnull(st->res, st->row, i)) return 0;
  const char *v = PQgetvalue(st->res, st->row, i);
  if (v[0] == 't' && !v[1]) return 1; /* a boolean expression */
  if (v[0] == 'f' && !v[1]) return 0;
  return strtoll(v, NULL, 10);
}

const char *pg_text(Stmt *st, const char *col) {
  int i = col_index(st, col);
  if (i < 0 || PQgetisnull(st->res, st->row, i)) return NULL;
  return PQgetvalue(st->res, st->row, i);
}

bool pg_null(Stmt *st, const char *col) {
  int i = col_index(st, col);
  return i < 0 || PQgetisnull(st->res, st->row, i);
}

int pg_run(Stmt *st) {
  int rc = pg_step(st);
  while (rc == DB_ROW) rc = pg_step(st);
  pg_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int64_t pg_changes(Db *db) { return db->changes; }

/* Runs sql (one or more statements, no parameters). */
static int simple(Db *db, const char *sql) {
  if (!reconnect(db)) return DB_IOERR;
  PGresult *r = PQexec(db->c, sql);
  int rc = result_code(db, r);
  PQclear(r);
  if (lost_while_idle(db, rc) && strncmp(sql, "BEGIN", 5) == 0 && reconnect_now(db)) {
    r = PQexec(db->c, sql);
    rc = result_code(db, r);
    PQclear(r);
  }
  return rc;
}

int pg_exec(Db *db, const char *sql) {
  int rc = simple(db, sql);
  if (rc != DB_OK) log_error("db: exec failed: %s", db->err);
  return rc;
}

int pg_reset_all(Db *db) {
  int n = 0;
  for (size_t i = 0; i < db->cache.cap; i++) {
    Stmt *st = db->cache.slot[i];
    if (st && st->ran && st->row < st->nrows) {
      n++;
      stmt_reset(st);
    }
  }
  return n;
}

/* ---- transactions ---- */

int pg_begin(Db *db) {
  pg_snapshot_end(db);
  int f = db_injected_fault();
  if (f != DB_OK) return f;
  if (db->tx) return DB_OK;
  int rc = simple(db, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(hashtext('zorgwerk:writer'))");
  if (rc == DB_OK) db->tx = true;
  else {
    if (PQtransactionStatus(db->c) != PQTRANS_IDLE) PQclear(PQexec(db->c, "ROLLBACK"));
    if (rc == DB_ERROR) log_error("db: begin failed: %s", db->err);
  }
  return rc;
}

int pg_commit(Db *db) {
  if (!db->tx) return DB_OK;
  pg_reset_all(db);
  db->tx = false;
  PGresult *r = PQexec(db->c, "COMMIT");
  int rc = result_code(db, r);
  /* COMMIT of a failed transaction answers ROLLBACK without an error: that is not a success */
  if (rc == DB_OK && r && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
    snprintf(db->err, sizeof db->err, "the transaction failed earlier and was rolled back");
    rc = DB_ERROR;
  }
  PQclear(r);
  if (rc != DB_OK) pg_rollback(db);
  return rc;
}

void pg_rollback(Db *db) {
  db->tx = db->snapshot = false;
  pg_reset_all(db);
  if (PQstatus(db->c) == CONNECTION_OK && PQtransactionStatus(db->c) != PQTRANS_IDLE)
    PQclear(PQexec(db->c, "ROLLBACK"));
}

bool pg_in_tx(Db *db) { return db->tx; }

int pg_snapshot_begin(Db *db) {
  if (db->snapshot || db->tx) return DB_OK;
  int rc = simple(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  db->snapshot = rc == DB_OK;
  return rc;
}

void pg_snapshot_end(Db *db) {
  if (!db->snapshot) return;
  db->snapshot = false;
  pg_reset_all(db);
  if (simple(db, "COMMIT") != DB_OK) pg_rollback(db);
}

int pg_lock(Db *db, const char *name) {
  Stmt *st = pg_prepare(db, "SELECT pg_advisory_xact_lock(hashtext(?)) AS locked");
  pg_bind_text(st, 1, name);
  return pg_run(st);
}

int pg_backup(Db *db, const char *dest) {
  snprintf(db->err, sizeof db->err, "backup of a PostgreSQL database: use pg_dump");
  log_error("backup: the database is PostgreSQL; `zorgwerk backup` copies SQLite files only. Use PostgreSQL's "
            "own tools, for instance: pg_dump --format=custom --file=%s \"$URL\" (with the URL of the setting "
            "db), together with the access-log key file.", dest);
  return DB_ERROR;
}

/* ---- bulk load (migrate-to) ---- */

int pg_copy_begin(Db *db, const char *sql) {
  if (PQstatus(db->c) != CONNECTION_OK) { /* no reconnection: the transaction around the COPY is gone */
    snprintf(db->err, sizeof db->err, "connection lost: %s", PQerrorMessage(db->c));
    db->tx = db->snapshot = false;
    return DB_IOERR;
  }
  PGresult *r = PQexec(db->c, sql);
  if (r && PQresultStatus(r) == PGRES_COPY_IN) {
    PQclear(r);
    return DB_OK;
  }
  int rc = result_code(db, r);
  PQclear(r);
  return rc == DB_OK ? DB_ERROR : rc;
}

int pg_copy_put(Db *db, const char *data, size_t n) {
  while (n > 0) { /* PQputCopyData takes an int length */
    int part = n > (1u << 30) ? 1 << 30 : (int)n;
    if (PQputCopyData(db->c, data, part) != 1) {
      snprintf(db->err, sizeof db->err, "COPY: %s", PQerrorMessage(db->c));
      return PQstatus(db->c) == CONNECTION_BAD ? DB_IOERR : DB_ERROR;
    }
    data += part;
    n -= (size_t)part;
  }
  return DB_OK;
}

int pg_copy_end(Db *db) {
  if (PQputCopyEnd(db->c, NULL) != 1) {
    snprintf(db->err, sizeof db->err, "COPY: %s", PQerrorMessage(db->c));
    return DB_IOERR;
  }
  int rc = DB_OK;
  for (PGresult *r; (r = PQgetResult(db->c));) {
    int c = result_code(db, r);
    if (c == DB_OK && !strncmp(PQcmdStatus(r), "COPY", 4)) db->changes = strtoll(PQcmdTuples(r), NULL, 10);
    if (rc == DB_OK) rc = c;
    PQclear(r);
  }
  return rc;
}

const char *pg_errmsg(Db *db) { return db->err[0] ? db->err : PQerrorMessage(db->c); }

/*
 * db.h — the storage interface. All SQL in zorgwerk goes through these functions; only the drivers
 * (db_sqlite.c, db_pg.c, chosen at run time by db.c) talk to a database library.
 *
 * Feature code writes portable SQL with ? placeholders (a PostgreSQL driver rewrites them to $n), reads
 * columns by name, and uses RETURNING instead of "last insert id". Prepared statements are cached per
 * connection, keyed by the SQL text; a statement is reset by db_prepare and by db_done.
 *
 * Status codes: every function that talks to the database returns one of the DB_* codes, and callers must
 * look at it. DB_BUSY (locked or busy past the timeout), DB_FULL (disk full) and DB_IOERR map to HTTP 503;
 * DB_CONSTRAINT to 409 where a duplicate is the user's doing.
 */
#ifndef ZW_DB_H
#define ZW_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Db Db;
typedef struct Stmt Stmt;

enum {
  DB_OK = 0,
  DB_ROW,        /* db_step: a row is ready */
  DB_DONE,       /* db_step: no more rows */
  DB_BUSY,       /* locked or busy: try again later */
  DB_CONSTRAINT, /* unique, foreign-key or check constraint failed */
  DB_FULL,       /* disk or database full */
  DB_IOERR,      /* I/O error */
  DB_ERROR,      /* anything else (bad SQL is a programming error and is also logged) */
};

/* Opens the database of the `db` setting: a postgresql:// or postgres:// URL connects to PostgreSQL
 * (db_pg.c), anything else opens (creating if needed) the SQLite file at that path with WAL,
 * synchronous=FULL, foreign keys and a busy timeout (db_sqlite.c). Both drivers are in every binary. On
 * success *out owns the connection; close with db_close. A failure is logged naming the setting (never a
 * password). */
int db_open(const char *path, Db **out);
bool db_is_pg_url(const char *where); /* the setting's value names a PostgreSQL database */
bool db_is_pg(Db *db);                /* db is a PostgreSQL connection */
/* The `db` setting's value fit for messages: a URL's password (user:secret@, password=) removed. Valid
 * until the next call in the same thread. */
const char *db_safe_name(const char *where);
void db_close(Db *db); /* finalizes cached statements; db may be NULL */

/* Applies every numbered migration not yet recorded, each in its own transaction. Refuses (DB_ERROR,
 * logged) a database that has a migration newer than this binary knows. */
int db_migrate(Db *db);
int db_schema_version(Db *db, int *version);
int db_schema_known(void); /* the highest migration number this binary has */

/* Returns a cached, reset statement for sql, or NULL (error logged) if it does not compile. */
Stmt *db_prepare(Db *db, const char *sql);
void db_bind_int(Stmt *st, int idx, int64_t v);      /* idx is 1-based */
void db_bind_text(Stmt *st, int idx, const char *s); /* NULL binds SQL NULL; the text is copied */
/* As db_bind_text without the copy: s must stay unchanged until the statement has been run (db_run) or
 * reset (db_done, db_prepare). For hot paths binding many texts that outlive the statement's run. */
void db_bind_text_static(Stmt *st, int idx, const char *s);
void db_bind_null(Stmt *st, int idx);
int db_step(Stmt *st);                                 /* DB_ROW, DB_DONE or an error code */
void db_done(Stmt *st);                                /* resets and clears bindings; st may be NULL */

/* Column access by name; the name must be in the select list (asserted). Text is valid until the next
 * db_step or db_done on the statement; NULL for SQL NULL. */
int64_t db_int(Stmt *st, const char *col);
const char *db_text(Stmt *st, const char *col);
bool db_null(Stmt *st, const char *col);
/* Text column col of the current row copied into arena a, for text kept past the next db_step or db_done
 * (NULL stays NULL). Allocates in a (aborts on exhaustion, like every arena allocation). */
typedef struct Arena Arena; /* core/mem.h */
const char *db_text_copy(Arena *a, Stmt *st, const char *col);

/* Runs a statement to completion (for INSERT/UPDATE/DELETE) and resets it. Returns DB_OK or an error. */
int db_run(Stmt *st);
/* Number of rows changed by the last completed statement on db. */
int64_t db_changes(Db *db);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE on SQLite), so a busy database
 * is reported before any work is done. */
int db_begin(Db *db);
int db_commit(Db *db);
void db_rollback(Db *db); /* no-op if no transaction is open */
bool db_in_tx(Db *db); /* a write transaction (db_begin) is open; a read snapshot does not count */
/* Inside a write transaction: waits for the lock named name until the transaction ends, for code that
 * relies on a single writer (a chain head, MAX(position) + 1). PostgreSQL: pg_advisory_xact_lock
 * (hashtext(name)); SQLite: nothing (BEGIN IMMEDIATE already is the one writer). DB_OK or an error. */
int db_lock(Db *db, const char *name);

/* A read snapshot for a whole page: every query until db_snapshot_end sees the same committed state
 * (on SQLite one read transaction instead of one per statement; on PostgreSQL REPEATABLE READ READ ONLY).
 * db_begin ends an open snapshot first, so a handler may still write. Both are no-ops when not needed. */
int db_snapshot_begin(Db *db);
void db_snapshot_end(Db *db);

/* Runs one or more SQL statements without parameters (migrations, maintenance only). */
int db_exec(Db *db, const char *sql);

/* Copies the database to dest with the online backup API; the source stays usable meanwhile. */
int db_backup(Db *db, const char *dest);

/* Bulk load (PostgreSQL only; zorgwerk migrate-to): db_copy_begin runs sql, a COPY ... FROM STDIN in text
 * format; db_copy_put sends n bytes of rows (tab-separated, \N for NULL, backslash escapes); db_copy_end
 * finishes and reports the COPY's outcome. Inside a write transaction. On SQLite: DB_ERROR. */
int db_copy_begin(Db *db, const char *sql);
int db_copy_put(Db *db, const char *data, size_t n);
int db_copy_end(Db *db);

/* Resets any statement left mid-step and returns how many there were (request-end check). */
int db_reset_all(Db *db);

/* Message for the last error on db (for server logs, never for users). */
const char *db_errmsg(Db *db);
const char *db_code_name(int code);

/* Per-thread connection to the server's database: opened on first use in each worker thread. */
void db_set_default_path(const char *path);
const char *db_default_path(void);
Db *db_thread(void); /* NULL if the database cannot be opened (logged) */
void db_thread_close(void);

/* Fault injection for storage tests: when set to a DB_* code, the next n write steps fail with it. */
void db_fault_inject(int code, int n);
/* Fault file for tests of a running server (setting fault_file): while the file exists and holds
 * "full" or "ioerr", every write step and BEGIN fails with DB_FULL or DB_IOERR, as on a full or failing
 * disk. Checked only when set; never set it in production. */
void db_fault_file(const char *path);

#endif

/*
 * migrate_to.c — `zorgwerk --db SQLITE_FILE migrate-to URL`: copies a SQLite installation into an empty
 * PostgreSQL database (issue 15, part 1).
 *
 * Steps, each of which stops the copy with a message and a non-zero exit status:
 *  1. The target must hold no table or view in its schema (refused otherwise, exit 1, nothing changed).
 *  2. The source is opened (and upgraded to this binary's schema, as every command does) and its access log
 *     verified in full with the key and the seal (audit_key_file, audit_seal_file; on SQLite by default the
 *     database file's name + ".key" / ".seal"). A log that does not verify is not copied (exit 3): the copy
 *     would carry a broken chain into the new database without anyone having looked at it.
 *  3. The target gets the schema through the normal migrations (db_migrate: pgddl.c translates them).
 *  4. In one transaction on the target (and one read snapshot of the source): every table emptied (the
 *     migrations' own seed rows), then every table's rows copied with COPY ... FROM STDIN in the order of the
 *     foreign keys (a table after the tables it refers to; rows in primary-key order), schema_migrations
 *     included (the source's history replaces the one just written); each table's count checked against
 *     what was sent; identity sequences set past the copied ids (pgddl_sync_identities).
 *  5. The copy's access log verified in full with the same key and seal: the chain's hashes are computed
 *     over the entries' values, so it verifies only when every value came across unchanged.
 * A failure after step 3 drops the tables the copy made, so the target is empty again and the command can
 * be run anew. The server must not run on the source meanwhile (entries written after the snapshot would
 * not be copied, and their seal would not fit the copy).
 *
 * Values: SQLite's text form is sent for integers (exact for 64 bits) and text (UTF-8 as stored; tab,
 * newline, carriage return and backslash escaped); a column declared BLOB is read as hex and sent as
 * bytea's \x form; SQL NULL as \N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"
#include "db/pgddl.h"
#include "policy/audit.h"
#include "policy/seal.h"

typedef struct {
  char *name;
  bool blob;     /* declared BLOB: read as hex, written as bytea */
  bool notnull;  /* declared NOT NULL */
  bool deferred; /* a foreign key within a cycle of tables: copied as NULL, set once its table is there */
} Col;

typedef struct {
  char *table; /* the table referred to */
  char *from;  /* the column of this table that refers to it */
} Ref;

typedef struct {
  char *name;
  Col *cols;
  int ncols;
  Ref *refs; /* its foreign keys */
  int nrefs;
  char *order; /* ORDER BY list: the primary key, else rowid */
  char *pk;    /* the primary key's column when it is one column, else NULL */
  bool placed;
  int64_t rows;
} Table;

typedef struct {
  Table *t;
  int n;
} Tables;

static void tables_free(Tables *ts) {
  for (int i = 0; i < ts->n; i++) {
    Table *t = &ts->t[i];
    free(t->name);
    for (int j = 0; j < t->ncols; j++) free(t->cols[j].name);
    free(t->cols);
    for (int j = 0; j < t->nrefs; j++) {
      free(t->refs[j].table);
      free(t->refs[j].from);
    }
    free(t->refs);
    free(t->order);
    free(t->pk);
  }
  free(ts->t);
  ts->t = NULL;
  ts->n = 0;
}

/* A growing byte buffer (rows for COPY, SQL text). */
typedef struct {
  char *s;
  size_t len, cap;
} CopyBuf;

static void cbuf_put(CopyBuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    while (b->len + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
    b->s = xrealloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}
static void cbuf_puts(CopyBuf *b, const char *s) { cbuf_put(b, s, strlen(s)); }

/* name as a quoted SQL identifier. */
static void cbuf_ident(CopyBuf *b, const char *name) {
  cbuf_put(b, "\"", 1);
  for (const char *p = name; *p; p++) {
    if (*p == '"') cbuf_put(b, "\"", 1); /* doubled inside a quoted name */
    cbuf_put(b, p, 1);
  }
  cbuf_put(b, "\"", 1);
}

/* v as one field of COPY's text format. */
static void cbuf_field(CopyBuf *b, const char *v, bool blob) {
  if (!v) {
    cbuf_put(b, "\\N", 2);
    return;
  }
  if (blob) cbuf_put(b, "\\\\x", 3); /* the field \\x0A.. is the bytea input \x0A.. */
  const char *run = v;
  for (const char *p = v;; p++) {
    const char *esc = NULL;
    switch (*p) {
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default: break;
    }
    if (!*p || esc) {
      cbuf_put(b, run, (size_t)(p - run));
      if (!*p) return;
      cbuf_put(b, esc, 2);
      run = p + 1;
    }
  }
}

/* ---- the source's tables ---- */

static bool decl_blob(const char *type) { return type && strcasestr(type, "BLOB") != NULL; }

/* Reads the source's tables, their columns, primary keys and foreign keys. DB code. */
static int source_tables(Db *src, Tables *ts) {
  Stmt *st = db_prepare(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                             "ORDER BY name");
  if (!st) return DB_ERROR;
  int rc, cap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (ts->n == cap) {
      cap = cap ? cap * 2 : 64;
      ts->t = xrealloc(ts->t, (size_t)cap * sizeof *ts->t);
    }
    memset(&ts->t[ts->n], 0, sizeof ts->t[0]);
    ts->t[ts->n++].name = xstrdup(db_text(st, "name"));
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  for (int i = 0; i < ts->n; i++) {
    Table *t = &ts->t[i];
    st = db_prepare(src, "SELECT name, type, pk, \"notnull\" AS nn FROM pragma_table_info(?) ORDER BY cid");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, t->name);
    int pkmax = 0;
    char *pk[64] = {0};
    while ((rc = db_step(st)) == DB_ROW) {
      t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
      t->cols[t->ncols].name = xstrdup(db_text(st, "name"));
      t->cols[t->ncols].blob = decl_blob(db_text(st, "type"));
      t->cols[t->ncols].notnull = db_int(st, "nn") != 0;
      t->cols[t->ncols].deferred = false;
      int64_t k = db_int(st, "pk");
      if (k > 0 && k <= 64) {
        pk[k - 1] = t->cols[t->ncols].name;
        if (k > pkmax) pkmax = (int)k;
      }
      t->ncols++;
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
    CopyBuf order = {0};
    for (int k = 0; k < pkmax; k++) {
      if (!pk[k]) continue;
      if (order.len) cbuf_puts(&order, ", ");
      cbuf_ident(&order, pk[k]);
    }
    if (!order.len) cbuf_puts(&order, "rowid");
    t->order = order.s;
    t->pk = pkmax == 1 && pk[0] ? xstrdup(pk[0]) : NULL;
    st = db_prepare(src, "SELECT \"table\" AS ref, \"from\" AS col FROM pragma_foreign_key_list(?)");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, t->name);
    while ((rc = db_step(st)) == DB_ROW) {
      t->refs = xrealloc(t->refs, (size_t)(t->nrefs + 1) * sizeof *t->refs);
      t->refs[t->nrefs].table = xstrdup(db_text(st, "ref"));
      t->refs[t->nrefs++].from = xstrdup(db_text(st, "col"));
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
  }
  return DB_OK;
}

static Table *find_table(Tables *ts, const char *name) {
  for (int i = 0; i < ts->n; i++)
    if (!strcasecmp(ts->t[i].name, name)) return &ts->t[i];
  return NULL;
}

static Col *find_col(Table *t, const char *name) {
  for (int i = 0; i < t->ncols; i++)
    if (!strcasecmp(t->cols[i].name, name)) return &t->cols[i];
  return NULL;
}

/* Whether t can be copied now: every table it refers to (but itself) is placed, or (defer) the columns
 * referring to the others can be NULL for a while — those are then marked deferred. */
static bool table_ready(Tables *ts, Table *t, bool defer) {
  for (int j = 0; j < t->nrefs; j++) {
    Table *r = find_table(ts, t->refs[j].table);
    if (!r || r == t || r->placed) continue;
    Col *c = find_col(t, t->refs[j].from);
    if (!defer || !c || c->notnull || !t->pk) return false;
  }
  if (defer)
    for (int j = 0; j < t->nrefs; j++) {
      Table *r = find_table(ts, t->refs[j].table);
      if (r && r != t && !r->placed) find_col(t, t->refs[j].from)->deferred = true;
    }
  return true;
}

/* The tables in an order where each comes after the tables it refers to (into order, ts->n pointers). Where
 * foreign keys form a cycle, a table whose columns into the cycle may be NULL goes first with those
 * columns deferred (copy_deferred sets them afterwards). False when no such table breaks a cycle (the
 * names of the tables left go to stderr). */
static bool dependency_order(Tables *ts, Table **order) {
  int placed = 0;
  while (placed < ts->n) {
    int before = placed;
    for (int pass = 0; pass < 2 && placed == before; pass++) /* a deferral only when nothing else can go */
      for (int i = 0; i < ts->n; i++) {
        Table *t = &ts->t[i];
        if (t->placed || !table_ready(ts, t, pass == 1)) continue;
        t->placed = true;
        order[placed++] = t;
        if (pass == 1) break;
      }
    if (placed == before) {
      fprintf(stderr, "zorgwerk: the foreign keys of these tables form a cycle; migrate-to cannot order them:");
      for (int i = 0; i < ts->n; i++)
        if (!ts->t[i].placed) fprintf(stderr, " %s", ts->t[i].name);
      fputc('\n', stderr);
      return false;
    }
  }
  return true;
}

/* ---- the target ---- */

/* The tables and views in the target's schema: how many, and the first name (into first, n bytes). */
static int target_tables(Db *dst, int64_t *count, char *first, size_t n) {
  Stmt *st = db_prepare(dst, "SELECT COUNT(*) AS n, MIN(table_name) AS first FROM information_schema.tables "
                             "WHERE table_schema = current_schema()");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *count = db_int(st, "n");
    snprintf(first, n, "%s", db_text(st, "first") ? db_text(st, "first") : "");
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* One statement over every table of the target's schema: prefix followed by their quoted names, comma-
 * separated, then suffix (TRUNCATE ..., DROP TABLE ...). NULL when there is none or on error. */
static char *all_tables_sql(Db *dst, const char *prefix, const char *suffix) {
  Stmt *st = db_prepare(dst, "SELECT table_name AS t FROM information_schema.tables "
                             "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  if (!st) return NULL;
  CopyBuf b = {0};
  cbuf_puts(&b, prefix);
  int rc, n = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n++) cbuf_puts(&b, ", ");
    cbuf_ident(&b, db_text(st, "t"));
  }
  db_done(st);
  if (rc != DB_DONE || !n) {
    free(b.s);
    return NULL;
  }
  cbuf_puts(&b, suffix);
  return b.s;
}

/* After a failed copy: drops every table of the target (all of them were made by this command, which
 * refuses a target that has any), so it is empty again. */
static void target_undo(Db *dst) {
  db_rollback(dst);
  char *sql = all_tables_sql(dst, "DROP TABLE IF EXISTS ", " CASCADE");
  if (sql && db_exec(dst, sql) != DB_OK)
    fprintf(stderr, "zorgwerk: the tables made in the target could not be removed (%s); drop and create the "
                    "database again before the next try\n", db_errmsg(dst));
  free(sql);
}

/* Copies the rows of table t from src to dst (inside dst's transaction). DB code; *sent: rows sent. */
static int copy_table(Db *src, Db *dst, Table *t, int64_t *sent) {
  CopyBuf sel = {0}, copy = {0}, rows = {0};
  cbuf_puts(&sel, "SELECT ");
  cbuf_puts(&copy, "COPY ");
  cbuf_ident(&copy, t->name);
  cbuf_puts(&copy, " (");
  for (int i = 0; i < t->ncols; i++) {
    const char *c = t->cols[i].name;
    if (i) {
      cbuf_puts(&sel, ", ");
      cbuf_puts(&copy, ", ");
    }
    if (t->cols[i].blob) {
      cbuf_puts(&sel, "CASE WHEN ");
      cbuf_ident(&sel, c);
      cbuf_puts(&sel, " IS NULL THEN NULL ELSE hex(");
      cbuf_ident(&sel, c);
      cbuf_puts(&sel, ") END AS ");
    }
    cbuf_ident(&sel, c);
    cbuf_ident(&copy, c);
  }
  cbuf_puts(&sel, " FROM ");
  cbuf_ident(&sel, t->name);
  cbuf_puts(&sel, " ORDER BY ");
  cbuf_puts(&sel, t->order);
  cbuf_puts(&copy, ") FROM STDIN");
  *sent = 0;
  Stmt *st = db_prepare(src, sel.s);
  int rc = st ? db_copy_begin(dst, copy.s) : DB_ERROR;
  bool copying = rc == DB_OK;
  while (rc == DB_OK) {
    int s = db_step(st);
    if (s == DB_ROW) {
      for (int i = 0; i < t->ncols; i++) {
        if (i) cbuf_put(&rows, "\t", 1);
        cbuf_field(&rows, t->cols[i].deferred ? NULL : db_text(st, t->cols[i].name), t->cols[i].blob);
      }
      cbuf_put(&rows, "\n", 1);
      if (++*sent % 1000000 == 0) fprintf(stderr, "migrate-to: %s: %lld rows\n", t->name, (long long)*sent);
      if (rows.len >= (1u << 20)) {
        rc = db_copy_put(dst, rows.s, rows.len);
        rows.len = 0;
      }
    } else {
      if (s != DB_DONE) rc = s;
      break;
    }
  }
  if (rc == DB_OK && rows.len) rc = db_copy_put(dst, rows.s, rows.len);
  if (copying) {
    int end = db_copy_end(dst); /* also after a failure: the COPY must be closed */
    if (rc == DB_OK) rc = end;
  }
  db_done(st);
  free(sel.s);
  free(copy.s);
  free(rows.s);
  return rc;
}

/* Sets the deferred column c of table t (copied as NULL) to the source's values, once the table it refers
 * to is in place: the pairs (primary key, value) go into a temporary table of the same types, then one
 * UPDATE. Inside dst's transaction. DB code. */
static int copy_deferred(Db *src, Db *dst, Table *t, Col *c) {
  CopyBuf sql = {0}, rows = {0};
  cbuf_puts(&sql, "DROP TABLE IF EXISTS zw_migrate_fix; CREATE TEMP TABLE zw_migrate_fix AS SELECT ");
  cbuf_ident(&sql, t->pk);
  cbuf_puts(&sql, ", ");
  cbuf_ident(&sql, c->name);
  cbuf_puts(&sql, " FROM ");
  cbuf_ident(&sql, t->name);
  cbuf_puts(&sql, " WITH NO DATA");
  int rc = db_exec(dst, sql.s);
  sql.len = 0;
  cbuf_puts(&sql, "SELECT ");
  cbuf_ident(&sql, t->pk);
  cbuf_puts(&sql, ", ");
  cbuf_ident(&sql, c->name);
  cbuf_puts(&sql, " FROM ");
  cbuf_ident(&sql, t->name);
  cbuf_puts(&sql, " WHERE ");
  cbuf_ident(&sql, c->name);
  cbuf_puts(&sql, " IS NOT NULL");
  Stmt *st = rc == DB_OK ? db_prepare(src, sql.s) : NULL;
  if (rc == DB_OK && !st) rc = DB_ERROR;
  if (rc == DB_OK) rc = db_copy_begin(dst, "COPY zw_migrate_fix FROM STDIN");
  bool copying = rc == DB_OK;
  while (rc == DB_OK) {
    int s = db_step(st);
    if (s != DB_ROW) {
      if (s != DB_DONE) rc = s;
      break;
    }
    cbuf_field(&rows, db_text(st, t->pk), false);
    cbuf_put(&rows, "\t", 1);
    cbuf_field(&rows, db_text(st, c->name), c->blob);
    cbuf_put(&rows, "\n", 1);
  }
  if (copying) {
    if (rc == DB_OK && rows.len) rc = db_copy_put(dst, rows.s, rows.len);
    int end = db_copy_end(dst);
    if (rc == DB_OK) rc = end;
  }
  db_done(st);
  if (rc == DB_OK) {
    sql.len = 0;
    cbuf_puts(&sql, "UPDATE ");
    cbuf_ident(&sql, t->name);
    cbuf_puts(&sql, " SET ");
    cbuf_ident(&sql, c->name);
    cbuf_puts(&sql, " = f.");
    cbuf_ident(&sql, c->name);
    cbuf_puts(&sql, " FROM zw_migrate_fix f WHERE ");
    cbuf_ident(&sql, t->name);
    cbuf_puts(&sql, ".");
    cbuf_ident(&sql, t->pk);
    cbuf_puts(&sql, " = f.");
    cbuf_ident(&sql, t->pk);
    cbuf_puts(&sql, "; DROP TABLE zw_migrate_fix");
    rc = db_exec(dst, sql.s);
  }
  free(sql.s);
  free(rows.s);
  return rc;
}

/* One line on what a chain check found (for a log that is not intact). */
static void print_not_intact(const char *which, const AuditCheck *c) {
  char kpath[1100], spath[1100];
  seal_key_path(kpath, sizeof kpath);
  seal_file_path(spath, sizeof spath);
  fprintf(stderr, "zorgwerk: the access log of the %s is NOT INTACT:", which);
  if (c->key != KEY_OK) fprintf(stderr, " the key file %s %s;", kpath, seal_key_problem(c->key));
  if (c->bad_id)
    fprintf(stderr, " BROKEN at entry %lld (after %lld intact entries);", (long long)c->bad_id,
            (long long)c->checked);
  if (c->key == KEY_OK && c->seal_status != SEAL_OK) fprintf(stderr, " the seal %s is missing, unreadable or not "
                                                                     "written with the key;", spath);
  if (c->boundary_changed) fprintf(stderr, " the record of where the keyed chain begins differs;");
  if (c->truncated) fprintf(stderr, " entries were removed from its end;");
  if (c->head_changed) fprintf(stderr, " entry %lld differs from the seal;", (long long)c->seal.id);
  if (c->checkpoint_forged || c->checkpoint_changed) fprintf(stderr, " the verified checkpoint does not fit;");
  fputc('\n', stderr);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_migrate_to(int argc, char **argv) {
  const char *url = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--set") || !strcmp(argv[i], "--config") ||
        !strcmp(argv[i], "--listen"))
      i++;
    else if (!url) url = argv[i];
    else url = "";
  }
  if (!url || !*url) {
    fprintf(stderr, "usage: zorgwerk --db SQLITE_FILE migrate-to postgresql://...\n");
    return 2;
  }
  if (!db_is_pg_url(url)) {
    fprintf(stderr, "zorgwerk: migrate-to copies into PostgreSQL: the target must be a postgresql:// or "
                    "postgres:// URL, not %s\n", db_safe_name(url));
    return 2;
  }
  if (db_is_pg_url(cfg.db)) {
    fprintf(stderr, "zorgwerk: migrate-to copies a SQLite database: --db (setting db) must name its file\n");
    return 2;
  }
  if (access(cfg.db, R_OK | W_OK) != 0) {
    fprintf(stderr, "zorgwerk: the SQLite database %s (setting db) does not exist or cannot be written\n", cfg.db);
    return 1;
  }
  log_set_quiet(1); /* not a line per migration applied to the target */
  Db *src = cli_open_db();
  if (!src) return 1;
  Db *dst = NULL;
  Tables ts = {0};
  Table **order = NULL;
  int status = 1;
  char kpath[1100], spath[1100];
  seal_key_path(kpath, sizeof kpath);
  seal_file_path(spath, sizeof spath);

  /* 1. an empty target (first: it is quick) */
  if (db_open(url, &dst) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot open the target database %s\n", db_safe_name(url));
    goto out;
  }
  int64_t have = 0;
  char first[256] = "";
  if (target_tables(dst, &have, first, sizeof first) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the target's tables: %s\n", db_errmsg(dst));
    goto out;
  }
  if (have > 0) {
    fprintf(stderr,
            "zorgwerk: the target database %s is not empty: it holds %lld tables or views (%s...); migrate-to copies "
            "only into an empty database (createdb NAME). Nothing was changed.\n",
            db_safe_name(url), (long long)have, first);
    goto out;
  }

  /* 2. the source's chain */
  AuditCheck c;
  double t0 = now_s();
  if (audit_check_mode(src, &c, false) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the source's access log (%s)\n", db_errmsg(src));
    goto out;
  }
  if (!audit_check_intact(&c)) {
    print_not_intact("source", &c);
    fprintf(stderr, "zorgwerk: nothing copied; see `zorgwerk --db %s audit verify`\n", cfg.db);
    status = c.key == KEY_OK ? 3 : 1;
    goto out;
  }
  printf("source access log intact: %lld entries (verified in %.1f s)\n", (long long)c.checked, now_s() - t0);
  fflush(stdout); /* before the copy's progress lines on stderr */

  /* 3. the schema */
  if (db_migrate(dst) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot apply the migrations to the target: %s\n", db_errmsg(dst));
    target_undo(dst);
    goto out;
  }
  int vs = 0, vd = 0;
  db_schema_version(src, &vs);
  db_schema_version(dst, &vd);
  if (vs != vd) {
    fprintf(stderr, "zorgwerk: schema versions differ (source %d, target %d)\n", vs, vd);
    target_undo(dst);
    goto out;
  }

  /* 4. the rows */
  t0 = now_s();
  int rc = source_tables(src, &ts);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the source's tables (%s)\n", db_errmsg(src));
    target_undo(dst);
    goto out;
  }
  order = xcalloc((size_t)ts.n + 1, sizeof *order);
  if (!dependency_order(&ts, order)) {
    target_undo(dst);
    goto out;
  }
  char *truncate = all_tables_sql(dst, "TRUNCATE ", "");
  if ((rc = db_snapshot_begin(src)) != DB_OK || (rc = db_begin(dst)) != DB_OK ||
      (truncate && (rc = db_exec(dst, truncate)) != DB_OK)) {
    free(truncate);
    fprintf(stderr, "zorgwerk: cannot start the copy: %s\n", db_errmsg(dst));
    target_undo(dst);
    goto out;
  }
  free(truncate);
  int64_t total = 0, log_rows = 0;
  double log_s = 0;
  for (int i = 0; i < ts.n; i++) {
    Table *t = order[i];
    double ts0 = now_s();
    int64_t sent = 0;
    rc = copy_table(src, dst, t, &sent);
    if (rc == DB_OK && db_changes(dst) != sent) {
      fprintf(stderr, "zorgwerk: table %s: %lld rows sent, %lld arrived\n", t->name, (long long)sent,
              (long long)db_changes(dst));
      rc = DB_ERROR;
    }
    if (rc != DB_OK) {
      fprintf(stderr, "zorgwerk: copying table %s failed after %lld rows: %s\n", t->name, (long long)sent,
              db_errmsg(dst));
      db_snapshot_end(src);
      target_undo(dst);
      goto out;
    }
    t->rows = sent;
    total += sent;
    if (!strcmp(t->name, "access_log")) {
      log_rows = sent;
      log_s = now_s() - ts0;
    }
  }
  for (int i = 0; i < ts.n; i++)
    for (int j = 0; j < ts.t[i].ncols; j++) {
      if (!ts.t[i].cols[j].deferred) continue;
      if ((rc = copy_deferred(src, dst, &ts.t[i], &ts.t[i].cols[j])) != DB_OK) {
        fprintf(stderr, "zorgwerk: copying %s.%s failed: %s\n", ts.t[i].name, ts.t[i].cols[j].name, db_errmsg(dst));
        db_snapshot_end(src);
        target_undo(dst);
        goto out;
      }
    }
  db_snapshot_end(src);
  if (!db_in_tx(dst)) rc = DB_IOERR; /* the connection was lost: what the transaction held is gone */
  if (rc != DB_OK || (rc = db_exec(dst, pgddl_sync_identities)) != DB_OK || (rc = db_commit(dst)) != DB_OK) {
    fprintf(stderr, "zorgwerk: finishing the copy failed: %s\n", db_errmsg(dst));
    target_undo(dst);
    goto out;
  }
  double copy_s = now_s() - t0;
  printf("copied %d tables, %lld rows in %.1f s; the access log: %lld entries in %.1f s (%.0f entries/s)\n", ts.n,
         (long long)total, copy_s, (long long)log_rows, log_s, log_s > 0 ? (double)log_rows / log_s : 0.0);

  /* 5. the copy's chain, with the same key and seal */
  t0 = now_s();
  if (audit_check_mode(dst, &c, false) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the copy's access log (%s)\n", db_errmsg(dst));
    goto out;
  }
  if (!audit_check_intact(&c)) {
    print_not_intact("copy", &c);
    status = 3;
    goto out;
  }
  printf("the copy's access log verifies: %lld entries (in %.1f s)\n", (long long)c.checked, now_s() - t0);
  char kabs[4096], sabs[4096];
  if (!realpath(kpath, kabs)) snprintf(kabs, sizeof kabs, "%s", kpath);
  if (!realpath(spath, sabs)) snprintf(sabs, sizeof sabs, "%s", spath);
  printf("done. Serve the copy with the same access-log key and seal (stop using the SQLite file):\n"
         "  zorgwerk --db '%s' --set audit_key_file=%s --set audit_seal_file=%s serve\n"
         "or copy both files (keep the key's mode 0600) and point those two settings at the copies.\n",
         db_safe_name(url), kabs, sabs);
  status = 0;
out:
  free(order);
  tables_free(&ts);
  db_close(dst);
  db_close(src);
  return status;
}

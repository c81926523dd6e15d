/*
 * audit_chain.c — see audit_chain.h. The rest of the access log's SQL (append, walk) is in
 * src/policy/audit.c.
 */
#include "store/audit_chain.h"

#include <stdio.h>

int audit_chain_keyed_from(Db *db, int64_t *keyed_from) {
  *keyed_from = 0;
  Stmt *st = db_prepare(db, "SELECT keyed_from FROM audit_chain WHERE id = 1");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW) *keyed_from = db_int(st, "keyed_from");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int audit_chain_hash_at(Db *db, int64_t id, char out[65]) {
  out[0] = 0;
  Stmt *st = db_prepare(db, "SELECT hash FROM access_log WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) snprintf(out, 65, "%s", db_text(st, "hash") ? db_text(st, "hash") : "");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int audit_chain_last_id(Db *db, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) AS last FROM access_log");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "last");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

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

int audit_checkpoint_read(Db *db, AuditCheckpoint *cp) {
  *cp = (AuditCheckpoint){0};
  Stmt *st = db_prepare(db, "SELECT entry_id, hash, keyed_from, verified_at, full_at, full_entry_id, mac "
                            "FROM audit_checkpoint WHERE id = 1");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW) {
    cp->entry_id = db_int(st, "entry_id");
    snprintf(cp->hash, sizeof cp->hash, "%s", db_text(st, "hash") ? db_text(st, "hash") : "");
    cp->keyed_from = db_int(st, "keyed_from");
    cp->verified_at = db_int(st, "verified_at");
    cp->full_at = db_int(st, "full_at");
    cp->full_entry_id = db_int(st, "full_entry_id");
    snprintf(cp->mac, sizeof cp->mac, "%s", db_text(st, "mac") ? db_text(st, "mac") : "");
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int audit_checkpoint_write(Db *db, const AuditCheckpoint *cp) {
  bool own = !db_in_tx(db);
  int rc = own ? db_begin(db) : DB_OK;
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "DELETE FROM audit_checkpoint WHERE id = 1");
  rc = st ? db_step(st) : DB_ERROR;
  if (st) db_done(st);
  if (rc == DB_DONE) {
    st = db_prepare(db, "INSERT INTO audit_checkpoint (id, entry_id, hash, keyed_from, verified_at, full_at, "
                        "full_entry_id, mac) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) rc = DB_ERROR;
    else {
      db_bind_int(st, 1, cp->entry_id);
      db_bind_text(st, 2, cp->hash);
      db_bind_int(st, 3, cp->keyed_from);
      db_bind_int(st, 4, cp->verified_at);
      db_bind_int(st, 5, cp->full_at);
      db_bind_int(st, 6, cp->full_entry_id);
      db_bind_text(st, 7, cp->mac);
      rc = db_step(st);
      db_done(st);
    }
  }
  if (rc != DB_DONE) {
    if (own) db_rollback(db);
    return rc == DB_OK ? DB_ERROR : rc;
  }
  return own ? db_commit(db) : DB_OK;
}

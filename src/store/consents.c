/*
 * consents.c — see consents.h.
 */
#include "store/consents.h"

#include <stddef.h>

int consent_insert(Db *db, const ConsentNew *k, int64_t *id) {
  *id = 0;
  Stmt *ins = db_prepare(db, "INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, grantee_side, "
                             "category, given_on, method, recorded_by, valid_until, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!ins) return DB_ERROR;
  db_bind_int(ins, 1, k->trajectory_id);
  if (k->source_member_id) db_bind_int(ins, 2, k->source_member_id); else db_bind_null(ins, 2);
  if (k->grantee_member_id) db_bind_int(ins, 3, k->grantee_member_id); else db_bind_null(ins, 3);
  db_bind_text(ins, 4, k->grantee_member_id ? NULL : k->grantee_side);
  db_bind_text(ins, 5, k->category);
  db_bind_text(ins, 6, k->given_on);
  db_bind_text(ins, 7, k->method);
  db_bind_int(ins, 8, k->recorded_by);
  db_bind_text(ins, 9, k->valid_until);
  db_bind_int(ins, 10, k->created_at);
  int rc = db_step(ins);
  if (rc == DB_ROW) *id = db_int(ins, "id");
  db_done(ins);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int consent_withdraw(Db *db, int64_t id, int64_t by, int64_t at) {
  Stmt *up = db_prepare(db, "UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL");
  if (!up) return DB_ERROR;
  db_bind_int(up, 1, at);
  db_bind_int(up, 2, by);
  db_bind_int(up, 3, id);
  return db_run(up);
}

/*
 * owner.c — see owner.h. One query per kind of object, each a join to the trajectory for its participant.
 */
#include "store/owner.h"

int owner_of(Db *db, OwnerKind kind, int64_t id, int64_t *tid, int64_t *pid) {
  *tid = *pid = 0;
  const char *sql;
  switch (kind) {
  case OWNER_ITEM:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM items o JOIN trajectories t ON t.id = o.trajectory_id "
          "WHERE o.id = ?";
    break;
  case OWNER_STEP:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM trajectory_steps o "
          "JOIN trajectories t ON t.id = o.trajectory_id WHERE o.id = ?";
    break;
  case OWNER_CONSENT:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM consents o JOIN trajectories t ON t.id = o.trajectory_id "
          "WHERE o.id = ?";
    break;
  case OWNER_MEMBER:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM network_members o "
          "JOIN trajectories t ON t.id = o.trajectory_id WHERE o.id = ?";
    break;
  case OWNER_PROPOSAL:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM proposals o JOIN trajectories t ON t.id = o.trajectory_id "
          "WHERE o.id = ?";
    break;
  case OWNER_MEETING:
    sql = "SELECT t.id AS tid, t.participant_id AS pid FROM meetings o JOIN trajectories t ON t.id = o.trajectory_id "
          "WHERE o.id = ?";
    break;
  default:
    return DB_ERROR;
  }
  Stmt *st = db_prepare(db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *tid = db_int(st, "tid");
    *pid = db_int(st, "pid");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

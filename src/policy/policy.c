/*
 * policy.c — see policy.h.
 */
#include "policy/policy.h"

const char *grounds_name(Grounds g) {
  switch (g) {
    case GROUNDS_COACH: return "coach";
    case GROUNDS_SELF: return "self";
    case GROUNDS_AUTHOR: return "author";
    case GROUNDS_SOURCE: return "source";
    case GROUNDS_CONSENT: return "consent";
    case GROUNDS_MEMBER: return "member";
    default: return "none";
  }
}

int policy_trajectory(Db *db, const User *u, int64_t tid, Grounds *g, int64_t *participant_id) {
  *g = GROUNDS_NONE;
  *participant_id = 0;
  if (!u) return DB_OK;
  Stmt *st = db_prepare(db,
                        "SELECT t.participant_id, p.user_id AS participant_user, "
                        " (SELECT COUNT(*) FROM trajectory_coaches c WHERE c.trajectory_id = t.id AND c.user_id = ?)"
                        " AS is_coach "
                        "FROM trajectories t JOIN participants p ON p.id = t.participant_id WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *participant_id = db_int(st, "participant_id");
    if ((u->roles & ROLE_COACH) && db_int(st, "is_coach") > 0) *g = GROUNDS_COACH;
    else if ((u->roles & ROLE_PARTICIPANT) && !db_null(st, "participant_user") &&
             db_int(st, "participant_user") == u->id)
      *g = GROUNDS_SELF;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

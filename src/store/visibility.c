/*
 * visibility.c — see visibility.h.
 */
#include "store/visibility.h"

#include "core/config.h"
#include "core/text.h"

/* Binds, from idx, the parameters of "u is an assigned coach of the trajectory (or stands in for one today), or
 * its participant" as POLICY_SQL_ITEM_VISIBLE, POLICY_SQL_MEMBER_VISIBLE and POLICY_SQL_USER_VISIBLE write it:
 * the coach flag, u (coach), u, today, today (POLICY_SQL_STANDS_IN_FOR), the participant flag, u (participant).
 * Returns the next free index. */
static int bind_coach_or_participant(Stmt *st, int idx, const User *u, const char *today) {
  db_bind_int(st, idx++, (u->roles & ROLE_COACH) ? 1 : 0);
  db_bind_int(st, idx++, u->id);
  db_bind_int(st, idx++, u->id); /* POLICY_SQL_STANDS_IN_FOR */
  db_bind_text(st, idx++, today);
  db_bind_text(st, idx++, today);
  db_bind_int(st, idx++, (u->roles & ROLE_PARTICIPANT) ? 1 : 0);
  db_bind_int(st, idx++, u->id);
  return idx;
}

int policy_bind_item_filter(Stmt *st, int idx, const User *u, const char *today) {
  db_bind_int(st, idx++, u->id);
  idx = bind_coach_or_participant(st, idx, u, today);
  db_bind_int(st, idx++, u->id);
  db_bind_int(st, idx++, u->id);
  db_bind_text(st, idx++, today);
  db_bind_text(st, idx++, today);
  db_bind_int(st, idx++, cfg.allow_health_to_work ? 1 : 0);
  db_bind_int(st, idx++, (u->roles & ROLE_PARTICIPANT) ? 1 : 0);
  db_bind_int(st, idx++, u->id);
  db_bind_text(st, idx++, today);
  db_bind_text(st, idx++, today);
  return idx;
}

int policy_bind_member_filter(Stmt *st, int idx, const User *u) {
  char today[11];
  date_format(date_today(), today);
  idx = bind_coach_or_participant(st, idx, u, today);
  db_bind_int(st, idx++, u->id);
  return idx;
}

int policy_bind_user_filter(Stmt *st, int idx, const User *u) {
  db_bind_int(st, idx++, u->id);
  return policy_bind_member_filter(st, idx, u);
}

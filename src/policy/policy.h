/*
 * policy.h — the one door: every decision about who may see case information is made here.
 *
 * Visibility rule (DOMAIN.md): a user may see an item if and only if they are its author, a coach
 * assigned to the trajectory, the source party itself, or a network member holding a live consent from
 * the source party for the item's category. Administrators and team leads see no case content unless
 * they are also an assigned coach. Pages, lists, search, exports and the API ask these functions (or use
 * the matching SQL filters declared here); a refusal answers 404 so that existence does not leak.
 */
#ifndef ZW_POLICY_H
#define ZW_POLICY_H

#include <stdint.h>

#include "db/db.h"
#include "http/http.h"

typedef enum Grounds {
  GROUNDS_NONE = 0,
  GROUNDS_COACH,   /* assigned coach of the trajectory */
  GROUNDS_SELF,    /* the participant whose trajectory it is */
  GROUNDS_AUTHOR,  /* wrote the item */
  GROUNDS_SOURCE,  /* the item is the user's own information */
  GROUNDS_CONSENT, /* network member with a live consent */
  GROUNDS_MEMBER,  /* network member with an account: may open the trajectory, sees only consented items */
} Grounds;

const char *grounds_name(Grounds g);

/* Whether u may open trajectory tid at all (its page; what is shown inside is decided per item).
 * Returns a DB code; on DB_OK *g is GROUNDS_NONE when refused (also for a trajectory that does not exist)
 * and *participant_id is set when the trajectory exists. */
int policy_trajectory(Db *db, const User *u, int64_t tid, Grounds *g, int64_t *participant_id);

/* SQL condition (on a trajectories row aliased `t`) that holds exactly for the trajectories a coach is
 * assigned to; binds one parameter: the user id. Used by caseload lists and search. */
#define POLICY_SQL_COACH_TRAJECTORY \
  "EXISTS (SELECT 1 FROM trajectory_coaches pc WHERE pc.trajectory_id = t.id AND pc.user_id = ?)"

#endif

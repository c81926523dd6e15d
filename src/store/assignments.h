/*
 * assignments.h — who coaches which trajectory, and who stands in for whom: the rows of
 * trajectory_coaches and coach_standins (migration 015) as the team lead's assignment pages read and
 * change them, with each coach's caseload against the maximum.
 *
 * What the team lead may learn here (doc/DOMAIN.md: a team lead sees no case content): a trajectory's
 * number, phase, status, start date and coaches — never the participant's name. The pages write the
 * access-log entry for every participant whose trajectory they show; this module only reads and writes
 * rows. Every function returns a DB code; text is copied into the arena a.
 */
#ifndef ZW_STORE_ASSIGNMENTS_H
#define ZW_STORE_ASSIGNMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* A coach (an active account with the coach role) and their caseload: the open trajectories they are
 * assigned to (not counting those of coaches they stand in for). */
typedef struct CoachLoad {
  int64_t id;
  const char *name;
  int64_t open;
} CoachLoad;

/* Every active coach by name (at most ASSIGN_COACHES_MAX). */
enum { ASSIGN_COACHES_MAX = 500 };
int assign_coaches(Db *db, Arena *a, CoachLoad **out, int *n);
/* The coach with this id in list, or NULL (not an active coach). */
const CoachLoad *assign_coach_find(const CoachLoad *list, int n, int64_t id);

/* A trajectory as the team lead's pages show it. coaches: the assigned coaches' names, ", "-joined ("" for
 * none). */
typedef struct AssignTrajectory {
  int64_t id, participant_id;
  const char *phase, *status, *started_on, *coaches;
} AssignTrajectory;

/* Which trajectories a list shows. */
enum { ASSIGN_ALL = 0, ASSIGN_UNASSIGNED = -1 }; /* or a coach's user id: that coach's trajectories */

/* One page of open trajectories (oldest start first): all, those without a coach, or those of one coach;
 * *total is the number of all that match. */
int assign_list(Db *db, Arena *a, int64_t which, int limit, int offset, AssignTrajectory **out, int *n,
                int64_t *total);

/* Trajectory tid: DB_ROW, or DB_DONE when there is none. */
int assign_trajectory(Db *db, Arena *a, int64_t tid, AssignTrajectory *out);

/* The coaches assigned to tid (ids and names, caseload filled), by name; at most 16. */
int assign_coaches_of(Db *db, Arena *a, int64_t tid, CoachLoad **out, int *n);

/* Adds coach to tid; DB_CONSTRAINT when already assigned. Call inside a transaction. */
int assign_add(Db *db, int64_t tid, int64_t coach);
/* Removes coach from tid; DB_DONE when they were not assigned. Call inside a transaction. */
int assign_remove(Db *db, int64_t tid, int64_t coach);

/* Every trajectory (open or closed) coach is assigned to, with its participant: the ones a stand-in for
 * coach reaches. Arrays in the arena, at most ASSIGN_REACH_MAX. */
enum { ASSIGN_REACH_MAX = 2000 };
int assign_reach(Db *db, Arena *a, int64_t coach, int64_t **tids, int64_t **pids, int *n);

/* A stand-in: stand_in_id has a coach's grounds on coach_id's trajectories from from_on until until_on. */
typedef struct StandIn {
  int64_t id, coach_id, stand_in_id;
  const char *coach_name, *stand_in_name, *from_on, *until_on;
  bool cancelled;
} StandIn;

/* Stand-ins not cancelled whose period has not ended before today (current first, then planned), at most
 * ASSIGN_STANDINS_MAX. */
enum { ASSIGN_STANDINS_MAX = 200 };
int standins_current(Db *db, Arena *a, const char *today, StandIn **out, int *n);
/* Stand-in id: DB_ROW, or DB_DONE when there is none. */
int standin_get(Db *db, Arena *a, int64_t id, StandIn *out);
/* Records a stand-in; *id is the new row. Call inside a transaction. */
int standin_create(Db *db, int64_t coach, int64_t stand_in, const char *from_on, const char *until_on,
                   int64_t created_by, int64_t now, int64_t *id);
/* Cancels stand-in id (its grounds end at once); DB_DONE when it was already cancelled or does not exist.
 * Call inside a transaction. */
int standin_cancel(Db *db, int64_t id, int64_t by, int64_t now);

/* ---- the team overview: counts per coach, never a participant ---- */

/* The number of trajectories of one coach in one phase and status. phase and status are NULL for a coach
 * without trajectories (the coach is listed all the same). */
typedef struct TeamPhaseCount {
  int64_t coach_id;
  const char *coach_name, *phase, *status;
  int64_t n;
} TeamPhaseCount;

/* Every active coach's trajectories per phase and status, by coach name (a coach's rows together), into *out
 * (arena array) and *n. */
int team_phase_counts(Db *db, Arena *a, TeamPhaseCount **out, int *n);

/* The coach's day per coach, as counts. */
typedef struct TeamDayCount {
  int64_t coach_id;
  int64_t followups_due; /* follow-up moments not done, due on or before `by` */
  int64_t quiet;         /* open trajectories without activity since quiet_before (unix seconds) */
  int64_t referrals;     /* referrals under way (proposed, sent, accepted) */
} TeamDayCount;

/* The day counts of every coach assigned to any trajectory (a coach without any is left out: all zero),
 * into *out (arena array) and *n, in no order. The open actions due: plan_actions_open_due (store/plan.h). */
int team_day_counts(Db *db, Arena *a, const char *by, int64_t quiet_before, TeamDayCount **out, int *n);

#endif

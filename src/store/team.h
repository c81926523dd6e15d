/*
 * team.h — the team lead's overview (/team) at size: the coaches shown (at most a page of them, by name) and
 * their counts, read through indexes for those coaches only (trajectory_coaches_user, the trajectories' key,
 * followups_trajectory, referrals_trajectory) instead of grouping every trajectory of the organisation.
 * Counts only, never a participant. Every function returns a DB code.
 */
#ifndef ZW_STORE_TEAM_H
#define ZW_STORE_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* One coach's figures. phase_open[i] counts open trajectories in trajectory_phases[i]. */
typedef struct TeamCoach {
  int64_t id;
  const char *name;
  int64_t phase_open[8], open, closed;
  int64_t followups_due; /* follow-up moments not done, due on or before `by` */
  int64_t quiet;         /* open trajectories without activity since quiet_before */
  int64_t referrals;     /* referrals under way (proposed, sent, accepted) */
} TeamCoach;

/* The first max active coaches by name (then id) — after coach `after` in that order when after > 0 — into
 * *out (arena array, names copied) and *n, with every count zero; *more: there are coaches after them. */
int team_coaches(Db *db, Arena *a, int64_t after, int max, TeamCoach **out, int *n, bool *more);

/* Fills the counts of the n coaches in c (assigned trajectories only, as trajectory_coaches says), phases
 * mapped by phase_index (-1: not counted per phase). */
int team_coach_counts(Db *db, TeamCoach *c, int n, const char *by, int64_t quiet_before,
                      int (*phase_index)(const char *phase));

#endif

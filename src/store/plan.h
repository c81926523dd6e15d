/*
 * plan.h — what the owners of the plan's actions do with it (migration 016): an owner's status update of
 * their own action (started or done, with an optional remark) without a new version, the confirmations of
 * a version by the network members who own its actions, the protocol step that counts those confirmations,
 * and the owners' updates the coach's day lists.
 *
 * These functions decide nothing about visibility: the caller asks the one door (policy_item on the plan
 * version, on a remark) first. Names come back only where the membership rule allows them (NULL: hidden).
 */
#ifndef ZW_STORE_PLAN_H
#define ZW_STORE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"
#include "http/http.h"

/* The protocol step that the confirmations tick, as the shipped Zorg & Werk template (and copies of it)
 * words it. A step worded otherwise is ticked by the coach by hand, as before. */
#define PLAN_CONFIRM_STEP_TEXT "Actieplan laten bevestigen door deelnemer en betrokken partijen"

/* An action of a plan as its owner acts on it. Arena strings. */
typedef struct PlanActionRef {
  int64_t id, trajectory_id, version_item_id;
  int64_t owner_member_id; /* 0 unless owner_kind is "member" */
  const char *owner_kind;  /* "participant", "coach" or "member" */
  const char *status, *text;
  bool is_current; /* of the latest version */
} PlanActionRef;

/* Loads action action_id into *out: DB_ROW, DB_DONE when there is no such action, or a DB error code. */
int plan_action_get(Db *db, Arena *a, int64_t action_id, PlanActionRef *out);

/* The live network membership of account user_id in trajectory tid into *member_id (0: none). Returns a DB
 * code. */
int plan_live_membership(Db *db, int64_t tid, int64_t user_id, int64_t *member_id);

/* An owner's status update of an action. */
typedef struct PlanActionMark {
  int64_t action_id, trajectory_id;
  int64_t owner_member_id; /* 0: the participant */
  int64_t remark_item_id;  /* 0: no remark */
  int64_t user_id, at;
  const char *status;      /* "in_progress" or "done" */
} PlanActionMark;

/* Records m inside the caller's transaction: a plan_action_updates row, and the action's status and latest
 * update set to it. Returns DB_OK, DB_DONE when the action is no longer of the current version (nothing
 * changed), or a DB error code. */
int plan_action_mark(Db *db, const PlanActionMark *m);

/* Marks trajectory tid as active at `at` (an owner's update is contact with the trajectory). Returns a DB
 * code. */
int plan_trajectory_touch(Db *db, int64_t tid, int64_t at);

/* After a new version new_vid was inserted (inside the same transaction): every one of its actions equal to
 * an action of the previous version old_vid (text, owner, due date and status) keeps that action's latest
 * update. Returns a DB code. */
int plan_carry_updates(Db *db, int64_t old_vid, int64_t new_vid);

/* The latest owner's update of an action of a version, as the plan page shows it. */
typedef struct PlanUpdateShown {
  int64_t action_id, remark_item_id, at;
  const char *status;
  const char *by_name; /* NULL: the membership rule hides who it was */
} PlanUpdateShown;

/* The latest updates of the actions of version vid (at most one per action), names as user u may see
 * them. Arena array. Returns a DB code. */
int plan_version_updates(Db *db, Arena *a, const User *u, int64_t vid, PlanUpdateShown **out, int *n);

/* The text of remark item item_id into *body (arena; NULL when it is gone). Call only after policy_item
 * allowed the item. Returns a DB code. */
int plan_remark_body(Db *db, Arena *a, int64_t item_id, const char **body);

/* A network member who owns an action of a version, with their confirmation of it. */
typedef struct PlanMemberConfirm {
  int64_t member_id, at; /* at 0: not confirmed */
  const char *name;      /* NULL: hidden from the reader by the membership rule */
  const char *by_name;   /* who confirmed (NULL when not confirmed or hidden) */
  bool has_account;
} PlanMemberConfirm;

/* The live network members owning actions of version vid, with their confirmations, names as user u may see
 * them. Arena array, ordered by member id. Returns a DB code. */
int plan_member_confirmations(Db *db, Arena *a, const User *u, int64_t vid, PlanMemberConfirm **out, int *n);

/* Whether live member member_id owns an action of version vid. Returns a DB code. */
int plan_member_owns(Db *db, int64_t vid, int64_t member_id, bool *owns);

/* Records member member_id's confirmation of version vid (of trajectory tid) by user_id, inside the caller's
 * transaction, only while vid is the latest version. Returns DB_OK, DB_DONE when vid is no longer the
 * latest or the member confirmed already (nothing changed), or a DB error code. */
int plan_member_confirm(Db *db, int64_t vid, int64_t tid, int64_t member_id, int64_t user_id, int64_t at);

/* Whether version vid is confirmed by the participant, a coach and every live member owning one of its
 * actions. Returns a DB code. */
int plan_fully_confirmed(Db *db, int64_t vid, bool *all);

/* Ticks the open protocol steps of trajectory tid worded PLAN_CONFIRM_STEP_TEXT, done by user_id at `at`,
 * inside the caller's transaction. Their ids go to ids (at most max); *n is how many were ticked. Returns a
 * DB code. */
int plan_confirm_step_tick(Db *db, int64_t tid, int64_t user_id, int64_t at, int64_t *ids, int max, int *n);

/* The latest version of trajectory tid into *vid (0: no plan) and the number of its actions still to do
 * (planned or started) that account user_id owns through a live membership into *open. Decides nothing about
 * visibility: ask policy_item about *vid before showing the number. Returns a DB code. */
int plan_member_open_actions(Db *db, int64_t tid, int64_t user_id, int64_t *vid, int64_t *open);

/* An owner's update as the coach's day lists it. Arena strings. */
typedef struct PlanOwnerUpdate {
  int64_t tid, pid, at;
  const char *first, *last; /* the participant */
  const char *action;       /* the action's text */
  const char *status;       /* "in_progress" or "done" */
  const char *who;          /* the owner: the member's or the participant's name */
  bool remark;              /* a remark was added (read it on the plan page) */
} PlanOwnerUpdate;

/* The owners' updates since `since` (unix seconds) in the open trajectories coach_id is assigned to, newest
 * first, at most max. An assigned coach sees every member and item of the trajectory, so nothing is
 * filtered further; the caller logs each participant shown. Arena array. Returns a DB code. */
int plan_owner_updates_recent(Db *db, Arena *a, int64_t coach_id, int64_t since, int max, PlanOwnerUpdate **out,
                              int *n);

#endif

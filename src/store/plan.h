/*
 * plan.h — the SMART action plan of a trajectory as stored (migrations with plan_versions, plan_goals,
 * plan_actions; owners' updates and confirmations: migration 016): a version with its goals and actions as
 * one struct loaded in one place, the list of versions, saving a new version, the confirmations of the
 * participant, the coach and the network members who own actions, an owner's status update of their own
 * action (started or done, with an optional remark) without a new version, the protocol step that counts
 * the confirmations, and the open actions of the current plan as the coaches' day lists count them.
 *
 * These functions decide nothing about visibility unless they take a User: the caller asks the one door
 * (policy_item on the plan version, on a remark) first. Names come back only where the membership rule
 * allows them (NULL: hidden). Texts are copied into the arena given; every function returns a DB code.
 */
#ifndef ZW_STORE_PLAN_H
#define ZW_STORE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

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

/* ------------------------------------------------------------------------------------- versions */

enum {
  PLAN_GOALS_MAX = 8,   /* goals of a version */
  PLAN_ACTIONS_MAX = 8, /* actions per goal */
};

/* An action of a version. owner_kind: "participant", "coach" or "member" (then owner_member_id). measure: a
 * knowledge-base slug, NULL or "" for none. */
typedef struct PlanAction {
  int64_t id;
  int64_t owner_member_id; /* 0 unless owner_kind is "member" */
  const char *text, *owner_kind, *due_on, *status, *measure;
  const char *owner_name; /* a member's name when the reader may see it, else NULL */
  bool owner_removed;     /* the owning member is no longer in the network */
  const PlanUpdateShown *upd; /* the owner's latest update (plan_version_load_owners), NULL: none */
  const char *remark;     /* its remark, set by the caller once the one door allowed it, else NULL */
} PlanAction;

/* A goal with its SMART fields and actions. */
typedef struct PlanGoal {
  int64_t id;
  const char *title, *specific, *measurable, *achievable, *relevant, *time_bound;
  PlanAction actions[PLAN_ACTIONS_MAX];
  int nactions;
} PlanGoal;

/* One version with its confirmations. p_name/c_name: who confirmed for the participant and the coach (NULL:
 * not confirmed); author NULL when the reader may not know who saved it. members: the live network members
 * owning its actions, with their confirmations (plan_version_load_owners). */
typedef struct PlanVersion {
  int64_t item_id, trajectory_id, version, created_at, p_at, c_at;
  const char *reason, *author, *p_name, *c_name;
  PlanGoal goals[PLAN_GOALS_MAX];
  int ngoals;
  PlanMemberConfirm *members;
  int nmembers;
} PlanVersion;

/* Loads version item_id (not deleted) with its goals and actions into *v, names as user u may see them; no
 * owners' updates nor member confirmations (plan_version_load_owners). Call only after policy_item allowed
 * the item. Returns DB_ROW, DB_DONE when item_id is no (live) plan version, or a DB error code. */
int plan_version_load(Db *db, Arena *a, const User *u, int64_t item_id, PlanVersion *v);

/* Adds to a loaded version the owners' latest updates of its actions (PlanAction.upd) and the network members
 * owning its actions with their confirmations, names as u may see them. Returns a DB code. */
int plan_version_load_owners(Db *db, Arena *a, const User *u, PlanVersion *v);

/* The latest version of trajectory tid, whoever may see it: *item_id and *version, both 0 when there is
 * none. For decisions (conflict, reason required, only the latest can be confirmed), never to show content.
 * Returns a DB code. */
int plan_latest(Db *db, int64_t tid, int64_t *item_id, int64_t *version);

/* The item of version number n of trajectory tid into *item_id (0: none). Returns a DB code. */
int plan_version_item(Db *db, int64_t tid, int64_t n, int64_t *item_id);

/* Whether item vid is a plan version of trajectory tid. Returns a DB code. */
int plan_version_in(Db *db, int64_t vid, int64_t tid, bool *is);

/* A version as a line of the list of versions. author NULL: hidden from the reader. */
typedef struct PlanVersionLine {
  int64_t item_id, version, created_at;
  const char *author;
  bool p_ok, c_ok; /* confirmed by the participant, by a coach */
} PlanVersionLine;

/* The versions of trajectory tid that u may see on date today (POLICY_SQL_ITEM_VISIBLE), newest first, at
 * most max. Arena array. Returns a DB code. */
int plan_versions_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                          PlanVersionLine **out, int *n);

/* The distinct measure slugs stored in version number n of trajectory tid, at most max, into out (arena
 * strings). For what a save accepts, never to show content. Returns a DB code. */
int plan_version_measures(Db *db, Arena *a, int64_t tid, int64_t n, const char **out, int max, int *nout);

/* Whether member_id is a live network member of trajectory tid (an owner a plan may name). Returns a DB code. */
int plan_member_live_in(Db *db, int64_t member_id, int64_t tid, bool *live);

/* A new version, inserted by plan_version_insert. */
typedef struct PlanVersionNew {
  int64_t item_id;       /* its item, created by the caller (kind 'plan') in the same transaction */
  int64_t trajectory_id, number, author_id, at;
  const char *reason;    /* NULL for the first version */
} PlanVersionNew;

/* Inserts version n->number of n->trajectory_id with the goals and actions of v (each action's owner_kind
 * and owner_member_id, measure "" or NULL for none) inside the caller's transaction; its actions become the
 * current ones and the trajectory is marked active. Returns a DB code (DB_CONSTRAINT: that number exists). */
int plan_version_insert(Db *db, const PlanVersionNew *n, const PlanVersion *v);

/* Records the confirmation of version vid (of trajectory tid) for the participant (as_participant) or the
 * coach by user_id at `at`, inside the caller's transaction, only while vid is the latest version and that
 * party has not confirmed it. Returns DB_OK, DB_DONE when nothing changed, or a DB error code. */
int plan_version_confirm(Db *db, int64_t vid, int64_t tid, bool as_participant, int64_t user_id, int64_t at);

/* ------------------------------------------------------------------------ open actions of the plan */

/* The one definition of "an open action of the current plan" (plan_actions row `a`): of the latest version
 * (is_current, kept by plan_version_insert) and planned or started. */
#define PLAN_SQL_ACTION_OPEN(a) "(" a ".is_current = 1 AND " a ".status IN ('planned', 'in_progress'))"

/* An open action of the current plan due by some date, in an open trajectory. */
typedef struct PlanDueAction {
  int64_t tid, pid, coach_id;
  const char *first, *last, *text, *due_on;
} PlanDueAction;

/* The open actions of the current plans (PLAN_SQL_ACTION_OPEN) due on or before `by` (YYYY-MM-DD) in open
 * trajectories: coach_id > 0, those of the trajectories coach_id has coach grounds on (POLICY_SQL_COACH_JOIN,
 * stand-ins included; coach_id in each row); coach_id 0, those of every assigned coach, once per assigned
 * coach (the team's figures; names not loaded). Arena array, unordered. Returns a DB code. */
int plan_actions_open_due(Db *db, Arena *a, int64_t coach_id, const char *by, PlanDueAction **out, int *n);

#endif

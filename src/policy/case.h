/*
 * case.h — the case door: the one place where a request for a trajectory or for one object of it is let in
 * or refused, and the one disclosure function for lists of case items.
 *
 * A refusal is answered exactly like an id that does not exist (404) and is logged as "denied": against the
 * trajectory the URL named (case_door) or against the file the object really belongs to (object_refused).
 * Every list of case items goes through items_disclose before the page is written: each item the SQL filter
 * returned is checked once more with the rule in C, and the list and every item shown are logged in one
 * batch.
 */
#ifndef ZW_POLICY_CASE_H
#define ZW_POLICY_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/owner.h"

/* The one door for trajectory pages: asks policy_trajectory whether the user may open trajectory
 * r->ids[0] (need GROUNDS_NONE: on any grounds; GROUNDS_COACH: only as an assigned coach). Returns 0 and
 * fills *g and *pid when allowed. When refused, writes a "denied" access-log entry for item/action and
 * returns 404 with the not-found page, exactly as for an id that does not exist; on a DB error returns the
 * error page's status. */
int trajectory_door(Req *r, const char *item, const char *action, Grounds need, Grounds *g, int64_t *pid);

/* The refusal of a request for one object of a trajectory (/t/{id}/<kind>/{oid}: a note, plan version,
 * assessment, step...): writes a "denied" access-log entry for item/action with grounds against the
 * participant and trajectory the object really belongs to (store/owner.h) — not the trajectory the URL
 * named — or against nobody when there is no such object, and returns 404 with the not-found page. */
int object_refused(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, const char *grounds);

/* The answer when trajectory r->ids[0] holds no object oid of kind (its store lookup found none): refused
 * through object_refused (with the user's grounds g) when the object belongs to another trajectory, else 404
 * as for an id that does not exist. Returns the status of the page sent. */
int object_not_here(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, Grounds g);

/* trajectory_door for a request for object oid of kind: the same decision about trajectory r->ids[0], but a
 * refusal is logged through object_refused. */
int object_door(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, Grounds need, Grounds *g,
                int64_t *pid);

/* The door for a request that only some grounds may make (may: a policy_may_... / policy_sees_... decision
 * of policy.h; NULL: any grounds): asks policy_trajectory about trajectory r->ids[0] and returns 0, filling
 * *g and *pid, when the user has grounds and may(*g). When refused, logs "denied" with the user's grounds —
 * on trajectory r->ids[0] when oid is 0, else through object_refused(kind, oid) on the file the object
 * belongs to — and returns 404 with the not-found page. */
int case_door(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, bool (*may)(Grounds g),
              Grounds *g, int64_t *pid);

/* The list door: items a list query returned through POLICY_SQL_ITEM_VISIBLE are checked once more, each
 * with policy_item (the same rule in C); an item it refuses is withheld (ids[i] set to 0, the disagreement
 * logged as an error — ids only). Then one access-log batch records the list (list_item, action, the
 * reader's grounds g) and a "view" of each item shown, as "<kind>:<id>" with its grounds and consent.
 * Allocates the batch in the request arena. Returns a DB code (nothing logged on an error). */
int items_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                   const char *kind, int64_t *ids, int n);

/* What items_disclose_more adds to items_disclose, for a list whose first item shown is read in full. */
typedef struct DiscloseMore {
  const char *item_action;  /* the action logged for each item shown (NULL: "view") */
  const char *first_action; /* for the first item shown (NULL: item_action) */
  /* Called once with the index of the first item shown (not when none is shown), before the batch is
   * written: reads what the page shows of that item and adds at most max_extra entries of its own at
   * extra[*n] (incrementing *n), which join the batch. Returns a DB code (nothing is logged on an error). */
  int (*on_first)(Req *r, void *ctx, int first, AuditEntry *extra, int *n);
  void *ctx;
  int max_extra;
} DiscloseMore;

/* items_disclose with the additions of more (NULL: none). */
int items_disclose_more(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                        const char *kind, int64_t *ids, int n, const DiscloseMore *more);

/* items_disclose for a list of items of several kinds: kinds[i] is the kind of ids[i]. */
int items_disclose_kinds(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                         const char *const *kinds, int64_t *ids, int n);

#endif

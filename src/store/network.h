/*
 * network.h — the members of a trajectory's care and work network (network_members), mapped from their
 * row into one struct in one place, and their writes (adding, removing).
 *
 * Nothing here decides who may open a trajectory: the caller has asked the one door first. The lists take
 * the reader and apply the membership rule (POLICY_SQL_MEMBER_VISIBLE) inside: a member the reader may not
 * learn of is left out, or — where a list needs every row to name a consent's party — kept with visible
 * false and no texts (no name, organisation or contact details). Members are never deleted: removing sets
 * removed_at, so consents that name them stay as history. All texts are copied into the arena given.
 */
#ifndef ZW_STORE_NETWORK_H
#define ZW_STORE_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One network member. Optional texts are NULL when not recorded (and when visible is false). */
typedef struct NetworkMember {
  int64_t id, trajectory_id, user_id; /* user_id 0: no account linked */
  const char *side;                   /* "care" or "work" */
  const char *role;                   /* role code (network_role_label) */
  const char *name, *organisation, *email, *phone;
  bool removed;      /* removed from the network (removed_at set) */
  bool visible;      /* the reader may learn of this membership (policy_member_visible) */
  bool has_password; /* the linked account has a password: it accepted its invitation */
  bool requested;    /* an existing account was asked to join and has not answered yet */
  bool shares_side;  /* takes part in its side: side-wide consents, the side's members (policy.h) */
} NetworkMember;

/* The side whose side-wide consents reach member m (consent_reaches): its own, or NULL when it does not take
 * part in it (shares_side 0: reached only by name). */
static inline const char *network_member_reach_side(const NetworkMember *m) {
  return m->shares_side ? m->side : NULL;
}

/* The live members of trajectory tid that u may see (POLICY_SQL_MEMBER_VISIBLE), care side first, then in
 * the order they were added, into an arena array. Returns a DB code. */
int network_members_visible(Db *db, Arena *a, const User *u, int64_t tid, NetworkMember **out, size_t *n);

/* Every member of trajectory tid, live and removed, by side and name, at most max, into an arena array;
 * each with visible set for u (POLICY_SQL_MEMBER_VISIBLE) and, when not visible, without texts other than
 * side and role. For pages that must name (or hide) the parties of consents. Returns a DB code. */
int network_members_roster(Db *db, Arena *a, const User *u, int64_t tid, size_t max, NetworkMember **out,
                           size_t *n);

/* The live member mid of trajectory tid into *out (visible true: the caller passed the door as the
 * trajectory's coach). Returns DB_ROW, DB_DONE when it is not a live member of tid, or a DB error code. */
int network_member_live(Db *db, Arena *a, int64_t tid, int64_t mid, NetworkMember *out);

/* The live membership of account user_id in trajectory tid (the first one): *mid and *side ("care"/"work",
 * arena), or *mid 0 and *side "". *shares (when not NULL): whether it takes part in its side (the consents
 * given to the whole side reach it: pass side to consent_reaches only then). Returns a DB code. */
int network_member_of_user(Db *db, Arena *a, int64_t tid, int64_t user_id, int64_t *mid, const char **side,
                           bool *shares);

/* A member to add. user_id 0: no account; organisation, email, phone NULL: not given. named_only: the member
 * does not take part in its side (shares_side 0, policy.h): only consents given to it by name reach it. */
typedef struct NetworkMemberNew {
  int64_t trajectory_id, user_id, created_by, created_at;
  const char *side, *role, *name, *organisation, *email, *phone;
  bool named_only;
} NetworkMemberNew;

/* Adds member m and writes its id into *id. Call inside the caller's transaction (a page also marks the
 * trajectory's activity: trajectory_touch). Returns a DB code. */
int network_member_add(Db *db, const NetworkMemberNew *m, int64_t *id);

/* Removes live member mid of trajectory tid at `at`; *removed false (nothing changed) when mid is not a
 * live member of tid. Call inside the caller's transaction. Returns a DB code. */
int network_member_remove(Db *db, int64_t tid, int64_t mid, int64_t at, bool *removed);

#endif

/*
 * membership.h — which side a person is on, and linking an account to a network membership.
 *
 * A person's side comes from their account: its own side (users.side) and its organisation's kind
 * (an employer or agency is the work side, a care organisation the care side). A membership on the other
 * side is refused, so the health guardrail, which the visibility rule applies to the membership's side,
 * always meets the person's real side.
 *
 * An existing account is never linked to a membership by somebody else's decision alone: the coach's
 * invitation becomes a membership request, and only the account's own acceptance (after signing in)
 * sets network_members.user_id. Until then the membership grants nothing.
 */
#ifndef ZW_STORE_MEMBERSHIP_H
#define ZW_STORE_MEMBERSHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* What an e-mail address means for a membership on one side. */
typedef enum AccountFit {
  FIT_NO_ACCOUNT, /* no account: the invitation may make one */
  FIT_OK,         /* an active partner account whose side allows this side: it may be asked to join */
  FIT_OTHER_SIDE, /* an active partner account of the other side */
  FIT_REFUSED,    /* any other account (not a partner, deactivated): it cannot be invited */
} AccountFit;

/* The account of email (lowercase) and its fit for a membership on side ("care"/"work") into *user_id
 * (0 if none) and *fit. Every address takes the same query. Returns a DB code. */
int membership_account_fit(Db *db, const char *email, const char *side, int64_t *user_id, AccountFit *fit);

/* Whether account user_id may hold a membership on side (its own side and its organisation's kind);
 * an account without either gets side as its own. Call inside the caller's transaction. Returns a DB code. */
int membership_claim_side(Db *db, int64_t user_id, const char *side, bool *ok);

/* An open membership request (not decided, its member live and without an account), with what the
 * account's owner needs to decide. Arena strings. */
typedef struct MembershipRequest {
  int64_t id, member_id, trajectory_id, participant_id, created_at;
  const char *side, *role, *member_name, *organisation, *participant, *requested_by;
} MembershipRequest;

/* Asks account user_id to join as member member_id, requested by requested_by. If an open request for the
 * member exists, nothing is added (*created false). Returns a DB code. */
int membership_request_add(Db *db, int64_t member_id, int64_t user_id, int64_t requested_by, int64_t now,
                           bool *created);

/* Whether member_id has an open request (for the network page's badge). Returns a DB code. */
int membership_request_open_for(Db *db, int64_t member_id, bool *open);

/* The open requests to user_id, oldest first (arena array). Returns a DB code. */
int membership_requests_open(Db *db, Arena *a, int64_t user_id, MembershipRequest **out, size_t *n);

/* Number of open requests to user_id. Returns a DB code. */
int membership_requests_count(Db *db, int64_t user_id, int64_t *n);

/* Decides request id of user_id: "accepted" links the account to the member (after the side check),
 * "declined" does not. Call inside a transaction. Returns a DB code: DB_DONE when it is not an open
 * request of that user, DB_CONSTRAINT when the account is already a member of that trajectory or its side
 * does not allow the membership (*why: "member" or "side"). Fills *req with the request decided. */
int membership_request_decide(Db *db, Arena *a, int64_t user_id, int64_t id, const char *decision, int64_t now,
                              MembershipRequest *req, const char **why);

/* Makes the account of live member member_id, which has none and whose e-mail address (email, lowercase)
 * belongs to no account: a partner account on side, with name and function, without a password (its
 * invitation link sets one), linked to the member. *uid gets its id. Call inside the caller's transaction.
 * Returns DB_OK; DB_CONSTRAINT when an account with this address was made meanwhile; DB_DONE when the
 * member was changed meanwhile (removed, or linked to an account); or a DB error code. */
int membership_account_create(Db *db, int64_t member_id, const char *email, const char *name, const char *side,
                              const char *function, int64_t now, int64_t *uid);

#endif

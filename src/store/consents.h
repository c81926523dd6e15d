/*
 * consents.h — writing consents (DOMAIN: a source party lets one member or a whole side see one category
 * of its information). The pages decide whether a consent may be given (consent.c: the membership rule,
 * policy_consent_allowed); this file writes it and reads the consents of a trajectory into one struct.
 * All texts are copied into the arena given.
 */
#ifndef ZW_STORE_CONSENTS_H
#define ZW_STORE_CONSENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* A consent as stored. source_member_id 0: the participant's information; grantee_member_id 0: the side
 * grantee_side is the grantee. valid_until NULL: no end; withdrawn_at 0: not withdrawn. */
typedef struct Consent {
  int64_t id, trajectory_id, source_member_id, grantee_member_id, withdrawn_at;
  const char *grantee_side, *category, *given_on, *method, *valid_until;
  const char *recorded_by; /* the recorder's name; NULL when the reader may not see it (consents_list only) */
} Consent;

/* Every consent of trajectory tid, newest first, at most max, into an arena array, with the name of
 * whoever recorded it where u may see that name (POLICY_SQL_USER_VISIBLE). Which of them u may see and act
 * on is the caller's decision (policy_consent_own). Returns a DB code. */
int consents_list(Db *db, Arena *a, const User *u, int64_t tid, size_t max, Consent **out, size_t *n);

/* The consents of trajectory tid in force on day today (YYYY-MM-DD: not withdrawn, given on or before
 * today, not ended before today), oldest first, into an arena array (recorded_by NULL). Returns a DB code. */
int consents_live(Db *db, Arena *a, int64_t tid, const char *today, Consent **out, size_t *n);

/* Whether consent k is given to member member_id on side ("care"/"work"): to that member, or to the whole
 * side. side NULL: a member that does not take part in its side (network_members.shares_side 0), reached
 * only by consents given to it by name. Says nothing about whether it is in force. */
bool consent_reaches(const Consent *k, int64_t member_id, const char *side);

/* A consent to write. source_member_id 0: the participant's information; grantee_member_id 0: the side
 * grantee_side ("care", "work", "participant") is the grantee. valid_until NULL: no end. */
typedef struct ConsentNew {
  int64_t trajectory_id, source_member_id, grantee_member_id, recorded_by, created_at;
  const char *grantee_side, *category, *given_on, *method, *valid_until;
} ConsentNew;

/* Gives (writes) consent k and writes its id into *id. Whether it may be given is the caller's decision
 * (policy_consent_allowed). Call inside the caller's transaction. Returns a DB code. */
int consent_give(Db *db, const ConsentNew *k, int64_t *id);

/* Withdraws consent id at `at` by user `by`, if it is not withdrawn yet. Call inside the caller's
 * transaction. Returns a DB code. */
int consent_withdraw(Db *db, int64_t id, int64_t by, int64_t at);

#endif

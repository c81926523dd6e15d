/*
 * consents.h — writing consents (DOMAIN: a source party lets one member or a whole side see one category
 * of its information). The pages decide whether a consent may be given (consent.c: the membership rule,
 * policy_consent_allowed); this file only writes it. Reading stays in consent.c for now.
 */
#ifndef ZW_STORE_CONSENTS_H
#define ZW_STORE_CONSENTS_H

#include <stdint.h>

#include "db/db.h"

/* A consent to write. source_member_id 0: the participant's information; grantee_member_id 0: the side
 * grantee_side ("care", "work", "participant") is the grantee. valid_until NULL: no end. */
typedef struct ConsentNew {
  int64_t trajectory_id, source_member_id, grantee_member_id, recorded_by, created_at;
  const char *grantee_side, *category, *given_on, *method, *valid_until;
} ConsentNew;

/* Inserts k and writes its id into *id. Call inside the caller's transaction. Returns a DB code. */
int consent_insert(Db *db, const ConsentNew *k, int64_t *id);

/* Withdraws consent id at `at` by user `by`, if it is not withdrawn yet. Call inside the caller's
 * transaction. Returns a DB code. */
int consent_withdraw(Db *db, int64_t id, int64_t by, int64_t at);

#endif

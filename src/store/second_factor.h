/*
 * second_factor.h — the stored state of a user's second factor: TOTP secret, the last step used, wrong
 * codes in a row (the lock, cfg.totp_lock_after) and the one-time recovery codes. The checks themselves
 * (totp_verify, recovery_code_hash) are in auth/totp.h; the sign-in flow is in pages/login.c.
 */
#ifndef ZW_SECOND_FACTOR_H
#define ZW_SECOND_FACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

typedef struct SecondFactor {
  const char *secret; /* base32 TOTP secret, or NULL when not enrolled (arena text) */
  int64_t last_step;  /* the last TOTP step used; a code works once */
  int64_t failures;   /* wrong codes in a row; locked when >= cfg.totp_lock_after */
} SecondFactor;

/* Loads the second factor of uid into *out (text in a). Returns DB_OK, DB_DONE for no such user, or an
 * error code. */
int second_factor_load(Db *db, Arena *a, int64_t uid, SecondFactor *out);

/* Uses TOTP step for uid if it is later than the last one used (so a code works once even when two requests
 * race) and resets the wrong codes to 0; *used tells whether it did. Returns a DB code. */
int second_factor_use_step(Db *db, int64_t uid, int64_t step, bool *used);

/* Uses the unused recovery code with hash code_hash of uid (marks it used at now) and resets the wrong codes
 * to 0, which also lifts a lock; *used tells whether there was such a code. Call inside a transaction.
 * Returns a DB code. */
int second_factor_use_recovery(Db *db, int64_t uid, const char *code_hash, int64_t now, bool *used);

/* Counts one wrong code for uid; *failures gets the count after it. Returns a DB code. */
int second_factor_fail(Db *db, int64_t uid, int64_t *failures);

/* Enrols uid's second factor if it has none: secret (base32) with step as the last step used, and the
 * recovery codes with hashes code_hashes[0..n) in place of any earlier ones. *enrolled false (and nothing
 * written) when uid has a second factor already. Call inside a transaction. Returns a DB code. */
int second_factor_enrol(Db *db, int64_t uid, const char *secret, int64_t step, const char *const *code_hashes,
                        int n, bool *enrolled);

/* Removes uid's second factor: secret, last step, wrong codes and recovery codes. Call inside a transaction.
 * Returns a DB code. */
int second_factor_remove(Db *db, int64_t uid);

/* The number of unused recovery codes of uid into *n. Returns a DB code. */
int second_factor_codes_left(Db *db, int64_t uid, int64_t *n);

#endif

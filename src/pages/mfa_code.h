/*
 * mfa_code.h — checking a second-factor code against its lock (login.c): shared by the sign-in's second step
 * and by turning the second factor off (account.c), so that wrong codes count toward the same lock
 * (users.totp_failures, cfg.totp_lock_after) wherever they are typed.
 */
#ifndef ZW_MFA_CODE_H
#define ZW_MFA_CODE_H

#include <stdint.h>

#include "http/http.h"

/* The result of a second-factor code. */
typedef enum CodeResult { CODE_OK, CODE_WRONG, CODE_LOCKED } CodeResult;

/* Checks code — a TOTP code or one of the recovery codes — as the second factor of uid, in a transaction
 * of its own.
 * - A TOTP code works once (its step is stored) and only while the second factor is not locked; a recovery
 *   code works once and always, and lifts a lock.
 * - Anything else is a wrong code: counted (users.totp_failures). The wrong code that reaches
 *   cfg.totp_lock_after locks the second factor: an access-log entry on the account ("account:ID",
 *   "mfa_locked", written by whoever is asking, anonymous in the sign-in's password-and-code form) and a
 *   server-log line with the user id. A right code resets the count.
 * *out: CODE_OK, CODE_WRONG, or CODE_LOCKED (wrong, and the second factor is locked now). Returns a DB code
 * (on an error the transaction is rolled back). */
int mfa_code_check(Req *r, int64_t uid, const char *code, CodeResult *out);

/* Shown while the second factor is locked (untranslated msgid: pass it through _()). */
extern const char *const mfa_locked_text;

#endif

/*
 * account/throttle.h — the counts of auth/throttle.h's rules, kept per key in the database (table
 * login_throttle, store/throttle.h) on the calling thread's connection, so that every server on one database
 * counts together. The keyed calls join a write transaction the caller has open on that connection (a
 * rollback then undoes the count); when the database cannot answer, the checks fail closed (a wait of
 * THROTTLE_UNKNOWN_MS) and counting that fails is only logged.
 */
#ifndef ZW_ACCOUNT_THROTTLE_H
#define ZW_ACCOUNT_THROTTLE_H

#include <stdint.h>

#include "auth/throttle.h"

/* Milliseconds the caller must still wait before an attempt for key is allowed (0: go ahead). */
int64_t throttle_wait_ms(const char *key, int64_t now_ms);
/* Failures counted for key since it was last cleared (0 for a key never seen, forgotten or pruned, and when
 * the database cannot answer). */
int32_t throttle_failures(const char *key);
/* Check and count in one step (one write transaction, so atomic across threads and servers): if an attempt
 * for key must still wait, returns the milliseconds and counts nothing; else counts the attempt as a failure
 * now and returns 0. Counting before the slow password check bounds how many guesses a burst of parallel
 * requests gets; undo it for an attempt that succeeds with throttle_forgive or throttle_clear. */
int64_t throttle_take(const char *key, int64_t now_ms);
void throttle_fail(const char *key, int64_t now_ms);
/* One failure fewer for key (the attempt counted by throttle_take succeeded); no-op for an unknown key. */
void throttle_forgive(const char *key);
void throttle_clear(const char *key);

#endif

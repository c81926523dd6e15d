/*
 * throttle.h — slows down password and code guessing per key ("acct:" e-mail, "ip:" address, "mfa:" user).
 *
 * After cfg.login_delay_after failures for a key, each further attempt must wait login_delay_ms,
 * doubling per failure up to login_delay_max_ms. Keys are kept in a fixed-size in-memory table (the
 * oldest entry is replaced when full), so memory stays bounded under a flood. Thread-safe. Which keys a
 * sign-in consults, and when a correct password passes them, is decided in login.c (post_login); locking
 * an account after cfg.lock_after failures lives in the database (login.c).
 */
#ifndef ZW_THROTTLE_H
#define ZW_THROTTLE_H

#include <stdint.h>

/* Milliseconds the caller must still wait before an attempt for key is allowed (0: go ahead). */
int64_t throttle_wait_ms(const char *key, int64_t now_ms);
/* Failures counted for key since it was last cleared (0 for a key never seen or pushed out of the table). */
int32_t throttle_failures(const char *key);
/* Check and count in one step: if an attempt for key must still wait, returns the milliseconds and counts
 * nothing; else counts the attempt as a failure now and returns 0. Counting before the slow password check
 * bounds how many guesses a burst of parallel requests gets; undo it for an attempt that succeeds with
 * throttle_forgive or throttle_clear. */
int64_t throttle_take(const char *key, int64_t now_ms);
void throttle_fail(const char *key, int64_t now_ms);
/* One failure fewer for key (the attempt counted by throttle_take succeeded); no-op for an unknown key. */
void throttle_forgive(const char *key);
void throttle_clear(const char *key);
int64_t throttle_now_ms(void);

#endif

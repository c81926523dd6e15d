/*
 * throttle.h — slows down password guessing per client address and per account name.
 *
 * After cfg.login_delay_after failures for a key, each further attempt must wait login_delay_ms,
 * doubling per failure up to login_delay_max_ms. Keys are kept in a fixed-size in-memory table (the
 * oldest entry is replaced when full), so memory stays bounded under a flood. Thread-safe. Locking an
 * account after cfg.lock_after failures is separate and lives in the database (login.c).
 */
#ifndef ZW_THROTTLE_H
#define ZW_THROTTLE_H

#include <stdint.h>

/* Milliseconds the caller must still wait before an attempt for key is allowed (0: go ahead). */
int64_t throttle_wait_ms(const char *key, int64_t now_ms);
void throttle_fail(const char *key, int64_t now_ms);
void throttle_clear(const char *key);
int64_t throttle_now_ms(void);

#endif

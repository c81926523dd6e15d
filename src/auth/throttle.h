/*
 * throttle.h — slows down password and code guessing per key ("acct:" e-mail, "ip:" address, "mfa:" user).
 *
 * After cfg.login_delay_after failures for a key, each further attempt must wait login_delay_ms,
 * doubling per failure up to login_delay_max_ms; a key whose last failure is a day old starts again from
 * nothing. The rules are here (pure functions); the counts are kept in the database (table login_throttle,
 * store/throttle.h: a hash of each key only), so that several servers on one database count together. The
 * keyed calls are in account/throttle.h, on the calling thread's connection (db_thread): thread-safe, and
 * atomic across servers where they read and then write (one write transaction). The table
 * is pruned to THROTTLE_ROWS_MAX rows (the oldest go first) at a server's first new key and every
 * THROTTLE_PRUNE_EVERY new keys after it, and rows a day old go then too, so it stays bounded under a
 * flood of new keys. Which keys a sign-in consults, and when a correct password passes them, is decided in
 * login.c (post_login); locking an account after cfg.lock_after failures lives in the users table (login.c).
 *
 * The keyed calls join a write transaction the caller has open on the thread's connection (a rollback then
 * undoes the count). When the database cannot be reached or stays busy the failure is logged and the
 * checks fail closed: a wait of THROTTLE_UNKNOWN_MS is reported, so a guesser gains nothing from a busy
 * database; counting that fails is only logged.
 */
#ifndef ZW_THROTTLE_H
#define ZW_THROTTLE_H

#include <stdint.h>

enum {
  THROTTLE_UNKNOWN_MS = 1000,    /* the wait reported when the database could not answer */
  THROTTLE_FORGET_MS = 86400000, /* a key whose last failure is older starts again from nothing */
  THROTTLE_ROWS_MAX = 100000,    /* rows the table is pruned down to (about 100 bytes each) ... */
  THROTTLE_PRUNE_EVERY = 256,    /* ... at a server's first new key and every this many new keys after it */
  THROTTLE_HASH_HEX = 32         /* a key's hash as stored: 16 bytes of BLAKE2b in lowercase hex */
};

/* ---- the rules (throttle.c) ---- */
int64_t throttle_now_ms(void);
/* The hash a key is stored under (out: THROTTLE_HASH_HEX characters and a NUL). */
void throttle_key_hash(const char *key, char out[THROTTLE_HASH_HEX + 1]);
/* Failures counted for a key whose last failure was at last_ms, as they count at now_ms (0 once forgotten). */
int32_t throttle_live_failures(int32_t failures, int64_t last_ms, int64_t now_ms);
/* How long a key with failures (live ones), the last at last_ms, must still wait at now_ms (0: go ahead). */
int64_t throttle_wait_left(int32_t failures, int64_t last_ms, int64_t now_ms);

#endif

/*
 * account/throttle.c — see throttle.h: the counts in table login_throttle (store/throttle.h) on the calling
 * thread's connection, the rules from auth/throttle.c.
 */
#include <stdatomic.h>
#include <stdbool.h>

#include "account/throttle.h"
#include "core/log.h"
#include "db/db.h"
#include "store/throttle.h"

static atomic_uint new_keys; /* new keys this process counted: the table is pruned every THROTTLE_PRUNE_EVERY */

/* Reads the row of key hash h with its failures as they count at now_ms (a forgotten key: none). Returns a DB
 * code. */
static int live_row(Db *db, const char *h, int64_t now_ms, ThrottleRow *r, bool *found) {
  int rc = throttle_row_get(db, h, r, found);
  if (rc == DB_OK) r->failures = throttle_live_failures(r->failures, r->last_ms, now_ms);
  return rc;
}

typedef enum { STEP_TAKE, STEP_FAIL, STEP_FORGIVE } Step;

/* The read-then-write calls, in one write transaction of the thread's connection (or the caller's, when one
 * is open): STEP_TAKE counts a failure only when no wait is left (*wait: the wait found), STEP_FAIL counts
 * one, STEP_FORGIVE takes one back. A new key may prune the table. Returns a DB code. */
static int step(const char *key, int64_t now_ms, Step what, int64_t *wait) {
  *wait = 0;
  Db *db = db_thread();
  if (!db) return DB_IOERR;
  char h[THROTTLE_HASH_HEX + 1];
  throttle_key_hash(key, h);
  bool own = !db_in_tx(db);
  int rc = own ? db_begin(db) : DB_OK;
  if (rc != DB_OK) return rc;
  ThrottleRow r;
  bool found;
  rc = live_row(db, h, now_ms, &r, &found);
  if (rc == DB_OK && what == STEP_TAKE) *wait = throttle_wait_left(r.failures, r.last_ms, now_ms);
  if (rc == DB_OK && what == STEP_FORGIVE) {
    if (found && r.failures > 0) {
      r.failures--;
      rc = throttle_row_put(db, h, &r);
    }
  } else if (rc == DB_OK && *wait == 0) {
    r.failures++;
    r.last_ms = now_ms;
    rc = throttle_row_put(db, h, &r);
    if (rc == DB_OK && !found && atomic_fetch_add(&new_keys, 1) % THROTTLE_PRUNE_EVERY == 0)
      rc = throttle_prune(db, now_ms - THROTTLE_FORGET_MS, THROTTLE_ROWS_MAX);
  }
  if (own) {
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
  }
  return rc;
}

/* Reads key's live row on the thread's connection. Returns a DB code. */
static int read_key(const char *key, int64_t now_ms, ThrottleRow *r) {
  Db *db = db_thread();
  if (!db) return DB_IOERR;
  char h[THROTTLE_HASH_HEX + 1];
  throttle_key_hash(key, h);
  bool found;
  return live_row(db, h, now_ms, r, &found);
}

int64_t throttle_wait_ms(const char *key, int64_t now_ms) {
  ThrottleRow r;
  int rc = read_key(key, now_ms, &r);
  if (rc != DB_OK) {
    log_error("login throttle: reading a wait failed (%s); failing closed", db_code_name(rc));
    return THROTTLE_UNKNOWN_MS;
  }
  return throttle_wait_left(r.failures, r.last_ms, now_ms);
}

int32_t throttle_failures(const char *key) {
  ThrottleRow r;
  int rc = read_key(key, throttle_now_ms(), &r);
  if (rc != DB_OK) {
    log_error("login throttle: reading the failures failed (%s)", db_code_name(rc));
    return 0;
  }
  return r.failures;
}

int64_t throttle_take(const char *key, int64_t now_ms) {
  int64_t wait;
  int rc = step(key, now_ms, STEP_TAKE, &wait);
  if (rc != DB_OK) {
    log_error("login throttle: counting an attempt failed (%s); failing closed", db_code_name(rc));
    return THROTTLE_UNKNOWN_MS;
  }
  return wait;
}

void throttle_fail(const char *key, int64_t now_ms) {
  int64_t wait;
  int rc = step(key, now_ms, STEP_FAIL, &wait);
  if (rc != DB_OK) log_error("login throttle: counting a failure failed (%s)", db_code_name(rc));
}

void throttle_forgive(const char *key) {
  int64_t wait;
  int rc = step(key, throttle_now_ms(), STEP_FORGIVE, &wait);
  if (rc != DB_OK) log_error("login throttle: taking back a failure failed (%s)", db_code_name(rc));
}

void throttle_clear(const char *key) {
  Db *db = db_thread();
  char h[THROTTLE_HASH_HEX + 1];
  throttle_key_hash(key, h);
  int rc = db ? throttle_row_delete(db, h) : DB_IOERR;
  if (rc != DB_OK) log_error("login throttle: clearing a key failed (%s)", db_code_name(rc));
}

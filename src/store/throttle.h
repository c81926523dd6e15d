/*
 * store/throttle.h — the rows of login throttling (table login_throttle, migration 035): per key hash, the
 * failures counted and the time of the last one (h: the key's hash, auth/throttle.h throttle_key_hash). The
 * rules (delays, forgetting) are in auth/throttle.c; account/throttle.c runs these inside one write
 * transaction where it reads and then writes.
 */
#ifndef ZW_STORE_THROTTLE_H
#define ZW_STORE_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

typedef struct ThrottleRow {
  int32_t failures; /* 0 for a key without a row */
  int64_t last_ms;  /* epoch milliseconds of the last failure counted */
} ThrottleRow;

/* Reads the row of key hash h into *out ({0, 0} when there is none; *found says which). Returns a DB code. */
int throttle_row_get(Db *db, const char *h, ThrottleRow *out, bool *found);
/* Inserts or replaces the row of key hash h. Returns a DB code. */
int throttle_row_put(Db *db, const char *h, const ThrottleRow *row);
/* Deletes the row of key hash h (none: nothing happens). Returns a DB code. */
int throttle_row_delete(Db *db, const char *h);
/* Deletes the rows whose last failure is before before_ms, and then all but the keep newest rows, so that
 * a flood of new keys cannot grow the table without bound. Returns a DB code. */
int throttle_prune(Db *db, int64_t before_ms, int keep);

#endif

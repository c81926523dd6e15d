/*
 * devices.h — the browsers a user signed in from: the "known device" of login throttling (login.c).
 *
 * A device is a random token (token.h) in a long-lived cookie (zw_device); only its hash is stored, per
 * user, with when it was first and last used and how many wrong passwords in a row were typed on it. One
 * browser may be known for several users (one cookie, one row per user).
 */
#ifndef ZW_DEVICES_H
#define ZW_DEVICES_H

#include <stdint.h>

#include "db/db.h"

enum {
  DEVICE_DAYS = 365,    /* a device unused this long is forgotten (also the cookie's lifetime) */
  DEVICES_PER_USER = 20 /* only the most recently used devices of a user are kept */
};

/* Claims one sign-in attempt on the device with cookie token for user uid. The device counts as known if it
 * was recorded for uid, used within DEVICE_DAYS and has fewer than max_failures wrong passwords in a row;
 * then the attempt is counted as a wrong password at once (device_succeeded undoes it) and *id gets the
 * device's id. Otherwise *id is 0 and nothing changes. Counting before the slow password check bounds the
 * guesses a stolen cookie gets to max_failures, even with parallel requests. Returns a DB code. */
int device_claim(Db *db, int64_t uid, const char *token, int max_failures, int64_t now, int64_t *id);

/* The password typed on device id was right: its wrong passwords start again at 0; used now. Returns a DB
 * code. */
int device_succeeded(Db *db, int64_t id, int64_t now);

/* Records token as a known device of uid after a complete sign-in (or refreshes it: used now, no wrong
 * passwords), and forgets uid's devices unused for DEVICE_DAYS and all but the DEVICES_PER_USER most
 * recently used. Returns a DB code. */
int device_remember(Db *db, int64_t uid, const char *token, int64_t now);

/* Forgets every known device of uid except the one whose cookie token is keep (NULL or not a device of uid:
 * forgets all). After the password changed: a browser known for the old password must not keep passing the
 * throttles for the new one. Returns a DB code. */
int device_forget_others(Db *db, int64_t uid, const char *keep);

#endif

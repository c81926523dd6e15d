/*
 * session.h — server-side sessions. The browser holds a 256-bit token; the database holds only its hash,
 * so any server instance can check it and a stolen database yields no usable tokens. Sessions end after
 * cfg.session_idle seconds without a request and cfg.session_absolute seconds after login. The rows are read
 * and written in store/users.h; the decisions (token, expiry, refresh) are made here.
 */
#ifndef ZW_SESSION_H
#define ZW_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/token.h"
#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* True if a session created at `created` and last used at `last_seen` has ended at `now`. Pure. */
bool session_expired(int64_t created, int64_t last_seen, int64_t now, int idle, int absolute);

/* Creates a session for user and writes its token into token_out. Returns a DB code. */
int session_create(Db *db, int64_t user_id, bool mfa_ok, int64_t now, char token_out[TOKEN_LEN + 1]);

/* Looks up the session for token. DB_OK with *u and *s set (arena-allocated) if it is live and the user
 * active; DB_OK with both NULL if there is none, it has ended (it is then deleted) or the user is
 * inactive. Refreshes last_seen at most once a minute. */
int session_load(Db *db, Arena *a, const char *token, int64_t now, User **u, Session **s);

int session_end(Db *db, int64_t session_id);
/* Ends every session of a user (deactivation, password change). */
int session_end_all(Db *db, int64_t user_id);

#endif

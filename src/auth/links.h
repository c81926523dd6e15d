/*
 * links.h — one-time links for setting a password (reset by an administrator, or an invitation).
 * The link carries a 256-bit token; the database stores its hash, the purpose, the expiry and when it
 * was used. Creating a new link for a user voids the user's earlier unused links of that purpose.
 */
#ifndef ZW_LINKS_H
#define ZW_LINKS_H

#include <stdint.h>

#include "auth/token.h"
#include "core/mem.h"
#include "db/db.h"

/* Creates a link valid for `hours`; writes the token. Returns a DB code. */
int link_create(Db *db, int64_t user_id, const char *purpose, int64_t created_by, int hours,
                char token_out[TOKEN_LEN + 1]);

/* Finds the live (unused, unexpired) link for token. DB_OK with *user_id set, or *user_id 0 if there is
 * none; *purpose gets "reset" or "invite" (arena string). */
int link_find(Db *db, Arena *a, const char *token, int64_t now, int64_t *user_id, const char **purpose);

/* Marks the link used; fails with DB_CONSTRAINT if it was used or expired meanwhile. Call inside the
 * transaction that sets the password. */
int link_use(Db *db, const char *token, int64_t now);

/* "BASE/reset?token=TOKEN" with BASE from cfg.base_url or "http://LISTEN". Arena string. */
const char *link_url(Arena *a, const char *token);

#endif

/*
 * audit_chain.h — where the access log's keyed chain begins (table audit_chain, migration 013) and the
 * look-ups the seal needs: the newest entry, and the stored hash of one entry.
 */
#ifndef ZW_STORE_AUDIT_CHAIN_H
#define ZW_STORE_AUDIT_CHAIN_H

#include <stdint.h>

#include "db/db.h"

/* The id of the first keyed entry into *keyed_from. DB_OK; DB_DONE when the record is missing (removed
 * behind the portal's back: *keyed_from is then 0); another DB code on error. */
int audit_chain_keyed_from(Db *db, int64_t *keyed_from);

/* The stored hash (64 hex digits) of entry id into out. DB_OK; DB_DONE when there is no such entry (out
 * is then empty); another DB code on error. */
int audit_chain_hash_at(Db *db, int64_t id, char out[65]);

/* The newest entry's id (0 for an empty log) into *id. Returns a DB code. */
int audit_chain_last_id(Db *db, int64_t *id);

#endif

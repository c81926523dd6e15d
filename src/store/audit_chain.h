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

/* The verified checkpoint (table audit_checkpoint, migration 032): how far the chain was last verified and
 * when the whole chain last was. mac is 64 hex digits over the other fields (policy/audit.c makes and
 * checks it; the store only keeps it). */
typedef struct AuditCheckpoint {
  int64_t entry_id;      /* the last entry verified */
  char hash[65];         /* its hash as verified */
  int64_t keyed_from;    /* the boundary of the keyed chain it was verified with */
  int64_t verified_at;   /* when (unix seconds) */
  int64_t full_at;       /* when the whole chain was last verified (0: never) */
  int64_t full_entry_id; /* how far that verification reached */
  char mac[65];
} AuditCheckpoint;

/* Reads the checkpoint into *cp. DB_OK; DB_DONE when there is none (*cp zeroed); another DB code on error. */
int audit_checkpoint_read(Db *db, AuditCheckpoint *cp);

/* Replaces the checkpoint by *cp (in a transaction of its own unless one is open). Returns a DB code. */
int audit_checkpoint_write(Db *db, const AuditCheckpoint *cp);

#endif

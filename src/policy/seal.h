/*
 * seal.h — the access log's chain key and seal, both kept outside the database.
 *
 * The key: 32 random bytes, written as 64 hex digits to the file named by the setting audit_key_file
 * (default: the database path + ".key"), mode 0600. From the chain's boundary on (audit_chain.keyed_from),
 * each entry's BLAKE2b hash is keyed with it, so someone who can write the database but cannot read the
 * key cannot recompute the chain after changing or removing entries. A key file that the group or others
 * may read, write or execute is refused.
 *
 * The seal: the head of the chain — the boundary, the last entry's id, the number of entries, that entry's
 * hash — with a MAC under the key, in the file named by audit_seal_file (default: database path + ".seal").
 * It is replaced atomically (temporary file, fsync, rename) after every committed batch, so removing the
 * newest entries, which leaves a chain that still verifies, is caught against it; without the key nobody
 * can write a seal that matches.
 */
#ifndef ZW_SEAL_H
#define ZW_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SEAL_KEY_BYTES = 32 };

typedef enum {
  KEY_OK,
  KEY_MISSING,    /* no such file */
  KEY_UNREADABLE, /* cannot be opened or read (permissions, not a regular file, I/O) */
  KEY_OPEN,       /* group or others have permissions on it */
  KEY_MALFORMED,  /* not 64 hex digits */
  KEY_EXISTS,     /* seal_key_create: a file is already there */
} KeyStatus;

/* The key file's and the seal file's path: the setting, or the database path + ".key" / ".seal".
 * Writes into out (at most n bytes) and returns out. */
const char *seal_key_path(char *out, size_t n);
const char *seal_file_path(char *out, size_t n);

/* Reads the key from path into key. Refuses (without reading it) a file open to group or others. */
KeyStatus seal_key_load(const char *path, unsigned char key[SEAL_KEY_BYTES]);
/* Creates a new random key at path (mode 0600; never replaces an existing file) and returns it in key.
 * KEY_UNREADABLE when the file cannot be written. */
KeyStatus seal_key_create(const char *path, unsigned char key[SEAL_KEY_BYTES]);
/* What went wrong, in English, for the CLI and the server log. */
const char *seal_key_problem(KeyStatus st);

typedef struct Seal {
  int64_t keyed_from; /* first keyed entry (audit_chain.keyed_from) */
  int64_t id;         /* the last entry sealed; 0: the log was empty */
  int64_t count;      /* entries in the chain up to id (ids run from 1 without gaps, so count == id) */
  char hash[65];      /* that entry's hash (64 zeros for an empty log) */
} Seal;

typedef enum {
  SEAL_OK,
  SEAL_MISSING,    /* no seal file */
  SEAL_UNREADABLE, /* cannot be read */
  SEAL_INVALID,    /* malformed, or its MAC does not match: not written with this key */
} SealStatus;

/* Reads and authenticates the seal at path. */
SealStatus seal_read(const char *path, const unsigned char key[SEAL_KEY_BYTES], Seal *s);
/* Writes s with its MAC to path atomically (temporary file in the same folder, fsync, rename). Returns
 * false (errno set) when it could not; the previous seal is then left as it was. */
bool seal_write(const char *path, const unsigned char key[SEAL_KEY_BYTES], const Seal *s);
/* Removes the seal at path (a replaced demo database). */
void seal_remove(const char *path);

#endif

/*
 * audit.h — the access log (NEN 7513 style): who, in which role, which participant, which item, what
 * action, the outcome, on what grounds, when (UTC), from where. Append-only; each entry carries a hash
 * over the previous entry's hash and its own fields, so a changed, removed or inserted entry breaks the
 * chain (audit_verify). From the boundary recorded at migration 013 on, the hash is keyed with a key kept
 * outside the database, and the head of the chain is sealed outside it after every batch (seal.h), so that
 * neither a recomputed chain nor removed newest entries go unnoticed (audit_check). Never holds case
 * content: items are named by kind and id.
 */
#ifndef ZW_AUDIT_H
#define ZW_AUDIT_H

#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "policy/seal.h"

typedef struct AuditEntry {
  int64_t participant_id, trajectory_id; /* 0: none */
  const char *item;                      /* "trajectory", "note:12", "caseload" ... */
  const char *action;                    /* "view", "search", "create", "update", "delete", "export", "print" */
  const char *outcome;                   /* "ok" or "denied" */
  const char *grounds;                   /* grounds_name(), or NULL */
  int64_t consent_id;                    /* the consent that allowed a read, or 0 */
  int64_t on_behalf_of;                  /* user the actor acted for (a coach recording a consent or entering a
                                            questionnaire for the participant), or 0 */
} AuditEntry;

/* Appends an entry for the request's user. The response that follows is never sent before the entry is
 * durable:
 * - inside an open transaction the entry joins it (it commits or rolls back with the change it records);
 * - in a served request (group-commit writer running, see audit_start) the entry is copied and queued and
 *   the call returns at once; after the handler, audit_hold suspends the connection until the writer has
 *   committed the batch, so many concurrent readers share one fsync and no worker thread waits. If the
 *   batch fails, the server answers 503 instead of the page;
 * - otherwise (CLI, tests) it is written in a transaction of its own before the call returns. */
int audit_write(Req *r, const AuditEntry *e);

/* Called by the server after the handler: true if the request has entries not yet durable, in which case
 * its connection is suspended (status kept in r->held_status) and resumed by the writer. */
bool audit_hold(Req *r, int status);

/* Like audit_write for n entries at once: they join one batch and the call waits once. */
int audit_write_many(Req *r, const AuditEntry *entries, int n);

/* Says that this answer of a case route (R_CASE) shows and changes no case information (a list of
 * requests that is empty, say), so it has nothing to log: the server's check that every 2xx of a case
 * route wrote an entry then knows this was decided, not forgotten. Never on a path that shows anything of
 * a participant. Cannot fail. */
void audit_nothing_shown(Req *r);

/* What the server lends the group-commit writer, so that the access log knows nothing of the HTTP library:
 * how to hold a request's response and let it go, and how many requests are being served. */
typedef struct AuditServer {
  void (*suspend)(Req *r); /* holds r's response (audit_hold, under the queue's lock, after the handler) */
  void (*resume)(Req *r);  /* lets it go: the server then sends r->held_status (writer thread, same lock) */
  int (*in_flight)(void);  /* requests being served: the writer lingers briefly while others may add entries */
} AuditServer;

/* Starts the group-commit writer thread with its own connection to path; server's functions are used from
 * then on (it must outlive audit_stop). Returns false if the database cannot be opened. audit_stop drains
 * the queue and stops it. */
bool audit_start(const char *path, const AuditServer *server);
void audit_stop(void);

/* Appends an entry with explicit actor fields (CLI, tests). */
int audit_append(Db *db, int64_t user_id, const char *role, const char *client, const char *request_id,
                 const AuditEntry *e);

/* Walks the chain (keyed entries with the process's key, loaded on first use). DB_OK with *bad_id 0 when
 * intact, else the id of the first entry that does not fit (changed, or its predecessor removed or
 * inserted). DB_ERROR (logged) without the key or the boundary record. The seal is not looked at: see
 * audit_check. */
int audit_verify(Db *db, int64_t *bad_id, int64_t *checked);

/* The chain and its seal, as `zorgwerk audit verify` and the log officer see them. */
typedef struct AuditCheck {
  KeyStatus key;          /* KEY_OK, or why the key could not be used */
  SealStatus seal_status; /* SEAL_UNREADABLE without a key */
  Seal seal;              /* valid when seal_status is SEAL_OK */
  int64_t keyed_from;     /* the boundary as the database records it; 0: the record is missing */
  bool boundary_changed;  /* the record is missing or differs from the seal's */
  int64_t checked;        /* entries that verified, from entry 1 on */
  int64_t bad_id;         /* the first entry that does not fit the chain, or 0 */
  int64_t unchecked_from; /* without a key: the first keyed entry, not checked; else 0 */
  int64_t last_id;        /* the newest entry in the database (0: empty) */
  bool truncated;         /* the log ends before the sealed entry: entries at its end were removed */
  bool head_changed;      /* the sealed entry's hash differs from the seal: the log was rewritten */
  /* the verified checkpoint (migration 032) */
  bool checkpoint_forged;  /* a checkpoint whose MAC the key does not give: written without the key */
  bool checkpoint_changed; /* the checkpoint's entry is gone or its hash differs: the log was rewritten */
  bool from_checkpoint;    /* the walk began after the checkpoint (entries up to checkpoint_id not walked) */
  int64_t checkpoint_id;   /* the authentic checkpoint's entry (0: none) and when it was verified */
  int64_t checkpoint_at;
  int64_t full_at;         /* when the whole chain was last verified (0: never) and up to which entry */
  int64_t full_entry_id;
  int64_t walked;          /* entries walked by this check */
  double seconds;          /* how long the walk took */
} AuditCheck;

/* Reads the seal, then walks the whole chain and compares its head with the seal. Read the seal before
 * the log: call it outside a read snapshot that began earlier (the seal may be newer than the snapshot).
 * Returns a DB code; the findings are in *c. */
int audit_check(Db *db, AuditCheck *c);
/* Like audit_check; from_checkpoint: when the database holds an authentic checkpoint (the entry it names
 * still has the hash it names), only the entries after it are walked — a change to an entry before it is
 * found only by the full check. A forged or contradicted checkpoint is a finding, and the whole chain is
 * walked then. When the check finds the log intact, the checkpoint moves to the newest entry verified (a
 * full check also records when it ran); that write failing is logged, not returned. */
int audit_check_mode(Db *db, AuditCheck *c, bool from_checkpoint);
bool audit_check_intact(const AuditCheck *c);

/* The hash an entry with these fields gets after prev (the chain's rule, keyed with the process's key from
 * keyed_from on), into out: for the scale benchmark's generator (cli/scale.c), which writes millions of
 * chained entries in big transactions. False when a keyed entry's key cannot be had. */
bool audit_entry_hash(const char *prev, int64_t keyed_from, int64_t id, int64_t at, int64_t user_id, const char *role,
                      int64_t pid, int64_t tid, const char *item, const char *action, const char *outcome,
                      const char *grounds, const char *client, const char *rid, char out[65]);

/* Uses the key in the file named by audit_key_file for this process (serve, before any thread). Returns
 * KEY_OK or why not; the process's entries cannot be written without it. */
KeyStatus audit_key_load(void);
/* Uses key for this process (tests). */
void audit_key_use(const unsigned char key[SEAL_KEY_BYTES]);

/* Derives into out a subkey of the chain key for another purpose (libsodium crypto_kdf with subkey_id and
 * an 8-character context naming the purpose), so that the chain key itself never serves two purposes.
 * False when the key cannot be had (the key file is missing or unusable; see audit_key_load). */
bool audit_key_derive(uint64_t subkey_id, const char context[8], unsigned char out[SEAL_KEY_BYTES]);

/* For `init` and `demo`: creates the key when there is none — refused (1) when the log already has keyed
 * entries or a seal, which only the lost key can verify — and seals the current head when there is no seal
 * and nothing keyed could be lost by it (a new database, or one just upgraded: the upgrade's seal). fresh:
 * the database was just created anew (demo), so a seal of an earlier database there is replaced. What was
 * done or what is wrong, in English, goes to msg. Returns 0, 1 (refused or failed) or 3 (the seal does not
 * fit: see `audit verify`). */
int audit_chain_prepare(Db *db, bool fresh, char *msg, size_t n);

/* After an incident has been looked into: seals the current head again, if the whole chain verifies with
 * the key (*before: the check before). DB_ERROR when it does not (nothing written), DB_IOERR when the
 * seal cannot be written. */
int audit_reseal(Db *db, AuditCheck *before, Seal *now);

#endif

/*
 * audit.h — the access log (NEN 7513 style): who, in which role, which participant, which item, what
 * action, the outcome, on what grounds, when (UTC), from where. Append-only; each entry carries a hash
 * over the previous entry's hash and its own fields, so a changed, removed or inserted entry breaks the
 * chain (audit_verify). Never holds case content: items are named by kind and id.
 */
#ifndef ZW_AUDIT_H
#define ZW_AUDIT_H

#include <stdint.h>

#include "db/db.h"
#include "http/http.h"

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

/* Starts the group-commit writer thread with its own connection to path. Returns false if the database
 * cannot be opened. audit_stop drains the queue and stops it. */
bool audit_start(const char *path);
void audit_stop(void);

/* Appends an entry with explicit actor fields (CLI, tests). */
int audit_append(Db *db, int64_t user_id, const char *role, const char *client, const char *request_id,
                 const AuditEntry *e);

/* Walks the chain. DB_OK with *bad_id 0 when intact, else the id of the first entry that does not fit
 * (changed, or its predecessor removed or inserted). */
int audit_verify(Db *db, int64_t *bad_id, int64_t *checked);

#endif

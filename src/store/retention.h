/*
 * retention.h — erasing a closed trajectory's case content after its term (the retention rule: years after
 * closure, cfg.retention_case_years), or earlier on a participant's request under GDPR art. 17 once a log
 * officer approved it; what a dry run would erase, counted per kind; and the requests themselves (tables
 * trajectory_erasures and erasure_requests, migration 031).
 *
 * The erasure is one table of per-table steps in retention.c — a count of the rows that still hold content
 * and the statement that erases it — so a new table with case content adds one line there. Case content
 * (free text, answers, names of network members) is blanked; what the reports need in aggregate stays: the
 * rows themselves (counts), kinds, categories, statuses, outcomes, dates, hours and scores as numbers. The
 * access log is never touched (NEN 7513; the caller appends the erasure to it), nor the participant's
 * identity, which the log refers to for as long as the log is kept.
 *
 * Every function returns a DB code; writes run inside the caller's transaction.
 */
#ifndef ZW_STORE_RETENTION_H
#define ZW_STORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

enum { RETENTION_KINDS_MAX = 32 };

/* The number of per-table steps, and step i's name (a table name, stable: the CLI prints it). */
int retention_kinds(void);
const char *retention_kind_name(int i);

/* The trajectories whose content is due: closed on or before cutoff (YYYY-MM-DD) and not erased yet, in id
 * order: arena array of ids. */
int retention_due(Db *db, Arena *a, const char *cutoff, int64_t **tids, int *n);

/* The rows of trajectory tid that still hold case content, per kind, added to counts[i]. */
int retention_count(Db *db, int64_t tid, int64_t counts[RETENTION_KINDS_MAX]);

/* Erases the case content of trajectory tid and records the erasure on day `on` under rule ("retention" or
 * "request", with request_id, else 0) at `at`. Call inside the caller's transaction, after retention_count
 * if the caller reports what went. DB_DONE when tid was erased already (nothing changed). */
int retention_erase(Db *db, int64_t tid, const char *on, const char *rule, int64_t request_id, int64_t at);

/* The erasure of trajectory tid: *erased false when its content is kept; else its day (YYYY-MM-DD) and rule
 * into the arena. */
int retention_erasure_of(Db *db, Arena *a, int64_t tid, bool *erased, const char **on, const char **rule);

/* The trajectories of participant pid, with how many are open, into an arena array. */
int retention_trajectories_of(Db *db, Arena *a, int64_t pid, int64_t **tids, int *n, int *open);

/* ---- requests under art. 17 */

typedef struct ErasureRequest {
  int64_t id, participant_id, requested_by, requested_at, decided_by, decided_at, carried_out_at;
  const char *reason, *decision; /* decision NULL: waiting */
  const char *requested_by_name, *decided_by_name;
} ErasureRequest;

/* Whether participant pid exists (*exists). */
int erasure_participant_exists(Db *db, int64_t pid, bool *exists);

/* Records a request to erase participant pid's case content, with reason, by user `by` at `at`; the id into
 * *id. DB_CONSTRAINT when one for pid is already waiting. Call inside a transaction. */
int erasure_request_create(Db *db, int64_t pid, const char *reason, int64_t by, int64_t at, int64_t *id);

/* The requests, waiting ones first, then the newest decided, at most max: arena array. */
int erasure_requests_list(Db *db, Arena *a, int max, ErasureRequest **out, int *n);

/* Request id into *out: DB_ROW, DB_DONE when there is none. */
int erasure_request_get(Db *db, Arena *a, int64_t id, ErasureRequest *out);

/* Decides waiting request id ("approved" or "declined") by user `by` at `at` (carried_out: also marks it
 * carried out at `at`). DB_DONE when it was decided already. Call inside a transaction. */
int erasure_request_decide(Db *db, int64_t id, const char *decision, int64_t by, int64_t at, bool carried_out);

#endif

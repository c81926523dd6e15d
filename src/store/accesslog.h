/*
 * accesslog.h — reading the access log (NEN 7513): a participant's own entries, for "Who looked at my file"
 * (/me/log), and the log officer's filtered review and export (/log, /log.csv). The writer is
 * policy/audit.c; nothing here writes.
 *
 * Nothing here decides who may read: the routes' role masks let only a participant read their own entries
 * (through their own participants row) and only a log officer the rest. What the reader may learn of the
 * people in an entry is the pages' to decide; the participant's reads name a network member's function only
 * where POLICY_SQL_MEMBER_VISIBLE allows it for the reader. Filters reach SQL only as bound parameters.
 * Every function returns a DB code (DB_OK, or the error of the statement).
 */
#ifndef ZW_STORE_ACCESSLOG_H
#define ZW_STORE_ACCESSLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* ---- a participant's own entries ---- */

/* The participants.id of u's account into *pid (0 when u is nobody's participant account). */
int accesslog_own_participant(Db *db, const User *u, int64_t *pid);

/* An entry as the participant's page reads it. user_id 0: nobody signed in. user_name and org_name are NULL
 * when the account (or its organisation) no longer exists; member_role is the actor's function in the
 * participant's network where reader may see that membership, else NULL. */
typedef struct AccessMyEntry {
  int64_t at, user_id;
  const char *role, *item, *action, *outcome, *grounds, *user_name, *org_name, *member_role;
} AccessMyEntry;

/* Calls each(ctx, e) for the newest entries about participant pid (at most max, newest first), leaving out
 * reader's own when others is true; e's texts are copied into the arena and stay valid after the call. */
int accesslog_of_participant(Db *db, Arena *a, const User *reader, int64_t pid, bool others, int max,
                             void (*each)(void *ctx, const AccessMyEntry *e), void *ctx);

/* The number of entries about participant pid (reader's own left out when others is true) into *total. */
int accesslog_of_participant_count(Db *db, const User *reader, int64_t pid, bool others, int64_t *total);

/* ---- the log officer's review ---- */

/* Which entries: every field 0 or "" is no filter. to_at is exclusive; times in unix seconds. */
typedef struct AccessLogFilter {
  const char *email;   /* the acting account's e-mail address (lowercase) */
  int64_t pid, tid;    /* participant, trajectory */
  const char *action;  /* an action code */
  const char *outcome; /* "ok" or "denied" */
  int64_t from_at, to_at;
} AccessLogFilter;

/* An entry with every column, and the acting and acted-for accounts' names, e-mail addresses and role
 * bits (0 when there is no such account). Ids are 0 where the column is empty. */
typedef struct AccessLogRow {
  int64_t id, at, user_id, participant_id, trajectory_id, consent_id, on_behalf_of;
  const char *role, *item, *action, *outcome, *grounds, *client, *request_id, *hash;
  const char *user_name, *user_email, *behalf_email;
  unsigned user_roles, behalf_roles;
} AccessLogRow;

/* The number of entries matching f into *total, counting at most max + 1 (a bigger *total than max says
 * "more than max"). The SQL text is built in a. */
int accesslog_count(Db *db, Arena *a, const AccessLogFilter *f, int64_t max, int64_t *total);

/* One page of entries, newest first: rows (arena array of n), and whether older and newer matching
 * entries may exist beyond it. */
typedef struct AccessLogPage {
  AccessLogRow *rows;
  int n;
  bool older, newer;
} AccessLogPage;

/* At most limit entries matching f, paged by key: with before > 0 the newest of those older than entry
 * `before`; else with after > 0 the oldest of those newer than entry `after` (still shown newest first);
 * else the newest. Older and newer: by id; with a period (from_at or to_at), by time, then id. Texts are
 * copied into the arena. Returns a DB code. */
int accesslog_page(Db *db, Arena *a, const AccessLogFilter *f, int limit, int64_t before, int64_t after,
                   AccessLogPage *pg);

/* Calls each(ctx, row) for every entry matching f, oldest first, at most max; row's texts are valid only
 * during the call (nothing is copied: an export may hold many entries). The SQL text is built in a. */
int accesslog_export(Db *db, Arena *a, const AccessLogFilter *f, int max,
                     void (*each)(void *ctx, const AccessLogRow *row), void *ctx);

#endif

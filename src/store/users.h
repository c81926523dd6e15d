/*
 * users.h — user accounts, their sessions and the organisations they belong to, as rows: every query and
 * write of the tables users (except the second factor's columns: second_factor.h), sessions and
 * organisations (as the administrator keeps them) lives in users.c.
 *
 * Nothing here decides: who may sign in, when a session ends and who may change an account are decided by
 * the callers (pages/login.c, account/session.c, pages/admin.c, cli/user.c). Nothing here reads case
 * information. Text returned is copied into the arena the caller passes; every function returns a DB code
 * (db.h) the caller must check.
 */
#ifndef ZW_STORE_USERS_H
#define ZW_STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* ---- accounts ---- */

/* A new account. Text is copied; NULL (or 0) leaves a column empty. */
typedef struct NewUser {
  const char *email;         /* the login name, lowercase */
  const char *name;
  unsigned roles;            /* at least one role */
  int64_t org_id;            /* 0: no organisation */
  const char *side;          /* "care", "work" or NULL */
  const char *function;      /* free text or NULL */
  const char *password_hash; /* NULL: no password yet (the person sets one with a one-time link) */
} NewUser;

/* Inserts account u, created at now, into *id. DB_CONSTRAINT (and *id 0) when the e-mail address is taken
 * (or a value breaks a constraint, such as an unknown side); nothing is written then. */
int user_create(Db *db, const NewUser *u, int64_t now, int64_t *id);

/* The id of the account with e-mail address email (lowercase) into *id; 0 when there is none. */
int user_find_by_email(Db *db, const char *email, int64_t *id);

/* Loads account id (active or not) as the signed-in user's view into *u (arena a). DB_DONE when there is
 * none (*u NULL). */
int user_load(Db *db, Arena *a, int64_t id, User **u);

/* What signing in needs to know of an account. */
typedef struct UserCredentials {
  int64_t id;                /* 0: no account with this address */
  unsigned roles;
  const char *password_hash; /* NULL before a password was set (arena text) */
  bool active, locked, has_totp;
} UserCredentials;

/* Loads the account with e-mail address email (lowercase) into *out (text in a); an address without one is
 * DB_OK with out->id 0. */
int user_credentials(Db *db, Arena *a, const char *email, UserCredentials *out);

/* The current password hash of account id into *hash (arena a; NULL when none is set). DB_DONE when there
 * is no such account. */
int user_password_hash(Db *db, Arena *a, int64_t id, const char **hash);

/* Sets the password hash of account id and clears its count of failed sign-ins; with unlock, also lifts the
 * password lock (a reset). Sessions and devices are the caller's to end. */
int user_set_password(Db *db, int64_t id, const char *hash, bool unlock);

/* Counts one wrong password against account id; lock_after in a row lock it. */
int user_login_failed(Db *db, int64_t id, int lock_after);

/* Notes a right password for account id at now; with reset, its count of failed sign-ins starts at 0. */
int user_login_succeeded(Db *db, int64_t id, int64_t now, bool reset);

/* Sets the language of account id ("nl", "en"; the caller checks it). */
int user_set_lang(Db *db, int64_t id, const char *lang);

/* Activates or deactivates account id. DB_DONE when there is no such account. */
int user_set_active(Db *db, int64_t id, bool active);

/* Lifts both locks of account id: the password's (failed sign-ins) and the second factor's (wrong codes).
 * DB_DONE when there is no such account. */
int user_unlock(Db *db, int64_t id);

/* *yes: account id is active and has at least one of the roles in role (ROLE_* bits). Allocates nothing;
 * DB_OK with *yes false when there is no such account, DB_ERROR on a database failure. */
int user_active_with_role(Db *db, int64_t id, unsigned role, bool *yes);

/* An account as the administrator sees it: no case information. Arena strings; NULL for an empty column. */
typedef struct UserRecord {
  int64_t id;
  const char *name, *email;
  unsigned roles;
  const char *side, *function;
  const char *org_name;      /* the organisation's name, or NULL */
  bool active, locked, has_password, has_totp;
  int64_t failed_logins;     /* wrong passwords in a row */
  int64_t totp_failures;     /* wrong second-factor codes in a row */
  int64_t created_at;
  int64_t last_login_at;     /* 0: never */
} UserRecord;

/* Loads account id into *out (text in a). DB_DONE when there is none. */
int user_record(Db *db, Arena *a, int64_t id, UserRecord *out);

/* How many accounts have a name or e-mail address that holds q (a literal substring, any case; "" for all)
 * into *n. Allocates the search pattern in a. */
int users_count(Db *db, Arena *a, const char *q, int64_t *n);

/* Those accounts (as users_count) by name, limit of them from offset: an arena array into *out and its
 * length into *n. */
int users_search(Db *db, Arena *a, const char *q, int64_t limit, int64_t offset, UserRecord **out, size_t *n);

/* Every account, by id (the command line's list): arena array into *out, its length into *n. */
int users_all(Db *db, Arena *a, UserRecord **out, size_t *n);

/* ---- sessions (the decisions are in account/session.h) ---- */

/* Inserts a session of user_id with token hash token_hash and CSRF token csrf, created and last seen at
 * now. */
int session_row_insert(Db *db, const char *token_hash, int64_t user_id, const char *csrf, bool mfa_ok, int64_t now);

/* A session row with its user. */
typedef struct SessionRow {
  Session session;
  User user;
  bool user_active;
  int64_t last_seen;
} SessionRow;

/* Loads the session with token hash token_hash and its user into *out (text in a): DB_DONE when there is
 * none. */
int session_row_find(Db *db, Arena *a, const char *token_hash, SessionRow *out);

/* Notes that session id was used at now. */
int session_row_touch(Db *db, int64_t id, int64_t now);

/* Deletes session id. */
int session_row_delete(Db *db, int64_t id);

/* Deletes every session of user_id. */
int session_rows_delete_user(Db *db, int64_t user_id);

/* ---- organisations (as the administrator keeps them) ---- */

typedef struct Organisation {
  int64_t id;
  const char *name, *kind; /* kind: "employer", "care", "coaching" or "agency" (arena text) */
  bool active;
  int64_t user_count;      /* accounts that belong to it (orgs_all only; 0 otherwise) */
} Organisation;

/* Every organisation by name, with its number of accounts: arena array into *out, length into *n. */
int orgs_all(Db *db, Arena *a, Organisation **out, size_t *n);

/* The active organisations by name (no user_count): arena array into *out, length into *n. */
int orgs_active(Db *db, Arena *a, Organisation **out, size_t *n);

/* The kind of active organisation id into *kind (arena a); NULL when there is no such active
 * organisation. */
int org_active_kind(Db *db, Arena *a, int64_t id, const char **kind);

/* Adds an organisation named name of kind, created at now, into *id. DB_CONSTRAINT (*id 0) when one with
 * this name (in any case) exists. Call inside a transaction. */
int org_create(Db *db, const char *name, const char *kind, int64_t now, int64_t *id);

/* Activates or deactivates organisation id. DB_DONE when there is none. */
int org_set_active(Db *db, int64_t id, bool active);

/* ---- reaching the coach, and mails about new messages (issue 12, part 5) ---- */

/* A coach's work contact details; NULL when not given. */
typedef struct WorkContact {
  int64_t user_id;
  const char *name, *phone, *email;
} WorkContact;

/* Sets account id's work phone and work e-mail ("" clears one). DB_DONE when there is no such account. */
int user_set_work_contact(Db *db, int64_t id, const char *phone, const char *email);
/* Loads account id's work contact into *out (text in a). DB_DONE when there is none. */
int user_work_contact(Db *db, Arena *a, int64_t id, WorkContact *out);
/* The coaches of trajectory tid (stand-ins not included) with their work contact, at most max, into *out
 * (arena a). The caller has decided the reader may open the trajectory. Returns a DB code. */
int trajectory_coach_contacts(Db *db, Arena *a, int64_t tid, int max, WorkContact **out, int *n);

/* How account id hears of new messages: "immediately", "daily" or "never" (a static string). */
int user_message_mail(Db *db, int64_t id, const char **pref);
/* Sets it (one of the three). DB_DONE when there is no such account. */
int user_set_message_mail(Db *db, int64_t id, const char *pref);
/* Whether a "new messages" mail should be queued now for account id: "immediately" yes, "never" no,
 * "daily" only when no such mail was queued for it in the last 24 hours. Returns a DB code. */
int user_message_mail_due(Db *db, int64_t id, int64_t now, bool *due);
/* The user ids of the active accounts attending meeting mid (network members with an account and the
 * participant's account), at most max, into *out (arena a). Returns a DB code. */
int meeting_attendee_accounts(Db *db, Arena *a, int64_t mid, int max, int64_t **out, int *n);

#endif

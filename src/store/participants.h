/*
 * participants.h — a registered participant's account (participants.user_id): its state, and the
 * invitation that makes it.
 *
 * A participant is registered by a coach without an account. The invitation makes one: a new account with
 * the participant role only, linked to that participant and nobody else, and a one-time link (account/links.h)
 * with which the person chooses the password. The account is always new: an e-mail address that already
 * belongs to any account is refused with one answer for all of them, so an invitation can neither link
 * someone's existing account to a participant's file nor tell the coach whose address it is. Until the
 * password is set nobody can sign in to the account; after it, the participant's own pages (/me) show their
 * own trajectory, by the visibility rule (participants.user_id). The invitation itself, which also issues
 * the link, is account/invite.h; this file holds its rows.
 */
#ifndef ZW_STORE_PARTICIPANTS_H
#define ZW_STORE_PARTICIPANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* Where a participant's account stands. */
typedef enum ParticipantAccountState {
  PACCOUNT_NONE = 1, /* no account */
  PACCOUNT_INVITED,  /* an account made by an invitation, no password yet */
  PACCOUNT_ACTIVE,   /* an account with a password */
  PACCOUNT_INACTIVE, /* an account the administrator deactivated */
} ParticipantAccountState;

/* A participant and their account. Arena strings. */
typedef struct ParticipantAccount {
  int64_t participant_id, user_id; /* user_id 0: no account */
  ParticipantAccountState state;
  const char *name;             /* "First Last" */
  const char *registered_email; /* the address entered at registration ("" if none) */
  const char *account_email;    /* the account's login name ("" without an account) */
} ParticipantAccount;

/* Loads participant pid and their account into *out. Returns DB_OK, DB_DONE when there is no such
 * participant, or a DB error code. */
int participant_account_load(Db *db, Arena *a, int64_t pid, ParticipantAccount *out);

/* The participant of trajectory tid into *pid (0 when there is no such trajectory). Returns a DB code. */
int participant_of_trajectory(Db *db, int64_t tid, int64_t *pid);

/* The account of the participant of trajectory tid into *user_id (0: the participant has none). Returns
 * DB_OK, DB_DONE when there is no such trajectory, or a DB error code. */
int participant_user_of_trajectory(Db *db, int64_t tid, int64_t *user_id);

/* The open trajectory of the participant whose account is user_id into *tid (0: none). Returns a DB code. */
int participant_open_trajectory(Db *db, int64_t user_id, int64_t *tid);

/* The participant with this name and date of birth (the unique identity a registration must not repeat)
 * into *pid and their latest trajectory into *latest_tid (each 0: none). Returns a DB code. */
int participant_find_identity(Db *db, const char *first_name, const char *last_name, const char *birth_date,
                              int64_t *pid, int64_t *latest_tid);

/* Whether email belongs to an account other than except (0: none). Returns a DB code. */
int participant_email_taken(Db *db, const char *email, int64_t except, bool *taken);

/* Makes the participant's account: participant role only, the participant's name, no password, no side,
 * no language of its own (the portal's default), and links it to pid if pid has none. *uid 0 when an
 * account or the address appeared meanwhile. Returns a DB code. */
int participant_account_create(Db *db, int64_t pid, const char *email, const char *name, int64_t *uid);

/* Changes the login name of the never-activated account uid to email. *done false when the account was
 * activated meanwhile. Returns a DB code. */
int participant_account_set_email(Db *db, int64_t uid, const char *email, bool *done);

/* The invitation that uses these (the account and its one-time link) is account/invite.h. */

#endif

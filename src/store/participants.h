/*
 * participants.h — a registered participant's account (participants.user_id): its state, and the
 * invitation that makes it.
 *
 * A participant is registered by a coach without an account. The invitation makes one: a new account with
 * the participant role only, linked to that participant and nobody else, and a one-time link (auth/links.h)
 * with which the person chooses the password. The account is always new: an e-mail address that already
 * belongs to any account is refused with one answer for all of them, so an invitation can neither link
 * someone's existing account to a participant's file nor tell the coach whose address it is. Until the
 * password is set nobody can sign in to the account; after it, the participant's own pages (/me) show their
 * own trajectory, by the visibility rule (participants.user_id).
 */
#ifndef ZW_STORE_PARTICIPANTS_H
#define ZW_STORE_PARTICIPANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/token.h"
#include "core/mem.h"
#include "db/db.h"
#include "http/http.h"

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

/* What an invitation came to. */
typedef enum ParticipantInviteResult {
  PINVITE_LINK = 1, /* a link to hand over: new, or the same one shown again to its maker (same) */
  PINVITE_HELD,     /* someone else's link for this account is still live: no link, nothing changed */
  PINVITE_HAS_ACCOUNT, /* the participant has an active or deactivated account: nothing offered */
  PINVITE_REFUSED,  /* the e-mail address belongs to another account (any kind): nothing changed */
  PINVITE_RACE,     /* the participant got an account meanwhile: nothing changed, try again */
} ParticipantInviteResult;

typedef struct ParticipantInvite {
  ParticipantInviteResult result;
  int64_t user_id;   /* the participant's account (PINVITE_LINK, PINVITE_HELD) */
  bool created;      /* the account was made by this invitation */
  bool same;         /* the link is the maker's own live link, shown again */
  int64_t expires_at;
  char token[TOKEN_LEN + 1]; /* PINVITE_LINK */
} ParticipantInvite;

/* Invites participant pid to an account at email (lowercase, a valid address), on behalf of r's user (r
 * NULL: the command line, on db), with a link valid for `hours`:
 * - without an account: makes one (participant role only, the participant's name, the portal's default
 *   language) linked to pid, and issues its link;
 * - with an account that was invited and never activated: issues its link through link_issue (its maker
 *   sees the same link again; nobody gets one while someone else's is live); a different address first
 *   voids the maker's own live link and then changes the account's login name;
 * - with an active or deactivated account: nothing.
 * Link events are in the access log on the account (links.h); the caller logs the invitation on the
 * participant. Call inside the caller's transaction and commit it, except after PINVITE_RACE (an account
 * or address appeared meanwhile): roll back then. Returns a DB code. */
int participant_invite(Db *db, Req *r, int64_t pid, const char *email, int hours, ParticipantInvite *out);

#endif

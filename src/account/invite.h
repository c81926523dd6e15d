/*
 * invite.h — the invitation of a registered participant to an account: the account (store/participants.h)
 * and the one-time link with which the person chooses the password (account/links.h), made in one step on
 * behalf of the request's user. Its link events are in the access log on the account (links.h).
 */
#ifndef ZW_ACCOUNT_INVITE_H
#define ZW_ACCOUNT_INVITE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/token.h"
#include "db/db.h"
#include "http/http.h"

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

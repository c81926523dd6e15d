/*
 * invite.c — see invite.h.
 */
#include "account/invite.h"

#include <string.h>

#include "account/links.h"
#include "store/participants.h"

int participant_invite(Db *db, Req *r, int64_t pid, const char *email, int hours, ParticipantInvite *out) {
  memset(out, 0, sizeof *out);
  ParticipantAccount acc;
  Arena *a = arena_new();
  int rc = participant_account_load(db, a, pid, &acc);
  if (rc != DB_OK) goto done;
  if (acc.state == PACCOUNT_ACTIVE || acc.state == PACCOUNT_INACTIVE) {
    out->result = PINVITE_HAS_ACCOUNT;
    goto done;
  }
  /* an address of any other account: the same refusal whatever that account is */
  bool taken;
  if ((rc = participant_email_taken(db, email, acc.user_id, &taken)) != DB_OK) goto done;
  if (taken) {
    out->result = PINVITE_REFUSED;
    goto done;
  }
  if (acc.state == PACCOUNT_NONE) {
    if ((rc = participant_account_create(db, pid, email, acc.name, &out->user_id)) != DB_OK) goto done;
    if (!out->user_id) {
      out->result = PINVITE_RACE;
      goto done;
    }
    out->created = true;
  } else {
    out->user_id = acc.user_id;
    if (strcmp(acc.account_email, email) != 0) {
      /* another address: the maker's own link to the old one is voided first; someone else's live link
       * keeps the account as it is */
      bool held, changed;
      if ((rc = link_void_own(db, r, acc.user_id, "invite", &held)) != DB_OK) goto done;
      if (held) {
        out->result = PINVITE_HELD;
        goto done;
      }
      if ((rc = participant_account_set_email(db, acc.user_id, email, &changed)) != DB_OK) goto done;
      if (!changed) {
        out->result = PINVITE_RACE;
        goto done;
      }
    }
  }
  LinkResult lr;
  if ((rc = link_issue(db, r, out->user_id, "invite", hours, out->token, &lr, &out->expires_at)) != DB_OK) goto done;
  out->result = lr == LINK_HELD ? PINVITE_HELD : PINVITE_LINK;
  out->same = lr == LINK_SAME;
done:
  arena_free(a);
  return rc;
}

/*
 * participant_account.c — the participant's own account (/t/{id}/account): where it stands, and the
 * coach's invitation that makes it.
 *
 * A participant registered by a coach has no account until a coach of the trajectory invites them: the
 * invitation makes an account with the participant role only, linked to this participant and nobody else,
 * and a one-time link the coach hands over (store/participants.h, account/links.h). With it the participant
 * chooses a password (/reset) and, signed in, lands on /me with their own trajectory.
 *
 * Only an assigned coach opens these routes (trajectory_door with GROUNDS_COACH; anyone else gets the
 * not-found page and a "denied" entry on the participant). Showing the page and every invitation, refused
 * or not, is an access-log entry "account" on the participant; the link's creation, showing and use are
 * entries on the account itself (links.h). The link is shown only to the person who made it, again on
 * request while it is live; nobody gets a link while someone else's link is live. An e-mail address that
 * belongs to any account gets one answer, the same for every such address, and no link.
 */
#include <ctype.h>
#include <string.h>

#include "account/invite.h"
#include "account/links.h"
#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/participants.h"

enum { EMAIL_MAX = 254 };

/* The one answer for every e-mail address that cannot be used: it does not tell whose address it is. */
static const char *not_usable(void) {
  return _("This e-mail address cannot be used for the participant's account. Use another e-mail address, or ask "
           "the administrator.");
}

/* Writes the account state of acc for an assigned coach: what it is, whether a live link exists (mine:
 * made by the signed-in user, who alone can see it again) and, with email, the account's sign-in name. */
static void state_text(Req *r, const ParticipantAccount *acc, bool any, bool mine, bool email) {
  switch (acc->state) {
    case PACCOUNT_NONE:
      html(&r->out, "<p><span class=\"badge badge-muted\">%s</span> %s</p>", _("no account"),
           _("The participant cannot sign in yet. Invite them: with a one-time link they choose a password and then "
             "see their own trajectory."));
      break;
    case PACCOUNT_INVITED:
      html(&r->out, "<p><span class=\"badge badge-warn\">%s</span> %s</p>", _("invited"),
           mine ? _("The invitation link you made has not been used yet. You can show it again.")
           : any ? _("The invitation link someone else made has not been used yet. Nobody else gets a link meanwhile; "
                     "once it has expired, you can invite the participant again.")
                 : _("The invitation link expired without being used. You can invite the participant again."));
      if (email) html(&r->out, "<p class=\"small\">%s %s</p>", _("Account:"), acc->account_email);
      break;
    case PACCOUNT_ACTIVE:
      html(&r->out, "<p><span class=\"badge badge-ok\">%s</span> %s</p>", _("active"),
           _("The participant signs in with their own account."));
      if (email) html(&r->out, "<p class=\"small\">%s %s</p>", _("Account:"), acc->account_email);
      break;
    case PACCOUNT_INACTIVE:
      html(&r->out, "<p><span class=\"badge badge-muted\">%s</span> %s</p>", _("deactivated"),
           _("The participant's account is deactivated. Only the administrator can reactivate it."));
      break;
  }
}

/* Loads the account of pid and, for an invited one, whether a live link exists (*any) and whether the
 * signed-in user made it (*mine). Returns a DB code (DB_DONE: no such participant). */
static int state_load(Req *r, int64_t pid, ParticipantAccount *acc, bool *any, bool *mine) {
  *any = *mine = false;
  int rc = participant_account_load(r->db, r->a, pid, acc);
  if (rc != DB_OK || acc->state != PACCOUNT_INVITED) return rc;
  return link_pending(r->db, acc->user_id, r->user->id, "invite", any, mine);
}

int participant_account_section(Req *r, int64_t tid, int64_t pid) {
  ParticipantAccount acc;
  bool any, mine;
  int rc = state_load(r, pid, &acc, &any, &mine);
  if (rc != DB_OK) return rc;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-paccount\"><h2 id=\"h-paccount\">%s</h2>",
       _("The participant's account"));
  state_text(r, &acc, any, mine, false);
  if (acc.state == PACCOUNT_NONE || (acc.state == PACCOUNT_INVITED && (mine || !any)))
    html(&r->out, "<p><a href=\"/t/%lld/account\">%s</a></p>", (long long)tid,
         acc.state == PACCOUNT_NONE ? _("Invite the participant to an account")
         : mine                     ? _("Show the invitation link")
                                    : _("Invite the participant again"));
  html(&r->out, "</section>");
  return DB_OK;
}

/* The account page with the invitation form where one is offered, with what was typed and any errors.
 * Writes the "account"/"view" access-log entry first. Returns the status given, or an error page's. */
static int account_page(Req *r, int64_t tid, int64_t pid, int status) {
  ParticipantAccount acc;
  bool any, mine;
  int rc = state_load(r, pid, &acc, &any, &mine);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "account", .action = "view",
                                    .outcome = "ok", .grounds = grounds_name(GROUNDS_COACH)});
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *title = arena_printf(r->a, _("Account of %s"), acc.name);
  if ((rc = case_page_begin(r, tid, GROUNDS_COACH, _("Account"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", title);
  trajectory_subnav(r, tid, GROUNDS_COACH, "account");
  html(&r->out, "<section class=\"card narrow\" aria-labelledby=\"h-state\"><h2 id=\"h-state\">%s</h2>",
       _("The participant's account"));
  state_text(r, &acc, any, mine, true);
  if (acc.state == PACCOUNT_NONE || (acc.state == PACCOUNT_INVITED && (mine || !any))) {
    form_errors_summary(r);
    form_begin(r, arena_printf(r->a, "/t/%lld/account/invite", (long long)tid), "form");
    const char *value = r->nerrors                       ? form_str(r, "email")
                        : acc.state == PACCOUNT_INVITED ? acc.account_email
                                                         : acc.registered_email;
    field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email", .value = value,
                            .required = true, .maxlength = EMAIL_MAX, .autocomplete = "off",
                            .hint = _("The address entered at registration. Change it if the participant uses "
                                      "another one: it becomes their sign-in name.")});
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
         acc.state == PACCOUNT_NONE ? _("Invite to an account")
         : mine                     ? _("Show the invitation link")
                                    : _("Invite again"));
    form_end(r);
    html(&r->out, "<p class=\"muted small\">%s</p>",
         _("The account can only see this participant's own trajectory and what others agreed to share with them."));
  }
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

/* ---- GET /t/{id}/account ---- */

static int get_account(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "account", "view", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  return account_page(r, r->ids[0], pid, 200);
}

void link_handover(Req *r, const char *token, const char *use, int64_t expires) {
  html(&r->out, "<p class=\"one-time-link\"><code data-copy>%s</code></p>", link_url(r->a, token));
  html(&r->out, "<p>%s</p>", use);
  html(&r->out, "<p><strong>%s</strong> %s</p><p>%s %s (UTC)</p>", _("It works one time."),
       _("Until it is used or expires, only you can see it again, here; nobody else gets a link for this "
         "person meanwhile."),
       _("Valid until:"), fmt_time(r, expires));
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("The portal does not send e-mail yet: hand the link to the person themselves, through a channel only "
         "this person can read, and do not keep a copy."));
}

/* ---- POST /t/{id}/account/invite ---- */

/* The page after an invitation: the link for its maker (token NULL: sent to the person's own address), or
 * none because someone else's link is live (held). */
static void invited_page(Req *r, int64_t tid, const char *name, const char *token, bool held, int64_t expires) {
  page_begin(r, _("Invitation"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", _("Invitation"));
  html(&r->out, "<p>%s <strong>%s</strong></p>", held || !token ? _("Invitation for:") : _("Hand this link to:"), name);
  if (held) {
    html(&r->out, "<p>%s</p>",
         _("Someone else already handed this participant an invitation link that still works. There is one link at a "
           "time, and only its maker sees it: the participant uses that link, or, once it has expired, you can "
           "invite them again. The administrator can help if the link was lost."));
  } else if (!token) {
    html(&r->out, "<p>%s</p>", _("The invitation link was sent to the participant's own e-mail address."));
  } else {
    link_handover(r, token,
                  _("With this link the participant chooses a password, signs in and sees their own trajectory, and "
                    "nobody else's."),
                  expires);
  }
  html(&r->out, "<p><a href=\"/t/%lld/account\">%s</a></p></section>", (long long)tid, _("Back to the account"));
  page_end(r);
}

/* Lowercased, trimmed copy of s in the arena. */
static const char *email_arg(Arena *a, const char *s) {
  char *d = text_trim(arena_strdup(a, s));
  for (char *p = d; *p; p++) *p = (char)tolower((unsigned char)*p);
  return d;
}

static int post_invite(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0];
  int s = trajectory_door(r, "account", "update", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  const char *email = email_arg(r->a, form_str(r, "email"));
  if (!*email) form_error(r, "email", _("Fill in the participant's e-mail address."));
  else if (!text_email_ok(email, EMAIL_MAX)) form_error(r, "email", _("Enter an e-mail address like name@example.org."));
  if (r->nerrors) return account_page(r, tid, pid, 400);

  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  ParticipantInvite inv;
  if ((rc = participant_invite(r->db, r, pid, email, cfg.invite_days * 24, &inv)) != DB_OK) return http_db_error(r, rc);
  if (inv.result == PINVITE_RACE) {
    db_rollback(r->db);
    return http_error(r, 409, _("The participant's account was changed meanwhile. Reload the page and try again."));
  }
  bool ok = inv.result == PINVITE_LINK;
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "account",
                                    .action = inv.created ? "create" : "update", .outcome = ok ? "ok" : "denied",
                                    .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the mail is queued in the same transaction as the invitation (link_deliver) */
  bool mailed = ok && link_deliver(r->db, inv.user_id, inv.token) == LINK_MAILED;
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  ParticipantAccount acc;
  switch (inv.result) {
    case PINVITE_REFUSED:
      form_error(r, "email", not_usable());
      return account_page(r, tid, pid, 400);
    case PINVITE_HAS_ACCOUNT:
      return http_error(r, 409, _("This participant already has an account."));
    default: break;
  }
  if ((rc = participant_account_load(r->db, r->a, pid, &acc)) != DB_OK) return http_db_error(r, rc);
  invited_page(r, tid, acc.name, mailed ? NULL : inv.token, !ok, inv.expires_at);
  return ok ? 200 : 409;
}

const Route participant_account_routes[] = {
    {"GET", "/t/{id}/account", ROLES_CASE, R_CASE, get_account},
    {"POST", "/t/{id}/account/invite", ROLES_CASE, R_CASE, post_invite},
    {0},
};

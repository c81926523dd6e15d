/*
 * notices.c — what needs the user's own attention, shown right after signing in (login.c asks
 * notices_next): account notices (a password reset that someone else issued: when and by whom, until the
 * user dismisses it) and membership requests (a coach asked the user's existing account to join the
 * network of a trajectory: the user accepts or declines; until accepted the membership grants nothing).
 *
 * A request names the participant, the coach who asked, and the role and entry in the network — what the
 * person needs to decide — and each one shown is an access-log entry on that participant's file, like
 * every other page that names a participant. Deciding is logged there too.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "store/membership.h"
#include "store/notices.h"
#include "store/proposals.h"

const char *notices_next(Req *r, int64_t uid, const char *next) {
  Notice *v;
  size_t n;
  int64_t requests = 0;
  if (notices_open(r->db, r->a, uid, &v, &n) != DB_OK) return next;
  if (membership_requests_count(r->db, uid, &requests) != DB_OK) return next;
  PlacementNotice *pn; /* news about a work placement */
  int npn = 0;
  if (placement_notices_open(r->db, r->a, uid, 1, &pn, &npn) != DB_OK) return next;
  ProposalNotice *prn; /* news about a proposal to an employer */
  int nprn = 0;
  if (proposal_notices_open(r->db, r->a, uid, 1, &prn, &nprn) != DB_OK) return next;
  return n || requests || npn || nprn ? "/notices" : next;
}

/* ---- GET /notices ---- */

static void notice_card(Req *r, const Notice *k) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-notice-%lld\"><h2 id=\"h-notice-%lld\">%s</h2>",
       (long long)k->id, (long long)k->id, _("Your password was reset"));
  if (k->by_name)
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("On %s the administrator %s reset your password."), day_for(r, k->at), k->by_name));
  else
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("On %s your password was reset from the server's command line."), day_for(r, k->at)));
  html(&r->out, "<p>%s</p>",
       _("If you did not ask for this yourself, tell the privacy officer of the portal: the access log shows who "
         "did it and from where."));
  form_begin(r, arena_printf(r->a, "/notices/%lld/dismiss", (long long)k->id), "inline");
  html(&r->out, "<button type=\"submit\">%s</button>", _("I have read this"));
  form_end(r);
  html(&r->out, "</section>");
}

static void request_card(Req *r, const MembershipRequest *q) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-request-%lld\"><h2 id=\"h-request-%lld\">%s</h2>",
       (long long)q->id, (long long)q->id, _("Request to join a network"));
  html(&r->out, "<p>%s</p>",
       arena_printf(r->a, _("%s asks you to join the network of %s, as %s."),
                    q->requested_by ? q->requested_by : _("A coach"), q->participant, network_role_label(q->role)));
  html(&r->out, "<p class=\"small\">%s %s%s%s</p>", _("You are entered as:"), q->member_name,
       q->organisation && *q->organisation ? ", " : "", q->organisation ? q->organisation : "");
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("If you accept, you see this trajectory, and in it only what is shared with you. If you do not know "
         "about this, decline."));
  html(&r->out, "<div class=\"button-row\">");
  form_begin(r, arena_printf(r->a, "/notices/requests/%lld/accept", (long long)q->id), "inline");
  html(&r->out, "<button type=\"submit\" class=\"primary\">%s</button>", _("Accept"));
  form_end(r);
  form_begin(r, arena_printf(r->a, "/notices/requests/%lld/decline", (long long)q->id), "inline");
  html(&r->out, "<button type=\"submit\">%s</button>", _("Decline"));
  form_end(r);
  html(&r->out, "</div></section>");
}

static int get_notices(Req *r) {
  Notice *v;
  size_t n;
  MembershipRequest *q;
  size_t nq;
  int rc = notices_open(r->db, r->a, r->user->id, &v, &n);
  if (rc == DB_OK) rc = membership_requests_open(r->db, r->a, r->user->id, &q, &nq);
  PlacementNotice *pn; /* news about a work placement: a date and a link, no case content */
  int npn = 0;
  if (rc == DB_OK) rc = placement_notices_load(r, &pn, &npn);
  ProposalNotice *prn; /* news about a proposal: a date and a link, no case content */
  int nprn = 0;
  if (rc == DB_OK) rc = proposal_notices_load(r, 20, &prn, &nprn);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (nq) {
    AuditEntry *e = arena_alloc(r->a, sizeof *e * nq);
    for (size_t i = 0; i < nq; i++)
      e[i] = (AuditEntry){.participant_id = q[i].participant_id, .trajectory_id = q[i].trajectory_id,
                          .item = arena_printf(r->a, "member:%lld", (long long)q[i].member_id), .action = "view",
                          .outcome = "ok", .grounds = "member"};
    if ((rc = audit_write_many(r, e, (int)nq)) != DB_OK) return http_db_error(r, rc);
  } else {
    audit_nothing_shown(r); /* the user's own account notices, or nothing: no one's file */
  }
  page_begin(r, _("For your attention"));
  html(&r->out, "<h1>%s</h1>", _("For your attention"));
  for (size_t i = 0; i < n; i++) notice_card(r, &v[i]);
  for (size_t i = 0; i < nq; i++) request_card(r, &q[i]);
  placement_notice_cards(r, pn, npn);
  proposal_notice_cards(r, prn, nprn);
  if (!n && !nq && !npn && !nprn) html(&r->out, "<p>%s</p>", _("Nothing needs your attention."));
  html(&r->out, "<p><a href=\"%s\">%s</a></p>", home_for(r->user), _("Continue"));
  page_end(r);
  return 200;
}

/* ---- POST /notices/{id}/dismiss ---- */

static int post_dismiss(Req *r) {
  int rc = notice_dismiss(r->db, r->user->id, r->ids[0], (int64_t)time(NULL));
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/notices", "saved");
}

/* ---- POST /notices/requests/{id}/accept|decline ---- */

static int decide(Req *r, const char *decision) {
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  MembershipRequest q;
  const char *why;
  rc = membership_request_decide(r->db, r->a, r->user->id, r->ids[0], decision, (int64_t)time(NULL), &q, &why);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc == DB_CONSTRAINT && why) {
    db_rollback(r->db);
    return http_error(r, 409, strcmp(why, "side") == 0
                                  ? _("Your account belongs to the other side of the network than this membership. "
                                      "Ask the coach to correct the role.")
                                  : _("You are already a member of this trajectory's network."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = q.participant_id, .trajectory_id = q.trajectory_id,
                                    .item = arena_printf(r->a, "member:%lld", (long long)q.member_id),
                                    .action = "update", .outcome = "ok", .grounds = "member"});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/notices", "saved");
}

static int post_accept(Req *r) { return decide(r, "accepted"); }
static int post_decline(Req *r) { return decide(r, "declined"); }

const Route notices_routes[] = {
    {"GET", "/notices", ROLE_ANY, R_CASE, get_notices},
    {"POST", "/notices/{id}/dismiss", ROLE_ANY, 0, post_dismiss},
    {"POST", "/notices/requests/{id}/accept", ROLE_ANY, R_CASE, post_accept},
    {"POST", "/notices/requests/{id}/decline", ROLE_ANY, R_CASE, post_decline},
    {0},
};

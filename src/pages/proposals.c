/*
 * proposals.c — proposing a participant for an opening to its employer (issue 13, part 4).
 *
 * The mediator (an assigned coach) proposes from the matches page (/t/{id}/proposals, POST). The participant
 * sees the proposal first on /me/work — with exactly what the employer will see: the job profile's parts of
 * categories 'work' and 'capacity', never health — and says yes or no (two taps on a phone). Yes records
 * the participant's consent through the consent model (doc/DOMAIN.md, "Information and consent"): the
 * employer's contact person (employer_profiles.contact_user_id, else a user of that employer) becomes a
 * work-side network member reached only by name when not one already (shares_side 0: nothing shared with the
 * whole work side reaches them, they see no other member of the work side and none of those sees them — the
 * current employer does not learn of the proposal), and receives consents for 'work' and 'capacity' (the legal
 * guardrail is asked: policy_consent_allowed). The employer's users then see the proposal at
 * /my-employer/proposals through the one door — only while such a consent is live, so withdrawing it hides
 * the proposal at once — and accept (an invitation for a talk) or decline. Every view and change is in the
 * access log against the participant.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "mail/outbox.h"
#include "pages/jobwords.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/jobs_policy.h"
#include "store/consents.h"
#include "store/employers.h"
#include "store/job_profiles.h"
#include "store/matching.h"
#include "store/network.h"
#include "store/proposals.h"
#include "store/trajectories.h"
#include "store/users.h"

enum { LIST_MAX = 100, NOTE_MAX = 2000, REPLY_MAX = 2000, AUDIENCE_MAX = 50, NOTICES_MAX = 20 };

const char *proposal_status_label(const char *s) {
  static const char *const map[] = {"draft", N_("Draft"), "awaiting_participant", N_("Waiting for the participant"),
                                    "declined_by_participant", N_("Declined by the participant"), "sent",
                                    N_("Sent to the employer"), "accepted", N_("Accepted: invited for a talk"),
                                    "declined_by_employer", N_("Declined by the employer"), "withdrawn",
                                    N_("Withdrawn"), NULL};
  for (int i = 0; s && map[i]; i += 2)
    if (strcmp(map[i], s) == 0) return _(map[i + 1]);
  return s ? s : "";
}

const char *proposal_status_label_in(const char *s, bool wabz) {
  if (wabz && s && !strcmp(s, "awaiting_participant")) return _("Waiting for the client");
  if (wabz && s && !strcmp(s, "declined_by_participant")) return _("Declined by the client");
  return proposal_status_label(s);
}

/* Statuses from which the mediator may withdraw a proposal. */
static bool withdrawable(const char *s) {
  return !strcmp(s, "draft") || !strcmp(s, "awaiting_participant") || !strcmp(s, "sent") || !strcmp(s, "accepted");
}

static const char *hours_range(Req *r, int hmin, int hmax) {
  return hmin > 0 ? arena_printf(r->a, _("%d to %d hours a week"), hmin, hmax)
                  : arena_printf(r->a, P_("up to %d hour a week", "up to %d hours a week", hmax), hmax);
}

/* The opening a proposal is for, in one line. */
static void opening_line(Req *r, const Proposal *p) {
  html(&r->out, "<p><strong>%s</strong> · %s</p><p class=\"muted small\">%s · %s · %s</p>", p->opening_title,
       p->employer_name, work_kind_label(p->work_kind), p->region, hours_range(r, p->hours_min, p->hours_max));
}


/* ------------------------------------------------------------------------------ notices  */

/* The page of proposal id (trajectory tid) for a recipient chosen as role (a PA_ bit). */
static const char *notice_path(Arena *a, unsigned role, int64_t tid, int64_t id) {
  if (role == PA_PARTICIPANT) return "/me/work";
  if (role == PA_EMPLOYER) return arena_printf(a, "/my-employer/proposals/%lld", (long long)id);
  return arena_printf(a, "/t/%lld/proposals", (long long)tid);
}

/* The step of proposal id of trajectory tid to status `event`, inside the caller's transaction: a notice in the
 * portal and, with mail configured, a mail without content (only that something waits or changed, with a
 * link) to the accounts of `who` (PA_ bits), never the actor. Returns a DB code. */
static int proposal_event(Req *r, int64_t tid, int64_t id, const char *event, unsigned who) {
  int64_t *to;
  unsigned *role;
  int n;
  int rc = proposal_audience(r->db, r->a, id, who, r->user->id, AUDIENCE_MAX, &to, &role, &n);
  int64_t now = (int64_t)time(NULL);
  for (int i = 0; i < n && rc == DB_OK; i++) {
    rc = proposal_notice_add(r->db, to[i], tid, id, event, now);
    if (rc == DB_OK && outbox_enabled()) {
      bool waiting = role[i] == PA_PARTICIPANT && !strcmp(event, "awaiting_participant");
      rc = outbox_queue(r->db, to[i], NULL, waiting ? "proposal_waiting" : "proposal",
                        outbox_portal_url(r->a, notice_path(r->a, role[i], tid, id)), NULL);
      if (rc == DB_CONSTRAINT) rc = DB_OK; /* an account without a usable address: the notice is enough */
    }
  }
  return rc;
}

int proposal_notices_load(Req *r, int max, ProposalNotice **out, int *n) {
  return proposal_notices_open(r->db, r->a, r->user->id, max, out, n);
}

void proposal_notice_cards(Req *r, const ProposalNotice *v, int n) {
  for (int i = 0; i < n; i++) {
    const ProposalNotice *k = &v[i];
    bool waiting = !strcmp(k->event, "awaiting_participant");
    const char *day = day_for(r, k->at), *what;
    if (waiting) what = arena_printf(r->a, _("On %s a proposal to an employer was made for you."), day);
    else if (!strcmp(k->event, "sent")) what = arena_printf(r->a, _("On %s a proposal to an employer was agreed and sent."), day);
    else if (!strcmp(k->event, "declined_by_participant"))
      what = arena_printf(r->a, _("On %s a proposal to an employer was declined."), day);
    else if (!strcmp(k->event, "accepted"))
      what = arena_printf(r->a, _("On %s the employer answered a proposal with an invitation for a talk."), day);
    else what = arena_printf(r->a, _("On %s the employer declined a proposal."), day);
    unsigned role = (r->user->roles & ROLE_PARTICIPANT) ? PA_PARTICIPANT
                    : (r->user->roles & ROLE_COACH)     ? PA_COACHES
                                                        : PA_EMPLOYER;
    html(&r->out, "<section class=\"card\" aria-labelledby=\"h-prnotice-%lld\"><h2 id=\"h-prnotice-%lld\">%s</h2>",
         (long long)k->id, (long long)k->id, waiting ? _("A proposal waits for your answer") : _("News about a proposal"));
    html(&r->out, "<p>%s</p><p><a href=\"%s\">%s</a></p>", what,
         notice_path(r->a, role, k->trajectory_id, k->proposal_id), waiting ? _("Answer it") : _("See the proposal"));
    form_begin(r, arena_printf(r->a, "/notices/proposals/%lld/dismiss", (long long)k->id), "inline");
    html(&r->out, "<button type=\"submit\">%s</button>", _("I have read this"));
    form_end(r);
    html(&r->out, "</section>");
  }
}

static int post_notice_dismiss(Req *r) {
  int rc = proposal_notice_dismiss(r->db, r->user->id, r->ids[0], (int64_t)time(NULL));
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/notices", "saved");
}

/* ------------------------------------------------------------------------------ the participant */

void proposals_me_card(Req *r, int64_t tid, bool top) {
  int64_t n = 0;
  if (proposals_awaiting_count(r->db, tid, &n) != DB_OK || (top != (n > 0))) return;
  html(&r->out, "<section class=\"card%s\" id=\"work-card\" aria-labelledby=\"h-work-card\"><h2 id=\"h-work-card\">%s</h2>",
       top ? " attention" : "", top ? _("A question about work") : _("Work and your wishes"));
  if (top)
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, P_("%lld proposal to an employer waits for your answer.",
                               "%lld proposals to an employer wait for your answer.", (unsigned long)n),
                      (long long)n));
  else
    html(&r->out, "<p>%s</p>", _("What work you would like, in your own words, and the proposals to employers."));
  html(&r->out, "<p><a href=\"/me/work\"%s>%s</a></p></section>", top ? " class=\"button primary\"" : "",
       top ? _("Answer now") : _("See your work page"));
}


void proposals_for_participant(Req *r, const struct Proposal *list, int n, const struct JobProfile *p, bool work,
                               bool capacity) {
  int waiting = 0, drafts = 0;
  for (int i = 0; i < n; i++) {
    waiting += strcmp(list[i].status, "awaiting_participant") == 0;
    drafts += strcmp(list[i].status, "draft") == 0; /* the mediator's drafts are not hers yet */
  }
  if (n == drafts) return;
  bool wabz = case_wabz(r, list[0].trajectory_id); /* the programme's words */
  html(&r->out, "<section class=\"card\" id=\"proposals\" aria-labelledby=\"h-prop\"><h2 id=\"h-prop\">%s</h2>",
       _("Proposals to employers"));
  for (int i = 0; i < n; i++) {
    const Proposal *x = &list[i];
    if (strcmp(x->status, "awaiting_participant") != 0) continue;
    html(&r->out, "<article class=\"proposal\" id=\"proposal-%lld\"><h3>%s</h3>", (long long)x->id,
         wabz ? arena_printf(r->a, _("Your mediator wants to tell %s about you"), x->employer_name)
              : arena_printf(r->a, _("Your coach wants to tell %s about you"), x->employer_name));
    opening_line(r, x);
    if (x->note && *x->note) {
      html(&r->out, "<p>%s</p><blockquote><p>", wabz ? _("Your mediator writes:") : _("Your coach writes:"));
      html_text_lines(&r->out, x->note);
      html(&r->out, "</p></blockquote>");
    }
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("If you say yes, %s sees your name, this message and the part of your job profile "
                              "below. Nothing about your health. You can take back your yes at any time in Who may see "
                              "what."),
                      x->employer_name));
    html(&r->out, "<details><summary>%s</summary><div class=\"employer-view\">", _("See exactly what the employer sees"));
    if (p && (work || capacity)) job_profile_show(r, p, work, capacity, 0, 0, false);
    else html(&r->out, "<p>%s</p>", _("Your job profile is still empty: the employer sees only your name and the message."));
    html(&r->out, "</div></details>");
    form_begin(r, arena_printf(r->a, "/me/proposals/%lld", (long long)x->id), "form compact");
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\" name=\"answer\" value=\"yes\">%s"
                  "</button> <button type=\"submit\" name=\"answer\" value=\"no\">%s</button></div>",
         _("Yes, send it"), _("No, not this one"));
    form_end(r);
    html(&r->out, "</article>");
  }
  if (n > waiting + drafts) {
    html(&r->out, "<h3>%s</h3><ul class=\"plain\">", _("Earlier proposals"));
    for (int i = 0; i < n; i++) {
      const Proposal *x = &list[i];
      if (!strcmp(x->status, "awaiting_participant") || !strcmp(x->status, "draft")) continue;
      html(&r->out, "<li>%s · %s <span class=\"badge\">%s</span></li>", x->opening_title, x->employer_name,
           proposal_status_label(x->status));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "</section>");
}

/* Gives the consents of an agreed proposal: the contact person as a work-side member, then 'work' and
 * 'capacity' to that member. Inside the caller's transaction; entries gets the access-log entries. Returns a
 * DB code; DB_DONE when the employer has nobody in the portal to receive it. */
static int give_consents(Req *r, const Proposal *x, int64_t pid, AuditEntry *e, int *ne) {
  int64_t cu, mid;
  int rc = proposal_employer_contact(r->db, x->employer_org_id, &cu);
  if (rc != DB_OK) return rc;
  if (!cu) return DB_DONE;
  const char *side;
  if ((rc = network_member_of_user(r->db, r->a, x->trajectory_id, cu, &mid, &side, NULL)) != DB_OK) return rc;
  int64_t now = (int64_t)time(NULL);
  if (!mid) {
    User *c;
    if ((rc = user_load(r->db, r->a, cu, &c)) != DB_OK && rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
    rc = network_member_add(r->db, &(NetworkMemberNew){.trajectory_id = x->trajectory_id, .user_id = cu,
                                                        .created_by = r->user->id, .created_at = now, .side = "work",
                                                        .role = "employer", .name = c->name,
                                                        .organisation = x->employer_name, .named_only = true},
                            &mid);
    if (rc != DB_OK) return rc;
    side = "work";
    e[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = x->trajectory_id,
                              .item = arena_printf(r->a, "member:%lld", (long long)mid), .action = "create",
                              .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)};
  }
  const char *today = date_today_text(r->a);
  int64_t ids[2] = {0};
  for (int i = 0; proposal_categories[i]; i++) {
    if (!policy_consent_allowed(proposal_categories[i], side)) continue;
    rc = consent_give(r->db, &(ConsentNew){.trajectory_id = x->trajectory_id, .grantee_member_id = mid,
                                           .recorded_by = r->user->id, .created_at = now,
                                           .category = proposal_categories[i], .given_on = today, .method = "portal"},
                      &ids[i]);
    if (rc != DB_OK) return rc;
    e[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = x->trajectory_id,
                              .item = arena_printf(r->a, "consent:%lld", (long long)ids[i]), .action = "create",
                              .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)};
  }
  return proposal_set_consents(r->db, x->id, mid, ids[0], ids[1]);
}

/* POST /me/proposals/{id}: the participant's yes or no. */
static int post_answer(Req *r) {
  int64_t id = r->ids[0], tid, pid;
  const char *item = arena_printf(r->a, "proposal:%lld", (long long)id);
  int rc = owner_of(r->db, OWNER_PROPOSAL, id, &tid, &pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  Grounds g = GROUNDS_NONE;
  if (tid && (rc = policy_trajectory(r->db, r->user, tid, &g, &pid)) != DB_OK) return http_db_error(r, rc);
  if (!tid || !policy_may_answer_proposal(g)) return object_refused(r, OWNER_PROPOSAL, id, item, "update", grounds_name(g));
  int s = trajectory_refuse_if_closed(r, tid);
  if (s) return s;
  Proposal x;
  if ((rc = proposal_get(r->db, r->a, id, &x)) != DB_ROW) return rc == DB_DONE ? http_error(r, 404, NULL) : http_db_error(r, rc);
  const char *answer = form_str(r, "answer");
  bool yes = strcmp(answer, "yes") == 0;
  if (!yes && strcmp(answer, "no") != 0) return http_error(r, 400, _("Choose yes or no."));
  if (strcmp(x.status, "awaiting_participant") != 0)
    return http_error(r, 409, _("This proposal is no longer waiting for your answer."));
  int64_t now = (int64_t)time(NULL);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = proposal_move(r->db, id, "awaiting_participant", yes ? "sent" : "declined_by_participant", r->user->id, now, NULL);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("This proposal is no longer waiting for your answer."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  AuditEntry e[4];
  int ne = 0;
  if (yes && (rc = give_consents(r, &x, pid, e, &ne)) != DB_OK) {
    if (rc != DB_DONE) return http_db_error(r, rc);
    db_rollback(r->db);
    return http_error(r, 409, _("This employer cannot receive proposals in the portal yet. Your coach will contact "
                                "you about it."));
  }
  if (ne && (rc = audit_write_many(r, e, ne)) != DB_OK) return http_db_error(r, rc);
  if ((rc = proposal_notices_close(r->db, id, "awaiting_participant", now)) != DB_OK ||
      (rc = proposal_event(r, tid, id, yes ? "sent" : "declined_by_participant",
                           PA_COACHES | (yes ? PA_EMPLOYER : 0u))) != DB_OK)
    return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "update", g, "/me/work");
}

/* ------------------------------------------------------------------------------ the mediator */

static int render_list(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  Proposal *list;
  int n;
  int rc = proposals_of_trajectory(r->db, r->a, tid, LIST_MAX, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(n + 1));
  int ne = 0;
  e[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "proposals", .action = "list",
                         .outcome = "ok", .grounds = grounds_name(g)};
  for (int i = 0; i < n; i++)
    if (policy_may_match(g) || strcmp(list[i].status, "draft") != 0) /* a draft is not shown to the participant */
      e[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                             .item = arena_printf(r->a, "proposal:%lld", (long long)list[i].id), .action = "view",
                             .outcome = "ok", .grounds = grounds_name(g)};
  if ((rc = audit_write_many(r, e, ne)) != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, tid, g, _("Proposals to employers"))) != DB_OK) return http_db_error(r, rc);
  bool wabz = case_wabz(r, tid); /* the programme's words */
  html(&r->out, "<h1>%s</h1>", _("Proposals to employers"));
  trajectory_subnav(r, tid, g, "proposals");
  form_errors_summary(r);
  int shown = 0; /* a participant does not see the mediator's drafts */
  for (int i = 0; i < n; i++) shown += policy_may_match(g) || strcmp(list[i].status, "draft") != 0;
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("No proposals yet. Propose from the matching openings."));
  else {
    table_begin(r, NULL, _("Proposals to employers"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Opening"), _("Employer"), _("Status"), _("Since"), _("Action"));
    for (int i = 0; i < n; i++) {
      const Proposal *x = &list[i];
      if (!policy_may_match(g) && !strcmp(x->status, "draft")) continue; /* a draft is the mediator's */
      html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s", x->opening_title, x->employer_name,
           proposal_status_label_in(x->status, wabz));
      if (x->employer_reply && *x->employer_reply) html(&r->out, "<br><span class=\"small\">%s</span>", x->employer_reply);
      html(&r->out, "</td><td>%s</td><td>", time_for(r, x->status_changed_at));
      if (policy_may_match(g) && !strcmp(x->status, "draft")) { /* the draft goes to the participant */
        form_begin(r, arena_printf(r->a, "/t/%lld/proposals/%lld/ask", (long long)tid, (long long)x->id), "form compact");
        html(&r->out, "<button type=\"submit\" class=\"primary\">%s</button>", wabz ? _("Ask the client") : _("Ask the participant"));
        form_end(r);
      }
      if (policy_may_match(g) && withdrawable(x->status)) {
        form_begin(r, arena_printf(r->a, "/t/%lld/proposals/%lld/withdraw", (long long)tid, (long long)x->id), "form compact");
        html(&r->out, "<button type=\"submit\">%s</button>", _("Withdraw"));
        form_end(r);
      }
      html(&r->out, "</td></tr>");
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  page_end(r);
  return status;
}

static bool sees_proposals(Grounds g) { return policy_may_match(g) || policy_may_answer_proposal(g); }

static int get_list(Req *r) {
  Grounds g;
  int64_t pid;
  int s = case_door(r, OWNER_ITEM, 0, "proposals", "list", sees_proposals, &g, &pid);
  return s ? s : render_list(r, r->ids[0], g, pid, 200);
}

static int post_create(Req *r) {
  Grounds g;
  int64_t pid;
  int s = case_door(r, OWNER_ITEM, 0, "proposal", "create", policy_may_match, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  const char *os = form_str(r, "opening_id"), *note = form_str(r, "note");
  bool draft = strcmp(form_str(r, "draft"), "1") == 0; /* kept as a draft, not asked yet */
  char *end;
  long long oid = strtoll(os, &end, 10);
  MatchOpeningInfo o;
  int rc = DB_DONE;
  if (*os && !*end && oid > 0 && (rc = matching_opening(r->db, r->a, r->user, oid, &o)) != DB_ROW && rc != DB_DONE)
    return http_db_error(r, rc);
  if (rc != DB_ROW) form_error(r, "opening_id", _("Choose an opening that exists."));
  else if (strcmp(o.status, "open") != 0) form_error(r, "opening_id", _("This opening is no longer open."));
  if (text_chars(note) > NOTE_MAX) form_error(r, "note", _("This text is too long (at most 2000 characters)."));
  if (r->nerrors) return render_list(r, tid, g, pid, 400);
  int64_t now = (int64_t)time(NULL), id;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = proposal_create(r->db, &(ProposalNew){.trajectory_id = tid, .opening_id = o.id,
                                             .employer_org_id = o.employer_org_id, .created_by = r->user->id,
                                             .created_at = now, .note = note, .draft = draft},
                       &id);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    form_error(r, "opening_id", _("This participant has already been proposed for this opening."));
    return render_list(r, tid, g, pid, 409);
  }
  if (rc != DB_OK || (!draft && (rc = proposal_event(r, tid, id, "awaiting_participant", PA_PARTICIPANT)) != DB_OK))
    return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "proposal:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/proposals", (long long)tid));
}

static int post_withdraw(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0], id = r->ids[1];
  const char *item = arena_printf(r->a, "proposal:%lld", (long long)id);
  int s = case_door(r, OWNER_PROPOSAL, id, item, "update", policy_may_match, &g, &pid);
  if (s) return s;
  Proposal x;
  int rc = proposal_get(r->db, r->a, id, &x);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (rc == DB_DONE || x.trajectory_id != tid) return object_refused(r, OWNER_PROPOSAL, id, item, "update", grounds_name(g));
  if (!withdrawable(x.status)) return http_error(r, 409, _("This proposal can no longer be withdrawn."));
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = proposal_move(r->db, id, x.status, "withdrawn", r->user->id, (int64_t)time(NULL), NULL);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("Someone else changed this proposal meanwhile. Reload the page."));
  }
  if (rc == DB_OK) rc = proposal_notices_close(r->db, id, "awaiting_participant", (int64_t)time(NULL));
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "update", g, arena_printf(r->a, "/t/%lld/proposals", (long long)tid));
}

/* POST /t/{id}/proposals/{pid}/ask : the mediator's draft goes to the participant, who is told. */
static int post_ask(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0], id = r->ids[1];
  const char *item = arena_printf(r->a, "proposal:%lld", (long long)id);
  int s = case_door(r, OWNER_PROPOSAL, id, item, "update", policy_may_match, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, tid))) return s;
  Proposal x;
  int rc = proposal_get(r->db, r->a, id, &x);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (rc == DB_DONE || x.trajectory_id != tid) return object_refused(r, OWNER_PROPOSAL, id, item, "update", grounds_name(g));
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = proposal_move(r->db, id, "draft", "awaiting_participant", r->user->id, (int64_t)time(NULL), NULL);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("This proposal is no longer a draft."));
  }
  if (rc == DB_OK) rc = proposal_event(r, tid, id, "awaiting_participant", PA_PARTICIPANT);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "update", g, arena_printf(r->a, "/t/%lld/proposals", (long long)tid));
}

/* ------------------------------------------------------------------------------ the employer */

/* What an employer's user may see of proposal x: *show true when the one door lets them see a part of the
 * profile and policy_employer_sees_proposal agrees; the parts into *work / *cap, the access-log entries of
 * what is shown appended through items_disclose (one batch per proposal). Returns a DB code. */
static int employer_view(Req *r, const Proposal *x, int64_t org, const char *action, bool *show, bool *work, bool *cap,
                         Grounds *gout, int64_t *pidout) {
  *show = *work = *cap = false;
  Grounds g;
  int64_t pid;
  int rc = policy_trajectory(r->db, r->user, x->trajectory_id, &g, &pid);
  if (gout) *gout = g, *pidout = pid;
  if (rc != DB_OK || g == GROUNDS_NONE) return rc;
  int64_t wi, ci;
  if ((rc = job_profile_parts_visible(r->db, r->user, x->trajectory_id, date_today_text(r->a), &wi, &ci)) != DB_OK)
    return rc;
  if (!policy_employer_sees_proposal(org, x->employer_org_id, x->status, wi || ci)) return DB_OK;
  int64_t ids[2];
  int n = 0;
  if (wi) ids[n++] = wi;
  if (ci) ids[n++] = ci;
  if ((rc = items_disclose(r, pid, x->trajectory_id, g, arena_printf(r->a, "proposal:%lld", (long long)x->id), action,
                           "job_profile", ids, n)) != DB_OK)
    return rc;
  for (int i = 0; i < n; i++) {
    if (ids[i] && ids[i] == wi) *work = true;
    if (ids[i] && ids[i] == ci) *cap = true;
  }
  *show = *work || *cap;
  return DB_OK;
}

static int get_employer_list(Req *r) {
  int64_t org;
  int rc = employer_of_user(r->db, r->user, &org);
  if (rc != DB_OK) return http_db_error(r, rc);
  Proposal *list = NULL;
  int n = 0;
  if (org && (rc = proposals_for_employer(r->db, r->a, r->user, org, date_today_text(r->a), LIST_MAX, &list, &n)) != DB_OK)
    return http_db_error(r, rc);
  bool *show = arena_alloc(r->a, sizeof *show * (size_t)(n + 1));
  int shown = 0;
  for (int i = 0; i < n; i++) {
    bool w, c;
    if ((rc = employer_view(r, &list[i], org, "list", &show[i], &w, &c, NULL, NULL)) != DB_OK) return http_db_error(r, rc);
    shown += show[i];
  }
  if (!shown) audit_nothing_shown(r); /* no proposal, so no one's file, is shown */
  page_begin(r, _("Proposals from the mediator"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Proposals from the mediator"),
       _("Candidates the mediator proposes for your openings. You see what each candidate agreed to share with you."));
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("There are no proposals for you at the moment."));
  else {
    html(&r->out, "<ul class=\"cards\">");
    for (int i = 0; i < n; i++) {
      if (!show[i]) continue;
      const Proposal *x = &list[i];
      html(&r->out, "<li class=\"card\"><h2><a href=\"/my-employer/proposals/%lld\">%s</a></h2>", (long long)x->id,
           arena_printf(r->a, _("%s %s for %s"), x->first_name, x->last_name, x->opening_title));
      html(&r->out, "<p><span class=\"badge\">%s</span> %s</p></li>", proposal_status_label(x->status),
           time_for(r, x->status_changed_at));
    }
    html(&r->out, "</ul>");
  }
  page_end(r);
  return 200;
}

/* The employer's user's door for proposal r->ids[0]: 0 with *x, *org, *work, *cap filled (and the view logged
 * with `action`), else the refusal (404, logged against the participant) or an error page. */
static int employer_door(Req *r, const char *action, Proposal *x, int64_t *org, bool *work, bool *cap, Grounds *g,
                         int64_t *pid) {
  int64_t id = r->ids[0];
  const char *item = arena_printf(r->a, "proposal:%lld", (long long)id);
  int rc = employer_of_user(r->db, r->user, org);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = proposal_get(r->db, r->a, id, x)) != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  bool show = false;
  if (rc == DB_ROW && *org && (rc = employer_view(r, x, *org, action, &show, work, cap, g, pid)) != DB_OK) return http_db_error(r, rc);
  if (!show) return object_refused(r, OWNER_PROPOSAL, id, item, action, grounds_name(GROUNDS_NONE));
  return 0;
}

static int render_employer_one(Req *r, const Proposal *x, bool work, bool cap, int status) {
  JobProfile p;
  int rc = job_profile_get(r->db, r->a, x->trajectory_id, &p);
  if (rc != DB_ROW) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  page_begin(r, _("Proposal"));
  html(&r->out, "<h1>%s</h1>", arena_printf(r->a, _("%s %s for %s"), x->first_name, x->last_name, x->opening_title));
  html(&r->out, "<p><span class=\"badge\">%s</span></p>", proposal_status_label(x->status));
  if (x->note && *x->note) {
    html(&r->out, "<h2>%s</h2><blockquote><p>", _("From the mediator"));
    html_text_lines(&r->out, x->note);
    html(&r->out, "</p></blockquote>");
  }
  job_profile_show(r, &p, work, cap, 0, 0, false);
  if (!strcmp(x->status, "sent")) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"h-answer\"><h2 id=\"h-answer\">%s</h2>", _("Your answer"));
    form_errors_summary(r);
    form_begin(r, arena_printf(r->a, "/my-employer/proposals/%lld", (long long)x->id), NULL);
    field_textarea(r, &(Field){.name = "reply", .label = _("Message to the mediator"), .maxlength = REPLY_MAX,
                               .value = form_str(r, "reply"),
                               .hint = _("For an invitation: when and where you would like to meet.")},
                   3);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\" name=\"decision\" value=\"accept\">"
                  "%s</button> <button type=\"submit\" name=\"decision\" value=\"decline\">%s</button></div>",
         _("Invite for a talk"), _("Decline"));
    form_end(r);
    html(&r->out, "</section>");
  } else if (x->employer_reply && *x->employer_reply) {
    html(&r->out, "<p><strong>%s</strong> %s</p>", _("Your answer:"), x->employer_reply);
  }
  html(&r->out, "<p><a href=\"/my-employer/proposals\">%s</a></p>", _("All proposals"));
  page_end(r);
  return status;
}

static int get_employer_one(Req *r) {
  Proposal x;
  int64_t org, pid;
  bool w, c;
  Grounds g;
  int s = employer_door(r, "view", &x, &org, &w, &c, &g, &pid);
  return s ? s : render_employer_one(r, &x, w, c, 200);
}

static int post_employer_one(Req *r) {
  Proposal x;
  int64_t org, pid;
  bool w, c;
  Grounds g;
  int s = employer_door(r, "view", &x, &org, &w, &c, &g, &pid);
  if (s) return s;
  const char *d = form_str(r, "decision"), *reply = form_str(r, "reply");
  bool accept = strcmp(d, "accept") == 0;
  if (!accept && strcmp(d, "decline") != 0) form_error(r, "decision", _("Choose to invite or to decline."));
  if (text_chars(reply) > REPLY_MAX) form_error(r, "reply", _("This text is too long (at most 2000 characters)."));
  if (r->nerrors) return render_employer_one(r, &x, w, c, 400);
  if (strcmp(x.status, "sent") != 0) return http_error(r, 409, _("This proposal has been answered already."));
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = proposal_move(r->db, x.id, "sent", accept ? "accepted" : "declined_by_employer", r->user->id,
                     (int64_t)time(NULL), reply);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("This proposal has been answered already."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = proposal_event(r, x.trajectory_id, x.id, accept ? "accepted" : "declined_by_employer",
                           PA_COACHES | PA_PARTICIPANT)) != DB_OK)
    return http_db_error(r, rc);
  return trajectory_change_done(r, pid, x.trajectory_id, arena_printf(r->a, "proposal:%lld", (long long)x.id),
                                "update", g, arena_printf(r->a, "/my-employer/proposals/%lld", (long long)x.id));
}

const Route proposals_routes[] = {
    {"GET", "/t/{id}/proposals", ROLES_CASE, R_CASE, get_list},
    {"POST", "/t/{id}/proposals", ROLES_CASE, R_CASE, post_create},
    {"POST", "/t/{id}/proposals/{pid}/withdraw", ROLES_CASE, R_CASE, post_withdraw},
    {"POST", "/t/{id}/proposals/{pid}/ask", ROLES_CASE, R_CASE, post_ask},
    {"POST", "/me/proposals/{id}", ROLE_PARTICIPANT, R_CASE, post_answer},
    {"GET", "/my-employer/proposals", ROLE_PARTNER, R_CASE, get_employer_list},
    {"GET", "/my-employer/proposals/{id}", ROLE_PARTNER, R_CASE, get_employer_one},
    {"POST", "/my-employer/proposals/{id}", ROLE_PARTNER, R_CASE, post_employer_one},
    {"POST", "/notices/proposals/{id}/dismiss", ROLE_ANY, 0, post_notice_dismiss},
    {0},
};

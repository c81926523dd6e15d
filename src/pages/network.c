/*
 * network.c — the network of a trajectory (/t/{id}/network): the participant's care and work network as
 * a map drawn by the server (render/netmap.c) with the same information as an accessible list, the
 * coach's form to add a member, removing a member, and inviting a member to an account with a one-time
 * link.
 *
 * Every route goes through the one door (trajectory_door, which asks policy_trajectory; object_door for a
 * member's id): the map is for the assigned coach, the participant and the trajectory's network members
 * with an account; changes are for the assigned coach only. A refusal writes a "denied" access-log entry —
 * for a member's id on the file of the participant whose network that member is in — and answers the same
 * 404 page as a trajectory that does not exist.
 *
 * What a network member sees is narrower than what the coach and the participant see: only the members
 * of their own side (the membership rule, POLICY_SQL_MEMBER_VISIBLE: the mere presence of, say, a
 * psychologist in the care network is health information the work side must not learn), never contact
 * details, and only the consent lines that reach them. The coach also sees the participant's own account
 * (participant_account.c).
 *
 * Members are never deleted: removing sets removed_at, so consents that name them stay as history. The
 * rows are read and written by the store (store/network.h: members, store/consents.h, store/membership.h:
 * accounts and requests); this file decides and renders.
 *
 * Inviting never hands an existing account to someone else (store/membership.h, account/links.h): an e-mail
 * address without an account gets a new account and a one-time link for the coach to hand over; an
 * existing partner account is asked to join and decides itself after signing in (notices.c); an account
 * that cannot be invited gets one and the same answer, whatever kind it is; and a person whose account
 * is on the other side of the network cannot be added on this side.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "account/links.h"
#include "core/text.h"
#include "core/config.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "render/netmap.h"
#include "store/consents.h"
#include "store/membership.h"
#include "store/network.h"
#include "store/participants.h"
#include "store/trajectories.h"

enum { NAME_MAX_CHARS = 120, ORG_MAX_CHARS = 160, EMAIL_MAX = 254, PHONE_MAX_CHARS = 40 };
enum { COACHES_MAX = 64 };       /* coaches shown on the map (a trajectory has one or two) */

/* ---- fixed lists ---- */

/* The roles a network member can have, with their side (doc/DOMAIN.md "Sides": the occupational physician is on
 * the care side, a job-support service such as GTB on the work side). The side decides only which
 * members see each other; health details are protected by the consent rule and its guardrail, which refuse
 * them to every work-side member (policy_consent_allowed). */
typedef struct MemberRole {
  const char *code, *label;
  bool work;
} MemberRole;

static const MemberRole member_roles[] = {
    {"gp", N_("GP"), false},
    {"therapist", N_("Therapist"), false},
    {"psychologist", N_("Psychologist"), false},
    {"mental_health_centre", N_("Mental-health centre"), false},
    {"occupational_physician", N_("Occupational physician"), false},
    {"advising_physician", N_("Advising physician of the health insurer"), false},
    {"ergonomist", N_("Ergonomist"), false},
    {"physiotherapist", N_("Physiotherapist"), false},
    {"specialised_guidance", N_("Specialised guidance service"), false},
    {"other_care", N_("Other care provider"), false},
    {"employer", N_("Employer"), true},
    {"hr", N_("HR"), true},
    {"line_manager", N_("Line manager"), true},
    {"prevention_advisor", N_("Prevention or well-being adviser"), true},
    {"confidential_adviser", N_("Confidential adviser"), true},
    {"union", N_("Union"), true},
    {"employment_agency", N_("Public employment service"), true},
    {"benefits_agency", N_("Benefits agency"), true},
    {"career_counsellor", N_("Career counsellor"), true},
    {"job_coach", N_("Job coach"), true},
    {"job_support", N_("Specialised job-support service (GTB)"), true},
    {"other_work", N_("Other work contact"), true},
};

static const MemberRole *role_find(const char *code) {
  for (size_t i = 0; code && i < sizeof member_roles / sizeof *member_roles; i++)
    if (strcmp(member_roles[i].code, code) == 0) return &member_roles[i];
  return NULL;
}

/* Translated label of a role code; an unknown code (older data) is shown as stored. */
static const char *role_label(const char *code) {
  const MemberRole *mr = role_find(code);
  return mr ? _(mr->label) : (code ? code : "");
}

const char *network_role_label(const char *code) { return role_label(code); }

/* Translated label of an information category (doc/DOMAIN.md "Information and consent"). */
static const char *category_label(const char *code) {
  static const char *const map[] = {"health",  N_("health"), "capacity",  N_("capacity"), "work", N_("work"),
                                    "plan",    N_("plan"),   "practical", N_("practical"), NULL};
  for (int i = 0; code && map[i]; i += 2)
    if (strcmp(map[i], code) == 0) return _(map[i + 1]);
  return code ? code : "";
}

/* ---- GET /t/{id}/network ---- */

/* Account status of a member, as a badge. */
static void account_badge(Req *r, const NetworkMember *m) {
  if (!m->user_id && m->requested)
    html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("asked to join, no answer yet"));
  else if (!m->user_id) html(&r->out, "<span class=\"badge badge-muted\">%s</span>", _("contact only"));
  else if (m->has_password) html(&r->out, "<span class=\"badge badge-ok\">%s</span>", _("has an account"));
  else html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("invited, not yet accepted"));
}

/* Name of a consent's source party: the participant or a member in v (NULL if not shown). */
static const char *source_name(const NetworkMember *v, size_t n, int64_t src, const char *participant) {
  if (!src) return participant;
  for (size_t i = 0; i < n; i++)
    if (v[i].id == src) return v[i].name;
  return NULL;
}

/* Writes, for member m, what is shared with them: "From X: capacity, work" per source party. */
static void received_list(Req *r, const NetworkMember *m, const NetworkMember *v, size_t n, const Consent *c, size_t nc,
                          const char *participant) {
  const char *reach = network_member_reach_side(m); /* NULL: only consents given to m by name reach it */
  bool any = false;
  for (size_t k = 0; k < nc; k++) {
    if (!consent_reaches(&c[k], m->id, reach) || c[k].source_member_id == m->id) continue;
    /* one entry per source party: skip if an earlier consent had the same source */
    bool seen = false;
    for (size_t j = 0; j < k && !seen; j++)
      seen = consent_reaches(&c[j], m->id, reach) && c[j].source_member_id == c[k].source_member_id;
    if (seen) continue;
    const char *from = source_name(v, n, c[k].source_member_id, participant);
    if (!from) continue;
    if (!any) html(&r->out, "<br><span class=\"small\">%s</span><ul class=\"small\">", _("Shared with them:"));
    any = true;
    html(&r->out, "<li>%s %s: ", _("from"), from);
    bool first = true;
    for (size_t j = k; j < nc; j++) {
      if (!consent_reaches(&c[j], m->id, reach) || c[j].source_member_id != c[k].source_member_id) continue;
      html(&r->out, "%s%s", first ? "" : ", ", category_label(c[j].category));
      if (!c[j].grantee_member_id) html(&r->out, " (%s)", _("whole side"));
      first = false;
    }
    html(&r->out, "</li>");
  }
  if (any) html(&r->out, "</ul>");
}

/* The list of one side's members with their details, status (contacts: e-mail and phone too), what is
 * shared with them and (coach) the invite and remove buttons; for hidden_side only a note. */
static void side_list(Req *r, int64_t tid, bool work, const NetworkMember *v, size_t n, const Consent *c, size_t nc,
                      const char *participant, bool coach, bool contacts, const char *hidden_side) {
  const char *side = work ? "work" : "care";
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-%s\"><h2 id=\"h-%s\">%s</h2>", side, side,
       work ? _("Work network") : _("Care network"));
  if (hidden_side && strcmp(hidden_side, side) == 0) {
    html(&r->out, "<p class=\"muted\">%s</p></section>",
         _("The members of this side of the network are not shown to you."));
    return;
  }
  size_t shown = 0;
  for (size_t i = 0; i < n; i++) {
    const NetworkMember *m = &v[i];
    if (strcmp(m->side, side) != 0) continue;
    if (!shown++) html(&r->out, "<ul class=\"members\">");
    html(&r->out, "<li><strong>%s</strong> · %s", m->name, role_label(m->role));
    if (m->organisation && *m->organisation) html(&r->out, " · %s", m->organisation);
    html(&r->out, " ");
    account_badge(r, m);
    if (contacts && ((m->email && *m->email) || (m->phone && *m->phone))) {
      html(&r->out, "<br><span class=\"small\">");
      if (m->email && *m->email) {
        html(&r->out, "<a href=\"mailto:");
        html_urlarg(&r->out, m->email);
        html(&r->out, "\">%s</a>", m->email);
      }
      if (m->phone && *m->phone) html(&r->out, "%s%s %s", m->email && *m->email ? " · " : "", _("phone"), m->phone);
      html(&r->out, "</span>");
    }
    received_list(r, m, v, n, c, nc, participant);
    if (coach) {
      html(&r->out, "<div class=\"button-row\">");
      if (m->email && *m->email && !m->has_password && !m->requested) {
        form_begin(r, arena_printf(r->a, "/t/%lld/network/%lld/invite", (long long)tid, (long long)m->id), "inline");
        html(&r->out, "<button type=\"submit\">%s<span class=\"visually-hidden\">: %s</span></button>",
             m->user_id ? _("Show the invitation link") : _("Invite to an account"), m->name);
        form_end(r);
      }
      form_begin(r, arena_printf(r->a, "/t/%lld/network/%lld/remove", (long long)tid, (long long)m->id), "inline");
      html(&r->out, "<button type=\"submit\" class=\"danger\" data-confirm=\"%s\">%s<span class=\"visually-hidden\">: "
                    "%s</span></button>",
           _("Remove this member from the network? Consents that name them stay in the history."), _("Remove"),
           m->name);
      form_end(r);
      html(&r->out, "</div>");
    }
    html(&r->out, "</li>");
  }
  if (shown) html(&r->out, "</ul>");
  else html(&r->out, "<p class=\"muted\">%s</p>", _("No members on this side yet."));
  /* consents to the whole side */
  bool any = false;
  for (size_t k = 0; k < nc; k++) {
    if (c[k].grantee_member_id || !c[k].grantee_side || strcmp(c[k].grantee_side, side) != 0) continue;
    const char *from = source_name(v, n, c[k].source_member_id, participant);
    if (!from) continue;
    if (!any) html(&r->out, "<p class=\"small\">%s</p><ul class=\"small\">", _("Shared with the whole side:"));
    any = true;
    html(&r->out, "<li>%s %s: %s</li>", _("from"), from, category_label(c[k].category));
  }
  if (any) html(&r->out, "</ul>");
  html(&r->out, "</section>");
}

/* The coach's form to add a member, with what was typed and any errors. */
static void add_form(Req *r, int64_t tid) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-add\"><h2 id=\"h-add\">%s</h2>", _("Add a member"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/network", (long long)tid), "form");
  /* the role select is grouped per side; the side follows from the role */
  const char *err = form_error_for(r, "role");
  const char *cur = form_str(r, "role");
  html(&r->out, "<div class=\"field%s\"><label for=\"f-role\">%s</label><p class=\"hint\" id=\"h-role\">%s</p>",
       err ? " has-error" : "", _("Role in the network"),
       _("The roles are grouped by side: the care network or the work network."));
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-role\">%s</p>", err);
  html(&r->out, "<select id=\"f-role\" name=\"role\" required aria-describedby=\"h-role%s\"", err ? " e-role" : "");
  if (err) html(&r->out, " aria-invalid=\"true\"");
  html(&r->out, ">");
  html(&r->out, "<option value=\"\">%s</option>", _("Choose a role"));
  for (int side = 0; side < 2; side++) {
    html(&r->out, "<optgroup label=\"%s\">", side ? _("Work network") : _("Care network"));
    for (size_t i = 0; i < sizeof member_roles / sizeof *member_roles; i++)
      if (member_roles[i].work == (side == 1))
        html(&r->out, "<option value=\"%s\"%s>%s</option>", member_roles[i].code,
             strcmp(cur, member_roles[i].code) == 0 ? " selected" : "", _(member_roles[i].label));
    html(&r->out, "</optgroup>");
  }
  html(&r->out, "</select></div>");
  field_input(r, &(Field){.name = "name", .label = _("Name"), .value = form_str(r, "name"), .required = true,
                          .maxlength = NAME_MAX_CHARS, .autocomplete = "off",
                          .hint = _("A person, for example dr. Els Wouters, or a service if there is no fixed contact.")});
  field_input(r, &(Field){.name = "organisation", .label = _("Organisation"), .value = form_str(r, "organisation"),
                          .maxlength = ORG_MAX_CHARS, .autocomplete = "off"});
  field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email",
                          .value = form_str(r, "email"), .maxlength = EMAIL_MAX, .autocomplete = "off",
                          .hint = _("Needed to invite this person to an account.")});
  field_input(r, &(Field){.name = "phone", .label = _("Phone"), .type = "tel", .value = form_str(r, "phone"),
                          .maxlength = PHONE_MAX_CHARS, .autocomplete = "off"});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Add member"));
  form_end(r);
  html(&r->out, "</section>");
}

/* Writes the network page for trajectory tid (grounds g, participant pid). Returns a DB code. */
static int network_page(Req *r, int64_t tid, int64_t pid, Grounds g) {
  bool coach = g == GROUNDS_COACH, contacts = policy_sees_member_contacts(g);
  ParticipantAccount pa;
  int rc = participant_account_load(r->db, r->a, pid, &pa);
  if (rc != DB_OK) return rc == DB_DONE ? DB_ERROR : rc;
  const char *who = pa.name;
  NetworkMember *v;
  size_t n;
  if ((rc = network_members_visible(r->db, r->a, r->user, tid, &v, &n)) != DB_OK) return rc;
  char today[11];
  date_format(date_today(), today);
  Consent *c;
  size_t nc;
  if ((rc = consents_live(r->db, r->a, tid, today, &c, &nc)) != DB_OK) return rc;
  const char **coaches;
  int ncoaches;
  if ((rc = trajectory_coach_names(r->db, r->a, tid, COACHES_MAX, &coaches, &ncoaches)) != DB_OK) return rc;

  const char *hidden_side = NULL;
  if (g == GROUNDS_MEMBER) {
    /* a member sees their own side (network_members_visible applied the membership rule) and the consents
     * that reach them */
    int64_t me;
    const char *my_side;
    bool shares;
    if ((rc = network_member_of_user(r->db, r->a, tid, r->user->id, &me, &my_side, &shares)) != DB_OK) return rc;
    hidden_side = strcmp(my_side, "work") == 0 ? "care" : "work";
    size_t k = 0;
    for (size_t i = 0; i < nc; i++)
      if (consent_reaches(&c[i], me, shares ? my_side : NULL)) c[k++] = c[i];
    nc = k;
  }

  NetMember *nm = arena_alloc(r->a, sizeof(NetMember) * (n ? n : 1));
  for (size_t i = 0; i < n; i++)
    nm[i] = (NetMember){.id = v[i].id, .side = v[i].side, .role = role_label(v[i].role), .name = v[i].name,
                        .organisation = v[i].organisation, .has_account = v[i].user_id && v[i].has_password};
  NetConsent *ncs = arena_alloc(r->a, sizeof(NetConsent) * (nc ? nc : 1));
  for (size_t i = 0; i < nc; i++)
    ncs[i] = (NetConsent){.source_member_id = c[i].source_member_id, .grantee_member_id = c[i].grantee_member_id,
                          .grantee_side = c[i].grantee_side, .category = category_label(c[i].category)};
  NetMap map = {.participant = who, .coaches = coaches, .ncoaches = (size_t)ncoaches, .members = nm, .nmembers = n,
                .consents = ncs, .nconsents = nc, .hidden_side = hidden_side};

  if ((rc = case_page_begin(r, tid, g, _("Network"))) != DB_OK) return rc;
  bool wabz = case_wabz(r, tid); /* the programme's words */
  html(&r->out, "<h1>%s %s</h1>", _("Network of"), who);
  trajectory_subnav(r, tid, g, "network");
  if (g == GROUNDS_MEMBER)
    html(&r->out, "<p class=\"muted\">%s</p>",
         _("You see the members of your own side of the network and what is shared with you."));
  /* the map, and the same map as a list that the style sheet shows instead on a narrow screen */
  html(&r->out, "<figure class=\"card netmap\">");
  html_markup(&r->out, netmap_svg(r->a, &map));
  html_markup(&r->out, netmap_list(r->a, &map));
  html(&r->out, "<figcaption class=\"muted small\"><span class=\"caption-map\">%s</span>"
                "<span class=\"caption-list\">%s</span></figcaption></figure>",
       wabz ? _("The client in the middle, the care network on the left, the work network on the right and the "
                "mediator as the bridge. A blue line is a live consent: the categories of information that are shared.")
            : _("The participant in the middle, the care network on the left, the work network on the right and the "
                "coach as the bridge. A blue line is a live consent: the categories of information that are shared."),
       _("The network as a list: who is in it, and which information each member receives from whom."));

  html(&r->out, "<div class=\"grid cols-2\">");
  side_list(r, tid, false, v, n, c, nc, who, coach, contacts, hidden_side);
  side_list(r, tid, true, v, n, c, nc, who, coach, contacts, hidden_side);
  html(&r->out, "</div>");
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-bridge\"><h2 id=\"h-bridge\">%s</h2><ul>",
       programme_word(wabz ? PROGRAMME_WABZ : PROGRAMME_ZW, ncoaches > 1 ? PW_COACHES : PW_COACH));
  for (int i = 0; i < ncoaches; i++) html(&r->out, "<li>%s</li>", coaches[i]);
  html(&r->out, "</ul><p class=\"muted small\">%s</p></section>",
       wabz ? _("The mediator is the contact person for everybody in the network and passes information on only "
                "with the consent of the party it belongs to.")
            : _("The coach is the contact person for everybody in the network and passes information on only with the "
                "consent of the party it belongs to."));
  if (coach && (rc = participant_account_section(r, tid, pid)) != DB_OK) return rc;
  if (coach) add_form(r, tid);
  page_end(r);
  return DB_OK;
}

static int get_network(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "network", "view", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = "network",
                                        .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = network_page(r, r->ids[0], pid, g);
  return rc == DB_OK ? 200 : http_db_error(r, rc);
}

/* ---- POST /t/{id}/network ---- */

/* True if s holds a line break or tab (single-line fields). */

/* Lowercased copy of s in the arena. */
static char *lower(Arena *a, const char *s) {
  char *d = arena_strdup(a, s);
  for (char *p = d; *p; p++) *p = (char)tolower((unsigned char)*p);
  return d;
}

/* Checks an optional single-line text field of at most max characters. */
static void check_line(Req *r, const char *field, const char *v, size_t max, const char *too_long) {
  if (text_chars(v) > max) form_error(r, field, too_long);
  else if (text_has_breaks(v)) form_error(r, field, _("This must be on one line."));
}

/* The one answer for every e-mail address that cannot be invited (an account that is not a care or work
 * partner account, or a deactivated one): the same words whatever the account is, so that the answer does
 * not tell the coach whether the address is, say, a participant's. */
static const char *not_invitable(void) {
  return _("This e-mail address cannot be used for a network member. Use another e-mail address, or ask the "
           "administrator.");
}

/* The refusal of a membership on the other side of the person's own side (work: the membership asked for
 * is on the work side). */
static const char *other_side(bool work) {
  return work ? _("This person's account belongs to the care side of the network, so they cannot be a member "
                  "of the work side. Choose a role of the care network.")
              : _("This person's account belongs to the work side of the network, so they cannot be a member "
                  "of the care side. Choose a role of the work network.");
}

static int post_network(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0];
  int s = trajectory_door(r, "member", "create", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  const char *role = form_str(r, "role"), *side = form_str(r, "side");
  const char *name = form_str(r, "name"), *org = form_str(r, "organisation");
  const char *email = lower(r->a, form_str(r, "email")), *phone = form_str(r, "phone");

  const MemberRole *mr = role_find(role);
  if (!mr) form_error(r, "role", _("Choose a role from the list."));
  else if (*side && strcmp(side, mr->work ? "work" : "care") != 0)
    form_error(r, "role", _("This role belongs to the other side of the network."));
  if (!*name) form_error(r, "name", _("Fill in the name."));
  else check_line(r, "name", name, NAME_MAX_CHARS, _("The name may be at most 120 characters."));
  check_line(r, "organisation", org, ORG_MAX_CHARS, _("The organisation may be at most 160 characters."));
  if (*email && !text_email_ok(email, EMAIL_MAX))
    form_error(r, "email", _("Enter an e-mail address like name@example.org, or leave it empty."));
  if (*phone) {
    check_line(r, "phone", phone, PHONE_MAX_CHARS, _("The phone number may be at most 40 characters."));
    bool digits = false;
    for (const char *p = phone; *p; p++) digits |= isdigit((unsigned char)*p) != 0;
    if (!digits && !form_error_for(r, "phone")) form_error(r, "phone", _("Enter a phone number, or leave it empty."));
  }
  /* the e-mail address of an existing account: one that cannot be invited gets the one answer for all of
   * them; a person on the other side of the network cannot be added on this side */
  if (mr && *email && !form_error_for(r, "email")) {
    int64_t found;
    AccountFit fit;
    int rc = membership_account_fit(r->db, email, mr->work ? "work" : "care", &found, &fit);
    if (rc != DB_OK) return http_db_error(r, rc);
    if (fit == FIT_REFUSED) form_error(r, "email", not_invitable());
    else if (fit == FIT_OTHER_SIDE && !form_error_for(r, "role")) form_error(r, "role", other_side(mr->work));
  }
  if (r->nerrors) {
    int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "network",
                                          .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    rc = network_page(r, tid, pid, g);
    return rc == DB_OK ? 400 : http_db_error(r, rc);
  }

  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t mid;
  rc = network_member_add(r->db, &(NetworkMemberNew){.trajectory_id = tid, .side = mr->work ? "work" : "care",
                                                     .role = mr->code, .name = name, .organisation = *org ? org : NULL,
                                                     .email = *email ? email : NULL, .phone = *phone ? phone : NULL,
                                                     .created_by = r->user->id, .created_at = now},
                          &mid);
  if (rc == DB_OK) rc = trajectory_touch(r->db, tid, now);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                    .item = arena_printf(r->a, "member:%lld", (long long)mid), .action = "create",
                                    .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/t/%lld/network", (long long)tid), "created");
}

/* ---- POST /t/{id}/network/{mid}/remove ---- */

/* A member id that is not a live member of this trajectory: an access attempt, logged against the
 * participant whose network the member is in (or nobody: store/owner.h), answered 404. */
static int member_denied(Req *r, int64_t mid, const char *item) {
  return object_refused(r, OWNER_MEMBER, mid, item, "update", "coach");
}

static int post_remove(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0], mid = r->ids[1];
  const char *item = arena_printf(r->a, "member:%lld", (long long)mid);
  int s = object_door(r, OWNER_MEMBER, mid, item, "update", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  bool removed;
  if ((rc = network_member_remove(r->db, tid, mid, now, &removed)) != DB_OK) return http_db_error(r, rc);
  if (!removed) { /* not a live member of this trajectory: a forged or stale id */
    db_rollback(r->db);
    return member_denied(r, mid, item);
  }
  if ((rc = trajectory_touch(r->db, tid, now)) != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/t/%lld/network", (long long)tid), "saved");
}

/* ---- POST /t/{id}/network/{mid}/invite ---- */

/* Rolls back and answers 409 with message. */
static int conflict(Req *r, const char *message) {
  db_rollback(r->db);
  return http_error(r, 409, message);
}

/* The page after an invitation that produced a one-time link for the account it made (res LINK_CREATED or
 * LINK_SAME; shown to its creator only, until it is used or expires; token NULL: it was sent to the
 * person's own e-mail address) or none because someone else's link is out (LINK_HELD). */
static void invited_page(Req *r, int64_t tid, const char *name, const char *token, LinkResult res, int64_t expires) {
  page_begin(r, _("Invitation"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", _("Invitation"));
  if (res == LINK_HELD) {
    html(&r->out, "<p>%s <strong>%s</strong></p><p>%s</p>", _("Invitation for:"), name,
         _("Someone else already handed this person an invitation link that still works. There is one link at a "
           "time, and only its maker sees it: the person uses that link, or, once it has expired, you can invite "
           "them again. The administrator can help if the link was lost."));
  } else if (!token) {
    html(&r->out, "<p>%s <strong>%s</strong></p><p>%s</p>", _("Invitation for:"), name,
         _("The invitation link was sent to this person's own e-mail address."));
  } else {
    html(&r->out, "<p>%s <strong>%s</strong></p>", _("Hand this link to:"), name);
    link_handover(r, token,
                  _("With this link the person chooses a password (and sets up two-step verification where that is "
                    "required) and then sees this trajectory only, and only what the participant agreed to share."),
                  expires);
  }
  html(&r->out, "<p><a href=\"/t/%lld/network\">%s</a></p></section>", (long long)tid, _("Back to the network"));
  page_end(r);
}

/* The page after asking an existing account to join (or asking again while the request is open). */
static void requested_page(Req *r, int64_t tid, const char *name) {
  page_begin(r, _("Invitation"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", _("Invitation"));
  html(&r->out, "<p>%s <strong>%s</strong></p><p>%s</p>", _("Asked to join the network:"), name,
       _("This e-mail address belongs to an existing account. Its owner sees your request after signing in and "
         "decides whether to join. Until they accept, they see nothing of this trajectory."));
  html(&r->out, "<p><a href=\"/t/%lld/network\">%s</a></p></section>", (long long)tid, _("Back to the network"));
  page_end(r);
}

static int post_invite(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0], mid = r->ids[1];
  const char *item = arena_printf(r->a, "member:%lld", (long long)mid);
  int s = object_door(r, OWNER_MEMBER, mid, item, "update", GROUNDS_COACH, &g, &pid);
  if (s) return s;

  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  NetworkMember m;
  rc = network_member_live(r->db, r->a, tid, mid, &m);
  if (rc != DB_ROW) {
    db_rollback(r->db);
    return rc == DB_DONE ? member_denied(r, mid, item) : http_db_error(r, rc);
  }
  const char *name = m.name, *email = m.email, *side = m.side, *role = m.role;
  int64_t uid = m.user_id;
  bool has_password = m.has_password;

  if (uid && has_password) return conflict(r, _("This member already has an account."));
  int64_t now = (int64_t)time(NULL), expires = 0;
  char token[TOKEN_LEN + 1] = "";
  LinkResult res = LINK_CREATED;
  bool requested = false;
  if (!uid) {
    if (!email || !*email)
      return conflict(r, _("This member has no e-mail address. An invitation needs one: remove the member and add "
                           "them again with their e-mail address."));
    email = lower(r->a, email);
    bool open;
    if ((rc = membership_request_open_for(r->db, mid, &open)) != DB_OK) return http_db_error(r, rc);
    int64_t found = 0;
    AccountFit fit = FIT_OK;
    if (!open && (rc = membership_account_fit(r->db, email, side, &found, &fit)) != DB_OK)
      return http_db_error(r, rc);
    if (fit == FIT_REFUSED) return conflict(r, not_invitable());
    if (fit == FIT_OTHER_SIDE) return conflict(r, other_side(strcmp(side, "work") == 0));
    if (open) {
      requested = true; /* asked before and not answered: ask nothing new */
    } else if (fit == FIT_OK) {
      /* an existing account, with or without a password: it decides itself after signing in */
      bool created;
      if ((rc = membership_request_add(r->db, mid, found, r->user->id, now, &created)) != DB_OK)
        return http_db_error(r, rc);
      requested = true;
    } else {
      /* no account yet: make one on the member's side, linked to this membership, with an invitation link */
      rc = membership_account_create(r->db, mid, email, name, side, role_label(role), now, &uid);
      if (rc == DB_CONSTRAINT) return conflict(r, _("An account with this e-mail address was created meanwhile. Try again."));
      if (rc == DB_DONE) return conflict(r, _("This member was changed meanwhile. Reload the page."));
      if (rc != DB_OK) return http_db_error(r, rc);
    }
  }
  /* the account this membership's invitation made (now or earlier, not yet activated): its link, the same
   * one again for its maker, none while someone else's link is out */
  if (!requested && (rc = link_issue(r->db, r, uid, "invite", cfg.invite_days * 24, token, &res, &expires)) != DB_OK)
    return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the mail is queued in the same transaction as the invitation (link_deliver) */
  bool mailed = !requested && res != LINK_HELD && link_deliver(r->db, uid, token) == LINK_MAILED;
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  if (requested) {
    requested_page(r, tid, name);
    return 200;
  }
  invited_page(r, tid, name, mailed ? NULL : token, res, expires);
  return res == LINK_HELD ? 409 : 200;
}

const Route network_routes[] = {
    {"GET", "/t/{id}/network", ROLES_CASE, R_CASE, get_network},
    {"POST", "/t/{id}/network", ROLES_CASE, R_CASE, post_network},
    {"POST", "/t/{id}/network/{mid}/remove", ROLES_CASE, R_CASE, post_remove},
    {"POST", "/t/{id}/network/{mid}/invite", ROLES_CASE, R_CASE, post_invite},
    {0},
};

int member_options(Req *r, int64_t tid, const char *const *lead, const char ***out) {
  enum { CAP = 64 };
  int n = 0;
  const char **opts = arena_alloc(r->a, sizeof *opts * (CAP * 2 + 16));
  for (int i = 0; lead && lead[i] && n < 14; i++) opts[n++] = lead[i];
  NetworkMember *v;
  size_t nv;
  int rc = network_members_roster(r->db, r->a, r->user, tid, SIZE_MAX, &v, &nv);
  if (rc != DB_OK) return rc;
  int members = 0;
  for (size_t i = 0; i < nv && members < CAP; i++) {
    if (v[i].removed || !v[i].visible) continue;
    members++;
    opts[n++] = arena_printf(r->a, "%lld", (long long)v[i].id);
    opts[n++] = arena_printf(r->a, "%s (%s)", v[i].name, strcmp(v[i].side, "care") == 0 ? _("care") : _("work"));
  }
  opts[n] = NULL;
  *out = opts;
  return DB_OK;
}

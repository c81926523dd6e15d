/*
 * consent.c — consents: who may see which category of whose information (doc/DOMAIN.md "Information and
 * consent", the seed's *meerzijdig partijdig*).
 *
 * A consent is given by a source party (the participant, or a network member for their own information)
 * to one member or a whole side, for one category, optionally until a date. The participant and members
 * give it in the portal themselves; the coach records one given in a conversation or on a signed form,
 * with that date, on the source party's behalf. Withdrawal works at once: nothing caches consents, every
 * request asks the database. Health details never go to the work side (policy_consent_allowed).
 *
 * The rows come from the store (store/consents.h, store/network.h), the decisions from policy/ (who may give,
 * see and act on which consent); this file checks the forms and renders.
 *
 * Pages: /t/{id}/consents (the matrix and history, limited for non-coaches to consents they gave),
 * /me/consents (the participant's "who may see what about me", with one-click withdrawal).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/consents.h"
#include "store/network.h"
#include "store/owner.h"
#include "store/participants.h"

enum { MEMBERS_MAX = 64, CONSENTS_MAX = 256 }; /* at most this many of a trajectory are read */

typedef NetworkMember Member;

typedef struct Context {
  int64_t tid, pid;
  Grounds g;
  int64_t own_member; /* the user's live membership, for members */
  int64_t participant_user;
  const char *today;
  Member *members; /* live and removed; visible false: never named (store/network.h) */
  int nmembers;
  Consent *consents; /* newest first */
  int nconsents;
} Context;

/* Loads the trajectory's members (live and removed) and consents into c. Returns a DB code. */
static int load(Req *r, Context *c) {
  c->today = date_today_text(r->a);
  int rc = participant_user_of_trajectory(r->db, c->tid, &c->participant_user);
  if (rc != DB_OK) return rc == DB_DONE ? DB_ERROR : rc;
  size_t n;
  if ((rc = network_members_roster(r->db, r->a, r->user, c->tid, MEMBERS_MAX, &c->members, &n)) != DB_OK) return rc;
  c->nmembers = (int)n;
  for (int i = 0; i < c->nmembers; i++)
    if (c->members[i].user_id == r->user->id && !c->members[i].removed) c->own_member = c->members[i].id;
  if ((rc = consents_list(r->db, r->a, r->user, c->tid, CONSENTS_MAX, &c->consents, &n)) != DB_OK) return rc;
  c->nconsents = (int)n;
  return DB_OK;
}

static const Member *member(const Context *c, int64_t id) {
  for (int i = 0; i < c->nmembers; i++)
    if (c->members[i].id == id) return &c->members[i];
  return NULL;
}

/* A member who is still in the network and whom the user may know of (new consents name only these; any
 * other id is answered as if it did not exist). */
static const Member *live_member(const Context *c, int64_t id) {
  const Member *m = member(c, id);
  return m && !m->removed && m->visible ? m : NULL;
}

/* The name of member m as this user may see it. */
static const char *member_name(const Member *m) { return m->visible ? m->name : label_hidden_person(); }

static bool live(const Context *c, const Consent *k) {
  return !k->withdrawn_at && strcmp(k->given_on, c->today) <= 0 && (!k->valid_until || strcmp(k->valid_until, c->today) >= 0);
}

/* Consents this user may see and act on: all for the coach, else those they gave as source party. */
static bool mine(const Context *c, const Consent *k) { return policy_consent_own(c->g, c->own_member, k->source_member_id); }

static const char *source_name(const Context *c, int64_t source) {
  if (!source) return _("the participant");
  const Member *m = member(c, source);
  return m ? member_name(m) : "?";
}

static const char *grantee_name(Req *r, const Context *c, const Consent *k) {
  if (k->grantee_member_id) {
    const Member *m = member(c, k->grantee_member_id);
    return m ? member_name(m) : "?";
  }
  if (strcmp(k->grantee_side, "participant") == 0) return _("the participant");
  return strcmp(k->grantee_side, "care") == 0 ? _("everyone on the care side") : _("everyone on the work side");
}

static const char *status_label(const Context *c, const Consent *k) {
  if (k->withdrawn_at) return _("withdrawn");
  if (strcmp(k->given_on, c->today) > 0) return _("not yet in force");
  if (k->valid_until && strcmp(k->valid_until, c->today) < 0) return _("expired");
  return _("in force");
}

static const char *method_label(const char *m) {
  if (!strcmp(m, "portal")) return _("in the portal");
  if (!strcmp(m, "conversation")) return _("in a conversation, recorded by the coach");
  return _("on a signed form, recorded by the coach");
}

/* Parses a positive id after an optional prefix ("member:12"); 0 if it does not fit. */
static int64_t id_after(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  if (strncmp(s, prefix, n) != 0) return 0;
  char *end;
  long long v = strtoll(s + n, &end, 10);
  return s[n] && !*end && v > 0 ? v : 0;
}

/* The category in lower case, for a sentence ("your information about “capacity”"). */
static const char *category_word(const char *category) {
  static const char *const map[] = {"health", N_("health"), "capacity", N_("capacity"), "work", N_("work"),
                                    "plan", N_("plan and agreements"), "practical", N_("practical"), NULL};
  for (int i = 0; category && map[i]; i += 2)
    if (strcmp(map[i], category) == 0) return _(map[i + 1]);
  return category ? category : "";
}

/* Whether m is a live member of side whom the user may know of and whom a consent to the whole side reaches. */
static bool side_person(const Member *m, const char *side) {
  const char *reach = network_member_reach_side(m);
  return !m->removed && m->visible && reach && strcmp(reach, side) == 0;
}

/* The people side_person picks for side ("care", "work"), as "A, B and C"; NULL when none. These are the people a
 * consent to "everyone on the side" reaches today. */
static const char *side_people(Req *r, const Context *c, const char *side) {
  const char *s = NULL;
  int n = 0, total = 0;
  for (int i = 0; i < c->nmembers; i++) total += side_person(&c->members[i], side);
  for (int i = 0; i < c->nmembers; i++) {
    const Member *m = &c->members[i];
    if (!side_person(m, side)) continue;
    n++;
    /* TRANSLATORS: joins the names of a list; the second form joins the last one */
    s = !s ? m->name : arena_printf(r->a, n == total ? _("%s and %s") : _("%s, %s"), s, m->name);
  }
  return s;
}

/* The grantee of k at the start of a sentence: a name, "Everyone on the work side", "The participant". */
static const char *grantee_title(const Context *c, const Consent *k) {
  if (k->grantee_member_id) {
    const Member *m = member(c, k->grantee_member_id);
    return m ? member_name(m) : "?";
  }
  if (strcmp(k->grantee_side, "participant") == 0) return _("The participant");
  return strcmp(k->grantee_side, "care") == 0 ? _("Everyone on the care side") : _("Everyone on the work side");
}

/* Withdrawing is a calm, secondary button: it works at once and can be undone. */
static void withdraw_button(Req *r, const Context *c, const Consent *k, const char *next) {
  form_begin(r, arena_printf(r->a, "/t/%lld/consents/%lld/withdraw", (long long)c->tid, (long long)k->id), "inline");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\"><button type=\"submit\" class=\"secondary\">%s"
                "<span class=\"visually-hidden\">: %s, %s</span></button>",
       next, _("Withdraw"), grantee_name(NULL, c, k), label_category(k->category));
  form_end(r);
}

/* The grantee a form value names ("member:12", "side:care", "side:work", "side:participant"): *gm the
 * member (0 for a side) and *gside its side; false when it names nobody the user may choose. */
static bool grantee_parse(const Context *c, const char *value, int64_t *gm, const char **gside) {
  *gm = 0;
  *gside = NULL;
  int64_t id = id_after(value, "member:");
  const Member *m = id ? live_member(c, id) : NULL;
  if (m && m->id != c->own_member) {
    *gm = m->id;
    *gside = m->side;
  } else if (!strcmp(value, "side:care")) *gside = "care";
  else if (!strcmp(value, "side:work")) *gside = "work";
  else if (!strcmp(value, "side:participant") && policy_may_consent_to_participant(c->g)) *gside = "participant";
  return *gside != NULL;
}

/* The label of side ("care", "work") in the list of whom to choose, with the people it reaches today. */
static const char *side_option(Req *r, const Context *c, const char *side) {
  const char *all = !strcmp(side, "care") ? _("Everyone on the care side") : _("Everyone on the work side");
  const char *people = side_people(r, c, side);
  /* TRANSLATORS: "Everyone on the work side (now: Tom Claes and Luc Verbeke)" */
  return people ? arena_printf(r->a, _("%s (now: %s)"), all, people) : arena_printf(r->a, _("%s (nobody yet)"), all);
}

/* Step 1 of giving a consent: whom. A GET form back to the page (next) with ?grantee=, so that step 2 can
 * offer only the categories this grantee may receive — without JavaScript. Nothing is chosen beforehand. */
static void give_step_who(Req *r, const Context *c, const char *next, const char *chosen) {
  html(&r->out, "<form method=\"get\" action=\"%s#give\" class=\"form\"><p class=\"muted\">%s</p>", next,
       _("Step 1 of 2: choose who may see it. Then you choose what they may see."));
  const char **opts = arena_alloc(r->a, sizeof(char *) * (size_t)(c->nmembers * 2 + 10));
  int n = 0;
  opts[n++] = "";
  opts[n++] = _("Choose…");
  if (policy_may_consent_to_participant(c->g)) {
    /* a member's information reaches the participant only with that member's consent */
    opts[n++] = "side:participant";
    opts[n++] = case_wabz(r, c->tid) ? _("The client (for information of a network member)")
                                     : _("The participant (for information of a network member)");
  }
  opts[n++] = "side:care";
  opts[n++] = side_option(r, c, "care");
  opts[n++] = "side:work";
  opts[n++] = side_option(r, c, "work");
  for (int i = 0; i < c->nmembers; i++) {
    const Member *m = &c->members[i];
    if (m->id == c->own_member || m->removed || !m->visible) continue;
    opts[n++] = arena_printf(r->a, "member:%lld", (long long)m->id);
    opts[n++] = arena_printf(r->a, "%s (%s)", m->name, strcmp(m->side, "care") == 0 ? _("care") : _("work"));
  }
  opts[n] = NULL;
  field_select(r, &(Field){.name = "grantee", .label = _("Who may see it"), .value = chosen, .required = true,
                           .hint = _("Everyone on a side: also whoever joins that side later.")},
               opts);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div></form>", _("Next"));
}

/* Step 2: what, for the grantee chosen (gm, gside), and until when; the coach also says whose information
 * it is and how it was given. Health is not offered to the work side (policy_consent_allowed). */
static void give_step_what(Req *r, const Context *c, const char *next, const char *chosen, int64_t gm,
                           const char *gside) {
  form_begin(r, arena_printf(r->a, "/t/%lld/consents", (long long)c->tid), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\"><input type=\"hidden\" name=\"grantee\" value=\"%s\">",
       next, chosen);
  const char *who;
  if (gm) who = member_name(member(c, gm));
  else if (!strcmp(gside, "participant")) who = programme_word(case_programme(r, c->tid), PW_THE_PARTICIPANT);
  else who = side_option(r, c, gside);
  html(&r->out, "<p class=\"muted\">%s</p><p>%s <a href=\"%s#give\">%s</a></p>",
       _("Step 2 of 2: choose what they may see."), arena_printf(r->a, _("Who may see it: %s."), who), next,
       _("Choose someone else"));
  const char **opts = arena_alloc(r->a, sizeof(char *) * (size_t)(c->nmembers * 2 + 8));
  int n = 0;
  if (policy_consent_on_behalf(c->g)) {
    opts[n++] = "";
    opts[n++] = _("Choose…");
    opts[n++] = "participant";
    opts[n++] = programme_word(case_programme(r, c->tid), PW_THE_PARTICIPANT);
    for (int i = 0; i < c->nmembers; i++) {
      if (c->members[i].removed || !c->members[i].visible) continue;
      opts[n++] = arena_printf(r->a, "%lld", (long long)c->members[i].id);
      opts[n++] = c->members[i].name;
    }
    opts[n] = NULL;
    field_select(r, &(Field){.name = "source", .label = _("Whose information"), .value = form_str(r, "source"),
                             .required = true},
                 opts);
  }
  const char *cats[16];
  int k = 0;
  cats[k++] = "";
  cats[k++] = _("Choose…");
  for (int i = 0; item_categories[i] && k < 14; i++) {
    if (!policy_consent_allowed(item_categories[i], gside)) continue;
    cats[k++] = item_categories[i];
    cats[k++] = c->g == GROUNDS_SELF ? arena_printf(r->a, "%s: %s", label_category(item_categories[i]),
                                                    explain_category(item_categories[i]))
                                     : label_category(item_categories[i]);
  }
  cats[k] = NULL;
  field_select(r, &(Field){.name = "category", .label = _("What"), .value = form_str(r, "category"),
                           .hint = !strcmp(gside, "work")
                                       ? _("Health details are never shown to the work side; the coach translates "
                                           "them into what you can and cannot do (capacity).")
                                       : NULL,
                           .required = true},
               cats);
  if (policy_consent_on_behalf(c->g)) {
    const char *mopts[] = {"", _("Choose…"), "conversation", _("In a conversation"), "signed_form",
                           _("On a signed form"), NULL};
    field_select(r, &(Field){.name = "method", .label = _("How it was given"), .value = form_str(r, "method"),
                             .required = true},
                 mopts);
    field_input(r, &(Field){.name = "given_on", .label = _("Date it was given"), .type = "date",
                            .value = *form_str(r, "given_on") ? form_str(r, "given_on") : c->today, .required = true});
  }
  field_input(r, &(Field){.name = "valid_until", .label = _("Valid until"), .type = "date",
                          .value = form_str(r, "valid_until"), .hint = _("Leave empty for no end date.")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       policy_consent_on_behalf(c->g) ? _("Record consent") : _("Give consent"));
  form_end(r);
}

/* The form to give (or, for the coach, record) a consent, in two steps: whom, then what. */
static void give_form(Req *r, const Context *c, const char *next) {
  html(&r->out, "<section class=\"card\" id=\"give\" aria-labelledby=\"give-h\"><h2 id=\"give-h\">%s</h2>",
       policy_consent_on_behalf(c->g) ? _("Record a consent") : _("Give a consent"));
  form_errors_summary(r);
  const char *chosen = *form_str(r, "grantee") ? form_str(r, "grantee") : query_str(r, "grantee");
  int64_t gm;
  const char *gside;
  if (grantee_parse(c, chosen, &gm, &gside) && !form_error_for(r, "grantee"))
    give_step_what(r, c, next, chosen, gm, gside);
  else
    give_step_who(r, c, next, chosen);
  html(&r->out, "</section>");
}

/* After a change (?changed=<consent id>, set by the POST handlers): what changed, in words, with an undo.
 * Undo of a withdrawal gives the same consent again (a new consent, logged); undo of a consent withdraws
 * it. Says nothing for a consent the user did not give or that is neither in force nor withdrawn. */
static void changed_notice(Req *r, const Context *c, const char *next) {
  int64_t cid = query_int(r, "changed", 0);
  const Consent *k = NULL;
  for (int i = 0; cid > 0 && i < c->nconsents; i++)
    if (c->consents[i].id == cid) k = &c->consents[i];
  if (!k || !mine(c, k) || (!k->withdrawn_at && !live(c, k))) return;
  const char *who = grantee_title(c, k), *what = category_word(k->category), *text;
  bool yours = !policy_consent_on_behalf(c->g); /* the participant or a member: their own information */
  if (k->withdrawn_at)
    text = yours ? arena_printf(r->a, _("%s no longer sees your information about “%s”."), who, what)
                 : arena_printf(r->a, _("%s no longer sees the information of %s about “%s”."), who,
                                source_name(c, k->source_member_id), what);
  else
    text = yours ? arena_printf(r->a, _("%s now sees your information about “%s”."), who, what)
                 : arena_printf(r->a, _("%s now sees the information of %s about “%s”."), who,
                                source_name(c, k->source_member_id), what);
  html(&r->out, "<div class=\"flash\" role=\"status\" id=\"changed\"><p>%s</p>", text);
  bool can_undo = !k->withdrawn_at || !k->valid_until || strcmp(k->valid_until, c->today) >= 0;
  if (can_undo) {
    form_begin(r, arena_printf(r->a, "/t/%lld/consents/%lld/%s", (long long)c->tid, (long long)k->id,
                               k->withdrawn_at ? "renew" : "withdraw"),
               "inline");
    html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\"><button type=\"submit\" class=\"secondary\">%s</button>",
         next, _("Undo"));
    form_end(r);
  }
  html(&r->out, "</div>");
}

static void matrix(Req *r, const Context *c) {
  table_begin(r, "matrix", _("Who may see what (consents in force)"));
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th>", _("Member"));
  for (int i = 0; item_categories[i]; i++) html(&r->out, "<th scope=\"col\">%s</th>", label_category(item_categories[i]));
  html(&r->out, "</tr></thead><tbody>");
  for (int m = 0; m < c->nmembers; m++) {
    const Member *mb = &c->members[m];
    if (!mb->visible) continue;
    html(&r->out, "<tr><th scope=\"row\">%s <span class=\"muted small\">%s</span></th>", mb->name,
         strcmp(mb->side, "care") == 0 ? _("care") : _("work"));
    for (int i = 0; item_categories[i]; i++) {
      html(&r->out, "<td>");
      bool any = false;
      for (int k = 0; k < c->nconsents; k++) {
        const Consent *kc = &c->consents[k];
        if (!live(c, kc) || strcmp(kc->category, item_categories[i]) != 0) continue;
        if (!consent_reaches(kc, mb->id, network_member_reach_side(mb))) continue;
        if (!policy_consent_allowed(kc->category, mb->side)) continue;
        html(&r->out, "%s<span class=\"badge badge-ok\">%s</span>", any ? " " : "", source_name(c, kc->source_member_id));
        any = true;
      }
      if (!any) html(&r->out, "<span class=\"muted\" aria-label=\"%s\">–</span>", _("no consent"));
      html(&r->out, "</td>");
    }
    html(&r->out, "</tr>");
  }
  html(&r->out, "<tr><th scope=\"row\">%s</th>", programme_word(case_programme(r, c->tid), PW_THE_PARTICIPANT));
  for (int i = 0; item_categories[i]; i++) {
    html(&r->out, "<td>");
    bool any = false;
    for (int k = 0; k < c->nconsents; k++) {
      const Consent *kc = &c->consents[k];
      if (!live(c, kc) || strcmp(kc->category, item_categories[i]) != 0 || kc->grantee_member_id ||
          strcmp(kc->grantee_side, "participant") != 0)
        continue;
      html(&r->out, "%s<span class=\"badge badge-ok\">%s</span>", any ? " " : "", source_name(c, kc->source_member_id));
      any = true;
    }
    if (!any) html(&r->out, "<span class=\"muted\">%s</span>", _("own information only"));
    html(&r->out, "</td>");
  }
  html(&r->out, "</tr></tbody>");
  table_end(r);
}

static void history(Req *r, const Context *c, const char *next) {
  html(&r->out, "<h2>%s</h2>", _("History"));
  table_begin(r, NULL, _("Every consent, including withdrawn and expired ones"));
  html(&r->out, "<thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\"><span class=\"visually-hidden\">%s</span></th>"
                "</tr></thead><tbody>",
       _("Whose information"), _("Who may see it"),
       _("What"), _("Given"), _("Until"), _("Status"), _("Action"));
  int shown = 0;
  for (int k = 0; k < c->nconsents; k++) {
    const Consent *kc = &c->consents[k];
    if (!mine(c, kc)) continue;
    shown++;
    html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s <span class=\"muted small\">%s · %s</span></td>"
                  "<td>%s</td><td>%s</td><td>",
         source_name(c, kc->source_member_id), grantee_name(r, c, kc), label_category(kc->category),
         date_for(r, kc->given_on), method_label(kc->method), name_or_hidden(kc->recorded_by),
         kc->valid_until ? date_for(r, kc->valid_until) : "–", status_label(c, kc));
    if (!kc->withdrawn_at) withdraw_button(r, c, kc, next);
    html(&r->out, "</td></tr>");
  }
  if (!shown) html(&r->out, "<tr><td colspan=\"7\">%s</td></tr>", _("No consents yet."));
  html(&r->out, "</tbody>");
  table_end(r);
}

/* The consents page of c with status. Every rendering shows the case (also a form refused with 400 or 409),
 * so it writes the access-log entry of a view first. */
static int render(Req *r, Context *c, int status) {
  int rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->tid, .item = "consents",
                                        .action = "view", .outcome = "ok", .grounds = grounds_name(c->g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, c->tid, c->g, _("Consents"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Consents"));
  trajectory_subnav(r, c->tid, c->g, "consents");
  html(&r->out, "<p class=\"lead\">%s</p>",
       _("Information is shared only with the consent of the party it belongs to. A consent can be withdrawn at any "
         "moment and takes effect at once."));
  const char *next = arena_printf(r->a, "/t/%lld/consents", (long long)c->tid);
  changed_notice(r, c, next);
  if (c->g == GROUNDS_COACH) matrix(r, c);
  if (policy_may_give_consent(c->g, c->own_member)) give_form(r, c, next);
  history(r, c, next);
  page_end(r);
  return status;
}

static int open_context(Req *r, Context *c, const char *item, const char *action) {
  memset(c, 0, sizeof *c);
  c->tid = r->ids[0];
  int s = trajectory_door(r, item, action, GROUNDS_NONE, &c->g, &c->pid);
  if (s) return s;
  int rc = load(r, c);
  return rc == DB_OK ? 0 : http_db_error(r, rc);
}

static int get_consents(Req *r) {
  Context c;
  int s = open_context(r, &c, "consents", "view");
  if (s) return s;
  return render(r, &c, 200);
}

/* next with ?changed=id (or &changed=id), where the page says what changed with an undo. */
static const char *changed_url(Req *r, const char *next, int64_t id) {
  return arena_printf(r->a, "%s%cchanged=%lld", next, strchr(next, '?') ? '&' : '?', (long long)id);
}

/* Who a consent recorded by the coach is logged on behalf of: the source party's account (0: none). */
static int64_t behalf_of(const Context *c, int64_t source) {
  if (!policy_consent_on_behalf(c->g)) return 0;
  const Member *sm = source ? member(c, source) : NULL;
  return source ? (sm ? sm->user_id : 0) : c->participant_user;
}

/* Writes consent k and its access-log entry in one transaction; *id gets its id. Returns a DB code (the
 * transaction is rolled back by http_db_error). */
static int consent_write(Req *r, const Context *c, const ConsentNew *k, int64_t behalf, int64_t *id) {
  int rc = db_begin(r->db);
  if (rc != DB_OK) return rc;
  if ((rc = consent_give(r->db, k, id)) != DB_OK) return rc;
  rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->tid,
                                    .item = arena_printf(r->a, "consent:%lld", (long long)*id), .action = "create",
                                    .outcome = "ok", .grounds = grounds_name(c->g), .on_behalf_of = behalf});
  if (rc != DB_OK) return rc;
  return db_commit(r->db);
}

/* A live consent of c equal to (source, gm or gside, category), or NULL. */
static const Consent *same_live(const Context *c, int64_t source, int64_t gm, const char *gside, const char *category) {
  for (int k = 0; k < c->nconsents; k++) {
    const Consent *kc = &c->consents[k];
    if (live(c, kc) && kc->source_member_id == source && !strcmp(kc->category, category) &&
        (gm ? kc->grantee_member_id == gm : (!kc->grantee_member_id && !strcmp(kc->grantee_side, gside))))
      return kc;
  }
  return NULL;
}

/* Reads whom the form names (a live member the user may know of, or a side, chosen actively: nothing is
 * chosen beforehand) into k; records the error and returns false when it names nobody the user may
 * choose. */
static bool form_grantee(Req *r, const Context *c, ConsentNew *k) {
  const char *grantee = form_str(r, "grantee");
  if (grantee_parse(c, grantee, &k->grantee_member_id, &k->grantee_side)) return true;
  form_error(r, "grantee", *grantee ? _("Choose who may see it.")
                                    : _("You did not choose anything yet. Choose who may see your information, "
                                        "then what they may see."));
  return false;
}

/* Reads whose information it is into k: chosen by the coach recording it, else the user's own (the
 * participant's, or their membership's). Records an error for a source that is not a live member the user
 * may know of, or one the grantee already sees. */
static void form_source(Req *r, const Context *c, ConsentNew *k) {
  k->source_member_id = 0;
  if (policy_consent_on_behalf(c->g)) {
    const char *src = form_str(r, "source");
    if (strcmp(src, "participant") != 0) {
      k->source_member_id = id_after(src, "");
      if (!live_member(c, k->source_member_id)) form_error(r, "source", _("Choose whose information this is."));
    }
  } else {
    k->source_member_id = policy_consent_own_source(c->g, c->own_member);
  }
  if (!strcmp(k->grantee_side, "participant") && !k->source_member_id)
    form_error(r, "source", _("The participant sees their own information already."));
  else if (k->grantee_member_id && k->grantee_member_id == k->source_member_id)
    form_error(r, "source", _("This is their own information already."));
}

/* Reads the category into k; records an error for an unknown one or one the grantee may never receive
 * (policy_consent_allowed). */
static void form_category(Req *r, ConsentNew *k) {
  k->category = form_str(r, "category");
  if (!is_category(k->category)) form_error(r, "category", _("Choose what may be seen."));
  else if (!policy_consent_allowed(k->category, k->grantee_side))
    form_error(r, "category",
               _("Health details are never shared with the work side: an employer may not process them, and consent "
                 "given to one's own employer is not considered free. Share what the participant can and cannot do "
                 "(capacity) instead."));
}

/* Reads how and when into k: given in the portal today, or — recorded by the coach — in a conversation or on
 * a signed form on a date not in the future; an optional end date not in the past. Records errors. */
static void form_when(Req *r, const Context *c, ConsentNew *k) {
  k->method = "portal";
  k->given_on = c->today;
  if (policy_consent_on_behalf(c->g)) {
    k->method = form_str(r, "method");
    if (strcmp(k->method, "conversation") && strcmp(k->method, "signed_form"))
      form_error(r, "method", _("Say how the consent was given."));
    k->given_on = form_str(r, "given_on");
    int32_t d;
    if (!date_parse(k->given_on, &d)) form_error(r, "given_on", _("Enter the date as YYYY-MM-DD."));
    else if (d > date_today()) form_error(r, "given_on", _("The date cannot be in the future."));
  }
  const char *until = form_str(r, "valid_until");
  k->valid_until = *until ? until : NULL;
  if (*until) {
    int32_t d;
    if (!date_parse(until, &d)) form_error(r, "valid_until", _("Enter the date as YYYY-MM-DD."));
    else if (d < date_today()) form_error(r, "valid_until", _("The end date cannot be in the past."));
  }
}

/* The consent the form describes into k (trajectory, recorder and time already set); false when the form
 * has errors (recorded for the page). */
static bool consent_from_form(Req *r, const Context *c, ConsentNew *k) {
  if (!form_grantee(r, c, k)) return false;
  form_source(r, c, k);
  form_category(r, k);
  form_when(r, c, k);
  return r->nerrors == 0;
}

static int post_consent(Req *r) {
  Context c;
  int s = open_context(r, &c, "consent", "create");
  if (s) return s;
  if (!policy_may_give_consent(c.g, c.own_member)) return http_error(r, 404, NULL);
  ConsentNew k = {.trajectory_id = c.tid, .recorded_by = r->user->id, .created_at = (int64_t)time(NULL)};
  if (!consent_from_form(r, &c, &k)) return render(r, &c, 400);
  if (same_live(&c, k.source_member_id, k.grantee_member_id, k.grantee_side, k.category)) {
    form_error(r, "category", _("This consent is already in force."));
    return render(r, &c, 409);
  }
  int64_t id;
  int rc = consent_write(r, &c, &k, behalf_of(&c, k.source_member_id), &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *next = safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/consents", (long long)c.tid));
  return http_redirect(r, changed_url(r, next, id));
}

/* The consent r->ids[1] of the context's trajectory that the user may act on, or NULL after the refusal
 * was logged and answered (*status): a consent of another trajectory (or none) on its real owner's file
 * (object_refused), one the user did not give on this trajectory. */
static const Consent *consent_to_act_on(Req *r, const Context *c, const char *action, int *status) {
  int64_t cid = r->ids[1];
  const Consent *k = NULL;
  for (int i = 0; i < c->nconsents; i++)
    if (c->consents[i].id == cid) k = &c->consents[i];
  const char *item = arena_printf(r->a, "consent:%lld", (long long)cid);
  if (!k) {
    *status = object_refused(r, OWNER_CONSENT, cid, item, action, grounds_name(c->g));
    return NULL;
  }
  if (!mine(c, k)) {
    int rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->tid, .item = item,
                                          .action = action, .outcome = "denied", .grounds = grounds_name(c->g)});
    *status = rc != DB_OK ? http_db_error(r, rc) : http_error(r, 404, NULL);
    return NULL;
  }
  return k;
}

static int post_withdraw(Req *r) {
  Context c;
  int s = open_context(r, &c, "consent", "update");
  if (s) return s;
  const Consent *k = consent_to_act_on(r, &c, "update", &s);
  if (!k) return s;
  const char *next = safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/consents", (long long)c.tid));
  if (k->withdrawn_at) return http_redirect(r, next);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = consent_withdraw(r->db, k->id, r->user->id, (int64_t)time(NULL))) != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = c.pid, .trajectory_id = c.tid,
                                    .item = arena_printf(r->a, "consent:%lld", (long long)k->id), .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(c.g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, changed_url(r, next, k->id));
}

/* Undo of a withdrawal: the same consent is given again — a new consent (same grantee, category and end
 * date; given today; by the user, as in post_consent), logged as a creation. A consent still in force is
 * left as it is; one whose grantee or source has left the network, whose end date has passed, or that
 * the rules no longer allow is refused with 409 and a reason. */
static int post_renew(Req *r) {
  Context c;
  int s = open_context(r, &c, "consent", "create");
  if (s) return s;
  const Consent *k = consent_to_act_on(r, &c, "create", &s);
  if (!k) return s;
  const char *next = safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/consents", (long long)c.tid));
  if (!k->withdrawn_at) return http_redirect(r, changed_url(r, next, k->id));
  const char *gside = k->grantee_member_id ? NULL : k->grantee_side;
  if (k->grantee_member_id) {
    const Member *m = live_member(&c, k->grantee_member_id);
    if (!m) return http_error(r, 409, _("This person is no longer in the network, so the consent cannot be given again."));
    gside = m->side;
  }
  if (k->source_member_id && !live_member(&c, k->source_member_id))
    return http_error(r, 409, _("The person whose information this is has left the network."));
  if (k->valid_until && strcmp(k->valid_until, c.today) < 0)
    return http_error(r, 409, _("This consent has ended. Give a new one if you want to."));
  if (!policy_consent_allowed(k->category, gside))
    return http_error(r, 409, _("Health details are never shared with the work side."));
  const Consent *dup = same_live(&c, k->source_member_id, k->grantee_member_id, gside, k->category);
  if (dup) return http_redirect(r, changed_url(r, next, dup->id));
  int64_t id;
  int rc = consent_write(r, &c,
                         &(ConsentNew){.trajectory_id = c.tid, .source_member_id = k->source_member_id,
                                       .grantee_member_id = k->grantee_member_id, .grantee_side = gside,
                                       .category = k->category, .given_on = c.today,
                                       .method = policy_consent_on_behalf(c.g) ? k->method : "portal",
                                       .recorded_by = r->user->id, .valid_until = k->valid_until,
                                       .created_at = (int64_t)time(NULL)},
                         behalf_of(&c, k->source_member_id), &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, changed_url(r, next, id));
}

/* /me/consents: the participant's plain-language overview of their open trajectory. */
static int get_my_consents(Req *r) {
  int64_t tid;
  int rc = participant_open_trajectory(r->db, r->user->id, &tid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!tid) {
    page_begin(r, _("Who may see what about me"));
    html(&r->out, "<h1>%s</h1><p class=\"empty\">%s</p>", _("Who may see what about me"),
         _("You have no open trajectory at the moment."));
    page_end(r);
    return 200;
  }
  r->ids[0] = tid;
  Context c;
  int s = open_context(r, &c, "consents", "view");
  if (s) return s;
  rc = audit_write(r, &(AuditEntry){.participant_id = c.pid, .trajectory_id = tid, .item = "consents",
                                    .action = "view", .outcome = "ok", .grounds = grounds_name(c.g)});
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Who may see what about me"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><p class=\"lead\">%s</p>", _("Who may see what about me"),
       _("Your coach sees your whole trajectory. Everyone else sees only what you agreed to. You can stop that at any "
         "moment: it works at once."));
  changed_notice(r, &c, "/me/consents");
  html(&r->out, "<ul class=\"consents plain\">");
  int shown = 0;
  for (int k = 0; k < c.nconsents; k++) {
    const Consent *kc = &c.consents[k];
    if (kc->source_member_id || !live(&c, kc)) continue;
    shown++;
    const Member *m = kc->grantee_member_id ? member(&c, kc->grantee_member_id) : NULL;
    html(&r->out, "<li class=\"card\"><p><strong>%s</strong>", grantee_title(&c, kc));
    if (m && m->visible && m->organisation) html(&r->out, " (%s)", m->organisation);
    /* TRANSLATORS: follows the name of whoever was given the consent; %s explains a category */
    html(&r->out, " %s", arena_printf(r->a, _("may see %s."), explain_category(kc->category)));
    if (kc->valid_until) html(&r->out, " %s", arena_printf(r->a, _("Until %s."), date_words(r->a, kc->valid_until)));
    html(&r->out, "</p>");
    if (!kc->grantee_member_id && strcmp(kc->grantee_side, "participant") != 0) {
      const char *people = side_people(r, &c, kc->grantee_side);
      html(&r->out, "<p class=\"small muted\">%s</p>",
           people ? arena_printf(r->a, _("Right now that is: %s. Whoever joins this side later sees it too."), people)
                  : _("Nobody is on this side yet. Whoever joins it later sees it."));
    }
    withdraw_button(r, &c, kc, "/me/consents");
    html(&r->out, "</li>");
  }
  html(&r->out, "</ul>");
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("Nobody but your coach can see information about you."));
  html(&r->out, "<p class=\"muted\">%s</p>",
       _("Your employer never sees details about your health. Your coach translates them into what you can and "
         "cannot do, and only shares that when you agree."));
  give_form(r, &c, "/me/consents");
  html(&r->out, "<p><a href=\"/me/log\">%s</a></p></div>", _("See who looked at your file"));
  page_end(r);
  return 200;
}


const Route consent_routes[] = {
    {"GET", "/t/{id}/consents", ROLES_CASE, R_CASE, get_consents},
    {"POST", "/t/{id}/consents", ROLES_CASE, R_CASE, post_consent},
    {"POST", "/t/{id}/consents/{cid}/withdraw", ROLES_CASE, R_CASE, post_withdraw},
    {"POST", "/t/{id}/consents/{cid}/renew", ROLES_CASE, R_CASE, post_renew},
    {"GET", "/me/consents", ROLE_PARTICIPANT, R_CASE, get_my_consents},
    {0},
};

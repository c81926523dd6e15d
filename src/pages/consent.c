/*
 * consent.c — consents: who may see which category of whose information (DOMAIN.md "Information and
 * consent", the seed's *meerzijdig partijdig*).
 *
 * A consent is given by a source party (the participant, or a network member for their own information)
 * to one member or a whole side, for one category, optionally until a date. The participant and members
 * give it in the portal themselves; the coach records one given in a conversation or on a signed form,
 * with that date, on the source party's behalf. Withdrawal works at once: nothing caches consents, every
 * request asks the database. Health details never go to the work side (policy_consent_allowed).
 *
 * Pages: /t/{id}/consents (the matrix and history, limited for non-coaches to consents they gave),
 * /me/consents (the participant's "who may see what about me", with one-click withdrawal).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"

typedef struct Member {
  int64_t id, user_id;
  const char *name, *side, *organisation;
  bool removed;
  bool visible; /* the user may learn of this membership (policy_member_visible): else never named */
} Member;

typedef struct Consent {
  int64_t id, source_member_id, grantee_member_id, withdrawn_at;
  const char *grantee_side, *category, *given_on, *method, *valid_until, *recorded_by;
} Consent;

typedef struct Context {
  int64_t tid, pid;
  Grounds g;
  int64_t own_member; /* the user's live membership, for members */
  int64_t participant_user;
  const char *today;
  Member *members;
  int nmembers;
  Consent *consents;
  int nconsents;
} Context;

static const char *txt(Req *r, Stmt *st, const char *c) { return arena_strdup(r->a, db_text(st, c)); }

/* Loads the trajectory's members (live and removed) and consents into c. */
static int load(Req *r, Context *c) {
  char *today = arena_alloc(r->a, 11);
  date_format(date_today(), today);
  c->today = today;
  Stmt *st = db_prepare(r->db, "SELECT p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                               "WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, c->tid);
  int rc = db_step(st);
  if (rc == DB_ROW) c->participant_user = db_null(st, "user_id") ? 0 : db_int(st, "user_id");
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;

  st = db_prepare(r->db, "SELECT m.id, m.user_id, m.name, m.side, m.organisation, m.removed_at, "
                         "CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN 1 ELSE 0 END AS visible "
                         "FROM network_members m WHERE m.trajectory_id = ? ORDER BY m.side, m.name");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_member_filter(st, 1, r->user), c->tid);
  c->members = arena_alloc(r->a, sizeof(Member) * 64);
  while ((rc = db_step(st)) == DB_ROW && c->nmembers < 64) {
    Member *m = &c->members[c->nmembers++];
    *m = (Member){.id = db_int(st, "id"), .user_id = db_null(st, "user_id") ? 0 : db_int(st, "user_id"),
                  .name = txt(r, st, "name"), .side = txt(r, st, "side"), .organisation = txt(r, st, "organisation"),
                  .removed = !db_null(st, "removed_at"), .visible = db_int(st, "visible") != 0};
    if (m->user_id == r->user->id && db_null(st, "removed_at")) c->own_member = m->id;
  }
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) return rc;

  st = db_prepare(r->db, "SELECT k.id, k.source_member_id, k.grantee_member_id, k.grantee_side, k.category, k.given_on, "
                         "k.method, k.valid_until, k.withdrawn_at, CASE WHEN "
                         POLICY_SQL_USER_VISIBLE("k.recorded_by", "k.trajectory_id") " THEN u.name END AS recorded_by "
                         "FROM consents k JOIN users u ON u.id = k.recorded_by WHERE k.trajectory_id = ? ORDER BY k.id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, r->user), c->tid);
  c->consents = arena_alloc(r->a, sizeof(Consent) * 256);
  while ((rc = db_step(st)) == DB_ROW && c->nconsents < 256) {
    c->consents[c->nconsents++] = (Consent){
        .id = db_int(st, "id"),
        .source_member_id = db_null(st, "source_member_id") ? 0 : db_int(st, "source_member_id"),
        .grantee_member_id = db_null(st, "grantee_member_id") ? 0 : db_int(st, "grantee_member_id"),
        .withdrawn_at = db_null(st, "withdrawn_at") ? 0 : db_int(st, "withdrawn_at"),
        .grantee_side = txt(r, st, "grantee_side"), .category = txt(r, st, "category"),
        .given_on = txt(r, st, "given_on"), .method = txt(r, st, "method"),
        .valid_until = txt(r, st, "valid_until"), .recorded_by = txt(r, st, "recorded_by")};
  }
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
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
static bool mine(const Context *c, const Consent *k) {
  if (c->g == GROUNDS_COACH) return true;
  if (c->g == GROUNDS_SELF) return k->source_member_id == 0;
  return c->own_member && k->source_member_id == c->own_member;
}

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

static void withdraw_button(Req *r, const Context *c, const Consent *k, const char *next) {
  form_begin(r, arena_printf(r->a, "/t/%lld/consents/%lld/withdraw", (long long)c->tid, (long long)k->id), "inline");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\"><button type=\"submit\" class=\"danger\">%s"
                "<span class=\"visually-hidden\">: %s, %s</span></button>",
       next, _("Withdraw"), grantee_name(r, c, k), label_category(k->category));
  form_end(r);
}

/* The form to give (or, for the coach, record) a consent. */
static void give_form(Req *r, const Context *c, const char *next) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"give\"><h2 id=\"give\">%s</h2>",
       c->g == GROUNDS_COACH ? _("Record a consent") : _("Give a consent"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/consents", (long long)c->tid), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
  const char **opts = arena_alloc(r->a, sizeof(char *) * (size_t)(c->nmembers * 2 + 8));
  int n = 0;
  if (c->g == GROUNDS_COACH) {
    opts[n++] = "participant";
    opts[n++] = _("The participant");
    for (int i = 0; i < c->nmembers; i++) {
      if (c->members[i].removed || !c->members[i].visible) continue;
      opts[n++] = arena_printf(r->a, "%lld", (long long)c->members[i].id);
      opts[n++] = c->members[i].name;
    }
    opts[n] = NULL;
    field_select(r, &(Field){.name = "source", .label = _("Whose information"), .value = form_str(r, "source"),
                             .required = true},
                 opts);
    n = 0;
  }
  if (c->g != GROUNDS_SELF) {
    /* a member's information reaches the participant only with that member's consent */
    opts[n++] = "side:participant";
    opts[n++] = _("The participant (for information of a network member)");
  }
  opts[n++] = "side:care";
  opts[n++] = _("Everyone on the care side");
  opts[n++] = "side:work";
  opts[n++] = _("Everyone on the work side");
  for (int i = 0; i < c->nmembers; i++) {
    if (c->members[i].id == c->own_member || c->members[i].removed || !c->members[i].visible) continue;
    opts[n++] = arena_printf(r->a, "member:%lld", (long long)c->members[i].id);
    opts[n++] = arena_printf(r->a, "%s (%s)", c->members[i].name,
                             strcmp(c->members[i].side, "care") == 0 ? _("care") : _("work"));
  }
  opts[n] = NULL;
  field_select(r, &(Field){.name = "grantee", .label = _("Who may see it"), .value = form_str(r, "grantee"),
                           .required = true},
               opts);
  const char *cats[12];
  int k = 0;
  for (int i = 0; item_categories[i]; i++) {
    cats[k++] = item_categories[i];
    cats[k++] = label_category(item_categories[i]);
  }
  cats[k] = NULL;
  field_select(r, &(Field){.name = "category", .label = _("What"), .value = form_str(r, "category"),
                           .hint = _("Health details are never shown to the work side; the coach translates them "
                                     "into what you can and cannot do (capacity)."),
                           .required = true},
               cats);
  if (c->g == GROUNDS_COACH) {
    static const char *const methods[] = {"conversation", N_("In a conversation"), "signed_form",
                                          N_("On a signed form"), NULL};
    const char *mopts[5] = {methods[0], _(methods[1]), methods[2], _(methods[3]), NULL};
    field_select(r, &(Field){.name = "method", .label = _("How it was given"), .value = form_str(r, "method"),
                             .required = true},
                 mopts);
    field_input(r, &(Field){.name = "given_on", .label = _("Date it was given"), .type = "date",
                            .value = *form_str(r, "given_on") ? form_str(r, "given_on") : c->today, .required = true});
  }
  field_input(r, &(Field){.name = "valid_until", .label = _("Valid until"), .type = "date",
                          .value = form_str(r, "valid_until"), .hint = _("Leave empty for no end date.")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       c->g == GROUNDS_COACH ? _("Record consent") : _("Give consent"));
  form_end(r);
  html(&r->out, "</section>");
}

static void matrix(Req *r, const Context *c) {
  html(&r->out, "<div class=\"table-wrap\"><table class=\"matrix\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>",
       _("Who may see what (consents in force)"), _("Member"));
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
        if (kc->grantee_member_id ? kc->grantee_member_id != mb->id : strcmp(kc->grantee_side, mb->side) != 0) continue;
        if (!policy_consent_allowed(kc->category, mb->side)) continue;
        html(&r->out, "%s<span class=\"badge badge-ok\">%s</span>", any ? " " : "", source_name(c, kc->source_member_id));
        any = true;
      }
      if (!any) html(&r->out, "<span class=\"muted\" aria-label=\"%s\">–</span>", _("no consent"));
      html(&r->out, "</td>");
    }
    html(&r->out, "</tr>");
  }
  html(&r->out, "<tr><th scope=\"row\">%s</th>", _("The participant"));
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
  html(&r->out, "</tr></tbody></table></div>");
}

static void history(Req *r, const Context *c, const char *next) {
  html(&r->out, "<h2>%s</h2><div class=\"table-wrap\"><table><caption>%s</caption><thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\"><span class=\"visually-hidden\">%s</span></th>"
                "</tr></thead><tbody>",
       _("History"), _("Every consent, including withdrawn and expired ones"), _("Whose information"), _("Who may see it"),
       _("What"), _("Given"), _("Until"), _("Status"), _("Action"));
  int shown = 0;
  for (int k = 0; k < c->nconsents; k++) {
    const Consent *kc = &c->consents[k];
    if (!mine(c, kc)) continue;
    shown++;
    html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s <span class=\"muted small\">%s · %s</span></td>"
                  "<td>%s</td><td>%s</td><td>",
         source_name(c, kc->source_member_id), grantee_name(r, c, kc), label_category(kc->category), kc->given_on,
         method_label(kc->method), name_or_hidden(kc->recorded_by), kc->valid_until ? kc->valid_until : "–", status_label(c, kc));
    if (!kc->withdrawn_at) withdraw_button(r, c, kc, next);
    html(&r->out, "</td></tr>");
  }
  if (!shown) html(&r->out, "<tr><td colspan=\"7\">%s</td></tr>", _("No consents yet."));
  html(&r->out, "</tbody></table></div>");
}

/* The consents page of c with status. Every rendering shows the case (also a form refused with 400 or 409),
 * so it writes the access-log entry of a view first. */
static int render(Req *r, Context *c, int status) {
  int rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->tid, .item = "consents",
                                        .action = "view", .outcome = "ok", .grounds = grounds_name(c->g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Consents"));
  html(&r->out, "<h1>%s</h1>", _("Consents"));
  trajectory_subnav(r, c->tid, c->g, "consents");
  html(&r->out, "<p class=\"lead\">%s</p>",
       _("Information is shared only with the consent of the party it belongs to. A consent can be withdrawn at any "
         "moment and takes effect at once."));
  const char *next = arena_printf(r->a, "/t/%lld/consents", (long long)c->tid);
  if (c->g == GROUNDS_COACH) matrix(r, c);
  if (c->g == GROUNDS_COACH || c->g == GROUNDS_SELF || c->own_member) give_form(r, c, next);
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

/* Parses a positive id after an optional prefix ("member:12"); 0 if it does not fit. */
static int64_t id_after(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  if (strncmp(s, prefix, n) != 0) return 0;
  char *end;
  long long v = strtoll(s + n, &end, 10);
  return s[n] && !*end && v > 0 ? v : 0;
}

static int post_consent(Req *r) {
  Context c;
  int s = open_context(r, &c, "consent", "create");
  if (s) return s;
  if (!(c.g == GROUNDS_COACH || c.g == GROUNDS_SELF || c.own_member)) return http_error(r, 404, NULL);

  /* source party: chosen by the coach, else the user's own information */
  int64_t source = 0;
  if (c.g == GROUNDS_COACH) {
    const char *src = form_str(r, "source");
    if (strcmp(src, "participant") != 0) {
      source = id_after(src, "");
      const Member *m = live_member(&c, source);
      if (!m) form_error(r, "source", _("Choose whose information this is."));
    }
  } else if (c.g != GROUNDS_SELF) {
    source = c.own_member;
  }
  /* grantee: a member of this trajectory or a side */
  const char *grantee = form_str(r, "grantee");
  int64_t gm = id_after(grantee, "member:");
  const char *gside = NULL;
  const Member *gmem = gm ? live_member(&c, gm) : NULL;
  if (gmem) gside = gmem->side;
  else if (!strcmp(grantee, "side:care")) gside = "care";
  else if (!strcmp(grantee, "side:work")) gside = "work";
  else if (!strcmp(grantee, "side:participant")) gside = "participant";
  if (!gside) form_error(r, "grantee", _("Choose who may see it."));
  else if (!strcmp(gside, "participant") && !source)
    form_error(r, "grantee", _("The participant sees their own information already."));
  else if (gm && gm == source) form_error(r, "grantee", _("This is their own information already."));

  const char *category = form_str(r, "category");
  if (!is_category(category)) form_error(r, "category", _("Choose what may be seen."));
  else if (gside && !policy_consent_allowed(category, gside))
    form_error(r, "category",
               _("Health details are never shared with the work side: an employer may not process them, and consent "
                 "given to one's own employer is not considered free. Share what the participant can and cannot do "
                 "(capacity) instead."));

  const char *method = "portal", *given = c.today;
  if (c.g == GROUNDS_COACH) {
    method = form_str(r, "method");
    if (strcmp(method, "conversation") && strcmp(method, "signed_form"))
      form_error(r, "method", _("Say how the consent was given."));
    given = form_str(r, "given_on");
    int32_t d;
    if (!date_parse(given, &d)) form_error(r, "given_on", _("Enter the date as YYYY-MM-DD."));
    else if (d > date_today()) form_error(r, "given_on", _("The date cannot be in the future."));
  }
  const char *until = form_str(r, "valid_until");
  if (*until) {
    int32_t d;
    if (!date_parse(until, &d)) form_error(r, "valid_until", _("Enter the date as YYYY-MM-DD."));
    else if (d < date_today()) form_error(r, "valid_until", _("The end date cannot be in the past."));
  }
  if (r->nerrors) return render(r, &c, 400);

  /* the same consent in force already? */
  for (int k = 0; k < c.nconsents; k++) {
    const Consent *kc = &c.consents[k];
    if (live(&c, kc) && kc->source_member_id == source && !strcmp(kc->category, category) &&
        (gm ? kc->grantee_member_id == gm : (!kc->grantee_member_id && !strcmp(kc->grantee_side, gside)))) {
      form_error(r, "grantee", _("This consent is already in force."));
      return render(r, &c, 409);
    }
  }

  int64_t behalf = 0;
  if (c.g == GROUNDS_COACH) {
    const Member *sm = source ? member(&c, source) : NULL;
    behalf = source ? (sm ? sm->user_id : 0) : c.participant_user;
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  Stmt *ins = db_prepare(r->db, "INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, grantee_side, "
                                "category, given_on, method, recorded_by, valid_until, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!ins) return http_db_error(r, DB_ERROR);
  db_bind_int(ins, 1, c.tid);
  if (source) db_bind_int(ins, 2, source); else db_bind_null(ins, 2);
  if (gm) db_bind_int(ins, 3, gm); else db_bind_null(ins, 3);
  db_bind_text(ins, 4, gm ? NULL : gside);
  db_bind_text(ins, 5, category);
  db_bind_text(ins, 6, given);
  db_bind_text(ins, 7, method);
  db_bind_int(ins, 8, r->user->id);
  db_bind_text(ins, 9, *until ? until : NULL);
  db_bind_int(ins, 10, (int64_t)time(NULL));
  rc = db_step(ins);
  int64_t id = rc == DB_ROW ? db_int(ins, "id") : 0;
  db_done(ins);
  if (rc != DB_ROW) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = c.pid, .trajectory_id = c.tid,
                                    .item = arena_printf(r->a, "consent:%lld", (long long)id), .action = "create",
                                    .outcome = "ok", .grounds = grounds_name(c.g), .on_behalf_of = behalf});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/consents", (long long)c.tid)),
                             "saved");
}

static int post_withdraw(Req *r) {
  Context c;
  int s = open_context(r, &c, "consent", "update");
  if (s) return s;
  int64_t cid = r->ids[1];
  const Consent *k = NULL;
  for (int i = 0; i < c.nconsents; i++)
    if (c.consents[i].id == cid) k = &c.consents[i];
  if (!k || !mine(&c, k)) {
    int rc = audit_write(r, &(AuditEntry){.participant_id = c.pid, .trajectory_id = c.tid,
                                          .item = arena_printf(r->a, "consent:%lld", (long long)cid), .action = "update",
                                          .outcome = "denied", .grounds = grounds_name(c.g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 404, NULL);
  }
  const char *next = safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/consents", (long long)c.tid));
  if (k->withdrawn_at) return http_redirect(r, next);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  Stmt *up = db_prepare(r->db, "UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL");
  if (!up) return http_db_error(r, DB_ERROR);
  db_bind_int(up, 1, (int64_t)time(NULL));
  db_bind_int(up, 2, r->user->id);
  db_bind_int(up, 3, cid);
  if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = c.pid, .trajectory_id = c.tid,
                                    .item = arena_printf(r->a, "consent:%lld", (long long)cid), .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(c.g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, next, "saved");
}

/* /me/consents: the participant's plain-language overview of their open trajectory. */
static int get_my_consents(Req *r) {
  Stmt *st = db_prepare(r->db, "SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                               "WHERE p.user_id = ? AND t.status = 'open'");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, r->user->id);
  int rc = db_step(st);
  int64_t tid = rc == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
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
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Who may see what about me"),
       _("Your coach sees your whole trajectory. Everyone else sees only what you agreed to. You can stop that at any "
         "moment: it works at once."));
  html(&r->out, "<ul class=\"consents plain\">");
  int shown = 0;
  for (int k = 0; k < c.nconsents; k++) {
    const Consent *kc = &c.consents[k];
    if (kc->source_member_id || !live(&c, kc)) continue;
    shown++;
    const Member *m = kc->grantee_member_id ? member(&c, kc->grantee_member_id) : NULL;
    html(&r->out, "<li><p><strong>%s</strong>", grantee_name(r, &c, kc));
    if (m && m->visible && m->organisation) html(&r->out, " (%s)", m->organisation);
    /* TRANSLATORS: follows the name of whoever was given the consent; %s explains a category */
    html(&r->out, " %s", arena_printf(r->a, _("may see %s."), explain_category(kc->category)));
    if (kc->valid_until) html(&r->out, " %s", arena_printf(r->a, _("Until %s."), kc->valid_until));
    html(&r->out, "</p>");
    withdraw_button(r, &c, kc, "/me/consents");
    html(&r->out, "</li>");
  }
  html(&r->out, "</ul>");
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("Nobody but your coach can see information about you."));
  html(&r->out, "<p class=\"muted\">%s</p>",
       _("Your employer never sees details about your health. Your coach translates them into what you can and "
         "cannot do, and only shares that when you agree."));
  give_form(r, &c, "/me/consents");
  html(&r->out, "<p><a href=\"/me/log\">%s</a></p>", _("See who looked at your file"));
  page_end(r);
  return 200;
}


const Route consent_routes[] = {
    {"GET", "/t/{id}/consents", ROLES_CASE, R_CASE, get_consents},
    {"POST", "/t/{id}/consents", ROLES_CASE, R_CASE, post_consent},
    {"POST", "/t/{id}/consents/{cid}/withdraw", ROLES_CASE, R_CASE, post_withdraw},
    {"GET", "/me/consents", ROLE_PARTICIPANT, R_CASE, get_my_consents},
    {0},
};

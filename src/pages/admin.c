/*
 * admin.c — the administrator's pages: user accounts (list, search, create with an invitation link,
 * deactivate, reactivate, unlock, password-reset link) and organisations (list, add, deactivate,
 * reactivate). The rows are read and written through store/users.h.
 *
 * The administrator never sees case content. Nothing here reads participants, trajectories or the
 * access log; a participant's account is shown like any other account (name, e-mail, role, state) and
 * nothing more. Changes to accounts are written to the server log with ids only.
 */
#include <string.h>
#include <time.h>

#include "account/links.h"
#include "account/session.h"
#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "mail/outbox.h"
#include "pages/pages.h"
#include "store/outbox.h"
#include "store/users.h"

enum { NAME_MAX_CHARS = 120, EMAIL_MAX = 254, FUNCTION_MAX_CHARS = 120, ORG_NAME_MAX_CHARS = 160 };

/* ---- shared helpers ---- */

/* The role choices of the new-user form, in their order, with their English labels; the form sends the
 * role's code (auth/user.h: role_code, role_from_code). */
static const struct {
  unsigned bit;
  const char *label;
} role_choices[] = {
    {ROLE_COACH, N_("Coach")},
    {ROLE_TEAMLEAD, N_("Team lead")},
    {ROLE_ADMIN, N_("Administrator")},
    {ROLE_LOGOFFICER, N_("Log officer")},
    {ROLE_PROGRAMME, N_("Programme manager")},
    {ROLE_PARTICIPANT, N_("Participant")},
    {ROLE_PARTNER, N_("Partner")},
};
enum { N_ROLE_CHOICES = sizeof role_choices / sizeof *role_choices };

/* Every role in a bit set as translated labels joined by ", " (arena string; "" for none). */
static const char *roles_text(Req *r, unsigned roles) {
  static const unsigned order[] = {ROLE_ADMIN, ROLE_TEAMLEAD, ROLE_COACH, ROLE_LOGOFFICER, ROLE_PROGRAMME,
                                   ROLE_PARTICIPANT, ROLE_PARTNER};
  const char *s = "";
  for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
    if (!(roles & order[i])) continue;
    s = *s ? arena_printf(r->a, "%s, %s", s, label_role(order[i])) : label_role(order[i]);
  }
  return s;
}

/* Translated state of an account. */
static const char *state_text(bool active, bool locked) {
  if (!active) return _("Inactive");
  if (locked) return _("Locked");
  return _("Active");
}

/* Parses a positive decimal id; 0 for anything else. */
static int64_t parse_id(const char *s) {
  if (!*s || strlen(s) > 15) return 0;
  int64_t n = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return 0;
    n = n * 10 + (*p - '0');
  }
  return n;
}

/* Writes "/admin/users?q=...&page=N" as an href value. */
static void users_href(Req *r, const char *q, int64_t page) {
  html(&r->out, "/admin/users?");
  if (*q) {
    html(&r->out, "q=");
    html_urlarg(&r->out, q);
    html(&r->out, "&amp;");
  }
  html(&r->out, "page=%lld", (long long)page);
}

/* ---- GET /admin ---- */

static int get_admin(Req *r) { return http_redirect(r, "/admin/users"); }

/* ---- GET /admin/users ---- */

static int get_users(Req *r) {
  const char *q = query_str(r, "q");
  int64_t page = query_int(r, "page", 1);
  if (page < 1) page = 1;
  int64_t size = cfg.page_size > 0 ? cfg.page_size : 50;
  int64_t total;
  int rc = users_count(r->db, r->a, q, &total);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t pages = total ? (total + size - 1) / size : 1;
  if (page > pages) page = pages;
  UserRecord *users;
  size_t n;
  if ((rc = users_search(r->db, r->a, q, size, (page - 1) * size, &users, &n)) != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Users"));
  html(&r->out, "<h1>%s</h1>", _("Users"));
  html(&r->out, "<p><a class=\"button primary\" href=\"/admin/users/new\">%s</a> <a href=\"/admin/outbox\">%s</a></p>",
       _("New user"), _("Mail outbox"));
  html(&r->out, "<form method=\"get\" action=\"/admin/users\" class=\"search\" role=\"search\">"
                "<label for=\"f-q\">%s</label> <input type=\"search\" id=\"f-q\" name=\"q\" value=\"%s\" "
                "maxlength=\"254\"> <button type=\"submit\">%s</button></form>",
       _("Search by name or e-mail"), q, _("Search"));

  for (size_t i = 0; i < n; i++) {
    const UserRecord *u = &users[i];
    if (i == 0) {
      table_begin(r, "table", _("Users"));
      html(&r->out, "<thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
           _("Name"), _("E-mail address"), _("Role"), _("Organisation"), _("State"), _("Last login"));
    }
    /* a participant's account shows name, e-mail and role only: nothing that hints at their case */
    bool participant = (u->roles & ROLE_PARTICIPANT) != 0;
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/admin/users/%lld\">%s</a></th><td>%s</td><td>%s</td>"
                  "<td>%s</td><td>%s</td><td>%s</td></tr>",
         (long long)u->id, u->name, u->email, roles_text(r, u->roles), !participant && u->org_name ? u->org_name : "",
         state_text(u->active, u->locked), u->last_login_at ? fmt_time(r, u->last_login_at) : _("never"));
  }
  if (!n) {
    html(&r->out, "<p>%s</p>", *q ? _("No user matches this search.") : _("There are no users yet."));
  } else {
    html(&r->out, "</tbody>");
    table_end(r);
    html(&r->out, "<p class=\"muted small\">%s %lld</p>", _("Users found:"), (long long)total);
  }
  if (pages > 1) {
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><ul>", _("Pages"));
    if (page > 1) {
      html(&r->out, "<li><a rel=\"prev\" href=\"");
      users_href(r, q, page - 1);
      html(&r->out, "\">%s</a></li>", _("Previous"));
    }
    html(&r->out, "<li><span aria-current=\"page\">%s %lld / %lld</span></li>", _("Page"), (long long)page,
         (long long)pages);
    if (page < pages) {
      html(&r->out, "<li><a rel=\"next\" href=\"");
      users_href(r, q, page + 1);
      html(&r->out, "\">%s</a></li>", _("Next"));
    }
    html(&r->out, "</ul></nav>");
  }
  page_end(r);
  return 200;
}

/* ---- GET/POST /admin/users/new ---- */

/* The select options of active organisations: "" (none) first, then id,name pairs. NULL-terminated
 * arena array, or NULL with *rc set on a DB error. */
static const char **org_options(Req *r, int *rc) {
  Organisation *orgs;
  size_t n;
  if ((*rc = orgs_active(r->db, r->a, &orgs, &n)) != DB_OK) return NULL;
  const char **opts = arena_alloc(r->a, sizeof *opts * (2 * n + 3));
  size_t k = 0;
  opts[k++] = "";
  opts[k++] = _("(none)");
  for (size_t i = 0; i < n; i++) {
    opts[k++] = arena_printf(r->a, "%lld", (long long)orgs[i].id);
    opts[k++] = orgs[i].name;
  }
  opts[k] = NULL;
  return opts;
}

/* Writes the new-user form with the values the user typed and any recorded errors. Returns a DB code. */
static int user_form(Req *r) {
  int rc;
  const char **orgs = org_options(r, &rc);
  if (!orgs) return rc;
  const char *roles[2 * N_ROLE_CHOICES + 3];
  int n = 0;
  roles[n++] = "";
  roles[n++] = _("Choose a role");
  for (int i = 0; i < N_ROLE_CHOICES; i++) {
    roles[n++] = role_code(role_choices[i].bit);
    roles[n++] = _(role_choices[i].label);
  }
  roles[n] = NULL;
  const char *sides[] = {"", _("(not a partner)"), "care", _("Care side"), "work", _("Work side"), NULL};

  page_begin(r, _("New user"));
  html(&r->out, "<p><a href=\"/admin/users\">%s</a></p>", _("Back to users"));
  html(&r->out, "<section class=\"card\"><h1>%s</h1>", _("New user"));
  html(&r->out, "<p>%s</p>", _("The new user gets no password. After saving you receive a one-time link to hand "
                               "over; with it the user chooses a password."));
  form_errors_summary(r);
  form_begin(r, "/admin/users/new", "form");
  field_input(r, &(Field){.name = "name", .label = _("Name"), .value = form_str(r, "name"), .required = true,
                          .maxlength = NAME_MAX_CHARS, .autocomplete = "off"});
  field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email",
                          .value = form_str(r, "email"), .required = true, .maxlength = EMAIL_MAX,
                          .autocomplete = "off"});
  field_select(r, &(Field){.name = "role", .label = _("Role"), .value = form_str(r, "role"), .required = true},
               roles);
  field_select(r, &(Field){.name = "org_id", .label = _("Organisation"), .value = form_str(r, "org_id")}, orgs);
  field_select(r, &(Field){.name = "side", .label = _("Side"), .value = form_str(r, "side"),
                           .hint = _("For partners only: do they belong to the care network or the work network?")},
               sides);
  field_input(r, &(Field){.name = "function", .label = _("Function"), .value = form_str(r, "function"),
                          .maxlength = FUNCTION_MAX_CHARS, .hint = _("For example: HR manager, GP, job coach.")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/admin/users\">%s</a></div>",
       _("Create user"), _("Cancel"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
  return DB_OK;
}

static int get_user_new(Req *r) {
  int rc = user_form(r);
  return rc == DB_OK ? 200 : http_db_error(r, rc);
}

/* The page after a one-time link was issued (links.h): the link for the administrator to hand to the
 * person themselves — or, when it was queued as mail (link_deliver, `mailed`), only that it is sent to the
 * account's own e-mail address. Its creation is in the access log (item "account:<id>"). */
static void link_page(Req *r, int64_t uid, const char *who, const char *purpose, const char *token,
                      int64_t expires, bool mailed) {
  bool invite = strcmp(purpose, "invite") == 0;
  const char *title = invite ? _("User created") : _("Password reset link");
  page_begin(r, title);
  html(&r->out, "<section class=\"card\"><h1>%s</h1>", title);
  if (mailed) {
    html(&r->out, "<p>%s <strong>%s</strong></p>", _("The link was sent to the account's own e-mail address:"), who);
  } else {
    html(&r->out, "<p>%s <strong>%s</strong></p>",
         invite ? _("Hand this link to the new user:") : _("Hand this link to the user:"), who);
    link_handover(r, token,
                  invite ? _("With this link the user chooses a password and can then sign in.")
                         : _("With this link the user chooses a new password. Earlier links for this user no longer "
                             "work."),
                  expires);
    html(&r->out, "<p><strong>%s</strong></p>",
         _("Hand the link to the person themselves and never use it yourself: its creation and use are in the "
           "access log, and the account's owner is told at their next sign-in that their password was reset."));
  }
  html(&r->out, "<p><a href=\"/admin/users/%lld\">%s</a></p></section>", (long long)uid, _("Go to the user"));
  page_end(r);
}

static int post_user_new(Req *r) {
  const char *name = form_str(r, "name");
  const char *email = user_email_fold(arena_strdup(r->a, form_str(r, "email")));
  const char *role = form_str(r, "role");
  const char *org = form_str(r, "org_id");
  const char *side = form_str(r, "side");
  const char *function = form_str(r, "function");

  size_t nlen = text_chars(name);
  if (nlen == 0) form_error(r, "name", _("Fill in the name."));
  else if (nlen > NAME_MAX_CHARS) form_error(r, "name", _("The name may be at most 120 characters."));
  else if (text_has_breaks(name)) form_error(r, "name", _("The name must be on one line."));

  if (!*email) form_error(r, "email", _("Fill in the e-mail address."));
  else if (!text_email_ok(email, EMAIL_MAX)) form_error(r, "email", _("This is not a valid e-mail address (for example name@example.org)."));

  unsigned bit = role_from_code(role);
  if (!bit) form_error(r, "role", _("Choose a role."));

  int64_t org_id = 0;
  const char *org_kind = NULL;
  if (*org) {
    org_id = parse_id(org);
    bool found = false;
    if (org_id) {
      int rc = org_active_kind(r->db, r->a, org_id, &org_kind);
      if (rc != DB_OK) return http_db_error(r, rc);
      found = org_kind != NULL;
    }
    if (!found) form_error(r, "org_id", _("Choose an organisation from the list."));
  }

  if (bit == ROLE_PARTNER) {
    /* a person's side comes from their account and their organisation's kind: the two must agree */
    bool work_org = org_kind && (strcmp(org_kind, "employer") == 0 || strcmp(org_kind, "agency") == 0);
    bool care_org = org_kind && strcmp(org_kind, "care") == 0;
    if (strcmp(side, "care") != 0 && strcmp(side, "work") != 0)
      form_error(r, "side", _("Choose the care side or the work side for a partner."));
    else if ((work_org && strcmp(side, "work") != 0) || (care_org && strcmp(side, "care") != 0))
      form_error(r, "side", _("This organisation belongs to the other side of the network. Choose the side of "
                              "the organisation, or another organisation."));
  } else if (*side && strcmp(side, "care") != 0 && strcmp(side, "work") != 0) {
    form_error(r, "side", _("Choose a side from the list."));
  }

  size_t flen = text_chars(function);
  if (flen > FUNCTION_MAX_CHARS) form_error(r, "function", _("The function may be at most 120 characters."));
  else if (text_has_breaks(function)) form_error(r, "function", _("The function must be on one line."));

  if (r->nerrors) {
    int rc = user_form(r);
    return rc == DB_OK ? 400 : http_db_error(r, rc);
  }

  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t uid = 0;
  if ((rc = user_find_by_email(r->db, email, &uid)) != DB_OK) return http_db_error(r, rc);
  bool duplicate = uid != 0;
  if (!duplicate) {
    NewUser nu = {.email = email, .name = name, .roles = bit, .org_id = org_id,
                  .side = bit == ROLE_PARTNER ? side : NULL, .function = *function ? function : NULL};
    rc = user_create(r->db, &nu, (int64_t)time(NULL), &uid);
    if (rc == DB_CONSTRAINT) duplicate = true; /* created meanwhile by someone else */
    else if (rc != DB_OK) return http_db_error(r, rc);
  }
  if (duplicate) {
    db_rollback(r->db);
    form_error(r, "email", _("There is already a user with this e-mail address."));
    rc = user_form(r);
    return rc == DB_OK ? 409 : http_db_error(r, rc);
  }
  char token[TOKEN_LEN + 1];
  LinkResult res;
  int64_t expires;
  if ((rc = link_issue(r->db, r, uid, "invite", cfg.invite_days * 24, token, &res, &expires)) != DB_OK)
    return http_db_error(r, rc);
  bool mailed = link_deliver(r->db, uid, token) == LINK_MAILED; /* queued in this transaction */
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld created user %lld with an invitation link", r->rid, (long long)r->user->id,
           (long long)uid);
  link_page(r, uid, name, "invite", token, expires, mailed);
  return 200;
}

/* ---- a coach's work phone and work e-mail (issue 12, part 5) ---- */

enum { WORK_PHONE_MAX = 30 };

/* A phone number as people write it: digits, spaces and + - ( ) . /, with 6 to 15 digits. */
static bool work_phone_ok(const char *s) {
  int digits = 0;
  size_t n = 0;
  for (const char *p = s; *p; p++, n++) {
    if (*p >= '0' && *p <= '9') digits++;
    else if (!strchr("+-() ./", *p)) return false;
  }
  return n <= WORK_PHONE_MAX && digits >= 6 && digits <= 15;
}

/* The form on a coach's account page; the current values, or what was posted after an error. */
static void work_contact_form(Req *r, int64_t id) {
  WorkContact w = {0};
  if (!r->nerrors && user_work_contact(r->db, r->a, id, &w) != DB_OK) w = (WorkContact){0};
  html(&r->out, "<section class=\"card\"><h2>%s</h2><p class=\"muted small\">%s</p>", _("Work contact details"),
       _("Shown to the participants and networks of this coach's trajectories."));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/admin/users/%lld/contact", (long long)id), NULL);
  field_input(r, &(Field){.name = "work_phone", .label = _("Work phone"), .type = "tel",
                          .value = r->nerrors ? form_str(r, "work_phone") : w.phone ? w.phone : "",
                          .maxlength = WORK_PHONE_MAX, .autocomplete = "off"});
  field_input(r, &(Field){.name = "work_email", .label = _("Work e-mail address"), .type = "email",
                          .value = r->nerrors ? form_str(r, "work_email") : w.email ? w.email : "",
                          .maxlength = EMAIL_MAX, .autocomplete = "off"});
  html(&r->out, "<button type=\"submit\">%s</button>", _("Save"));
  form_end(r);
  html(&r->out, "</section>");
}

static int get_user(Req *r);
static int finish_user_change(Req *r, int rc, int64_t id, const char *what, const char *flash);

/* POST /admin/users/{id}/contact: a coach's work phone and work e-mail (empty clears one). */
static int post_user_contact(Req *r) {
  int64_t id = r->ids[0];
  const char *phone = form_str(r, "work_phone"), *email = form_str(r, "work_email");
  if (*phone && !work_phone_ok(phone))
    form_error(r, "work_phone", _("This is not a valid phone number (for example +32 9 123 45 67)."));
  if (*email && !(text_email_ok(email, EMAIL_MAX) && mail_address_ok(email)))
    form_error(r, "work_email", _("This is not a valid e-mail address (for example name@example.org)."));
  if (r->nerrors) {
    int s = get_user(r);
    return s == 200 ? 400 : s;
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = user_set_work_contact(r->db, id, phone, email);
  return finish_user_change(r, rc, id, "changed the work contact of", "saved");
}

/* ---- GET /admin/users/{id} ---- */

static int get_user(Req *r) {
  int64_t id = r->ids[0];
  UserRecord u;
  int rc = user_record(r->db, r->a, id, &u);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *name = u.name, *email = u.email, *side = u.side, *function = u.function, *org = u.org_name;
  unsigned roles = u.roles;
  bool active = u.active, locked = u.locked, has_password = u.has_password, has_totp = u.has_totp;
  int64_t failed = u.failed_logins, created = u.created_at, last = u.last_login_at;
  /* too many wrong codes in a row (login.c); the unlock below lifts it too */
  bool mfa_locked = has_totp && u.totp_failures >= cfg.totp_lock_after;
  bool participant = (roles & ROLE_PARTICIPANT) != 0;
  bool self = id == r->user->id;

  page_begin(r, name);
  html(&r->out, "<p><a href=\"/admin/users\">%s</a></p>", _("Back to users"));
  html(&r->out, "<section class=\"card\"><h1>%s</h1><dl class=\"facts\">", name);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("E-mail address"), email);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Role"), roles_text(r, roles));
  /* a participant's account: name, e-mail and role only */
  if (!participant) {
    html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Organisation"), org ? org : _("(none)"));
    if (roles & ROLE_PARTNER)
      html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Side"),
           side && strcmp(side, "care") == 0 ? _("Care side") : side && strcmp(side, "work") == 0 ? _("Work side") : "");
    html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Function"), function ? function : "");
  }
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("State"), state_text(active, locked));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Password"),
       has_password ? _("Set") : _("Not set yet: the user has not used the invitation link"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Two-step verification"),
       has_totp ? (mfa_locked ? _("Locked") : _("On")) : _("Off"));
  if (locked || failed)
    html(&r->out, "<dt>%s</dt><dd>%lld</dd>", _("Failed sign-in attempts in a row"), (long long)failed);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Last login"), last ? fmt_time(r, last) : _("never"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", _("Created"), fmt_time(r, created));

  html(&r->out, "<h2>%s</h2><div class=\"button-row\">", _("Actions"));
  char action[64];
  if (active && !self) {
    snprintf(action, sizeof action, "/admin/users/%lld/disable", (long long)id);
    form_begin(r, action, "inline");
    html(&r->out, "<button type=\"submit\" class=\"danger\">%s</button>", _("Deactivate"));
    form_end(r);
  } else if (!active) {
    snprintf(action, sizeof action, "/admin/users/%lld/enable", (long long)id);
    form_begin(r, action, "inline");
    html(&r->out, "<button type=\"submit\">%s</button>", _("Reactivate"));
    form_end(r);
  }
  if (locked || mfa_locked) {
    snprintf(action, sizeof action, "/admin/users/%lld/unlock", (long long)id);
    form_begin(r, action, "inline");
    html(&r->out, "<button type=\"submit\">%s</button>", _("Unlock"));
    form_end(r);
  }
  if (active) {
    snprintf(action, sizeof action, "/admin/users/%lld/reset-link", (long long)id);
    form_begin(r, action, "inline");
    html(&r->out, "<button type=\"submit\">%s</button>", _("Password reset link"));
    form_end(r);
  }
  html(&r->out, "</div>");
  if (self)
    html(&r->out, "<p class=\"muted small\">%s</p>", _("You cannot deactivate your own account."));
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("Deactivating ends all sessions of the user at once. A reset link lets the user choose a new password; "
         "it also unlocks the account."));
  if (roles & ROLE_COACH) work_contact_form(r, id);
  page_end(r);
  return 200;
}

/* ---- POST /admin/users/{id}/... ---- */

/* Finishes a one-statement account change: commit, log, redirect with flash; 404 for an unknown id. */
static int finish_user_change(Req *r, int rc, int64_t id, const char *what, const char *flash) {
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld %s user %lld", r->rid, (long long)r->user->id, what, (long long)id);
  return http_redirect_flash(r, arena_printf(r->a, "/admin/users/%lld", (long long)id), flash);
}

static int post_user_disable(Req *r) {
  int64_t id = r->ids[0];
  if (id == r->user->id)
    return http_error(r, 400, _("You cannot deactivate your own account. Ask another administrator."));
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = user_set_active(r->db, id, false);
  if (rc == DB_OK) rc = session_end_all(r->db, id);
  return finish_user_change(r, rc, id, "disabled", "disabled");
}

static int post_user_enable(Req *r) {
  int64_t id = r->ids[0];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = user_set_active(r->db, id, true);
  return finish_user_change(r, rc, id, "enabled", "enabled");
}

static int post_user_unlock(Req *r) {
  int64_t id = r->ids[0];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = user_unlock(r->db, id);
  return finish_user_change(r, rc, id, "unlocked", "unlocked");
}

static int post_user_reset_link(Req *r) {
  int64_t id = r->ids[0];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  UserRecord u;
  rc = user_record(r->db, r->a, id, &u);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *name = u.name;
  if (!u.active) {
    db_rollback(r->db);
    return http_error(r, 400, _("This account is deactivated. Reactivate it first; a reset link does not work for "
                                "an inactive account."));
  }
  /* a reset replaces earlier links and is an access-log entry on the account (links.c) */
  char token[TOKEN_LEN + 1];
  LinkResult res;
  int64_t expires;
  if ((rc = link_issue(r->db, r, id, "reset", cfg.reset_link_hours, token, &res, &expires)) != DB_OK)
    return http_db_error(r, rc);
  bool mailed = link_deliver(r->db, id, token) == LINK_MAILED; /* queued in this transaction */
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld created a reset link for user %lld", r->rid, (long long)r->user->id, (long long)id);
  link_page(r, id, name, "reset", token, expires, mailed);
  return 200;
}

/* ---- organisations ---- */

/* The organisations page: table and the form to add one (with what was typed and any errors). Returns a
 * DB code. */
static int orgs_page(Req *r) {
  page_begin(r, _("Organisations"));
  html(&r->out, "<h1>%s</h1>", _("Organisations"));
  Organisation *orgs;
  size_t n;
  int rc = orgs_all(r->db, r->a, &orgs, &n);
  if (rc != DB_OK) return rc;
  for (size_t i = 0; i < n; i++) {
    const Organisation *o = &orgs[i];
    if (i == 0) {
      table_begin(r, "table", _("Organisations"));
      html(&r->out, "<thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
           _("Name"), _("Kind"), _("State"), _("Users"), _("Action"));
    }
    html(&r->out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%lld</td><td>", o->name,
         label_org_kind(o->kind), o->active ? _("Active") : _("Inactive"), (long long)o->user_count);
    char action[64];
    snprintf(action, sizeof action, "/admin/orgs/%lld/%s", (long long)o->id, o->active ? "disable" : "enable");
    form_begin(r, action, "inline");
    const char *verb = o->active ? _("Deactivate") : _("Reactivate");
    html(&r->out, "<button type=\"submit\" class=\"link\" aria-label=\"%s: %s\">%s</button>", verb, o->name, verb);
    form_end(r);
    html(&r->out, "</td></tr>");
  }
  if (n) {
    html(&r->out, "</tbody>");
    table_end(r);
  }
  else html(&r->out, "<p>%s</p>", _("There are no organisations yet."));

  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Add an organisation"));
  form_errors_summary(r);
  form_begin(r, "/admin/orgs", "form");
  field_input(r, &(Field){.name = "name", .label = _("Name"), .value = form_str(r, "name"), .required = true,
                          .maxlength = ORG_NAME_MAX_CHARS, .autocomplete = "off"});
  const char *kinds[] = {"", _("Choose a kind"), "employer", label_org_kind("employer"), "care",
                         label_org_kind("care"), "coaching", label_org_kind("coaching"), "agency",
                         label_org_kind("agency"), NULL};
  field_select(r, &(Field){.name = "kind", .label = _("Kind"), .value = form_str(r, "kind"), .required = true},
               kinds);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Add organisation"));
  form_end(r);
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("A deactivated organisation can no longer be chosen for new users; its users keep working."));
  page_end(r);
  return DB_OK;
}

static int get_orgs(Req *r) {
  int rc = orgs_page(r);
  return rc == DB_OK ? 200 : http_db_error(r, rc);
}

static int post_orgs(Req *r) {
  const char *name = form_str(r, "name");
  const char *kind = form_str(r, "kind");
  size_t n = text_chars(name);
  if (n == 0) form_error(r, "name", _("Fill in the name."));
  else if (n > ORG_NAME_MAX_CHARS) form_error(r, "name", _("The name may be at most 160 characters."));
  else if (text_has_breaks(name)) form_error(r, "name", _("The name must be on one line."));
  if (strcmp(kind, "employer") != 0 && strcmp(kind, "care") != 0 && strcmp(kind, "coaching") != 0 &&
      strcmp(kind, "agency") != 0)
    form_error(r, "kind", _("Choose a kind."));
  if (r->nerrors) {
    int rc = orgs_page(r);
    return rc == DB_OK ? 400 : http_db_error(r, rc);
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = org_create(r->db, name, kind, (int64_t)time(NULL), &id);
  if (rc != DB_OK && rc != DB_CONSTRAINT) return http_db_error(r, rc);
  if (rc == DB_CONSTRAINT) { /* the name is taken (in any case), also when added meanwhile */
    db_rollback(r->db);
    form_error(r, "name", _("There is already an organisation with this name."));
    rc = orgs_page(r);
    return rc == DB_OK ? 409 : http_db_error(r, rc);
  }
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld created organisation %lld", r->rid, (long long)r->user->id, (long long)id);
  return http_redirect_flash(r, "/admin/orgs", "created");
}

static int set_org_active(Req *r, int active) {
  int64_t id = r->ids[0];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = org_set_active(r->db, id, active);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld %s organisation %lld", r->rid, (long long)r->user->id,
           active ? "enabled" : "disabled", (long long)id);
  return http_redirect_flash(r, "/admin/orgs", "saved");
}

static int post_org_disable(Req *r) { return set_org_active(r, 0); }
static int post_org_enable(Req *r) { return set_org_active(r, 1); }

/* ---- GET /admin/outbox: notification mails that could not be delivered (mail/outbox.h) ----
 * Addresses and delivery state only: a mail holds no case content, and its link is not shown. */

static const char *outbox_state(const OutboxMail *m) {
  if (strcmp(m->status, "failed") == 0) return _("Given up");
  if (strcmp(m->status, "sending") == 0) return _("Being sent");
  return _("Waiting to be tried again");
}

static const char *outbox_kind(const char *kind) {
  if (strcmp(kind, "invite") == 0) return _("Invitation");
  if (strcmp(kind, "reset") == 0) return _("Password reset link");
  if (strcmp(kind, "message") == 0) return _("New message");
  if (strcmp(kind, "meeting") == 0) return _("Meeting invitation");
  return _("Action due");
}

static int get_outbox(Req *r) {
  OutboxMail *v;
  size_t n;
  int rc = outbox_list_failing(r->db, r->a, 200, &v, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Mail outbox"));
  html(&r->out, "<h1>%s</h1>", _("Mail outbox"));
  if (!outbox_enabled())
    html(&r->out, "<p>%s</p>", _("The portal sends no mail: smtp_url is not set. One-time links are shown to whoever "
                                 "makes them."));
  html(&r->out, "<p>%s</p>", _("Mails that could not be delivered yet. The portal keeps trying, waiting longer after "
                               "each failure; check the SMTP settings and the mail server."));
  for (size_t i = 0; i < n; i++) {
    const OutboxMail *m = &v[i];
    if (i == 0) {
      table_begin(r, "table", _("Mails not delivered"));
      html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
           _("E-mail address"), _("Kind"), _("Queued"), _("Attempts"), _("State"), _("Next attempt"),
           _("Last error"));
    }
    html(&r->out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%lld</td><td>%s</td><td>%s</td>"
                  "<td>%s</td></tr>",
         m->to_addr, outbox_kind(m->kind), fmt_time(r, m->created_at), (long long)m->attempts, outbox_state(m),
         strcmp(m->status, "queued") == 0 ? fmt_time(r, m->next_at) : "", m->last_error ? m->last_error : "");
  }
  if (n) {
    html(&r->out, "</tbody>");
    table_end(r);
  } else {
    html(&r->out, "<p>%s</p>", _("Every mail was delivered."));
  }
  page_end(r);
  return 200;
}

const Route admin_routes[] = {
    {"GET", "/admin", ROLE_ADMIN, 0, get_admin},
    {"GET", "/admin/users", ROLE_ADMIN, 0, get_users},
    {"GET", "/admin/users/new", ROLE_ADMIN, 0, get_user_new},
    {"POST", "/admin/users/new", ROLE_ADMIN, 0, post_user_new},
    {"GET", "/admin/users/{id}", ROLE_ADMIN, 0, get_user},
    {"POST", "/admin/users/{id}/disable", ROLE_ADMIN, 0, post_user_disable},
    {"POST", "/admin/users/{id}/enable", ROLE_ADMIN, 0, post_user_enable},
    {"POST", "/admin/users/{id}/unlock", ROLE_ADMIN, 0, post_user_unlock},
    {"POST", "/admin/users/{id}/reset-link", ROLE_ADMIN, 0, post_user_reset_link},
    {"POST", "/admin/users/{id}/contact", ROLE_ADMIN, 0, post_user_contact},
    {"GET", "/admin/outbox", ROLE_ADMIN, 0, get_outbox},
    {"GET", "/admin/orgs", ROLE_ADMIN, 0, get_orgs},
    {"POST", "/admin/orgs", ROLE_ADMIN, 0, post_orgs},
    {"POST", "/admin/orgs/{id}/disable", ROLE_ADMIN, 0, post_org_disable},
    {"POST", "/admin/orgs/{id}/enable", ROLE_ADMIN, 0, post_org_enable},
    {0},
};

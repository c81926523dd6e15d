/*
 * frame.c — see frame.h.
 */
#include "html/frame.h"

#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/config.h"
#include "core/dates.h"
#include "html/assets.h"
#include "http/flash.h"
#include "i18n/i18n.h"

const char *page_csrf(Req *r) {
  if (r->csrf) return r->csrf;
  if (r->sess) return r->csrf = r->sess->csrf;
  const char *c = params_get(&r->cookies, http_cookie_name("zw_csrf"));
  if (c && token_shape_ok(c)) return r->csrf = c;
  char *t = arena_alloc(r->a, TOKEN_LEN + 1);
  token_new(t);
  http_set_cookie(r, "zw_csrf", t, -1);
  return r->csrf = t;
}

/* Which partners an entry is for: a partner account reaches its pages only when its organisation or side
 * fits (the roles alone would show an HR contact "Case reviews" and a GP "My organisation"). */
typedef enum NavPartners { NAV_ANY_PARTNER, NAV_EMPLOYER_USERS, NAV_CARE_PARTNERS } NavPartners;

typedef struct NavItem {
  const char *href, *label;
  unsigned roles;
  NavPartners partners;
} NavItem;

/* Whether u sees entry it: one of its roles, and for an account that has it only as a partner, the fitting
 * organisation or side. */
static bool nav_for(const User *u, const NavItem *it) {
  unsigned roles = u->roles & it->roles;
  if (!roles) return false;
  if (roles != ROLE_PARTNER || it->partners == NAV_ANY_PARTNER) return true;
  if (it->partners == NAV_EMPLOYER_USERS) return u->org_employer;
  return u->side && strcmp(u->side, "care") == 0;
}

FrameCount frame_unread_count;

/* The number of unread messages addressed to the signed-in user, as a badge after "Messages" (nothing when
 * there are none, when no counter is set, or when the database cannot say: the page is still served). The
 * counter comes from the pages (frame_unread_count), so the frame does not reach into the store. */
static void unread_badge(Req *r) {
  int64_t n = 0;
  if (!r->db || !frame_unread_count || frame_unread_count(r, &n) != DB_OK || n <= 0) return;
  html(&r->out, " <span class=\"badge\">%s</span>", arena_printf(r->a, P_("%lld unread", "%lld unread", n), (long long)n));
}

static void nav(Req *r) {
  static const NavItem items[] = {
      {"/dashboard", N_("Today"), ROLE_COACH},
      {"/caseload", N_("Caseload"), ROLE_COACH},
      {"/participants/new", N_("Register participant"), ROLE_COACH},
      {"/team", N_("Team"), ROLE_TEAMLEAD},
      {"/me", N_("My trajectory"), ROLE_PARTICIPANT},
      {"/me/work", N_("My work"), ROLE_PARTICIPANT},
      {"/me/consents", N_("Who may see what"), ROLE_PARTICIPANT},
      {"/me/log", N_("Who looked at my file"), ROLE_PARTICIPANT},
      {"/shared", N_("Shared with me"), ROLE_PARTNER},
      {"/messages", N_("Messages"), ROLE_COACH | ROLE_PARTICIPANT | ROLE_PARTNER},
      {"/reviews", N_("Case reviews"), ROLE_COACH | ROLE_TEAMLEAD | ROLE_PARTNER, NAV_CARE_PARTNERS},
      {"/employers", N_("Employers"), ROLE_COACH | ROLE_TEAMLEAD},
      {"/my-employer", N_("My organisation"), ROLE_PARTNER, NAV_EMPLOYER_USERS},
      {"/admin/users", N_("Users"), ROLE_ADMIN},
      {"/admin/orgs", N_("Organisations"), ROLE_ADMIN},
      {"/admin/protocols", N_("Protocol templates"), ROLE_ADMIN},
      {"/log", N_("Access log"), ROLE_LOGOFFICER},
      {"/reports", N_("Reports"), ROLE_TEAMLEAD | ROLE_PROGRAMME},
      {"/measures", N_("Knowledge base"), ROLE_ANY},
      {"/account", N_("My account"), ROLE_ANY},
  };
  if (!r->user || (r->sess && !r->sess->mfa_ok && (r->user->roles & ROLE_MFA_REQUIRED)))
    return;
  /* the current item is the one whose path is the longest prefix of this page's path: on /me/log that is
   * "Who looked at my file", not "My trajectory" (/me) as well */
  size_t cur = sizeof items / sizeof *items, cur_len = 0;
  for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
    if (!nav_for(r->user, &items[i])) continue;
    size_t n = strlen(items[i].href);
    if (n > cur_len && strncmp(r->path, items[i].href, n) == 0 && (r->path[n] == 0 || r->path[n] == '/'))
      cur = i, cur_len = n;
  }
  html(&r->out, "<nav class=\"nav\" aria-label=\"%s\"><ul>", _("Main menu"));
  for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
    if (!nav_for(r->user, &items[i])) continue;
    html(&r->out, "<li><a href=\"%s\"", items[i].href);
    if (i == cur) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s", _(items[i].label));
    if (strcmp(items[i].href, "/messages") == 0) unread_badge(r);
    html(&r->out, "</a></li>");
  }
  html(&r->out, "</ul></nav>");
}

void page_begin(Req *r, const char *title) {
  Buf *o = &r->out;
  const char *csrf = page_csrf(r);
  html(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>%s · %s</title>"
          "<link rel=\"stylesheet\" href=\"%s\">"
          "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">"
          "<script src=\"%s\" defer></script></head>\n<body>",
       r->lang, title, _("Care & Work portal"), assets_url("style.css"), assets_url("favicon.svg"),
       assets_url("app.js"));
  html(o, "<a class=\"skip\" href=\"#main\">%s</a><header class=\"top\"><a class=\"brand\" href=\"/\">%s</a>",
       _("Skip to content"), _("Care & Work"));
  nav(r);
  html(o, "<div class=\"tools\">");
  if (r->user) {
    html(o, "<span class=\"who\">%s</span>", r->user->name);
    html(o, "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" "
            "value=\"%s\"><button type=\"submit\" class=\"link\">%s</button></form>",
         csrf, _("Sign out"));
  }
  const char *other = strcmp(r->lang, "en") == 0 ? "nl" : "en";
  html(o, "<form method=\"post\" action=\"/lang\" class=\"inline lang\"><input type=\"hidden\" name=\"_csrf\" "
          "value=\"%s\"><input type=\"hidden\" name=\"next\" value=\"%s\">"
          "<button type=\"submit\" name=\"lang\" value=\"%s\" class=\"link\" lang=\"%s\">%s</button></form>",
       csrf, r->path, other, other, strcmp(other, "en") == 0 ? "English" : "Nederlands");
  html(o, "</div></header>\n<main id=\"main\" class=\"main\">");
  const char *f = flash_message(r->flash);
  if (f) html(o, "<p class=\"flash\" role=\"status\">%s</p>", _(f));
}

void page_end(Req *r) {
  html(&r->out, "</main>\n<footer class=\"foot\"><p>%s</p></footer></body></html>\n",
       _("Nobody sees information about you unless you agreed to it."));
}

void page_error(Req *r, int status, const char *message) {
  const char *title;
  switch (status) {
    case 400: title = _("The request could not be understood"); break;
    case 403: title = _("No access"); break;
    case 404: title = _("Not found"); break;
    case 405: title = _("Not possible here"); break;
    case 409: title = _("Already exists"); break;
    case 413: title = _("Too large"); break;
    case 415: title = _("Not accepted"); break;
    case 429: title = _("Too many attempts"); break;
    case 503: title = _("Temporarily unavailable"); break;
    default: title = _("Something went wrong"); break;
  }
  if (!message) {
    switch (status) {
      case 404: message = _("This page does not exist, or you have no access to it."); break;
      case 403: message = _("You have no access to this page."); break;
      case 503: message = _("The portal is temporarily unavailable. Please try again in a moment."); break;
      default:
        message = status >= 500 ? _("An unexpected error occurred. It has been logged; nothing you saved earlier is lost.")
                                : _("Please go back and try again.");
    }
  }
  buf_reset(&r->out);
  r->content_type = NULL;
  page_begin(r, title);
  html(&r->out, "<section class=\"error\"><h1>%s</h1><p>%s</p><p><a href=\"/\">%s</a></p>", title, message,
       _("Go to the start page"));
  html(&r->out, "<p class=\"muted small\">%s %s</p></section>", _("Reference:"), r->rid);
  page_end(r);
}

void form_begin(Req *r, const char *action, const char *css_class) {
  html(&r->out, "<form method=\"post\" action=\"%s\" class=\"%s\" novalidate>"
                "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
       action, css_class ? css_class : "form", page_csrf(r));
}

void form_end(Req *r) { html(&r->out, "</form>"); }

void form_error(Req *r, const char *field, const char *message) {
  if (r->nerrors % 8 == 0) {
    Param *n = arena_alloc(r->a, sizeof(Param) * (size_t)(r->nerrors + 8));
    if (r->nerrors) memcpy(n, r->errors, sizeof(Param) * (size_t)r->nerrors);
    r->errors = n;
  }
  r->errors[r->nerrors].key = field;
  r->errors[r->nerrors].val = message;
  r->nerrors++;
}

const char *form_error_for(Req *r, const char *field) {
  for (int i = 0; i < r->nerrors; i++)
    if (strcmp(r->errors[i].key, field) == 0) return r->errors[i].val;
  return NULL;
}

void form_errors_summary(Req *r) {
  if (!r->nerrors) return;
  html(&r->out, "<div class=\"errors\" role=\"alert\" tabindex=\"-1\"><p>%s</p><ul>",
       P_("Please correct this:", "Please correct these:", r->nerrors));
  for (int i = 0; i < r->nerrors; i++)
    html(&r->out, "<li><a href=\"#f-%s\">%s</a></li>", r->errors[i].key, r->errors[i].val);
  html(&r->out, "</ul></div>");
}

static void field_head(Req *r, const Field *f, const char *err) {
  html(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s", err ? " has-error" : "", f->name, f->label);
  if (!f->required) html(&r->out, " <span class=\"optional\">(%s)</span>", _("optional"));
  html(&r->out, "</label>");
  if (f->hint) html(&r->out, "<p class=\"hint\" id=\"h-%s\">%s</p>", f->name, f->hint);
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", f->name, err);
}

static void field_attrs(Req *r, const Field *f, const char *err) {
  html(&r->out, " id=\"f-%s\" name=\"%s\"", f->name, f->name);
  if (f->required) html(&r->out, " required");
  if (f->maxlength > 0) html(&r->out, " maxlength=\"%d\"", f->maxlength);
  if (f->autocomplete) html(&r->out, " autocomplete=\"%s\"", f->autocomplete);
  if (err) html(&r->out, " aria-invalid=\"true\"");
  if (err || f->hint) {
    html(&r->out, " aria-describedby=\"");
    if (f->hint) html(&r->out, "h-%s%s", f->name, err ? " " : "");
    if (err) html(&r->out, "e-%s", f->name);
    html(&r->out, "\"");
  }
}

void field_input(Req *r, const Field *f) {
  const char *err = form_error_for(r, f->name);
  field_head(r, f, err);
  const char *type = f->type ? f->type : "text";
  html(&r->out, "<input type=\"%s\"", type);
  field_attrs(r, f, err);
  if (strcmp(type, "password") != 0 && f->value) html(&r->out, " value=\"%s\"", f->value);
  html(&r->out, "></div>");
}

void field_textarea(Req *r, const Field *f, int rows) {
  const char *err = form_error_for(r, f->name);
  field_head(r, f, err);
  html(&r->out, "<textarea rows=\"%d\"", rows);
  field_attrs(r, f, err);
  html(&r->out, ">%s</textarea></div>", f->value ? f->value : "");
}

void field_select(Req *r, const Field *f, const char *const *options) {
  const char *err = form_error_for(r, f->name);
  field_head(r, f, err);
  html(&r->out, "<select");
  field_attrs(r, f, err);
  html(&r->out, ">");
  for (int i = 0; options[i]; i += 2)
    html(&r->out, "<option value=\"%s\"%s>%s</option>", options[i],
         f->value && strcmp(f->value, options[i]) == 0 ? " selected" : "", options[i + 1]);
  html(&r->out, "</select></div>");
}

void table_begin(Req *r, const char *css_class, const char *caption) {
  html(&r->out, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"%s\"><table", caption);
  if (css_class) html(&r->out, " class=\"%s\"", css_class);
  html(&r->out, "><caption>%s</caption>", caption);
}

void table_end(Req *r) { html(&r->out, "</table></div>"); }

const char *label_phase(const char *phase) {
  static const char *const map[] = {
      "registration", N_("Registration"), "intake", N_("Intake"), "exploration", N_("Exploration"),
      "consultation", N_("Consultation"), "action_plan", N_("Action plan"), "follow_up", N_("Follow-up"),
      "aftercare", N_("Long-term follow-up"), "closure", N_("Closure"), NULL};
  for (int i = 0; phase && map[i]; i += 2)
    if (strcmp(map[i], phase) == 0) return _(map[i + 1]);
  return phase ? phase : "";
}

const char *label_role(unsigned roles) {
  if (roles & ROLE_ADMIN) return _("Administrator");
  if (roles & ROLE_TEAMLEAD) return _("Team lead");
  if (roles & ROLE_COACH) return _("Coach");
  if (roles & ROLE_LOGOFFICER) return _("Log officer");
  if (roles & ROLE_PROGRAMME) return _("Programme manager");
  if (roles & ROLE_PARTICIPANT) return _("Participant");
  if (roles & ROLE_PARTNER) return _("Partner");
  return "";
}

const char *label_org_kind(const char *kind) {
  static const char *const map[] = {"employer", N_("Employer"), "care", N_("Care organisation"), "coaching",
                                    N_("Coaching organisation"), "agency", N_("Agency"), NULL};
  for (int i = 0; kind && map[i]; i += 2)
    if (strcmp(map[i], kind) == 0) return _(map[i + 1]);
  return kind ? kind : "";
}

const char *const item_categories[] = {"health", "capacity", "work", "plan", "practical", NULL};

bool is_category(const char *code) {
  for (int i = 0; code && item_categories[i]; i++)
    if (strcmp(item_categories[i], code) == 0) return true;
  return false;
}

const char *label_category(const char *category) {
  static const char *const map[] = {"health", N_("Health"), "capacity", N_("Capacity"), "work", N_("Work"),
                                    "plan", N_("Plan and agreements"), "practical", N_("Practical"), NULL};
  for (int i = 0; category && map[i]; i += 2)
    if (strcmp(map[i], category) == 0) return _(map[i + 1]);
  return category ? category : "";
}

const char *explain_category(const char *category) {
  static const char *const map[] = {
      "health", N_("your health: diagnosis, treatment and symptoms"),
      "capacity", N_("what you can and cannot do at the moment, without medical details"),
      "work", N_("your work situation: tasks, workload and adjustments"),
      "plan", N_("your goals, actions and agreements"),
      "practical", N_("practical matters such as dates and appointments"), NULL};
  for (int i = 0; category && map[i]; i += 2)
    if (strcmp(map[i], category) == 0) return _(map[i + 1]);
  return "";
}

const char *label_hidden_person(void) { return _("another member of the network"); }

const char *name_or_hidden(const char *name) { return name ? name : label_hidden_person(); }

const char *fmt_time(Req *r, int64_t t) {
  if (t <= 0) return "";
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return arena_strdup(r->a, buf);
}

bool reader_plain(Req *r) { return r->user && (r->user->roles & ROLE_PARTICIPANT); }

const char *date_for(Req *r, const char *ymd) {
  if (!ymd) return "";
  return reader_plain(r) ? date_words(r->a, ymd) : ymd;
}

const char *day_for(Req *r, int64_t t) {
  if (t <= 0) return "";
  return reader_plain(r) ? date_local_words(r->a, t) : arena_strndup(r->a, fmt_time(r, t), 10);
}

const char *time_for(Req *r, int64_t t) { return reader_plain(r) ? when_words(r->a, t) : fmt_time(r, t); }

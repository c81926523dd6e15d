/*
 * measures.c — the knowledge base of measures (maatregelen): plain-language articles for participants and
 * employers about gradual return, workplace adjustments, trial placement, job coaching and the support of
 * the agencies, which an action plan links to by slug.
 *
 *   GET  /measures                   the list, for every signed-in role; ?audience=participant|employer
 *   GET  /measures/{slug}            one article, its Markdown rendered with raw HTML off
 *   GET  /measures/new, POST         administrator: a new article
 *   GET  /measures/{id}/edit, POST   administrator: change an article
 *   POST /measures/{id}/unpublish    administrator: take an article offline (and /publish: back online)
 *
 * Articles are not case information: nothing here reads a trajectory, so there is no policy door and no
 * access-log entry. An unpublished article exists only for administrators: anybody else gets the same 404
 * as for a slug that does not exist. Slugs start with a letter, so /measures/{slug} never looks like an id.
 *
 * Language rule: the Dutch title and body are required, the English ones optional and given as a pair. A
 * reader in English sees the Dutch text (marked lang="nl", with a note) when there is no English text.
 */
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "render/markdown.h"
#include "store/measures.h"

enum {
  SLUG_MAX = 80,       /* bytes of a slug (ASCII only) */
  TITLE_MAX = 200,     /* characters of a title */
  BODY_MAX = 20000,    /* characters of a body */
  LIST_MAX = 500,      /* articles on the list page */
};


static bool is_admin(Req *r) { return r->user && (r->user->roles & ROLE_ADMIN); }

static bool lang_en(Req *r) { return strcmp(r->lang, "en") == 0; }

/* A slug: 1..SLUG_MAX bytes of lower-case letters, digits and single hyphens, starting with a letter and
 * not ending with a hyphen; "new" is the address of the form. */
static bool measure_slug_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > SLUG_MAX || !(s[0] >= 'a' && s[0] <= 'z') || s[n - 1] == '-' || strcmp(s, "new") == 0)
    return false;
  for (const char *p = s; *p; p++) {
    bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && p[1] != '-');
    if (!ok) return false;
  }
  return true;
}

static bool is_audience(const char *s) {
  return strcmp(s, "participant") == 0 || strcmp(s, "employer") == 0 || strcmp(s, "both") == 0;
}

/* Translated "for whom" of an audience code. */
static const char *label_audience(const char *code) {
  if (strcmp(code, "participant") == 0) return _("For participants");
  if (strcmp(code, "employer") == 0) return _("For employers");
  return _("For participants and employers");
}

/* The title in the request's language: English when asked for and present, else Dutch (*dutch true). */
static const char *title_for(Req *r, const char *nl, const char *en, bool *dutch) {
  bool use_en = lang_en(r) && en && *en;
  if (dutch) *dutch = lang_en(r) && !use_en;
  return use_en ? en : nl;
}

/* Writes " lang=\"nl\"" when a Dutch text is shown on an English page. */
static void lang_attr(Req *r, bool dutch) {
  if (dutch) html(&r->out, " lang=\"nl\"");
}

/* ------------------------------------------------------------------------------ for the action plan */

int measures_published(Req *r, MeasureRef **list, int *n) {
  *list = NULL;
  *n = 0;
  Measure *all;
  int k;
  int rc = measures_list(r->db, r->a, false, "", r->lang, MEASURES_LINKABLE_MAX, &all, &k);
  if (rc != DB_OK) return rc;
  MeasureRef *v = arena_alloc(r->a, sizeof *v * (size_t)(k + 1));
  for (int i = 0; i < k; i++)
    v[i] = (MeasureRef){.slug = all[i].slug, .title = title_for(r, all[i].title_nl, all[i].title_en, NULL)};
  *list = v;
  *n = k;
  return DB_OK;
}

int measure_published_one(Req *r, const char *slug, MeasureRef *out) {
  Measure m;
  int rc = measure_get_published(r->db, r->a, slug, &m);
  if (rc == DB_ROW) *out = (MeasureRef){.slug = m.slug, .title = title_for(r, m.title_nl, m.title_en, NULL)};
  return rc;
}

const MeasureRef *measure_find(const MeasureRef *list, int n, const char *slug) {
  if (!slug || !*slug) return NULL;
  for (int i = 0; i < n; i++)
    if (strcmp(list[i].slug, slug) == 0) return &list[i];
  return NULL;
}

/* ------------------------------------------------------------------------------ reading */

/* GET /measures: the published articles (administrators: all), by title, filtered by audience. */
static int get_list(Req *r) {
  const char *aud = query_str(r, "audience");
  if (strcmp(aud, "participant") != 0 && strcmp(aud, "employer") != 0) aud = "";
  bool admin = is_admin(r);
  Measure *list;
  int n;
  int rc = measures_list(r->db, r->a, admin, aud, r->lang, LIST_MAX, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Knowledge base"));
  html(&r->out, "<h1>%s</h1>", _("Knowledge base"));
  html(&r->out, "<p class=\"lead\">%s</p>",
       _("Clear articles about returning to work: a gradual return, adjustments at work, trial placement, job "
         "coaching and the support of the agencies. An action plan can link to them."));
  if (admin)
    html(&r->out, "<p><a class=\"button primary\" href=\"/measures/new\">%s</a></p>", _("New article"));
  static const struct {
    const char *code, *label;
  } filters[] = {{"", N_("All articles")}, {"participant", N_("For participants")}, {"employer", N_("For employers")}};
  html(&r->out, "<nav aria-label=\"%s\"><ul class=\"chips\">", _("Filter by audience"));
  for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
    html(&r->out, "<li><a class=\"chip\" href=\"/measures%s%s\"", *filters[i].code ? "?audience=" : "",
         filters[i].code);
    if (strcmp(aud, filters[i].code) == 0) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s</a></li>", _(filters[i].label));
  }
  html(&r->out, "</ul></nav>");

  int shown = 0;
  for (int i = 0; i < n; i++) {
    const Measure *m = &list[i];
    if (shown++ == 0) html(&r->out, "<ul class=\"plain measures\">");
    bool dutch;
    const char *title = title_for(r, m->title_nl, m->title_en, &dutch);
    html(&r->out, "<li><a href=\"/measures/%s\"", m->slug);
    lang_attr(r, dutch);
    html(&r->out, ">%s</a> <span class=\"badge\">%s</span>", title, label_audience(m->audience));
    if (admin) {
      if (!m->published)
        html(&r->out, " <span class=\"badge badge-warn\">%s</span>", _("Not published"));
      html(&r->out, " <a href=\"/measures/%lld/edit\">%s<span class=\"visually-hidden\">: %s</span></a>",
           (long long)m->id, _("Edit"), title);
    }
    html(&r->out, "</li>");
  }
  if (shown) html(&r->out, "</ul>");
  else
    html(&r->out, "<p class=\"empty\">%s</p>",
         *aud ? _("There is no article for this audience yet.") : _("There are no articles yet."));
  page_end(r);
  return 200;
}

/* GET /measures/{slug}: one article. Unpublished: administrators only, 404 for everybody else. */
static int get_article(Req *r) {
  const char *slug = r->rest ? r->rest : "";
  if (!measure_slug_ok(slug)) return http_error(r, 404, NULL);
  Measure m;
  int rc = measure_get(r->db, r->a, slug, 0, &m);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  bool admin = is_admin(r);
  if (rc == DB_DONE || (!m.published && !admin)) return http_error(r, 404, NULL);

  bool dutch;
  const char *title = title_for(r, m.title_nl, m.title_en, &dutch);
  const char *body = dutch || !lang_en(r) ? m.body_nl : m.body_en;
  page_begin(r, title);
  html(&r->out, "<p><a href=\"/measures\">%s</a></p><article class=\"measure\"><h1", _("All articles"));
  lang_attr(r, dutch);
  html(&r->out, ">%s</h1><p class=\"meta\"><span class=\"badge\">%s</span> %s %s</p>", title,
       label_audience(m.audience), _("Last updated:"), day_for(r, m.updated_at));
  if (!m.published)
    html(&r->out, "<p><span class=\"badge badge-warn\">%s</span> %s</p>", _("Not published"),
         _("Only administrators can see this article."));
  if (dutch)
    html(&r->out, "<p class=\"muted\">%s</p>",
         _("This article is not available in English yet; it is shown in Dutch."));
  html(&r->out, "<div class=\"measure-body\"");
  lang_attr(r, dutch);
  html(&r->out, ">");
  html_markup(&r->out, markdown_render(r->a, body, strlen(body)));
  html(&r->out, "</div></article>");
  if (admin) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"h-manage\"><h2 id=\"h-manage\">%s</h2>",
         _("Manage this article"));
    if (m.updated_by_name) html(&r->out, "<p class=\"muted small\">%s %s</p>", _("Last changed by"), m.updated_by_name);
    html(&r->out, "<div class=\"button-row\"><a class=\"button\" href=\"/measures/%lld/edit\">%s</a>", (long long)m.id,
         _("Edit"));
    form_begin(r, arena_printf(r->a, "/measures/%lld/%s", (long long)m.id, m.published ? "unpublish" : "publish"),
               "inline");
    if (m.published) html(&r->out, "<button type=\"submit\" class=\"danger\">%s</button>", _("Unpublish"));
    else html(&r->out, "<button type=\"submit\">%s</button>", _("Publish"));
    form_end(r);
    html(&r->out, "</div><p class=\"muted small\">%s</p></section>",
         _("An unpublished article is hidden from everybody but administrators; action plans that name it show "
           "its short name without a link."));
  }
  page_end(r);
  return 200;
}

/* ------------------------------------------------------------------------------ administrator */

/* The article form: stored values of m, or what was posted (m NULL), with errors beside the fields.
 * action: the form's target; editing: an existing article (the slug hint warns about links). */
static void measure_form(Req *r, const char *action, const Measure *m, bool editing) {
  const char *slug = m ? m->slug : form_str(r, "slug");
  const char *audience = m ? m->audience : form_str(r, "audience");
  const char *title_nl = m ? m->title_nl : form_str(r, "title_nl"), *body_nl = m ? m->body_nl : form_str(r, "body_nl");
  const char *title_en = m ? m->title_en : form_str(r, "title_en"), *body_en = m ? m->body_en : form_str(r, "body_en");
  bool published = m ? m->published : *form_str(r, "published") != 0;
  const char *audiences[] = {"participant", _("Participants"), "employer", _("Employers"), "both",
                             _("Participants and employers"), NULL};
  form_errors_summary(r);
  form_begin(r, action, "form");
  field_input(r, &(Field){.name = "slug", .label = _("Short name"), .value = slug, .required = true,
                          .maxlength = SLUG_MAX, .autocomplete = "off",
                          .hint = editing ? _("Lower-case letters, digits and hyphens, starting with a letter. It is "
                                              "part of the address, and action plans link to the article by it: if "
                                              "you change it, plans that use the old name no longer link here.")
                                          : _("Lower-case letters, digits and hyphens, starting with a letter, for "
                                              "example gradual-return. It is part of the address, and action plans "
                                              "link to the article by it.")});
  field_select(r, &(Field){.name = "audience", .label = _("For whom"), .value = *audience ? audience : "both",
                           .required = true},
               audiences);
  html(&r->out, "<fieldset><legend>%s</legend>", _("Dutch"));
  field_input(r, &(Field){.name = "title_nl", .label = _("Title in Dutch"), .value = title_nl, .required = true,
                          .maxlength = TITLE_MAX});
  field_textarea(r, &(Field){.name = "body_nl", .label = _("Text in Dutch"), .value = body_nl, .required = true,
                             .maxlength = BODY_MAX,
                             .hint = _("Markdown: ## for a heading, - for a list, **bold**. HTML is shown as text.")},
                 16);
  html(&r->out, "</fieldset><fieldset><legend>%s</legend><p class=\"hint\">%s</p>", _("English"),
       _("Leave both English fields empty to show the Dutch text to readers who use English."));
  field_input(r, &(Field){.name = "title_en", .label = _("Title in English"), .value = title_en,
                          .maxlength = TITLE_MAX});
  field_textarea(r, &(Field){.name = "body_en", .label = _("Text in English"), .value = body_en, .maxlength = BODY_MAX},
                 16);
  html(&r->out, "</fieldset>");
  html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-published\" name=\"published\" "
                "value=\"1\"%s> <label for=\"f-published\">%s</label></div>",
       published ? " checked" : "", _("Published: every signed-in user can read it"));
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/measures\">%s</a></div>",
       editing ? _("Save") : _("Create article"), _("Cancel"));
  form_end(r);
}

/* The new-article page (status 200, or 400/409 after a refused save). */
static int render_new(Req *r, bool posted, int status) {
  page_begin(r, _("New article"));
  html(&r->out, "<p><a href=\"/measures\">%s</a></p><section class=\"card\"><h1>%s</h1>", _("All articles"),
       _("New article"));
  static const Measure fresh = {.audience = "both", .published = true, .slug = "", .title_nl = "", .body_nl = ""};
  measure_form(r, "/measures/new", posted ? NULL : &fresh, false);
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

/* The edit page of article m (stored values, or what was posted), with status. */
static int render_edit(Req *r, const Measure *m, bool posted, int status) {
  page_begin(r, _("Edit article"));
  html(&r->out, "<p><a href=\"/measures/%s\">%s</a></p>", m->slug, _("Back to the article"));
  html(&r->out, "<section class=\"card\"><h1>%s</h1>", _("Edit article"));
  measure_form(r, arena_printf(r->a, "/measures/%lld/edit", (long long)m->id), posted ? NULL : m, true);
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

static int get_new(Req *r) { return render_new(r, false, 200); }

static int get_edit(Req *r) {
  Measure m;
  int rc = measure_get(r->db, r->a, NULL, r->ids[0], &m);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return render_edit(r, &m, false, 200);
}

/* A title field: required (when required), one line, at most TITLE_MAX characters. */
static void check_title(Req *r, const char *key, const char *s, bool required, const char *missing) {
  if (!*s) {
    if (required) form_error(r, key, missing);
  } else if (text_chars(s) > TITLE_MAX) form_error(r, key, _("The title may be at most 200 characters."));
  else if (text_has_breaks(s)) form_error(r, key, _("Keep the title on one line."));
}

/* Records that the slug is taken (by the check or by the unique index). */
static void slug_clash(Req *r) { form_error(r, "slug", _("There is already an article with this short name.")); }

/* Reads and checks the posted article into *m (texts from the form; title_en/body_en NULL when empty).
 * When the form has no other error, also checks that no other article (not except_id) has the slug
 * (*taken). Records errors with form_error; returns a DB code. */
static int measure_check(Req *r, int64_t except_id, Measure *m, bool *taken) {
  *taken = false;
  *m = (Measure){.id = except_id, .slug = form_str(r, "slug"), .audience = form_str(r, "audience"),
                 .title_nl = form_str(r, "title_nl"), .body_nl = form_str(r, "body_nl"),
                 .title_en = form_str(r, "title_en"), .body_en = form_str(r, "body_en"),
                 .published = *form_str(r, "published") != 0};
  if (!*m->slug) form_error(r, "slug", _("Give the article a short name."));
  else if (strcmp(m->slug, "new") == 0) form_error(r, "slug", _("This short name is reserved; choose another one."));
  else if (!measure_slug_ok(m->slug))
    form_error(r, "slug", _("Use only lower-case letters, digits and single hyphens, starting with a letter and at "
                            "most 80 characters long."));
  if (!is_audience(m->audience)) form_error(r, "audience", _("Choose for whom the article is."));
  check_title(r, "title_nl", m->title_nl, true, _("Give the title in Dutch."));
  if (!*m->body_nl) form_error(r, "body_nl", _("Write the text in Dutch."));
  else if (text_chars(m->body_nl) > BODY_MAX) form_error(r, "body_nl", _("The text may be at most 20000 characters."));
  check_title(r, "title_en", m->title_en, false, NULL);
  if (text_chars(m->body_en) > BODY_MAX) form_error(r, "body_en", _("The text may be at most 20000 characters."));
  if (*m->title_en && !*m->body_en)
    form_error(r, "body_en", _("Write the English text too, or leave both English fields empty."));
  else if (!*m->title_en && *m->body_en)
    form_error(r, "title_en", _("Give the English title too, or leave both English fields empty."));
  if (!*m->title_en) m->title_en = NULL;
  if (!*m->body_en) m->body_en = NULL;
  if (r->nerrors) return DB_OK;

  int rc = measure_slug_taken(r->db, m->slug, except_id, taken);
  if (rc != DB_OK) return rc;
  if (*taken) slug_clash(r);
  return DB_OK;
}

/* POST /measures/new */
static int post_new(Req *r) {
  Measure m;
  bool taken;
  int rc = measure_check(r, 0, &m, &taken);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_new(r, true, taken ? 409 : 400);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = measure_create(r->db, &m, r->user->id, (int64_t)time(NULL), &id);
  if (rc == DB_CONSTRAINT) { /* created in between the check and the write lock */
    db_rollback(r->db);
    slug_clash(r);
    return render_new(r, true, 409);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld created measure %lld", r->rid, (long long)r->user->id, (long long)id);
  return http_redirect_flash(r, arena_printf(r->a, "/measures/%s", m.slug), "created");
}

/* POST /measures/{id}/edit */
static int post_edit(Req *r) {
  int64_t id = r->ids[0];
  Measure old;
  int rc = measure_get(r->db, r->a, NULL, id, &old);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  Measure m;
  bool taken;
  if ((rc = measure_check(r, id, &m, &taken)) != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_edit(r, &old, true, taken ? 409 : 400);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = measure_update(r->db, id, &m, r->user->id, (int64_t)time(NULL));
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    slug_clash(r);
    return render_edit(r, &old, true, 409);
  }
  if (rc == DB_DONE) { /* deleted in the meantime */
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld changed measure %lld", r->rid, (long long)r->user->id, (long long)id);
  return http_redirect_flash(r, arena_printf(r->a, "/measures/%s", m.slug), "saved");
}

/* Sets the published flag of article r->ids[0] and goes back to the article; 404 for an unknown id. */
static int set_published(Req *r, int published) {
  int64_t id = r->ids[0];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = measure_set_published(r->db, id, published, r->user->id, (int64_t)time(NULL));
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  Measure m;
  if ((rc = measure_get(r->db, r->a, NULL, id, &m)) != DB_ROW) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s admin %lld %s measure %lld", r->rid, (long long)r->user->id,
           published ? "published" : "unpublished", (long long)id);
  return http_redirect_flash(r, arena_printf(r->a, "/measures/%s", m.slug), "saved");
}

static int post_unpublish(Req *r) { return set_published(r, 0); }
static int post_publish(Req *r) { return set_published(r, 1); }

/* Reading is for every signed-in role; writing is the administrator's (other roles get 403 before the
 * handler). The slug route comes last: /measures/new and /measures/{id}/... match first. */
const Route measures_routes[] = {
    {"GET", "/measures", ROLE_ANY, 0, get_list},
    {"GET", "/measures/new", ROLE_ADMIN, 0, get_new},
    {"POST", "/measures/new", ROLE_ADMIN, 0, post_new},
    {"GET", "/measures/{id}/edit", ROLE_ADMIN, 0, get_edit},
    {"POST", "/measures/{id}/edit", ROLE_ADMIN, 0, post_edit},
    {"POST", "/measures/{id}/unpublish", ROLE_ADMIN, 0, post_unpublish},
    {"POST", "/measures/{id}/publish", ROLE_ADMIN, 0, post_publish},
    {"GET", "/measures/{*slug}", ROLE_ANY, 0, get_article},
    {0},
};

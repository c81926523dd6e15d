/*
 * data_export.c — "Download my data" (GDPR art. 15 and 20): /me/data explains what the download holds and
 * offers it; /me/data.zip is the download — a ZIP (stored, src/render/zip.c) with data.json (everything the
 * portal holds about the participant that the one rule lets them see, and who looked at their file as
 * /me/log shows it), data-export.schema.json (its JSON Schema, documented in doc/data-export.md),
 * summary.html (the same in readable form) and README.txt.
 *
 * The data is collected by the store (store/export.h) with the rule's SQL form; every trajectory passes the
 * one door (policy_trajectory, grounds "self"), every item is checked once more and logged by the list door
 * (items_disclose_more, action "export"), and the access log's export is logged, all before the answer is
 * produced.
 */
#include <string.h>
#include <time.h>
#include <stdlib.h>

#include <jansson.h>

#include "core/dates.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/text.h"
#include "html/assets.h"
#include "html/frame.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "render/zip.h"
#include "store/accesslog.h"
#include "store/export.h"

extern const EmbeddedFile assets[];

enum { EXPORT_LOG_MAX = 200000 }; /* access-log entries in one download */

/* ------------------------------------------------------------------------------------- the access log */

/* The person of an entry as "Who looked at my file" names them (pages/accesslog.c's visit_name). */
static const char *who_words(const User *me, const AccessMyEntry *e) {
  if (e->user_id && e->user_id == me->id) return _("You");
  if (strcmp(e->role, "participant") == 0) return _("Another participant");
  if (!e->user_id) return _("Someone who was not signed in");
  if (!e->user_name) return _("An account that no longer exists");
  return e->user_name;
}

typedef struct LogCtx {
  Arena *a;
  const User *me;
  json_t *arr;
} LogCtx;

/* Adds entry e to the export's access log, with the names the participant's own page shows. */
static void log_entry(void *ctx, const AccessMyEntry *e) {
  LogCtx *c = ctx;
  bool named = e->user_name && strcmp(e->role, "participant") != 0;
  json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:s}", "at", export_time(c->a, e->at), "who",
                        who_words(c->me, e), "role", e->role ? e->role : "",
                        "organisation", named && e->org_name ? json_string(e->org_name) : json_null(),
                        "function_in_network", named && e->member_role ? json_string(e->member_role) : json_null(),
                        "action", e->action ? e->action : "",
                        "information", e->item ? json_string(e->item) : json_null(),
                        "outcome", e->outcome ? e->outcome : "ok");
  if (o) json_array_append_new(c->arr, o);
}

/* ------------------------------------------------------------------------------------- the summary */

/* A JSON string member as C text ("" when absent or null). */
static const char *js(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

/* An ISO UTC time of the export as words in the portal's time zone. */
static const char *when_iso(Arena *a, const char *iso) {
  struct tm tm = {0};
  if (!iso || !*iso || !strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) return "";
  return when_words(a, (int64_t)timegm(&tm));
}

static void summary_items(Buf *h, Arena *a, json_t *items) {
  html(h, "<h3>%s</h3>", _("Notes, plans, questionnaires, referrals, messages and other information"));
  if (!json_array_size(items)) {
    html(h, "<p>%s</p>", _("Nothing."));
    return;
  }
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    const char *title = *js(it, "title") ? js(it, "title") : label_category(js(it, "category"));
    html(h, "<article><h4>%s</h4><p class=\"meta\">%s · %s", title, when_iso(a, js(it, "created_at")),
         label_category(js(it, "category")));
    if (*js(it, "author")) html(h, " · %s", js(it, "author"));
    html(h, "</p>");
    if (*js(it, "body")) {
      html(h, "<p>");
      html_text_lines(h, js(it, "body"));
      html(h, "</p>");
    }
    json_t *plan = json_object_get(it, "plan");
    if (plan) {
      size_t gi, ai;
      json_t *g, *ac;
      html(h, "<p>%s</p><ul>", arena_printf(a, _("Action plan, version %lld"),
                                             (long long)json_integer_value(json_object_get(plan, "version"))));
      json_array_foreach(json_object_get(plan, "goals"), gi, g) {
        html(h, "<li>%s<ul>", js(g, "title"));
        json_array_foreach(json_object_get(g, "actions"), ai, ac)
            html(h, "<li>%s (%s)</li>", js(ac, "text"), date_words(a, js(ac, "due_on")));
        html(h, "</ul></li>");
      }
      html(h, "</ul>");
    }
    html(h, "</article>");
  }
}

static void summary_trajectory(Buf *h, Arena *a, json_t *t) {
  html(h, "<section><h2>%s</h2>",
       arena_printf(a, _("Trajectory %lld, started on %s"), (long long)json_integer_value(json_object_get(t, "id")),
                    date_words(a, js(t, "started_on"))));
  json_t *er = json_object_get(t, "erasure");
  if (er && json_is_object(er))
    html(h, "<p><strong>%s</strong></p>",
         arena_printf(a, _("Erased on %s under the retention rule."), date_words(a, js(er, "erased_on"))));
  html(h, "<p>%s %s</p>", _("You are now in the phase:"), label_phase(js(t, "phase")));
  if (*js(t, "closed_on")) html(h, "<p>%s</p>", arena_printf(a, _("Closed on %s."), date_words(a, js(t, "closed_on"))));
  size_t i;
  json_t *x;
  html(h, "<h3>%s</h3><ul>", _("Your coach"));
  json_array_foreach(json_object_get(t, "coaches"), i, x) html(h, "<li>%s</li>", js(x, "name"));
  html(h, "</ul><h3>%s</h3><ul>", _("Your network"));
  json_array_foreach(json_object_get(t, "network"), i, x)
      html(h, "<li>%s · %s</li>", js(x, "name"), network_role_label(js(x, "function")));
  html(h, "</ul>");
  summary_items(h, a, json_object_get(t, "items"));
  html(h, "<h3>%s</h3><ul>", _("Meetings"));
  json_array_foreach(json_object_get(t, "meetings"), i, x)
      html(h, "<li>%s · %s</li>", when_iso(a, js(x, "starts_at")), js(x, "agenda"));
  html(h, "</ul><h3>%s</h3><ul>", _("Who may see what: your consents"));
  json_array_foreach(json_object_get(t, "consents"), i, x) {
    html(h, "<li>%s · %s", label_category(js(x, "category")),
         arena_printf(a, _("given on %s"), date_words(a, js(x, "given_on"))));
    if (*js(x, "withdrawn_at")) html(h, " · %s", arena_printf(a, _("withdrawn on %s"), when_iso(a, js(x, "withdrawn_at"))));
    html(h, "</li>");
  }
  html(h, "</ul><h3>%s</h3><ul>", _("Your requests to correct information"));
  json_array_foreach(json_object_get(t, "corrections"), i, x) {
    html(h, "<li>%s", js(x, "request"));
    if (*js(x, "answer")) html(h, "<br>%s %s", _("Answer:"), js(x, "answer"));
    html(h, "</li>");
  }
  html(h, "</ul></section>");
}

/* The readable summary of the export root into h: a whole HTML document in the reader's language. */
static void summary(Buf *h, Arena *a, json_t *root) {
  json_t *p = json_object_get(root, "participant");
  html(h, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"
          "<style>body{font-family:sans-serif;max-width:48em;margin:1em auto;padding:0 1em;line-height:1.5}"
          ".meta{color:#555;font-size:.9em}table{border-collapse:collapse}th,td{text-align:left;padding:.2em .5em;"
          "border-bottom:1px solid #ccc}</style></head><body>",
       i18n_lang(), _("My data"));
  html(h, "<h1>%s</h1><p>%s</p>", _("My data"),
       arena_printf(a, _("Everything the portal holds about you that you may see, made on %s."),
                    when_iso(a, js(root, "generated_at"))));
  html(h, "<section><h2>%s</h2><dl><dt>%s</dt><dd>%s %s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
          "<dt>%s</dt><dd>%s</dd></dl></section>",
       _("Your details"), _("Name"), js(p, "first_name"), js(p, "last_name"), _("Date of birth"),
       date_words(a, js(p, "birth_date")), _("E-mail"), js(p, "email"), _("Phone"), js(p, "phone"));
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(root, "trajectories"), i, t) summary_trajectory(h, a, t);
  html(h, "<section><h2>%s</h2><table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
          "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Who looked at my file"), _("Every entry of the access log about you, newest first"), _("When"), _("Who"),
       _("What"), _("Outcome"));
  json_t *e;
  json_array_foreach(json_object_get(root, "access_log"), i, e)
      html(h, "<tr><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td></tr>", when_iso(a, js(e, "at")), js(e, "who"),
           js(e, "action"), js(e, "information"), strcmp(js(e, "outcome"), "denied") == 0 ? _("refused") : _("ok"));
  html(h, "</tbody></table></section></body></html>");
}

/* ------------------------------------------------------------------------------------- the pages */

static int get_data(Req *r) {
  page_begin(r, _("Download my data"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><section class=\"card\"><p class=\"lead\">%s</p><p>%s</p><p>%s</p>",
       _("Download my data"),
       _("You have the right to get all information the portal holds about you, and to take it with you."),
       _("The download is a ZIP file. It holds your details, your trajectory with its phases, the notes and other "
         "information you may see, your action plans, questionnaires, referrals, follow-up moments, messages, "
         "meetings and consents, and the list of who looked at your file."),
       _("Inside are a file you can read in your browser (summary.html) and the same information in a file that "
         "other programs can read (data.json)."));
  html(&r->out, "<p><a class=\"button primary\" href=\"/me/data.zip\" download>%s</a></p>", _("Download my data"));
  html(&r->out, "<p class=\"small muted\">%s</p></section>",
       _("Downloading is written down in the list of who looked at your file."));
  html(&r->out, "<section class=\"card\"><h2>%s</h2><p>%s</p><p><a href=\"/me/corrections\">%s</a></p></section></div>",
       _("Something not right?"),
       _("If information about you is wrong, you can ask your coach to correct it."),
       _("Ask to correct information"));
  page_end(r);
  return 200;
}

/* Discloses the items of trajectory i of the export (the list door, action "export"), one batch per kind;
 * an item the rule in C refuses is withheld. Returns a DB code. */
static int disclose_trajectory(Req *r, Export *x, int ti, Grounds g) {
  const ExportTrajectory *t = &x->trajectories[ti];
  int n = t->nitems;
  if (!n) return DB_OK;
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)n);
  int *idx = arena_alloc(r->a, sizeof *idx * (size_t)n);
  bool *done = arena_alloc(r->a, sizeof *done * (size_t)n);
  for (int i = 0; i < n; i++) {
    if (done[i]) continue;
    const char *kind = x->items[t->first_item + i].kind;
    int m = 0;
    for (int j = i; j < n; j++)
      if (!done[j] && strcmp(x->items[t->first_item + j].kind, kind) == 0) {
        done[j] = true;
        idx[m] = t->first_item + j;
        ids[m++] = x->items[t->first_item + j].id;
      }
    int rc = items_disclose_more(r, x->pid, t->id, g, "export", "export", kind, ids, m,
                                 &(DiscloseMore){.item_action = "export"});
    if (rc != DB_OK) return rc;
    for (int k = 0; k < m; k++)
      if (!ids[k]) export_withhold(x, idx[k]);
  }
  return DB_OK;
}

static int get_data_zip(Req *r) {
  const char *today = date_today_text(r->a);
  Export x;
  int rc = export_collect(r->db, r->a, r->user, today, &x);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!x.root) { /* an account that is nobody's participant: nothing to export */
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  /* the one door for every trajectory (grounds "self"); the download is refused if one is not hers */
  for (int i = 0; i < x.ntrajectories; i++) {
    Grounds g;
    int64_t pid;
    if ((rc = policy_trajectory(r->db, r->user, x.trajectories[i].id, &g, &pid)) != DB_OK) {
      json_decref(x.root);
      return http_db_error(r, rc);
    }
    if (g == GROUNDS_NONE || pid != x.pid) { /* her own trajectory: grounds "self" (or "coach" on an account with both roles) */
      log_error("rid=%s export: trajectory %lld of the participant refused by the door", r->rid,
                (long long)x.trajectories[i].id);
      json_decref(x.root);
      audit_nothing_shown(r);
      return http_error(r, 500, NULL);
    }
    rc = audit_write(r, &(AuditEntry){.participant_id = x.pid, .trajectory_id = x.trajectories[i].id,
                                      .item = "trajectory", .action = "export", .outcome = "ok",
                                      .grounds = grounds_name(g)});
    if (rc == DB_OK) rc = disclose_trajectory(r, &x, i, g);
    if (rc != DB_OK) {
      json_decref(x.root);
      return http_db_error(r, rc);
    }
  }
  /* who looked at my file, before this download (which is logged next) */
  json_t *log = json_array();
  LogCtx lc = {.a = r->a, .me = r->user, .arr = log};
  rc = accesslog_of_participant(r->db, r->a, r->user, x.pid, false, EXPORT_LOG_MAX, log_entry, &lc);
  json_object_set_new(x.root, "access_log", log);
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = x.pid, .item = "accesslog", .action = "export",
                                      .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
  if (rc != DB_OK) {
    json_decref(x.root);
    return http_db_error(r, rc);
  }
  int64_t now = (int64_t)time(NULL);
  json_object_set_new(x.root, "generated_at", json_string(export_time(r->a, now)));

  char *data = json_dumps(x.root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  Buf sum = {0};
  summary(&sum, r->a, x.root);
  json_decref(x.root);
  const EmbeddedFile *schema = embed_find(assets, "data-export.schema.json");
  const char *readme =
      _("Your data from the Zorg & Werk portal.\n\n"
        "summary.html  - everything in readable form: open it in your browser.\n"
        "data.json     - the same information for other programs (JSON).\n"
        "data-export.schema.json - the description of data.json (JSON Schema).\n");
  ZipWriter z;
  zip_begin(&z, &r->out, r->a, now);
  bool ok = data && schema && zip_add(&z, "README.txt", readme, strlen(readme)) &&
            zip_add(&z, "summary.html", sum.p ? sum.p : "", sum.len) &&
            zip_add(&z, "data.json", data, strlen(data)) &&
            zip_add(&z, "data-export.schema.json", schema->data, schema->len) && zip_end(&z);
  free(data);
  buf_free(&sum);
  if (!ok) {
    buf_reset(&r->out);
    log_error("rid=%s export: the archive could not be made", r->rid);
    return http_error(r, 500, NULL);
  }
  r->content_type = "application/zip";
  http_header(r, "Content-Disposition",
              arena_printf(r->a, "attachment; filename=\"my-data-%s.zip\"", today));
  return 200;
}

const Route data_export_routes[] = {
    {"GET", "/me/data", ROLE_PARTICIPANT, 0, get_data},
    {"GET", "/me/data.zip", ROLE_PARTICIPANT, R_CASE | R_NOFRAME, get_data_zip},
    {0},
};

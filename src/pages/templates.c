/*
 * templates.c — the administrator's protocol templates (/admin/protocols): the list with a form to copy a
 * template into a new custom one, and one template's edit page — its settings and, per phase, its steps.
 *
 * One route per action: POST /admin/protocols/{id}/settings, …/steps (add a step to a phase),
 * …/steps/{sid} (save its text), …/steps/{sid}/up, …/down and …/delete. A step's form posts to its own
 * URL; its move and delete buttons carry their route in formaction, so every action works without
 * JavaScript. A step id that is not a step of the template in the URL is answered with 404.
 *
 * A trajectory copies the steps of its template when its protocol starts (protocol.c, store/protocol.c),
 * so an edit here changes only trajectories that start afterwards. Templates hold no case information:
 * nothing here shows a trajectory, and the changes go to the server log (ids only), not the access log.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "store/protocol.h"

enum {
  STEP_MAX = PROTOCOL_STEP_MAX,
  NAME_MAX = 120, /* characters of a template's name */
};

static const char *label_approach(const char *code) {
  if (code && strcmp(code, "zorg_en_werk") == 0) return _("Zorg & Werk (Flanders)");
  if (code && strcmp(code, "werk_als_beste_zorg") == 0) return _("Werk als Beste Zorg (Netherlands)");
  return _("Custom");
}

static const char *template_url(Req *r, int64_t id) {
  return arena_printf(r->a, "/admin/protocols/%lld", (long long)id);
}

/* ------------------------------------------------------------------------------------ checking */

/* Records that the name is taken (by a check or by the unique constraint). */
static void name_clash(Req *r) { form_error(r, "name", _("A template with this name exists already.")); }

/* Checks the template name in the field "name": required, one line, at most NAME_MAX characters and, when
 * the form has no errors so far, not the name of another template (not except_id; sets *taken). Records the
 * errors; returns a DB code. */
static int check_name(Req *r, const char *name, int64_t except_id, bool *taken) {
  *taken = false;
  if (!*name) form_error(r, "name", _("Give the template a name."));
  else if (text_chars(name) > NAME_MAX) form_error(r, "name", _("This is too long: use at most 120 characters."));
  else if (strpbrk(name, "\r\n\t")) form_error(r, "name", _("Keep the name on one line."));
  if (r->nerrors) return DB_OK;
  int rc = protocol_template_name_taken(r->db, name, except_id, taken);
  if (rc == DB_OK && *taken) name_clash(r);
  return rc;
}

/* ---------------------------------------------------------------------------- the list and copy */

/* The list of templates and the copy form (typed values kept), with status. */
static int render_templates(Req *r, int status) {
  ProtocolTemplate *v;
  int n, rc;
  if ((rc = protocol_templates_all(r->db, r->a, &v, &n)) != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Protocol templates"));
  html(&r->out, "<h1>%s</h1>", _("Protocol templates"));
  html(&r->out, "<p class=\"lead\">%s</p>",
       _("Each phase of a trajectory has a checklist of steps. A trajectory copies the steps of its template when "
         "its protocol starts; changing a template does not change trajectories that have started."));
  table_begin(r, "table", _("Protocol templates"));
  html(&r->out, "<thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Name"), _("Approach"), _("Steps"), _("State"));
  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(n * 2 + 1));
  for (int i = 0; i < n; i++) {
    const ProtocolTemplate *t = &v[i];
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/admin/protocols/%lld\">%s</a></th><td>%s</td>"
                  "<td class=\"num\">%lld</td><td>%s%s%s</td></tr>",
         (long long)t->id, t->name, label_approach(t->approach), (long long)t->steps,
         t->active ? _("Active") : _("Inactive"), t->is_default ? " · " : "",
         t->is_default ? _("default for new trajectories") : "");
    opts[i * 2] = arena_printf(r->a, "%lld", (long long)t->id);
    opts[i * 2 + 1] = t->name;
  }
  opts[n * 2] = NULL;
  html(&r->out, "</tbody>");
  table_end(r);

  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-copy\"><h2 id=\"h-copy\">%s</h2>", _("Copy a template"));
  form_errors_summary(r);
  form_begin(r, "/admin/protocols", NULL);
  field_select(r, &(Field){.name = "from", .label = _("Copy from"), .value = form_str(r, "from"), .required = true},
               opts);
  field_input(r, &(Field){.name = "name", .label = _("Name of the new template"), .value = form_str(r, "name"),
                          .required = true, .maxlength = NAME_MAX});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Copy"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

static int get_templates(Req *r) { return render_templates(r, 200); }

/* POST /admin/protocols: copies a template into a new custom one. */
static int post_copy_template(Req *r) {
  const char *name = form_str(r, "name"), *from_s = form_str(r, "from");
  ProtocolTemplate from = {0};
  int rc = DB_DONE;
  char *end = NULL;
  long long fid = strtoll(from_s, &end, 10);
  if (*from_s && end && !*end && fid > 0) rc = protocol_template_get(r->db, r->a, fid, &from);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (rc != DB_ROW) form_error(r, "from", _("Choose a template to copy."));
  bool taken;
  if ((rc = check_name(r, name, 0, &taken)) != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_templates(r, taken ? 409 : 400);

  int64_t id;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_template_copy(r->db, from.id, name, (int64_t)time(NULL), &id);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    name_clash(r);
    return render_templates(r, 409);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s protocol template %lld copied from %lld by user %lld", r->rid, (long long)id, (long long)from.id,
           (long long)r->user->id);
  return http_redirect_flash(r, template_url(r, id), "created");
}

/* ------------------------------------------------------------------------------ one template */

/* The settings form of template tp; mine: it failed, keep what was typed. */
static void settings_form(Req *r, const ProtocolTemplate *tp, bool mine) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-settings\"><h2 id=\"h-settings\">%s</h2>", _("Settings"));
  form_begin(r, arena_printf(r->a, "/admin/protocols/%lld/settings", (long long)tp->id), NULL);
  field_input(r, &(Field){.name = "name", .label = _("Name"), .value = mine ? form_str(r, "name") : tp->name,
                          .required = true, .maxlength = NAME_MAX});
  bool active = mine ? *form_str(r, "active") != 0 : tp->active;
  bool def = mine ? *form_str(r, "is_default") != 0 : tp->is_default;
  const char *err = form_error_for(r, "is_default");
  html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-active\" name=\"active\" value=\"1\"%s>"
                " <label for=\"f-active\">%s</label></div>",
       active ? " checked" : "", _("Active: can be used for new trajectories"));
  html(&r->out, "<div class=\"field check%s\">", err ? " has-error" : "");
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-is_default\">%s</p>", err);
  html(&r->out, "<input type=\"checkbox\" id=\"f-is_default\" name=\"is_default\" value=\"1\"%s%s>"
                " <label for=\"f-is_default\">%s</label></div>",
       def ? " checked" : "", err ? " aria-invalid=\"true\" aria-describedby=\"e-is_default\"" : "",
       _("Default for new trajectories"));
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save settings"));
  form_end(r);
  html(&r->out, "</section>");
}

/* Step s of template tpl, the shown-th of its phase, as a list item with its form: the text and the required
 * flag saved at the step's URL, the buttons to move it and delete it at theirs. kept: the form failed, keep
 * what was typed. */
static void step_form(Req *r, int64_t tpl, const TemplateStep *s, int shown, bool kept) {
  const char *url = arena_printf(r->a, "/admin/protocols/%lld/steps/%lld", (long long)tpl, (long long)s->id);
  const char *key = arena_printf(r->a, "text-%lld", (long long)s->id);
  const char *e = form_error_for(r, key);
  html(&r->out, "<li>");
  form_begin(r, url, NULL);
  html(&r->out, "<div class=\"field%s\"><label for=\"f-%s\" class=\"visually-hidden\">%s %d</label>",
       e ? " has-error" : "", key, _("Step"), shown);
  if (e) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", key, e);
  html(&r->out, "<input type=\"text\" id=\"f-%s\" name=\"text\" maxlength=\"%d\" value=\"%s\"", key, STEP_MAX,
       kept ? form_str(r, "text") : s->text);
  if (e) html(&r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", key);
  html(&r->out, "></div>");
  bool req = kept ? *form_str(r, "required") != 0 : s->required;
  html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-req-%lld\" name=\"required\" value=\"1\"%s>"
                " <label for=\"f-req-%lld\">%s</label></div>",
       (long long)s->id, req ? " checked" : "", (long long)s->id, _("Required"));
  /* the buttons repeat per step: a hidden "step n" tells screen-reader users which one */
  static const struct { const char *route, *label; bool danger; } buttons[] = {
      {NULL, N_("Save"), false}, {"up", N_("Move up"), false}, {"down", N_("Move down"), false},
      {"delete", N_("Delete"), true}};
  html(&r->out, "<div class=\"button-row\">");
  for (size_t b = 0; b < sizeof buttons / sizeof *buttons; b++) {
    html(&r->out, "<button type=\"submit\"");
    if (buttons[b].route) html(&r->out, " formaction=\"%s/%s\"", url, buttons[b].route);
    if (buttons[b].danger) html(&r->out, " class=\"danger\"");
    html(&r->out, ">%s<span class=\"visually-hidden\"> %s %d</span></button>", _(buttons[b].label), _("step"), shown);
  }
  html(&r->out, "</div>");
  form_end(r);
  html(&r->out, "</li>");
}

/* The form to add a step to phase ph of template tpl; kept: it failed, keep what was typed. */
static void add_step_form(Req *r, int64_t tpl, const char *ph, bool kept) {
  const char *key = arena_printf(r->a, "new-%s", ph);
  const char *e = form_error_for(r, key);
  form_begin(r, arena_printf(r->a, "/admin/protocols/%lld/steps", (long long)tpl), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"phase\" value=\"%s\">", ph);
  html(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label>", e ? " has-error" : "", key, _("New step"));
  if (e) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", key, e);
  html(&r->out, "<input type=\"text\" id=\"f-%s\" name=\"text\" maxlength=\"%d\" value=\"%s\"", key, STEP_MAX,
       kept ? form_str(r, "text") : "");
  if (e) html(&r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", key);
  html(&r->out, "></div><div class=\"field check\"><input type=\"checkbox\" id=\"f-newreq-%s\" name=\"required\" "
                "value=\"1\"%s> <label for=\"f-newreq-%s\">%s</label></div>",
       ph, !kept || *form_str(r, "required") ? " checked" : "", ph, _("Required"));
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Add step"));
  form_end(r);
}

static bool is(const char *failed, const char *key) { return failed && strcmp(failed, key) == 0; }

/* The edit page of one template: its settings and, per phase, its steps with their forms. failed names the
 * form whose typed values are kept ("settings", "text-<step id>", "new-<phase>") or is NULL. */
static int render_template(Req *r, const ProtocolTemplate *tp, int status, const char *failed) {
  TemplateStep *v;
  int n, rc;
  if ((rc = protocol_template_steps(r->db, r->a, tp->id, &v, &n)) != DB_OK) return http_db_error(r, rc);

  page_begin(r, tp->name);
  html(&r->out, "<p><a href=\"/admin/protocols\">%s</a></p><h1>%s</h1>", _("All protocol templates"), tp->name);
  html(&r->out, "<p class=\"muted\">%s %s</p>", _("Approach:"), label_approach(tp->approach));
  form_errors_summary(r);
  settings_form(r, tp, is(failed, "settings"));

  for (int p = 0; trajectory_phases[p]; p++) {
    const char *ph = trajectory_phases[p];
    html(&r->out, "<section aria-labelledby=\"h-%s\"><h2 id=\"h-%s\">%s</h2>", ph, ph, label_phase(ph));
    int shown = 0;
    for (int i = 0; i < n; i++) {
      if (strcmp(v[i].phase, ph) != 0) continue;
      if (!shown++) html(&r->out, "<ol class=\"steps\">");
      step_form(r, tp->id, &v[i], shown, is(failed, arena_printf(r->a, "text-%lld", (long long)v[i].id)));
    }
    if (shown) html(&r->out, "</ol>");
    else html(&r->out, "<p class=\"muted\">%s</p>", _("No steps in this phase."));
    add_step_form(r, tp->id, ph, is(failed, arena_printf(r->a, "new-%s", ph)));
    html(&r->out, "</section>");
  }
  page_end(r);
  return status;
}

/* Loads the template of the URL (r->ids[0]) into *tp. Returns 0, or the status of the page sent instead
 * (404 for no such template). */
static int template_open(Req *r, ProtocolTemplate *tp) {
  int rc = protocol_template_get(r->db, r->a, r->ids[0], tp);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

/* template_open, then step r->ids[1] of that template into *s (404 when the template has no such step). */
static int template_step_open(Req *r, ProtocolTemplate *tp, TemplateStep *s) {
  int st = template_open(r, tp);
  if (st) return st;
  int rc = protocol_template_step_get(r->db, r->a, tp->id, r->ids[1], s);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

/* The end of every change to template tp, inside its open transaction (rc: the change's DB code): marks the
 * template changed, commits, logs what happened (ids only) and redirects to its page with "saved". */
static int template_changed(Req *r, const ProtocolTemplate *tp, int rc, const char *what) {
  if (rc == DB_OK) rc = protocol_template_touch(r->db, tp->id, (int64_t)time(NULL));
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s protocol template %lld: %s by user %lld", r->rid, (long long)tp->id, what, (long long)r->user->id);
  return http_redirect_flash(r, template_url(r, tp->id), "saved");
}

static int get_template(Req *r) {
  ProtocolTemplate tp;
  int s = template_open(r, &tp);
  return s ? s : render_template(r, &tp, 200, NULL);
}

/* POST /admin/protocols/{id}/settings: name, active, default (there is always exactly one default, and it is
 * active). */
static int post_settings(Req *r) {
  ProtocolTemplate tp;
  int s = template_open(r, &tp);
  if (s) return s;
  const char *name = form_str(r, "name");
  bool active = *form_str(r, "active") != 0, def = *form_str(r, "is_default") != 0;
  bool taken;
  int rc;
  if ((rc = check_name(r, name, tp.id, &taken)) != DB_OK) return http_db_error(r, rc);
  if (def && !active) form_error(r, "is_default", _("The default template must be active."));
  else if (tp.is_default && !def)
    form_error(r, "is_default", _("Make another template the default instead; there is always one default."));
  if (r->nerrors) return render_template(r, &tp, taken ? 409 : 400, "settings");

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_template_settings(r->db, tp.id, name, active, def, def && !tp.is_default, (int64_t)time(NULL));
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    name_clash(r);
    return render_template(r, &tp, 409, "settings");
  }
  return template_changed(r, &tp, rc, "settings");
}

/* POST /admin/protocols/{id}/steps: a new step at the end of a phase. */
static int post_step_add(Req *r) {
  ProtocolTemplate tp;
  int s = template_open(r, &tp);
  if (s) return s;
  const char *phase = form_str(r, "phase"), *text = form_str(r, "text");
  if (trajectory_phase_index(phase) < 0) return http_error(r, 400, _("This phase is not known."));
  const char *key = arena_printf(r->a, "new-%s", phase);
  if (!protocol_step_text_ok(r, key, text)) return render_template(r, &tp, 400, key);
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_template_step_add(r->db, tp.id, phase, text, *form_str(r, "required") != 0);
  return template_changed(r, &tp, rc, "add");
}

/* POST /admin/protocols/{id}/steps/{sid}: the step's text and required flag. */
static int post_step_update(Req *r) {
  ProtocolTemplate tp;
  TemplateStep step;
  int s = template_step_open(r, &tp, &step);
  if (s) return s;
  const char *text = form_str(r, "text");
  const char *key = arena_printf(r->a, "text-%lld", (long long)step.id);
  if (!protocol_step_text_ok(r, key, text)) return render_template(r, &tp, 400, key);
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_template_step_update(r->db, step.id, text, *form_str(r, "required") != 0);
  return template_changed(r, &tp, rc, "update");
}

/* A change of one template step that needs nothing from the form, inside the open transaction. */
typedef int StepChange(Db *db, int64_t tpl, const TemplateStep *s);

static int step_up(Db *db, int64_t tpl, const TemplateStep *s) { return protocol_template_step_move(db, tpl, s, true); }
static int step_down(Db *db, int64_t tpl, const TemplateStep *s) {
  return protocol_template_step_move(db, tpl, s, false);
}
static int step_delete(Db *db, int64_t tpl, const TemplateStep *s) { return protocol_template_step_delete(db, s->id); }

/* Applies change (logged as what) to step r->ids[1] of template r->ids[0]. */
static int step_change(Req *r, StepChange *change, const char *what) {
  ProtocolTemplate tp;
  TemplateStep step;
  int s = template_step_open(r, &tp, &step);
  if (s) return s;
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  return template_changed(r, &tp, change(r->db, tp.id, &step), what);
}

/* POST …/steps/{sid}/up and …/down: swaps the step with its neighbour in its phase (nothing at either end). */
static int post_step_up(Req *r) { return step_change(r, step_up, "up"); }
static int post_step_down(Req *r) { return step_change(r, step_down, "down"); }
/* POST …/steps/{sid}/delete. */
static int post_step_delete(Req *r) { return step_change(r, step_delete, "delete"); }

const Route templates_routes[] = {
    {"GET", "/admin/protocols", ROLE_ADMIN, 0, get_templates},
    {"POST", "/admin/protocols", ROLE_ADMIN, 0, post_copy_template},
    {"GET", "/admin/protocols/{id}", ROLE_ADMIN, 0, get_template},
    {"POST", "/admin/protocols/{id}/settings", ROLE_ADMIN, 0, post_settings},
    {"POST", "/admin/protocols/{id}/steps", ROLE_ADMIN, 0, post_step_add},
    {"POST", "/admin/protocols/{id}/steps/{sid}", ROLE_ADMIN, 0, post_step_update},
    {"POST", "/admin/protocols/{id}/steps/{sid}/up", ROLE_ADMIN, 0, post_step_up},
    {"POST", "/admin/protocols/{id}/steps/{sid}/down", ROLE_ADMIN, 0, post_step_down},
    {"POST", "/admin/protocols/{id}/steps/{sid}/delete", ROLE_ADMIN, 0, post_step_delete},
    {0},
};

/*
 * openings.c — openings (issue 13, part 2): jobs and work-experience places an employer offers.
 * /openings (every opening, for coaches and team leads, filtered by status and kind of work),
 * /employers/{id}/openings/new and POST /employers/{id}/openings (a new opening), /openings/{id} (the
 * opening, its status), /openings/{id}/edit and /openings/{id}/status.
 *
 * Coaches add and change openings of every employer; an employer's own users those of their own employer
 * only; team leads read (policy/employers_policy.h). The store returns only openings the reader may read, so
 * another employer's opening is answered 404 like a missing one, and the refusal is logged as "denied".
 * Hours a week 1..60, the minimum not above the maximum, the end after the start: a clear message and
 * nothing stored otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/jobwords.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/employers_policy.h"
#include "store/employers.h"
#include "store/openings.h"

enum { TITLE_MAX = 120, LINE_MAX = 120, TEXT_MAX = 2000 };

/* A refused request for item (another employer's opening or employer, or none): logs "denied" and answers
 * 404, as for an id that does not exist. */
static int refused(Req *r, const char *item, const char *action) {
  int rc = audit_write(r, &(AuditEntry){.item = item, .action = action, .outcome = "denied", .grounds = "none"});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

/* Loads opening r->ids[0] as the reader may read it into *o, and u's own employer into *own; with edit, the
 * reader must also be allowed to change it. Returns 0 when allowed; else the refusal (logged, 404) or the
 * DB error page's status. */
static int opening_door(Req *r, const char *action, bool edit, Opening *o, int64_t *own) {
  int rc = employer_of_user(r->db, r->user, own);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *item = arena_printf(r->a, "opening:%lld", (long long)r->ids[0]);
  rc = opening_load(r->db, r->a, r->user, r->ids[0], o);
  if (rc == DB_DONE) return refused(r, item, action);
  if (rc != DB_ROW) return http_db_error(r, rc);
  if (!policy_employer_read(r->user, *own, o->employer_org_id) ||
      (edit && !policy_employer_edit(r->user, *own, o->employer_org_id)))
    return refused(r, item, action);
  return 0;
}

/* Hours a week as shown: "20" or "16–24". */
static const char *hours_text(Req *r, const Opening *o) {
  return o->hours_min > 0 ? arena_printf(r->a, "%d–%d", o->hours_min, o->hours_max)
                          : arena_printf(r->a, "%d", o->hours_max);
}

/* ---- the form ---- */

/* value,label pairs of a NULL-terminated key list with its label function, after a "choose" option. */
static const char **key_options(Req *r, const char *const *keys, int n, const char *(*label)(const char *),
                                const char *choose) {
  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * n + 3));
  int k = 0;
  if (choose) {
    opts[k++] = "";
    opts[k++] = choose;
  }
  for (int i = 0; i < n; i++) {
    opts[k++] = keys[i];
    opts[k++] = label(keys[i]);
  }
  opts[k] = NULL;
  return opts;
}

static const char *int_text(Req *r, int v) { return v > 0 ? arena_printf(r->a, "%d", v) : ""; }

/* The opening form (new when o->id is 0), filled from o; the fault, if any, is beside its field. */
static void opening_form(Req *r, const Opening *o, const char *action) {
  form_begin(r, action, NULL);
  form_errors_summary(r);
  field_input(r, &(Field){.name = "title", .label = _("Title"), .value = o->title, .required = true,
                          .maxlength = TITLE_MAX});
  field_select(r, &(Field){.name = "kind", .label = _("Job or work-experience place"), .value = o->kind,
                           .required = true},
               key_options(r, opening_kinds, 2, opening_kind_label, NULL));
  field_select(r, &(Field){.name = "work_kind", .label = _("Kind of work"), .value = o->work_kind, .required = true},
               key_options(r, work_kind_keys, WORK_KIND_COUNT, work_kind_label, _("Choose a kind of work")));
  field_textarea(r, &(Field){.name = "tasks", .label = _("Tasks"), .value = o->tasks, .maxlength = TEXT_MAX}, 3);
  field_input(r, &(Field){.name = "hours_min", .label = _("Hours a week, at least"), .type = "number",
                          .value = int_text(r, o->hours_min), .hint = _("Leave empty when the hours are fixed.")});
  field_input(r, &(Field){.name = "hours_max", .label = _("Hours a week, at most"), .type = "number",
                          .value = int_text(r, o->hours_max), .required = true, .hint = _("From 1 to 60.")});
  field_input(r, &(Field){.name = "region", .label = _("Location or region"), .value = o->region, .required = true,
                          .maxlength = LINE_MAX});
  field_textarea(r, &(Field){.name = "requirements", .label = _("Requirements"), .value = o->requirements,
                             .maxlength = TEXT_MAX},
                 3);
  html(&r->out, "<fieldset class=\"field\"><legend>%s</legend>", _("Support possible"));
  for (int i = 0; i < SUPPORT_BITS; i++) {
    int bit = 1 << i;
    html(&r->out,
         "<div class=\"field check\"><input type=\"checkbox\" id=\"f-support_%d\" name=\"support_%d\" value=\"1\"%s>"
         "<label for=\"f-support_%d\">%s</label></div>",
         bit, bit, (o->support & bit) ? " checked" : "", bit, support_label(bit));
  }
  html(&r->out, "</fieldset>");
  field_input(r, &(Field){.name = "starts_on", .label = _("From"), .type = "date", .value = o->starts_on});
  field_input(r, &(Field){.name = "ends_on", .label = _("Until"), .type = "date", .value = o->ends_on,
                          .hint = _("Leave empty when there is no end date.")});
  if (o->id > 0)
    field_select(r, &(Field){.name = "status", .label = _("Status"), .value = o->status, .required = true},
                 key_options(r, opening_statuses, 3, opening_status_label, NULL));
  html(&r->out, "<button type=\"submit\">%s</button>", _("Save the opening"));
  form_end(r);
}

/* A whole number typed in field name into *v (0 when empty); false when it is not one. */
static bool int_field(Req *r, const char *name, int *v) {
  const char *s = form_str(r, name);
  *v = 0;
  if (!*s) return true;
  char *end;
  long n = strtol(s, &end, 10);
  if (*end || n < -1000000 || n > 1000000) return false;
  *v = (int)n;
  return true;
}

/* The field that a fault is about. */
static const char *fault_field(OpeningFault f) {
  switch (f) {
  case OPENING_NO_TITLE: return "title";
  case OPENING_BAD_KIND: return "kind";
  case OPENING_BAD_WORK_KIND: return "work_kind";
  case OPENING_NO_REGION: return "region";
  case OPENING_HOURS_RANGE: return "hours_max";
  case OPENING_HOURS_ORDER: return "hours_min";
  case OPENING_BAD_START: return "starts_on";
  case OPENING_BAD_END: return "ends_on";
  case OPENING_END_BEFORE_START: return "ends_on";
  case OPENING_BAD_STATUS: return "status";
  case OPENING_OK: break;
  }
  return "title";
}

/* Reads the form into *o (keeping o's ids) and records every error on its field. */
static void opening_from_form(Req *r, Opening *o, bool with_status) {
  o->title = form_str(r, "title");
  o->kind = form_str(r, "kind");
  o->work_kind = form_str(r, "work_kind");
  o->tasks = form_str(r, "tasks");
  o->region = form_str(r, "region");
  o->requirements = form_str(r, "requirements");
  o->starts_on = form_str(r, "starts_on");
  o->ends_on = form_str(r, "ends_on");
  o->status = with_status ? form_str(r, "status") : NULL;
  o->support = 0;
  for (int i = 0; i < SUPPORT_BITS; i++)
    if (*form_str(r, arena_printf(r->a, "support_%d", 1 << i))) o->support |= 1 << i;
  bool hours_ok = int_field(r, "hours_min", &o->hours_min) && int_field(r, "hours_max", &o->hours_max);
  if (!hours_ok) form_error(r, "hours_max", _("Give the hours a week as a whole number from 1 to 60."));
  else if (*form_str(r, "hours_min") && o->hours_min < 1) /* 0 typed is not "no minimum": empty is */
    form_error(r, "hours_min", opening_fault_text(OPENING_HOURS_RANGE));
  if (text_chars(o->title) > TITLE_MAX || text_has_breaks(o->title))
    form_error(r, "title", _("Write the title on one line of at most 120 characters."));
  if (text_chars(o->region) > LINE_MAX || text_has_breaks(o->region))
    form_error(r, "region", _("Write the location on one line of at most 120 characters."));
  if (text_chars(o->tasks) > TEXT_MAX) form_error(r, "tasks", _("This is too long (at most 2000 characters)."));
  if (text_chars(o->requirements) > TEXT_MAX)
    form_error(r, "requirements", _("This is too long (at most 2000 characters)."));
  if (with_status && !*o->status) form_error(r, "status", _("Choose a status."));
  if (r->nerrors) return;
  OpeningFault f = opening_invalid(o);
  if (f != OPENING_OK) form_error(r, fault_field(f), opening_fault_text(f));
}

/* ---- /employers/{id}/openings/new ---- */

/* Loads employer r->ids[0] for a change of its openings into *e. Returns 0 when allowed; else the refusal
 * (logged, 404) or the DB error page's status. */
static int employer_edit_door(Req *r, const char *action, Employer *e) {
  int64_t own;
  int rc = employer_of_user(r->db, r->user, &own);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = employer_load(r->db, r->a, r->user, r->ids[0], e);
  const char *item = arena_printf(r->a, "employer:%lld", (long long)r->ids[0]);
  if (rc == DB_DONE || (rc == DB_ROW && !policy_employer_edit(r->user, own, e->org_id)))
    return refused(r, item, action);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

static int render_new(Req *r, const Employer *e, const Opening *o, int status) {
  const char *title = arena_printf(r->a, _("New opening at %s"), e->name);
  page_begin(r, title);
  html(&r->out, "<p><a href=\"/employers/%lld\">%s</a></p>", (long long)e->org_id, _("Back to the employer"));
  html(&r->out, "<h1>%s</h1>", title);
  opening_form(r, o, arena_printf(r->a, "/employers/%lld/openings", (long long)e->org_id));
  page_end(r);
  return status;
}

static int get_new(Req *r) {
  Employer e;
  int s = employer_edit_door(r, "create", &e);
  if (s) return s;
  return render_new(r, &e, &(Opening){.kind = "job", .region = e.region, .support = e.support}, 200);
}

static int post_new(Req *r) {
  Employer e;
  int s = employer_edit_door(r, "create", &e);
  if (s) return s;
  Opening o = {.employer_org_id = e.org_id};
  opening_from_form(r, &o, false);
  if (r->nerrors) return render_new(r, &e, &o, 400);
  int rc;
  int64_t id;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = opening_insert(r->db, r->user, &o, (int64_t)time(NULL), &id)) != DB_OK ||
      (rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "opening:%lld", (long long)id),
                                         .action = "create", .outcome = "ok", .grounds = NULL})) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/openings/%lld", (long long)id), "created");
}

/* ---- /openings/{id} ---- */

static void row(Req *r, const char *label, const char *value) {
  html(&r->out, "<dt>%s</dt><dd>", label);
  if (value && *value) html_text_lines(&r->out, value);
  else html(&r->out, "—");
  html(&r->out, "</dd>");
}

static int get_opening(Req *r) {
  Opening o;
  int64_t own;
  int s = opening_door(r, "view", false, &o, &own);
  if (s) return s;
  bool edit = policy_employer_edit(r->user, own, o.employer_org_id);
  page_begin(r, o.title);
  html(&r->out, "<p><a href=\"/employers/%lld\">%s</a></p>", (long long)o.employer_org_id,
       arena_printf(r->a, _("Back to %s"), o.employer_name));
  html(&r->out, "<h1>%s</h1>", o.title);
  html(&r->out, "<p><strong>%s</strong></p>", arena_printf(r->a, _("Status: %s"), opening_status_label(o.status)));
  html(&r->out, "<dl>");
  row(r, _("Employer"), o.employer_name);
  row(r, _("Job or work-experience place"), opening_kind_label(o.kind));
  row(r, _("Kind of work"), work_kind_label(o.work_kind));
  row(r, _("Tasks"), o.tasks);
  row(r, _("Hours a week"), hours_text(r, &o));
  row(r, _("Location or region"), o.region);
  row(r, _("Requirements"), o.requirements);
  row(r, _("Support possible"), support_words(r->a, o.support, NULL));
  row(r, _("From"), o.starts_on ? date_for(r, o.starts_on) : NULL);
  row(r, _("Until"), o.ends_on ? date_for(r, o.ends_on) : NULL);
  html(&r->out, "</dl>");
  if (r->user->roles & ROLE_COACH) /* who might be proposed (names only of the coach's own) */
    html(&r->out, "<p><a href=\"/openings/%lld/candidates\">%s</a></p>", (long long)o.id, _("Candidates for an opening"));
  if (o.updated_at > 0)
    html(&r->out, "<p class=\"muted small\">%s</p>",
         arena_printf(r->a, _("Last changed by %s on %s."), o.updated_by_name ? o.updated_by_name : "—",
                      time_for(r, o.updated_at)));
  if (edit) {
    html(&r->out, "<p><a class=\"button\" href=\"/openings/%lld/edit\">%s</a></p>", (long long)o.id,
         _("Edit the opening"));
    html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Change the status"));
    form_begin(r, arena_printf(r->a, "/openings/%lld/status", (long long)o.id), NULL);
    field_select(r, &(Field){.name = "status", .label = _("Status"), .value = o.status, .required = true},
                 key_options(r, opening_statuses, 3, opening_status_label, NULL));
    html(&r->out, "<button type=\"submit\">%s</button>", _("Save the status"));
    form_end(r);
    html(&r->out, "</section>");
  }
  page_end(r);
  return 200;
}

/* ---- /openings/{id}/edit ---- */

static int render_edit(Req *r, const Opening *o, int status) {
  const char *title = arena_printf(r->a, _("Edit the opening %s"), o->title);
  page_begin(r, title);
  html(&r->out, "<p><a href=\"/openings/%lld\">%s</a></p>", (long long)o->id, _("Back to the opening"));
  html(&r->out, "<h1>%s</h1>", title);
  opening_form(r, o, arena_printf(r->a, "/openings/%lld/edit", (long long)o->id));
  page_end(r);
  return status;
}

static int get_edit(Req *r) {
  Opening o;
  int64_t own;
  int s = opening_door(r, "update", true, &o, &own);
  if (s) return s;
  return render_edit(r, &o, 200);
}

static int post_edit(Req *r) {
  Opening o;
  int64_t own;
  int s = opening_door(r, "update", true, &o, &own);
  if (s) return s;
  Opening n = o;
  opening_from_form(r, &n, true);
  if (r->nerrors) {
    n.title = *n.title ? n.title : o.title; /* the heading keeps a name */
    return render_edit(r, &n, 400);
  }
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = opening_update(r->db, r->user, &n, (int64_t)time(NULL))) != DB_OK ||
      (rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "opening:%lld", (long long)o.id),
                                         .action = "update", .outcome = "ok", .grounds = NULL})) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/openings/%lld", (long long)o.id), "saved");
}

static int post_status(Req *r) {
  Opening o;
  int64_t own;
  int s = opening_door(r, "update", true, &o, &own);
  if (s) return s;
  const char *status = form_str(r, "status");
  if (!opening_status_valid(status)) return http_error(r, 400, _("Choose a status: open, filled or withdrawn."));
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = opening_set_status(r->db, r->user, o.id, status, (int64_t)time(NULL))) != DB_OK ||
      (rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "opening:%lld", (long long)o.id),
                                         .action = "update", .outcome = "ok", .grounds = NULL})) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/openings/%lld", (long long)o.id), "saved");
}

/* ---- /openings: every opening ---- */

static int get_openings(Req *r) {
  const char *status = query_str(r, "status"), *wk = query_str(r, "work_kind");
  if (*status && !opening_status_valid(status)) status = "";
  if (*wk && work_kind_from_key(wk) < 0) wk = "";
  Opening *list;
  int n;
  int rc = openings_list(r->db, r->a, r->user, &(OpeningFilter){.status = status, .work_kind = wk}, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Openings"));
  html(&r->out, "<p><a href=\"/employers\">%s</a></p>", _("All employers"));
  html(&r->out, "<h1>%s</h1>", _("Openings"));
  html(&r->out, "<form method=\"get\" action=\"/openings\" class=\"search\">");
  field_select(r, &(Field){.name = "status", .label = _("Status"), .value = status},
               key_options(r, opening_statuses, 3, opening_status_label, _("Any status")));
  field_select(r, &(Field){.name = "work_kind", .label = _("Kind of work"), .value = wk},
               key_options(r, work_kind_keys, WORK_KIND_COUNT, work_kind_label, _("Any kind of work")));
  html(&r->out, "<button type=\"submit\">%s</button></form>", _("Show"));
  if (n == 0) {
    html(&r->out, "<p>%s</p>", _("No openings match."));
  } else {
    table_begin(r, NULL, _("Openings"));
    html(&r->out,
         "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Title"), _("Employer"), _("Kind of work"), _("Hours a week"), _("Location or region"), _("Status"));
    for (int i = 0; i < n; i++) {
      const Opening *o = &list[i];
      html(&r->out,
           "<tr><th scope=\"row\"><a href=\"/openings/%lld\">%s</a></th><td><a href=\"/employers/%lld\">%s</a></td>"
           "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
           (long long)o->id, o->title, (long long)o->employer_org_id, o->employer_name, work_kind_label(o->work_kind),
           hours_text(r, o), o->region, opening_status_label(o->status));
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  page_end(r);
  return 200;
}

const Route openings_routes[] = {
    {"GET", "/openings", ROLE_COACH | ROLE_TEAMLEAD, 0, get_openings},
    {"GET", "/employers/{id}/openings/new", ROLE_COACH | ROLE_PARTNER, 0, get_new},
    {"POST", "/employers/{id}/openings", ROLE_COACH | ROLE_PARTNER, 0, post_new},
    {"GET", "/openings/{id}", ROLE_COACH | ROLE_TEAMLEAD | ROLE_PARTNER, 0, get_opening},
    {"GET", "/openings/{id}/edit", ROLE_COACH | ROLE_PARTNER, 0, get_edit},
    {"POST", "/openings/{id}/edit", ROLE_COACH | ROLE_PARTNER, 0, post_edit},
    {"POST", "/openings/{id}/status", ROLE_COACH | ROLE_PARTNER, 0, post_status},
    {0},
};

/*
 * employers.c — the employer register (issue 13, part 1): /employers (the list with search, for coaches and
 * team leads), /employers/{id} (profile, openings, contact history), /employers/{id}/edit (the profile the
 * mediator builds up; the employer's own users edit their own employer's), /employers/{id}/contacts (a
 * contact with the employer: visit, call, information session) and /my-employer (an employer user's way in).
 *
 * Who sees what is policy/employers_policy.h; the store (store/employers.h) returns only employers the
 * reader may read. The register names no participant, so a page view is not logged per item; a refusal
 * (another employer's id, or one that does not exist) is answered 404 and logged as "denied", like every
 * refusal. Every change records who made it and when (updated_by, updated_at) and is logged ("employer:<id>",
 * no participant, no grounds: the register is not a trajectory's).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/jobwords.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/employers_policy.h"
#include "store/employers.h"
#include "store/openings.h"

enum { LINE_MAX = 120, TEXT_MAX = 2000, NOTE_MAX = 2000, MINUTES_MAX = 1440 };

/* A refused request for employer org_id (another employer's, or none): logs "denied" and answers 404, as
 * for an id that does not exist. */
static int employer_refused(Req *r, int64_t org_id, const char *action) {
  int rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "employer:%lld", (long long)org_id),
                                        .action = action, .outcome = "denied", .grounds = "none"});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

/* Loads employer r->ids[0] as the reader may read it into *e, and u's own employer into *own. Returns 0 when
 * found; else the refusal (logged, 404) or the DB error page's status. */
static int employer_door(Req *r, const char *action, Employer *e, int64_t *own) {
  int rc = employer_of_user(r->db, r->user, own);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = employer_load(r->db, r->a, r->user, r->ids[0], e);
  if (rc == DB_DONE || (rc == DB_ROW && !policy_employer_read(r->user, *own, e->org_id)))
    return employer_refused(r, r->ids[0], action);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

/* "—" for a missing text, the text otherwise. */
static const char *or_dash(const char *s) { return s && *s ? s : "—"; }

/* ---- /employers: the register ---- */

static int get_employers(Req *r) {
  const char *q = query_str(r, "q");
  Employer *list;
  int n;
  int rc = employers_list(r->db, r->a, r->user, q, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Employers"));
  html(&r->out, "<h1>%s</h1><p>%s</p>", _("Employers"),
       _("The employers we work with: what they do, what support they can offer, their openings and our contacts "
         "with them. An employer is added as an organisation of kind employer by the administrator."));
  html(&r->out, "<form method=\"get\" action=\"/employers\" class=\"search\" role=\"search\">");
  field_input(r, &(Field){.name = "q", .label = _("Search by name, sector or region"), .type = "search", .value = q,
                          .maxlength = LINE_MAX});
  html(&r->out, "<button type=\"submit\">%s</button></form>", _("Search"));
  html(&r->out, "<p><a href=\"/openings\">%s</a></p>", _("All openings"));
  if (n == 0) {
    html(&r->out, "<p>%s</p>", *q ? _("No employer matches your search.") : _("No employers yet."));
  } else {
    table_begin(r, NULL, _("Employer register"));
    html(&r->out,
         "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Employer"), _("Sector"), _("Region"), _("Size"), _("Open openings"), _("Mediator"));
    for (int i = 0; i < n; i++) {
      const Employer *e = &list[i];
      html(&r->out, "<tr><th scope=\"row\"><a href=\"/employers/%lld\">%s</a>", (long long)e->org_id, e->name);
      if (!e->active) html(&r->out, " <span class=\"muted\">%s</span>", _("(inactive)"));
      html(&r->out, "</th>");
      html(&r->out, "<td>%s</td><td>%s</td><td>%s</td><td>%lld</td><td>%s</td></tr>", or_dash(e->sector),
           or_dash(e->region), e->size_band ? size_band_label(e->size_band) : "—", (long long)e->open_openings,
           or_dash(e->mediator_name));
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  page_end(r);
  return 200;
}

/* ---- /employers/{id}: the profile, openings and contacts ---- */

/* A definition-list row of the profile; value as text with line breaks kept. */
static void profile_row(Req *r, const char *label, const char *value) {
  html(&r->out, "<dt>%s</dt><dd>", label);
  if (value && *value) html_text_lines(&r->out, value);
  else html(&r->out, "—");
  html(&r->out, "</dd>");
}

/* The form for a new contact with the employer (coaches). */
static void contact_form(Req *r, int64_t org_id) {
  html(&r->out, "<section class=\"card\"><h3>%s</h3>", _("Record a contact"));
  form_begin(r, arena_printf(r->a, "/employers/%lld/contacts", (long long)org_id), NULL);
  form_errors_summary(r);
  field_input(r, &(Field){.name = "held_on", .label = _("Date"), .type = "date", .required = true,
                          .value = *form_str(r, "held_on") ? form_str(r, "held_on") : date_today_text(r->a)});
  const char *modes[2 * 5 + 3];
  int k = 0;
  modes[k++] = "";
  modes[k++] = _("Choose how");
  for (int i = 0; employer_contact_modes[i]; i++) {
    modes[k++] = employer_contact_modes[i];
    modes[k++] = contact_mode_label(employer_contact_modes[i]);
  }
  modes[k] = NULL;
  field_select(r, &(Field){.name = "mode", .label = _("How"), .value = form_str(r, "mode"), .required = true}, modes);
  field_input(r, &(Field){.name = "minutes", .label = _("Duration in minutes"), .type = "number", .required = true,
                          .value = form_str(r, "minutes")});
  field_textarea(r, &(Field){.name = "note", .label = _("Short note"), .value = form_str(r, "note"),
                             .hint = _("About the employer only: no participant's name or details."),
                             .maxlength = NOTE_MAX},
                 3);
  html(&r->out, "<button type=\"submit\">%s</button>", _("Save the contact"));
  form_end(r);
  html(&r->out, "</section>");
}

static int render_employer(Req *r, const Employer *e, int64_t own, int status) {
  Opening *ops;
  int nops;
  int rc = openings_list(r->db, r->a, r->user, &(OpeningFilter){.employer_org_id = e->org_id}, &ops, &nops);
  if (rc != DB_OK) return http_db_error(r, rc);
  EmployerContact *cs = NULL;
  int ncs = 0;
  bool contacts = policy_employer_contacts_read(r->user);
  if (contacts && (rc = employer_contacts_list(r->db, r->a, r->user, e->org_id, &cs, &ncs)) != DB_OK)
    return http_db_error(r, rc);
  bool edit = policy_employer_edit(r->user, own, e->org_id);

  page_begin(r, e->name);
  if (policy_employer_register(r->user)) html(&r->out, "<p><a href=\"/employers\">%s</a></p>", _("All employers"));
  html(&r->out, "<h1>%s</h1>", e->name);
  if (own > 0 && own == e->org_id) /* the employer's own users answer proposals there */
    html(&r->out, "<p><a class=\"button\" href=\"/my-employer/proposals\">%s</a></p>", _("Proposals from the mediator"));
  if (!e->active) html(&r->out, "<p class=\"muted\">%s</p>", _("This organisation is inactive."));

  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Profile"));
  if (!e->has_profile) html(&r->out, "<p>%s</p>", _("No profile yet."));
  html(&r->out, "<dl>");
  profile_row(r, _("Sector"), e->sector);
  profile_row(r, _("Location or region"), e->region);
  profile_row(r, _("Size"), e->size_band ? size_band_label(e->size_band) : NULL);
  profile_row(r, _("Work processes"), e->work_processes);
  profile_row(r, _("Kinds of jobs"), e->job_kinds);
  profile_row(r, _("Culture and pace"), e->culture);
  profile_row(r, _("Support they can offer"), support_words(r->a, e->support, NULL));
  profile_row(r, _("Contact person at the employer"), e->contact_name);
  profile_row(r, _("Mediator at our side"), e->mediator_name);
  /* a count only: who is placed there is case information (the placements' own pages, by the consent rule) */
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Earlier placements"),
       arena_printf(r->a, P_("%lld placement", "%lld placements", e->placements), (long long)e->placements));
  html(&r->out, "</dl>");
  if (e->updated_at > 0)
    html(&r->out, "<p class=\"muted small\">%s</p>",
         arena_printf(r->a, _("Last changed by %s on %s."), or_dash(e->updated_by_name), time_for(r, e->updated_at)));
  if (edit)
    html(&r->out, "<p><a class=\"button\" href=\"/employers/%lld/edit\">%s</a></p>", (long long)e->org_id,
         _("Edit the profile"));
  html(&r->out, "</section>");

  html(&r->out, "<section><h2>%s</h2>", _("Openings"));
  if (edit)
    html(&r->out, "<p><a class=\"button\" href=\"/employers/%lld/openings/new\">%s</a></p>", (long long)e->org_id,
         _("New opening"));
  if (nops == 0) {
    html(&r->out, "<p>%s</p>", _("No openings yet."));
  } else {
    table_begin(r, NULL, arena_printf(r->a, _("Openings of %s"), e->name));
    html(&r->out,
         "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Title"), _("Kind"), _("Kind of work"), _("Hours a week"), _("Status"));
    for (int i = 0; i < nops; i++) {
      const Opening *o = &ops[i];
      html(&r->out, "<tr><th scope=\"row\"><a href=\"/openings/%lld\">%s</a></th><td>%s</td><td>%s</td><td>",
           (long long)o->id, o->title, opening_kind_label(o->kind), work_kind_label(o->work_kind));
      if (o->hours_min > 0) html(&r->out, "%d–%d", o->hours_min, o->hours_max);
      else html(&r->out, "%d", o->hours_max);
      html(&r->out, "</td><td>%s</td></tr>", opening_status_label(o->status));
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  html(&r->out, "</section>");

  if (contacts) {
    html(&r->out, "<section><h2>%s</h2>", _("Contacts with the employer"));
    if (ncs == 0) {
      html(&r->out, "<p>%s</p>", _("No contacts recorded yet."));
    } else {
      table_begin(r, NULL, _("Contact history"));
      html(&r->out,
           "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
           "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
           _("Date"), _("How"), _("Minutes"), _("By"), _("Note"));
      for (int i = 0; i < ncs; i++) {
        const EmployerContact *c = &cs[i];
        html(&r->out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%d</td><td>%s</td><td>", date_for(r, c->held_on),
             contact_mode_label(c->mode), c->minutes, c->by_name);
        html_text_lines(&r->out, c->note);
        html(&r->out, "</td></tr>");
      }
      html(&r->out, "</tbody>");
      table_end(r);
    }
    if (policy_employer_mediate(r->user)) contact_form(r, e->org_id);
    html(&r->out, "</section>");
  }
  page_end(r);
  return status;
}

static int get_employer(Req *r) {
  Employer e;
  int64_t own;
  int s = employer_door(r, "view", &e, &own);
  if (s) return s;
  return render_employer(r, &e, own, 200);
}

/* ---- /my-employer: an employer user's way to their own employer ---- */

static int get_my_employer(Req *r) {
  int64_t own;
  int rc = employer_of_user(r->db, r->user, &own);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (own > 0) return http_redirect(r, arena_printf(r->a, "/employers/%lld", (long long)own));
  page_begin(r, _("My organisation"));
  html(&r->out, "<h1>%s</h1><p>%s</p>", _("My organisation"),
       _("Your organisation is not an employer in the register, so there is no employer profile to show."));
  page_end(r);
  return 200;
}

/* ---- /employers/{id}/edit: the profile ---- */

/* The options value,label of people (id, name and function), after a "nobody" choice; arena. */
static const char **people_options(Req *r, const EmployerPerson *p, int n, const char *none) {
  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * n + 3));
  int k = 0;
  opts[k++] = "";
  opts[k++] = none;
  for (int i = 0; i < n; i++) {
    opts[k++] = arena_printf(r->a, "%lld", (long long)p[i].id);
    opts[k++] = p[i].function && *p[i].function ? arena_printf(r->a, _("%s (%s)"), p[i].name, p[i].function)
                                                : p[i].name;
  }
  opts[k] = NULL;
  return opts;
}

/* The support checkboxes: name support_<bit>, checked by bits. */
static void support_checks(Req *r, const char *legend, int bits) {
  html(&r->out, "<fieldset class=\"field\"><legend>%s</legend>", legend);
  for (int i = 0; i < SUPPORT_BITS; i++) {
    int bit = 1 << i;
    html(&r->out,
         "<div class=\"field check\"><input type=\"checkbox\" id=\"f-support_%d\" name=\"support_%d\" value=\"1\"%s>"
         "<label for=\"f-support_%d\">%s</label></div>",
         bit, bit, (bits & bit) ? " checked" : "", bit, support_label(bit));
  }
  html(&r->out, "</fieldset>");
}

/* The support bits of the form's support_<bit> checkboxes. */
static int support_from_form(Req *r) {
  int bits = 0;
  for (int i = 0; i < SUPPORT_BITS; i++)
    if (*form_str(r, arena_printf(r->a, "support_%d", 1 << i))) bits |= 1 << i;
  return bits;
}

static const char *id_text(Req *r, int64_t id) { return id > 0 ? arena_printf(r->a, "%lld", (long long)id) : ""; }

/* The profile form, filled from e (the stored profile, or what was typed). */
static int render_profile_form(Req *r, const Employer *e, int status) {
  EmployerPerson *people, *mediators = NULL;
  int np, nm = 0;
  int rc = employer_people(r->db, r->a, e->org_id, &people, &np);
  bool mediate = policy_employer_mediate(r->user);
  if (rc == DB_OK && mediate) rc = employer_mediators(r->db, r->a, &mediators, &nm);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *title = arena_printf(r->a, _("Profile of %s"), e->name);
  page_begin(r, title);
  html(&r->out, "<p><a href=\"/employers/%lld\">%s</a></p>", (long long)e->org_id, _("Back to the employer"));
  html(&r->out, "<h1>%s</h1>", title);
  form_begin(r, arena_printf(r->a, "/employers/%lld/edit", (long long)e->org_id), NULL);
  form_errors_summary(r);
  field_input(r, &(Field){.name = "sector", .label = _("Sector"), .value = e->sector, .maxlength = LINE_MAX,
                          .hint = _("For example: construction, home care, logistics, local government.")});
  field_input(r, &(Field){.name = "region", .label = _("Location or region"), .value = e->region,
                          .maxlength = LINE_MAX});
  const char *bands[2 * 4 + 3];
  int k = 0;
  bands[k++] = "";
  bands[k++] = _("Not known");
  for (int i = 0; employer_size_bands[i]; i++) {
    bands[k++] = employer_size_bands[i];
    bands[k++] = size_band_label(employer_size_bands[i]);
  }
  bands[k] = NULL;
  field_select(r, &(Field){.name = "size_band", .label = _("Size"), .value = e->size_band}, bands);
  field_textarea(r, &(Field){.name = "work_processes", .label = _("Work processes"), .value = e->work_processes,
                             .maxlength = TEXT_MAX, .hint = _("What the work is like: the processes, teams, shifts.")},
                 3);
  field_textarea(r, &(Field){.name = "job_kinds", .label = _("Kinds of jobs"), .value = e->job_kinds,
                             .maxlength = TEXT_MAX},
                 3);
  field_textarea(r, &(Field){.name = "culture", .label = _("Culture and pace"), .value = e->culture,
                             .maxlength = TEXT_MAX},
                 3);
  support_checks(r, _("Support they can offer"), e->support);
  field_select(r, &(Field){.name = "contact_user_id", .label = _("Contact person at the employer"),
                           .value = id_text(r, e->contact_user_id),
                           .hint = _("One person of the employer with an account in the portal.")},
               people_options(r, people, np, _("Nobody yet")));
  if (mediate)
    field_select(r, &(Field){.name = "mediator_user_id", .label = _("Mediator at our side"),
                             .value = id_text(r, e->mediator_user_id),
                             .hint = _("The one coach who is the employer's contact with us.")},
                 people_options(r, mediators, nm, _("Nobody yet")));
  html(&r->out, "<button type=\"submit\">%s</button>", _("Save the profile"));
  form_end(r);
  page_end(r);
  return status;
}

static int get_profile_form(Req *r) {
  Employer e;
  int64_t own;
  int s = employer_door(r, "update", &e, &own);
  if (s) return s;
  if (!policy_employer_edit(r->user, own, e.org_id)) return employer_refused(r, e.org_id, "update");
  return render_profile_form(r, &e, 200);
}

/* A single-line text field of at most LINE_MAX characters; an error on the field otherwise. */
static const char *line_field(Req *r, const char *name) {
  const char *v = form_str(r, name);
  if (text_has_breaks(v)) form_error(r, name, _("Write this on one line."));
  else if (text_chars(v) > LINE_MAX) form_error(r, name, _("This is too long (at most 120 characters)."));
  return v;
}

/* A multi-line text field of at most TEXT_MAX characters; an error on the field otherwise. */
static const char *text_field(Req *r, const char *name) {
  const char *v = form_str(r, name);
  if (text_chars(v) > TEXT_MAX) form_error(r, name, _("This is too long (at most 2000 characters)."));
  return v;
}

/* A positive id typed in field name, or 0 when it is empty; -1 when it is not a number. */
static int64_t id_field(Req *r, const char *name) {
  const char *v = form_str(r, name);
  if (!*v) return 0;
  char *end;
  long long id = strtoll(v, &end, 10);
  return *end || id <= 0 ? -1 : id;
}

static int post_profile(Req *r) {
  Employer e;
  int64_t own;
  int s = employer_door(r, "update", &e, &own);
  if (s) return s;
  if (!policy_employer_edit(r->user, own, e.org_id)) return employer_refused(r, e.org_id, "update");
  Employer n = e;
  n.sector = line_field(r, "sector");
  n.region = line_field(r, "region");
  n.size_band = form_str(r, "size_band");
  if (*n.size_band && !employer_size_band_valid(n.size_band)) form_error(r, "size_band", _("Choose a size."));
  n.work_processes = text_field(r, "work_processes");
  n.job_kinds = text_field(r, "job_kinds");
  n.culture = text_field(r, "culture");
  n.support = support_from_form(r);
  int rc;
  n.contact_user_id = id_field(r, "contact_user_id");
  bool ok = n.contact_user_id == 0;
  if (n.contact_user_id > 0 && (rc = employer_is_person(r->db, e.org_id, n.contact_user_id, &ok)) != DB_OK)
    return http_db_error(r, rc);
  if (!ok) form_error(r, "contact_user_id", _("Choose a person of this employer."));
  if (policy_employer_mediate(r->user)) {
    n.mediator_user_id = id_field(r, "mediator_user_id");
    ok = n.mediator_user_id == 0;
    if (n.mediator_user_id > 0 && (rc = employer_is_mediator(r->db, n.mediator_user_id, &ok)) != DB_OK)
      return http_db_error(r, rc);
    if (!ok) form_error(r, "mediator_user_id", _("Choose a coach as mediator."));
  } /* else: the employer's own users keep the mediator chosen at our side */
  if (r->nerrors) {
    if (n.contact_user_id < 0) n.contact_user_id = 0;
    if (n.mediator_user_id < 0) n.mediator_user_id = 0;
    return render_profile_form(r, &n, 400);
  }
  n.size_band = *n.size_band ? n.size_band : NULL;
  n.sector = *n.sector ? n.sector : NULL;
  n.region = *n.region ? n.region : NULL;
  n.work_processes = *n.work_processes ? n.work_processes : NULL;
  n.job_kinds = *n.job_kinds ? n.job_kinds : NULL;
  n.culture = *n.culture ? n.culture : NULL;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = employer_profile_save(r->db, r->user, &n, (int64_t)time(NULL))) != DB_OK ||
      (rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "employer:%lld", (long long)e.org_id),
                                         .action = "update", .outcome = "ok", .grounds = NULL})) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/employers/%lld", (long long)e.org_id), "saved");
}

/* ---- POST /employers/{id}/contacts: a contact with the employer ---- */

static int post_contact(Req *r) {
  Employer e;
  int64_t own;
  int s = employer_door(r, "create", &e, &own);
  if (s) return s;
  if (!policy_employer_mediate(r->user)) return employer_refused(r, e.org_id, "create");
  EmployerContact c = {.org_id = e.org_id, .held_on = form_str(r, "held_on"), .mode = form_str(r, "mode"),
                       .note = form_str(r, "note")};
  int32_t days;
  if (!date_parse(c.held_on, &days)) form_error(r, "held_on", _("Give the date as YYYY-MM-DD."));
  else if (days > date_today()) form_error(r, "held_on", _("A contact that was held cannot be in the future."));
  if (!employer_contact_mode_valid(c.mode)) form_error(r, "mode", _("Choose how the contact was held."));
  const char *m = form_str(r, "minutes");
  char *end;
  long minutes = strtol(m, &end, 10);
  if (!*m || *end || minutes < 1 || minutes > MINUTES_MAX)
    form_error(r, "minutes", _("Give the duration in minutes, from 1 to 1440."));
  c.minutes = (int)minutes;
  if (text_chars(c.note) > NOTE_MAX) form_error(r, "note", _("This is too long (at most 2000 characters)."));
  if (r->nerrors) return render_employer(r, &e, own, 400);
  int rc;
  int64_t id;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = employer_contact_insert(r->db, r->user, &c, (int64_t)time(NULL), &id)) != DB_OK ||
      (rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "employer_contact:%lld", (long long)id),
                                         .action = "create", .outcome = "ok", .grounds = NULL})) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/employers/%lld", (long long)e.org_id), "saved");
}

const Route employers_routes[] = {
    {"GET", "/employers", ROLE_COACH | ROLE_TEAMLEAD, 0, get_employers},
    {"GET", "/my-employer", ROLE_PARTNER, 0, get_my_employer},
    {"GET", "/employers/{id}", ROLE_COACH | ROLE_TEAMLEAD | ROLE_PARTNER, 0, get_employer},
    {"GET", "/employers/{id}/edit", ROLE_COACH | ROLE_PARTNER, 0, get_profile_form},
    {"POST", "/employers/{id}/edit", ROLE_COACH | ROLE_PARTNER, 0, post_profile},
    {"POST", "/employers/{id}/contacts", ROLE_COACH, 0, post_contact},
    {0},
};

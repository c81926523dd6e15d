/*
 * placements.c — trial placements and job starts of a trajectory (/t/{id}/placements; issue 13, part 5):
 * the employer, the opening it fills, start and end, the hours a week with their build-up, the agreements
 * (tasks, buddy, adjustments), the evaluation talks with the employer and the outcome (hired, extended,
 * stopped). Job coaching after the start is in job_coaching.c and shown on the placement's page.
 *
 * A placement is case information (an items row, category work, the participant as source party), so the one
 * door decides who sees it: the coaches, the participant, and the network members holding the participant's
 * live consent for `work` — an employer's HR contact sees the placement and its evaluations only while that
 * consent lasts. An evaluation talk is an item of its own; its source party is the employer's member of the
 * network when the coach records the employer's remarks (doc/DOMAIN.md, "Information and consent"), so it
 * reaches the participant with that member's consent. Evaluations are listed only inside the placement's
 * page, which needs the placement itself to be visible. Only an assigned coach records anything
 * (policy_may_record_placement).
 *
 * A placement that starts, ends in a hire or stops is an event: everybody allowed to see the placement is told
 * by a notice in the portal (/notices) and, when mail is configured, by a mail that says only that something
 * changed in a trajectory they follow, with a link (mail/outbox.h) — both in the transaction of the change.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "mail/outbox.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/placements_policy.h"
#include "store/job_coaching.h"
#include "store/placements.h"

enum { LIST_MAX = 50, TEXT_MAX = 2000, EMPLOYERS_MAX = 500, OPENINGS_MAX = 500, EVALS_MAX = 50, STEP_FIELDS = 4,
       HOURS_MAX_TENTHS = 600, AUDIENCE_MAX = 200, CONTACTS_MAX = 60 };

/* ---- labels */

const char *placement_kind_label(const char *k) {
  if (k && !strcmp(k, "trial")) return _("Trial placement");
  return _("Job start");
}

static const char *status_label(const Placement *p) {
  if (p->outcome && !strcmp(p->outcome, "hired")) return _("Hired");
  if (p->outcome && !strcmp(p->outcome, "stopped")) return _("Stopped");
  if (!strcmp(p->status, "planned")) return _("Planned");
  if (p->outcome && !strcmp(p->outcome, "extended")) return _("Extended");
  if (!strcmp(p->status, "started")) return _("Under way");
  return _("Ended");
}

static const char *contract_label(const char *c) {
  if (!c) return "";
  if (!strcmp(c, "permanent")) return _("Permanent contract");
  if (!strcmp(c, "fixed_term")) return _("Fixed-term contract");
  if (!strcmp(c, "temp_agency")) return _("Through a temporary work agency");
  return _("Other contract");
}

static const char *reason_label(const char *c, bool wabz) {
  if (!c) return "";
  if (!strcmp(c, "participant")) return wabz ? _("The client chose to stop") : _("The participant chose to stop");
  if (!strcmp(c, "employer")) return _("The employer chose to stop");
  if (!strcmp(c, "health")) return _("Health did not allow it");
  if (!strcmp(c, "mismatch")) return _("The work did not fit");
  return _("Another reason");
}

/* ---- events */

int placement_event(Req *r, int64_t tid, int64_t pl, const char *event) {
  char today[11];
  date_format(date_today(), today);
  int64_t *cands, *to;
  int nc, nt;
  int rc = placement_audience_candidates(r->db, r->a, tid, AUDIENCE_MAX, &cands, &nc);
  if (rc == DB_OK) rc = policy_placement_audience(r->db, r->a, pl, today, cands, nc, r->user->id, &to, &nt);
  if (rc != DB_OK) return rc;
  int64_t now = (int64_t)time(NULL);
  const char *url = outbox_portal_url(r->a, arena_printf(r->a, "/t/%lld/placements/%lld", (long long)tid, (long long)pl));
  for (int i = 0; i < nt && rc == DB_OK; i++) {
    rc = placement_notice_add(r->db, to[i], tid, pl, event, now);
    if (rc == DB_OK && outbox_enabled()) {
      rc = outbox_queue(r->db, to[i], NULL, "placement", url, NULL);
      if (rc == DB_CONSTRAINT) rc = DB_OK; /* an account without a usable address: the notice is enough */
    }
  }
  return rc;
}

/* ---- the form of a placement */

/* A select's value/label array for n choices: "" with label none first, NULL-terminated; the caller fills
 * the value and label of choice i into o[2 + 2 * i] and o[3 + 2 * i]. */
static const char **id_options(Req *r, int n, const char *none) {
  const char **o = arena_alloc(r->a, sizeof *o * (size_t)(2 * n + 3));
  o[0] = "";
  o[1] = none;
  o[2 + 2 * n] = NULL;
  return o;
}

/* Options of the employer select: "" then every active employer. */
static const char **employer_options(Req *r) {
  PlacementEmployer *v;
  int n = 0;
  if (placement_employers(r->db, r->a, EMPLOYERS_MAX, &v, &n) != DB_OK) n = 0;
  const char **o = id_options(r, n, _("Choose…"));
  for (int i = 0; i < n; i++) {
    o[2 + 2 * i] = arena_printf(r->a, "%lld", (long long)v[i].id);
    o[3 + 2 * i] = v[i].name;
  }
  return o;
}

static const char **opening_options(Req *r) {
  PlacementOpening *v;
  int n = 0;
  if (placement_openings(r->db, r->a, OPENINGS_MAX, &v, &n) != DB_OK) n = 0;
  const char **o = id_options(r, n, _("No opening"));
  for (int i = 0; i < n; i++) {
    o[2 + 2 * i] = arena_printf(r->a, "%lld", (long long)v[i].id);
    o[3 + 2 * i] = arena_printf(r->a, _("%s at %s (at most %lld hours a week)"), v[i].title, v[i].employer,
                                (long long)v[i].hours_max);
  }
  return o;
}

/* The value of field name: what the user typed after a failed POST, else def. */
static const char *val(Req *r, const char *name, const char *def) {
  return r->nerrors || !def ? form_str(r, name) : def;
}

/* The form that creates (p NULL) or changes placement p of trajectory tid. */
static void placement_form(Req *r, int64_t tid, const Placement *p, const PlacementStep *steps, int nsteps) {
  form_errors_summary(r);
  form_begin(r, p ? arena_printf(r->a, "/t/%lld/placements/%lld/edit", (long long)tid, (long long)p->id)
                  : arena_printf(r->a, "/t/%lld/placements", (long long)tid),
             NULL);
  if (!p) {
    const char *kinds[] = {"trial", _("Trial placement"), "job", _("Job start"), NULL};
    field_select(r, &(Field){.name = "kind", .label = _("What kind of placement"), .value = form_str(r, "kind"),
                             .required = true},
                 kinds);
    field_select(r, &(Field){.name = "employer", .label = _("Employer"), .value = form_str(r, "employer"),
                             .hint = _("Not needed when you choose an opening: its employer is taken.")},
                 employer_options(r));
    field_select(r, &(Field){.name = "opening", .label = _("Opening"), .value = form_str(r, "opening")},
                 opening_options(r));
  }
  field_input(r, &(Field){.name = "starts_on", .label = _("Start date"), .type = "date",
                          .value = val(r, "starts_on", p ? p->starts_on : NULL), .required = true});
  field_input(r, &(Field){.name = "ends_on", .label = _("End date"), .type = "date",
                          .value = val(r, "ends_on", p ? (p->ends_on ? p->ends_on : "") : NULL),
                          .hint = _("Required for a trial placement; empty for a job without an end date.")});
  field_input(r, &(Field){.name = "hours", .label = _("Hours a week"),
                          .value = val(r, "hours", p ? hours_text_of(r, p->hours_tenths) : NULL),
                          .hint = _("At most 60, and no more than the opening offers."), .required = true,
                          .maxlength = 5});
  html(&r->out, "<fieldset><legend>%s</legend><p class=\"small\">%s</p>", _("Build-up of the hours"),
       _("From which day how many hours a week: leave rows empty that you do not need."));
  for (int i = 0; i < STEP_FIELDS; i++) {
    const char *fk = arena_printf(r->a, "step%d_from", i + 1), *hk = arena_printf(r->a, "step%d_hours", i + 1);
    bool have = p && i < nsteps;
    field_input(r, &(Field){.name = fk, .label = arena_printf(r->a, _("Step %d: from"), i + 1), .type = "date",
                            .value = val(r, fk, have ? steps[i].from_on : (p ? "" : NULL))});
    field_input(r, &(Field){.name = hk, .label = arena_printf(r->a, _("Step %d: hours a week"), i + 1),
                            .value = val(r, hk, have ? hours_text_of(r, steps[i].hours_tenths) : (p ? "" : NULL)),
                            .maxlength = 5});
  }
  html(&r->out, "</fieldset>");
  field_textarea(r, &(Field){.name = "tasks", .label = _("Tasks agreed"), .value = val(r, "tasks", p ? p->tasks : NULL),
                             .maxlength = TEXT_MAX},
                 3);
  field_input(r, &(Field){.name = "buddy", .label = _("Buddy at work"), .value = val(r, "buddy", p ? p->buddy : NULL),
                          .maxlength = 200});
  field_textarea(r, &(Field){.name = "adjustments", .label = _("Adjustments agreed"),
                             .value = val(r, "adjustments", p ? p->adjustments : NULL),
                             .hint = case_wabz(r, tid)
                                         ? _("Work information: whoever the client shares work information with sees it.")
                                         : _("Work information: whoever the participant shares work information with sees it."),
                             .maxlength = TEXT_MAX},
                 3);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       p ? _("Save the changes") : _("Save the placement"));
  form_end(r);
}

/* Hours a week from field name into *tenths (empty allowed when !required): records an error when it is not
 * a number, above 60 or above the opening's most hours (max_tenths, 0: no opening). */
static bool hours_field(Req *r, const char *name, bool required, int64_t max_tenths, int64_t *tenths) {
  const char *v = form_str(r, name);
  *tenths = -1;
  if (!*v) {
    if (required) form_error(r, name, _("Enter the hours a week."));
    return !required;
  }
  if (!hours_parse(v, tenths)) {
    form_error(r, name, _("Hours a week must be a number, with at most one decimal, such as 19.5."));
    return false;
  }
  if (*tenths > HOURS_MAX_TENTHS) {
    form_error(r, name, _("At most 60 hours a week."));
    return false;
  }
  if (max_tenths > 0 && *tenths > max_tenths) {
    form_error(r, name, arena_printf(r->a, _("The opening offers at most %lld hours a week."),
                                     (long long)(max_tenths / 10)));
    return false;
  }
  return true;
}

/* Optional date field into its YYYY-MM-DD text (NULL when empty); records an error when malformed. */
static const char *date_field(Req *r, const char *name, bool required, int32_t *days) {
  const char *v = form_str(r, name);
  *days = 0;
  if (!*v) {
    if (required) form_error(r, name, _("Enter a real date (YYYY-MM-DD)."));
    return NULL;
  }
  if (!date_parse(v, days)) {
    form_error(r, name, _("Enter a real date (YYYY-MM-DD)."));
    return NULL;
  }
  char *s = arena_alloc(r->a, 11);
  date_format(*days, s);
  return s;
}

/* Reads and checks the form into *n (kind, employer and opening only when creating: cur NULL). Records
 * every error; returns true when there is none. */
static bool read_placement(Req *r, int64_t tid, const Placement *cur, PlacementNew *n) {
  *n = (PlacementNew){.trajectory_id = tid, .author_id = r->user->id, .created_at = (int64_t)time(NULL)};
  int64_t max_tenths = 0;
  if (!cur) {
    n->kind = form_str(r, "kind");
    if (!placement_code_in(placement_kinds, n->kind)) form_error(r, "kind", _("Choose what kind of placement this is."));
    int64_t org = atoll(form_str(r, "employer")), opening = atoll(form_str(r, "opening"));
    if (*form_str(r, "opening")) {
      int64_t oorg = 0, hmax = 0;
      int rc = opening > 0 ? placement_opening(r->db, opening, &oorg, &hmax) : DB_DONE;
      if (rc == DB_ROW) {
        if (org > 0 && org != oorg) form_error(r, "opening", _("This opening belongs to another employer."));
        org = oorg;
        n->opening_id = opening;
        max_tenths = hmax * 10;
      } else {
        form_error(r, "opening", _("Choose an opening from the list."));
      }
    }
    bool ok = false;
    const char *name;
    if (org > 0 && placement_employer(r->db, r->a, org, &ok, &name) != DB_OK) ok = false;
    if (!ok && !form_error_for(r, "opening")) form_error(r, "employer", _("Choose the employer."));
    n->employer_org_id = org;
  } else {
    n->kind = cur->kind;
    n->employer_org_id = cur->employer_org_id;
    n->opening_id = cur->opening_id;
    if (cur->opening_id) {
      int64_t oorg, hmax;
      if (placement_opening(r->db, cur->opening_id, &oorg, &hmax) == DB_ROW) max_tenths = hmax * 10;
    }
  }
  int32_t start, end;
  n->starts_on = date_field(r, "starts_on", true, &start);
  n->ends_on = date_field(r, "ends_on", n->kind && !strcmp(n->kind, "trial"), &end);
  if (n->starts_on && n->ends_on && end < start) form_error(r, "ends_on", _("The end date lies before the start date."));
  if (n->starts_on && start < date_today() - 366) form_error(r, "starts_on", _("This date lies more than a year in the past."));
  hours_field(r, "hours", true, max_tenths, &n->hours_tenths);
  PlacementStep *steps = arena_alloc(r->a, sizeof *steps * STEP_FIELDS);
  for (int i = 0; i < STEP_FIELDS; i++) {
    const char *fk = arena_printf(r->a, "step%d_from", i + 1), *hk = arena_printf(r->a, "step%d_hours", i + 1);
    if (!*form_str(r, fk) && !*form_str(r, hk)) continue;
    int32_t d;
    int64_t h;
    const char *from = date_field(r, fk, true, &d);
    bool hok = hours_field(r, hk, true, max_tenths, &h);
    if (from && n->starts_on && (d < start || (n->ends_on && d > end)))
      form_error(r, fk, _("A step of the build-up must lie within the placement's dates."));
    else if (from && hok) steps[n->nsteps++] = (PlacementStep){.from_on = from, .hours_tenths = h};
  }
  for (int i = 1; i < n->nsteps; i++)
    if (strcmp(steps[i].from_on, steps[i - 1].from_on) <= 0)
      form_error(r, arena_printf(r->a, "step%d_from", i + 1), _("Give the steps of the build-up in order, each on a later day."));
  n->steps = steps;
  n->tasks = form_str(r, "tasks");
  n->buddy = form_str(r, "buddy");
  n->adjustments = form_str(r, "adjustments");
  if (text_chars(n->tasks) > TEXT_MAX) form_error(r, "tasks", _("The text is too long (at most 2000 characters)."));
  if (text_chars(n->buddy) > 200) form_error(r, "buddy", _("The text is too long (at most 200 characters)."));
  if (text_chars(n->adjustments) > TEXT_MAX) form_error(r, "adjustments", _("The text is too long (at most 2000 characters)."));
  if (!r->nerrors && n->starts_on) {
    bool overlap;
    int rc = placement_overlaps(r->db, tid, n->starts_on, n->ends_on, cur ? cur->id : 0, &overlap);
    if (rc != DB_OK || overlap)
      form_error(r, "starts_on", _("These dates overlap another placement of this trajectory. End that one first, or "
                                   "choose other dates."));
  }
  return r->nerrors == 0;
}

/* ---- the list */

static void placement_row(Req *r, int64_t tid, const Placement *p) {
  html(&r->out, "<tr><th scope=\"row\"><a href=\"/t/%lld/placements/%lld\">%s</a></th><td>%s</td><td>%s</td>",
       (long long)tid, (long long)p->id, p->employer, placement_kind_label(p->kind),
       p->opening_title ? p->opening_title : "");
  html(&r->out, "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", date_for(r, p->starts_on),
       p->ends_on ? date_for(r, p->ends_on) : "", hours_text_of(r, p->hours_tenths), status_label(p));
}

static int render_list(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  char today[11];
  date_format(date_today(), today);
  Placement *v;
  int n;
  int rc = placements_visible(r->db, r->a, r->user, tid, today, LIST_MAX, &v, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = v[i].id;
  if ((rc = items_disclose(r, pid, tid, g, "placements", "list", "placement", ids, n)) != DB_OK)
    return http_db_error(r, rc);
  if ((rc = case_page_begin(r, tid, g, _("Work placements"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Work placements"));
  trajectory_subnav(r, tid, g, "placements");
  int shown = 0;
  for (int i = 0; i < n; i++) shown += ids[i] != 0;
  if (!shown) {
    html(&r->out, "<p class=\"empty\">%s</p>", reader_plain(r) ? _("There is no work placement for you yet.")
                                                             : _("No placements you can see."));
  } else {
    table_begin(r, NULL, _("Trial placements and job starts"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "</tr></thead><tbody>",
         _("Employer"), _("What"), _("Opening"), _("From"), _("Until"), _("Hours a week"), _("Status"));
    for (int i = 0; i < n; i++)
      if (ids[i]) placement_row(r, tid, &v[i]);
    html(&r->out, "</tbody>");
    table_end(r);
  }
  if (policy_may_record_placement(g)) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"new-pl\"><h2 id=\"new-pl\">%s</h2>", _("New placement"));
    placement_form(r, tid, NULL, NULL, 0);
    html(&r->out, "</section>");
  }
  page_end(r);
  return status;
}

/* The end of a change to placement pl of trajectory tid (item, action: what the access log records): the
 * commit, the log and the redirect to the placement's page (trajectory_change_done). */
static int placement_changed(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                             int64_t pl) {
  return trajectory_change_done(r, pid, tid, item, action, g,
                                arena_printf(r->a, "/t/%lld/placements/%lld", (long long)tid, (long long)pl));
}

static int get_placements(Req *r) {
  return case_list_page(r, "placements", render_list);
}

static int post_placement(Req *r) {
  Grounds g;
  int64_t pid;
  int s = case_door(r, OWNER_ITEM, 0, "placement", "create", policy_may_record_placement, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  PlacementNew n;
  if (!read_placement(r, tid, NULL, &n)) return render_list(r, tid, g, pid, 400);
  int64_t id;
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = placement_create(r->db, &n, &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return placement_changed(r, pid, tid, arena_printf(r->a, "placement:%lld", (long long)id), "create", g, id);
}

/* ---- one placement */

/* Opens placement r->ids[1] of trajectory r->ids[0] for action: the door (may: NULL for any grounds), then
 * the placement of this trajectory, then — for reading — the item rule on the placement itself. Returns 0
 * with *p, *g, *pid filled, or the status of the page sent. */
static int placement_open(Req *r, const char *action, bool (*may)(Grounds), Placement *p, Grounds *g, int64_t *pid) {
  int64_t tid = r->ids[0], pl = r->ids[1];
  const char *item = arena_printf(r->a, "placement:%lld", (long long)pl);
  int s = case_door(r, OWNER_ITEM, pl, item, action, may, g, pid);
  if (s) return s;
  int rc = placement_get(r->db, r->a, tid, pl, p);
  if (rc == DB_DONE) return object_not_here(r, OWNER_ITEM, pl, item, action, *g);
  if (rc != DB_ROW) return http_db_error(r, rc);
  Grounds ig;
  int64_t consent;
  char today[11];
  date_format(date_today(), today);
  if ((rc = policy_item(r->db, r->user, pl, today, &ig, &consent, NULL)) != DB_OK) return http_db_error(r, rc);
  if (ig == GROUNDS_NONE) return object_refused(r, OWNER_ITEM, pl, item, action, grounds_name(*g));
  return 0;
}

/* Opens placement r->ids[1] of trajectory r->ids[0] for a change: placement_open for "update" with the
 * grounds that record placements, then refused while the trajectory is closed. Returns 0 or the status sent. */
static int placement_open_change(Req *r, Placement *p, Grounds *g, int64_t *pid) {
  int s = placement_open(r, "update", policy_may_record_placement, p, g, pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  return 0;
}

static void text_block(Req *r, const char *label, const char *text) {
  if (!text || !*text) return;
  html(&r->out, "<dt>%s</dt><dd>", label);
  html_text_lines(&r->out, text);
  html(&r->out, "</dd>");
}

static void facts(Req *r, const Placement *p, const PlacementStep *steps, int nsteps) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"pl-facts\"><h2 id=\"pl-facts\">%s</h2><dl>",
       _("What is agreed"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Employer"), p->employer);
  if (p->opening_title) html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Opening"), p->opening_title);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("From"), date_for(r, p->starts_on));
  if (p->ends_on) html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Until"), date_for(r, p->ends_on));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Hours a week"), hours_text_of(r, p->hours_tenths));
  text_block(r, _("Tasks agreed"), p->tasks);
  text_block(r, _("Buddy at work"), p->buddy);
  text_block(r, _("Adjustments agreed"), p->adjustments);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Status"), status_label(p));
  if (p->outcome && !strcmp(p->outcome, "hired"))
    html(&r->out, "<dt>%s</dt><dd>%s · %s</dd>", _("Contract"), contract_label(p->contract_type),
         arena_printf(r->a, _("Hours a week: %s"), hours_text_of(r, p->contract_hours_tenths)));
  if (p->outcome && !strcmp(p->outcome, "stopped")) {
    html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Why it stopped"), reason_label(p->stop_reason, case_wabz(r, p->trajectory_id)));
    text_block(r, _("Remark"), p->stop_note);
  }
  if (p->outcome_on) html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Outcome on"), date_for(r, p->outcome_on));
  html(&r->out, "</dl>");
  if (nsteps) {
    table_begin(r, NULL, _("Build-up of the hours"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>", _("From"),
         _("Hours a week"));
    for (int i = 0; i < nsteps; i++)
      html(&r->out, "<tr><td>%s</td><td>%s</td></tr>", date_for(r, steps[i].from_on),
           hours_text_of(r, steps[i].hours_tenths));
    html(&r->out, "</tbody>");
    table_end(r);
  }
  html(&r->out, "</section>");
}

static void evals_section(Req *r, const PlacementEval *ev, int n, const int64_t *shown) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"pl-evals\"><h2 id=\"pl-evals\">%s</h2>",
       _("Evaluation talks with the employer"));
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (!shown[i]) continue;
    k++;
    const PlacementEval *e = &ev[i];
    html(&r->out, "<article class=\"note\" id=\"eval-%lld\"><h3>%s</h3><dl>", (long long)e->id,
         arena_printf(r->a, _("Evaluation of %s"), date_for(r, e->held_on)));
    text_block(r, _("What goes well"), e->goes_well);
    text_block(r, _("What needs adjusting"), e->to_adjust);
    if (e->hours_next_tenths >= 0)
      html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Hours a week next period"), hours_text_of(r, e->hours_next_tenths));
    html(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", _("Decision"),
         !strcmp(e->decision, "continue") ? _("Continue") : _("Stop"));
    if (e->employer_source) html(&r->out, "<p class=\"small muted\">%s</p>", _("The employer's remarks."));
    html(&r->out, "</article>");
  }
  if (!k) html(&r->out, "<p class=\"empty\">%s</p>", _("No evaluation talks you can see yet."));
  html(&r->out, "</section>");
}

static void eval_form(Req *r, int64_t tid, const Placement *p) {
  bool wabz = case_wabz(r, tid); /* the programme's words */
  int64_t *mids;
  const char **names;
  int nm = 0;
  if (placement_work_members(r->db, r->a, tid, p->employer_org_id, 32, &mids, &names, &nm) != DB_OK) nm = 0;
  const char **src = arena_alloc(r->a, sizeof *src * (size_t)(2 * nm + 3));
  int k = 0;
  for (int i = 0; i < nm; i++) {
    src[k++] = arena_printf(r->a, "%lld", (long long)mids[i]);
    src[k++] = arena_printf(r->a, _("The employer's remarks, given by %s"), names[i]);
  }
  src[k++] = "participant";
  src[k++] = wabz ? _("The client's information") : _("The participant's information");
  src[k] = NULL;
  const char *dec[] = {"continue", _("Continue"), "stop", _("Stop"), NULL};
  char today[11];
  date_format(date_today(), today);
  html(&r->out, "<section class=\"card\" aria-labelledby=\"pl-neweval\"><h2 id=\"pl-neweval\">%s</h2>",
       _("Record an evaluation talk"));
  form_begin(r, arena_printf(r->a, "/t/%lld/placements/%lld/evaluations", (long long)tid, (long long)p->id), NULL);
  const char *held = form_str(r, "held_on");
  field_input(r, &(Field){.name = "held_on", .label = _("Date of the talk"), .type = "date",
                          .value = *held ? held : today, .required = true});
  field_select(r, &(Field){.name = "source", .label = _("Whose information is this?"), .value = form_str(r, "source"),
                           .hint = wabz ? _("The employer's remarks are the employer's information: the client sees "
                                            "them when the employer shares them.")
                                        : _("The employer's remarks are the employer's information: the participant sees "
                                            "them when the employer shares them."),
                           .required = true},
               src);
  field_textarea(r, &(Field){.name = "goes_well", .label = _("What goes well"), .value = form_str(r, "goes_well"),
                             .maxlength = TEXT_MAX},
                 3);
  field_textarea(r, &(Field){.name = "to_adjust", .label = _("What needs adjusting"), .value = form_str(r, "to_adjust"),
                             .maxlength = TEXT_MAX},
                 3);
  field_input(r, &(Field){.name = "hours_next", .label = _("Hours a week next period"),
                          .value = form_str(r, "hours_next"), .maxlength = 5});
  field_select(r, &(Field){.name = "decision", .label = _("Continue or stop"), .value = form_str(r, "decision"),
                           .required = true},
               dec);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Save the evaluation"));
  form_end(r);
  html(&r->out, "</section>");
}

static void outcome_form(Req *r, int64_t tid, const Placement *p) {
  bool wabz = case_wabz(r, tid); /* the programme's words */
  const char *oc[] = {"hired", _("Hired"), "extended", _("Extended"), "stopped", _("Stopped"), NULL};
  const char *ct[2 * 4 + 3] = {"", _("Choose…")}, *rs[2 * 5 + 3] = {"", _("Choose…")};
  int k = 2;
  for (int i = 0; placement_contract_types[i]; i++) {
    ct[k++] = placement_contract_types[i];
    ct[k++] = contract_label(placement_contract_types[i]);
  }
  ct[k] = NULL;
  k = 2;
  for (int i = 0; placement_stop_reasons[i]; i++) {
    rs[k++] = placement_stop_reasons[i];
    rs[k++] = reason_label(placement_stop_reasons[i], wabz);
  }
  rs[k] = NULL;
  char today[11];
  date_format(date_today(), today);
  const char *on = form_str(r, "on");
  html(&r->out, "<section class=\"card\" aria-labelledby=\"pl-out\"><h2 id=\"pl-out\">%s</h2>", _("Outcome"));
  form_begin(r, arena_printf(r->a, "/t/%lld/placements/%lld/outcome", (long long)tid, (long long)p->id), NULL);
  field_select(r, &(Field){.name = "outcome", .label = _("Outcome"), .value = form_str(r, "outcome"), .required = true},
               oc);
  field_input(r, &(Field){.name = "on", .label = _("Date"), .type = "date", .value = *on ? on : today, .required = true});
  html(&r->out, "<fieldset><legend>%s</legend>", _("When hired"));
  field_select(r, &(Field){.name = "contract_type", .label = _("Contract"), .value = form_str(r, "contract_type")}, ct);
  field_input(r, &(Field){.name = "contract_hours", .label = _("Contract hours a week"),
                          .value = form_str(r, "contract_hours"), .maxlength = 5});
  html(&r->out, "</fieldset><fieldset><legend>%s</legend>", _("When extended"));
  field_input(r, &(Field){.name = "new_ends_on", .label = _("New end date"), .type = "date",
                          .value = form_str(r, "new_ends_on")});
  html(&r->out, "</fieldset><fieldset><legend>%s</legend>", _("When stopped"));
  field_select(r, &(Field){.name = "stop_reason", .label = _("Why it stopped"), .value = form_str(r, "stop_reason")}, rs);
  field_input(r, &(Field){.name = "stop_note", .label = _("Remark"), .value = form_str(r, "stop_note"), .maxlength = 500});
  html(&r->out, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Save the outcome"));
  form_end(r);
  html(&r->out, "</section>");
}

static int render_one(Req *r, const Placement *p, Grounds g, int64_t pid, int status) {
  int64_t tid = r->ids[0];
  char today[11];
  date_format(date_today(), today);
  PlacementStep *steps;
  int nsteps;
  PlacementEval *ev;
  int nev;
  JobContact *jc;
  int njc;
  int rc = placement_steps(r->db, r->a, p->id, &steps, &nsteps);
  if (rc == DB_OK) rc = placement_evals_visible(r->db, r->a, r->user, p->id, today, EVALS_MAX, &ev, &nev);
  if (rc == DB_OK) rc = job_contacts_visible(r->db, r->a, r->user, p->id, today, CONTACTS_MAX, &jc, &njc);
  if (rc != DB_OK) return http_db_error(r, rc);
  int n = 1 + nev + njc;
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)n);
  const char **kinds = arena_alloc(r->a, sizeof *kinds * (size_t)n);
  ids[0] = p->id;
  kinds[0] = "placement";
  for (int i = 0; i < nev; i++) {
    ids[1 + i] = ev[i].id;
    kinds[1 + i] = "placement_eval";
  }
  for (int i = 0; i < njc; i++) {
    ids[1 + nev + i] = jc[i].id;
    kinds[1 + nev + i] = "jobcoaching";
  }
  if ((rc = items_disclose_kinds(r, pid, tid, g, arena_printf(r->a, "placement:%lld", (long long)p->id), "view", kinds,
                                 ids, n)) != DB_OK)
    return http_db_error(r, rc);
  if (!ids[0]) return http_error(r, 404, NULL); /* withheld by the rule in C: nothing of it is shown */
  for (int i = 0; i < njc; i++)
    if (!ids[1 + nev + i]) jc[i].id = 0;
  const char *title = placement_kind_label(p->kind);
  if ((rc = case_page_begin(r, tid, g, title)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", arena_printf(r->a, _("%s at %s"), title, p->employer));
  trajectory_subnav(r, tid, g, "placements");
  html(&r->out, "<p><a href=\"/t/%lld/placements\">%s</a></p>", (long long)tid, _("All placements"));
  facts(r, p, steps, nsteps);
  bool coach = policy_may_record_placement(g);
  if (coach && strcmp(p->status, "ended") != 0) {
    html(&r->out, "<div class=\"button-row\"><a class=\"button\" href=\"/t/%lld/placements/%lld/edit\">%s</a>",
         (long long)tid, (long long)p->id, _("Change dates, hours or agreements"));
    if (!strcmp(p->status, "planned")) {
      form_begin(r, arena_printf(r->a, "/t/%lld/placements/%lld/start", (long long)tid, (long long)p->id), "inline");
      html(&r->out, "<button type=\"submit\" class=\"primary\">%s</button>", _("The placement has started"));
      form_end(r);
    }
    html(&r->out, "</div>");
  }
  evals_section(r, ev, nev, ids + 1);
  if (coach && strcmp(p->status, "planned") != 0) eval_form(r, tid, p);
  if (coach && !strcmp(p->status, "started")) outcome_form(r, tid, p);
  job_coaching_section(r, tid, p->id, coach, jc, njc);
  page_end(r);
  return status;
}

static int get_placement(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open(r, "view", NULL, &p, &g, &pid);
  return s ? s : render_one(r, &p, g, pid, 200);
}

/* ---- changing a placement */

static int render_edit(Req *r, const Placement *p, int status) {
  PlacementStep *steps;
  int nsteps;
  int rc = placement_steps(r->db, r->a, p->id, &steps, &nsteps);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, r->ids[0], GROUNDS_COACH, _("Change the placement"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Change the placement"));
  trajectory_subnav(r, r->ids[0], GROUNDS_COACH, "placements");
  html(&r->out, "<p>%s</p>", arena_printf(r->a, _("%s at %s"), placement_kind_label(p->kind), p->employer));
  placement_form(r, r->ids[0], p, steps, nsteps);
  page_end(r);
  return status;
}

static int get_edit(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open(r, "view", policy_may_record_placement, &p, &g, &pid);
  if (s) return s;
  int rc = audit_object(r, pid, r->ids[0], "placement", p.id, "view", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  return render_edit(r, &p, 200);
}

static int post_edit(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open_change(r, &p, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *item = arena_printf(r->a, "placement:%lld", (long long)p.id);
  if (!strcmp(p.status, "ended")) return http_error(r, 409, _("This placement has ended: it can no longer be changed."));
  PlacementNew n;
  if (!read_placement(r, tid, &p, &n)) {
    int rc = audit_object(r, pid, tid, "placement", p.id, "view", g);
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_edit(r, &p, 400);
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = placement_update(r->db, p.id, &n, r->user->id, (int64_t)time(NULL));
  if (rc != DB_OK) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  return placement_changed(r, pid, tid, item, "update", g, p.id);
}

/* The placement has started: its state, the proposed job-coaching schedule, and the event. */
static int post_start(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open_change(r, &p, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0], now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = placement_mark_started(r->db, tid, p.id, r->user->id, now)) == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("This placement has started already."));
  }
  if (rc == DB_OK) rc = job_coaching_propose(r, tid, p.id, p.starts_on);
  if (rc == DB_OK) rc = placement_event(r, tid, p.id, "started");
  if (rc != DB_OK) return http_db_error(r, rc);
  return placement_changed(r, pid, tid, arena_printf(r->a, "placement:%lld", (long long)p.id), "update", g, p.id);
}

static int post_outcome(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open_change(r, &p, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *item = arena_printf(r->a, "placement:%lld", (long long)p.id);
  if (strcmp(p.status, "started") != 0)
    return http_error(r, 409, _("Only a placement that is under way can get an outcome."));
  PlacementOutcome o = {.outcome = form_str(r, "outcome")};
  int32_t on, start;
  date_parse(p.starts_on, &start);
  o.on = date_field(r, "on", true, &on);
  if (o.on && on < start) form_error(r, "on", _("The date lies before the start of the placement."));
  if (o.on && on > date_today()) form_error(r, "on", _("The date cannot be in the future."));
  if (!strcmp(o.outcome, "hired")) {
    o.contract_type = form_str(r, "contract_type");
    if (!placement_code_in(placement_contract_types, o.contract_type))
      form_error(r, "contract_type", _("Choose the kind of contract."));
    int64_t h;
    if (hours_field(r, "contract_hours", true, 0, &h)) o.contract_hours_tenths = h;
  } else if (!strcmp(o.outcome, "extended")) {
    int32_t ne;
    o.new_ends_on = date_field(r, "new_ends_on", true, &ne);
    int32_t old = start;
    if (p.ends_on) date_parse(p.ends_on, &old);
    if (o.new_ends_on && ne <= old) form_error(r, "new_ends_on", _("The new end date must lie after the current end."));
    bool overlap;
    if (o.new_ends_on && !r->nerrors &&
        (placement_overlaps(r->db, tid, p.starts_on, o.new_ends_on, p.id, &overlap) != DB_OK || overlap))
      form_error(r, "new_ends_on", _("These dates overlap another placement of this trajectory. End that one first, "
                                     "or choose other dates."));
  } else if (!strcmp(o.outcome, "stopped")) {
    o.stop_reason = form_str(r, "stop_reason");
    o.stop_note = form_str(r, "stop_note");
    if (!placement_code_in(placement_stop_reasons, o.stop_reason))
      form_error(r, "stop_reason", _("Choose why the placement stopped."));
    if (text_chars(o.stop_note) > 500) form_error(r, "stop_note", _("The text is too long (at most 500 characters)."));
  } else {
    form_error(r, "outcome", _("Choose the outcome."));
  }
  if (r->nerrors) return render_one(r, &p, g, pid, 400);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = placement_set_outcome(r->db, tid, p.id, &o, r->user->id, (int64_t)time(NULL));
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("Only a placement that is under way can get an outcome."));
  }
  if (rc == DB_OK && strcmp(o.outcome, "extended") != 0) rc = placement_event(r, tid, p.id, o.outcome);
  if (rc != DB_OK) return http_db_error(r, rc);
  return placement_changed(r, pid, tid, item, "update", g, p.id);
}

static int post_evaluation(Req *r) {
  Placement p;
  Grounds g;
  int64_t pid;
  int s = placement_open_change(r, &p, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  if (!strcmp(p.status, "planned"))
    return http_error(r, 409, _("An evaluation talk is held once the placement has started."));
  PlacementEvalNew n = {.trajectory_id = tid, .placement_id = p.id, .author_id = r->user->id,
                        .created_at = (int64_t)time(NULL), .decision = form_str(r, "decision"),
                        .goes_well = form_str(r, "goes_well"), .to_adjust = form_str(r, "to_adjust")};
  int32_t held, start;
  date_parse(p.starts_on, &start);
  n.held_on = date_field(r, "held_on", true, &held);
  if (n.held_on && held < start) form_error(r, "held_on", _("The date lies before the start of the placement."));
  if (n.held_on && held > date_today()) form_error(r, "held_on", _("The date cannot be in the future."));
  const char *src = form_str(r, "source");
  if (strcmp(src, "participant") != 0) {
    bool ok = false;
    n.source_member_id = atoll(src);
    if (n.source_member_id <= 0 || placement_work_member_ok(r->db, tid, n.source_member_id, &ok) != DB_OK || !ok)
      form_error(r, "source", _("Choose whose information this is."));
  }
  int64_t max_tenths = 0, oorg, hmax;
  if (p.opening_id && placement_opening(r->db, p.opening_id, &oorg, &hmax) == DB_ROW) max_tenths = hmax * 10;
  hours_field(r, "hours_next", false, max_tenths, &n.hours_next_tenths);
  if (strcmp(n.decision, "continue") != 0 && strcmp(n.decision, "stop") != 0)
    form_error(r, "decision", _("Choose whether the placement continues."));
  if (text_chars(n.goes_well) > TEXT_MAX) form_error(r, "goes_well", _("The text is too long (at most 2000 characters)."));
  if (text_chars(n.to_adjust) > TEXT_MAX) form_error(r, "to_adjust", _("The text is too long (at most 2000 characters)."));
  if (r->nerrors) return render_one(r, &p, g, pid, 400);
  int64_t id;
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = placement_eval_create(r->db, &n, &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return placement_changed(r, pid, tid, arena_printf(r->a, "placement_eval:%lld", (long long)id), "create", g, p.id);
}

/* ---- the participant's /me */

void placement_me_card(Req *r, int64_t tid) {
  html(&r->out, "<section class=\"card\" id=\"placement\" aria-labelledby=\"h-placement\"><h2 id=\"h-placement\">%s</h2>"
                "<p>%s</p><p><a href=\"/t/%lld/placements\">%s</a></p></section>",
       _("Work"), _("A trial placement or a new job: what is agreed, how the talks with the employer went, and when "
                    "your coach comes by."),
       (long long)tid, _("See your work placement"));
}

/* ---- notices (shown on /notices by notices.c) */

int placement_notices_load(Req *r, PlacementNotice **out, int *n) {
  return placement_notices_open(r->db, r->a, r->user->id, 20, out, n);
}

void placement_notice_cards(Req *r, const PlacementNotice *v, int n) {
  for (int i = 0; i < n; i++) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"h-pnotice-%lld\"><h2 id=\"h-pnotice-%lld\">%s</h2>",
         (long long)v[i].id, (long long)v[i].id, _("News about a work placement"));
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("On %s something changed in a work placement of a trajectory you follow."),
                      day_for(r, v[i].at)));
    html(&r->out, "<p><a href=\"/t/%lld/placements/%lld\">%s</a></p>", (long long)v[i].trajectory_id,
         (long long)v[i].placement_id, _("See the placement"));
    form_begin(r, arena_printf(r->a, "/notices/placements/%lld/dismiss", (long long)v[i].id), "inline");
    html(&r->out, "<button type=\"submit\">%s</button>", _("I have read this"));
    form_end(r);
    html(&r->out, "</section>");
  }
}

static int post_notice_dismiss(Req *r) {
  int rc = placement_notice_dismiss(r->db, r->user->id, r->ids[0], (int64_t)time(NULL));
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/notices", "saved");
}

const Route placements_routes[] = {
    {"GET", "/t/{id}/placements", ROLES_CASE, R_CASE, get_placements},
    {"POST", "/t/{id}/placements", ROLES_CASE, R_CASE, post_placement},
    {"GET", "/t/{id}/placements/{pl}", ROLES_CASE, R_CASE, get_placement},
    {"GET", "/t/{id}/placements/{pl}/edit", ROLES_CASE, R_CASE, get_edit},
    {"POST", "/t/{id}/placements/{pl}/edit", ROLES_CASE, R_CASE, post_edit},
    {"POST", "/t/{id}/placements/{pl}/start", ROLES_CASE, R_CASE, post_start},
    {"POST", "/t/{id}/placements/{pl}/outcome", ROLES_CASE, R_CASE, post_outcome},
    {"POST", "/t/{id}/placements/{pl}/evaluations", ROLES_CASE, R_CASE, post_evaluation},
    {"POST", "/notices/placements/{id}/dismiss", ROLE_ANY, 0, post_notice_dismiss},
    {0},
};

/*
 * job_coaching.c — job coaching after a placement starts (issue 13, part 6; seed: the mediator keeps the lead
 * "tot en met de begeleiding op het werk"): contacts of the coach with the participant and the employer,
 * tapering off. When a placement starts, placements.c asks job_coaching_propose for a schedule (weekly for
 * four weeks, fortnightly for eight weeks, then monthly; store/job_coaching.h); the coach adds contacts,
 * records one as held (the day, the mode, the minutes and a short note) or cancels one. The contacts are shown
 * on the placement's page (job_coaching_section) and the ones due on the coach's day (dashboard.c).
 *
 * Every contact is case information (an items row, category work, the participant as source party): the one
 * door decides who sees it, and only an assigned coach records (policy_may_record_placement).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/placements_policy.h"
#include "store/job_coaching.h"
#include "store/placements.h"

enum { SCHEDULE_MAX = 12, NOTE_MAX = 1000, MINUTES_MAX = 480 };

const char *job_contact_with_label(const char *w) { return job_contact_with_label_in(w, false); }

const char *job_contact_with_label_in(const char *w, bool wabz) {
  if (w && !strcmp(w, "participant")) return wabz ? _("With the client") : _("With the participant");
  if (w && !strcmp(w, "employer")) return _("With the employer");
  return wabz ? _("With the client and the employer") : _("With the participant and the employer");
}

static const char *mode_label(const char *m) {
  if (!m) return "";
  if (!strcmp(m, "visit")) return _("Visit at work");
  if (!strcmp(m, "phone")) return _("Phone call");
  if (!strcmp(m, "online")) return _("Video call");
  if (!strcmp(m, "office")) return _("At the coach's office");
  return _("E-mail");
}

int job_coaching_propose(Req *r, int64_t tid, int64_t pl, const char *starts_on) {
  int32_t start, days[SCHEDULE_MAX];
  if (!date_parse(starts_on, &start)) return DB_ERROR;
  if (start < date_today()) start = date_today(); /* recorded late: the schedule runs from today */
  int n = job_coaching_schedule(start, days, SCHEDULE_MAX);
  int64_t now = (int64_t)time(NULL);
  for (int i = 0; i < n; i++) {
    char due[11];
    date_format(days[i], due);
    int64_t id;
    int rc = job_contact_plan(r->db, &(JobContactNew){.trajectory_id = tid, .placement_id = pl,
                                                      .author_id = r->user->id, .created_at = now, .due_on = due,
                                                      .with_whom = i < 4 ? "participant" : "both"},
                              &id);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

void job_coaching_section(Req *r, int64_t tid, int64_t pl, bool coach, const JobContact *v, int n) {
  bool wabz = case_wabz(r, tid); /* the programme's words */
  html(&r->out, "<section class=\"card\" id=\"jobcoaching\" aria-labelledby=\"h-jc\"><h2 id=\"h-jc\">%s</h2>",
       _("Job coaching"));
  int shown = 0;
  for (int i = 0; i < n; i++) shown += v[i].id != 0;
  if (!shown) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("No job-coaching contacts yet: they are planned when the placement starts."));
  } else {
    table_begin(r, NULL, _("Job-coaching contacts"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Date"), _("With whom"), _("How it went"), _("Note"));
    char today[11];
    date_format(date_today(), today);
    for (int i = 0; i < n; i++) {
      const JobContact *c = &v[i];
      if (!c->id) continue;
      html(&r->out, "<tr><td>%s</td><td>%s</td><td>", date_for(r, c->held_on ? c->held_on : c->due_on),
           job_contact_with_label_in(c->with_whom, wabz));
      if (c->held_on) {
        html(&r->out, "%s · %s", mode_label(c->mode),
             arena_printf(r->a, P_("%lld minute", "%lld minutes", c->minutes), (long long)c->minutes));
      } else if (c->cancelled) {
        html(&r->out, "<span class=\"badge\">%s</span>", _("cancelled"));
      } else {
        if (strcmp(c->due_on, today) < 0) html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("overdue"));
        else html(&r->out, "<span class=\"badge\">%s</span>", _("planned"));
        if (coach) {
          html(&r->out, " <a href=\"/t/%lld/jobcoaching/%lld\">%s<span class=\"visually-hidden\">: %s</span></a>",
               (long long)tid, (long long)c->id, _("Record the contact"), c->due_on);
          form_begin(r, arena_printf(r->a, "/t/%lld/jobcoaching/%lld/cancel", (long long)tid, (long long)c->id),
                     "inline");
          html(&r->out, "<button type=\"submit\">%s<span class=\"visually-hidden\">: %s</span></button>", _("Cancel"),
               c->due_on);
          form_end(r);
        }
      }
      html(&r->out, "</td><td>");
      html_text_lines(&r->out, c->note);
      html(&r->out, "</td></tr>");
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  if (coach) {
    const char *with[] = {"participant", job_contact_with_label_in("participant", wabz), "employer",
                          job_contact_with_label_in("employer", wabz), "both", job_contact_with_label_in("both", wabz),
                          NULL};
    html(&r->out, "<h3>%s</h3>", _("Plan a contact"));
    form_begin(r, arena_printf(r->a, "/t/%lld/placements/%lld/contacts", (long long)tid, (long long)pl), NULL);
    field_input(r, &(Field){.name = "due_on", .label = _("Date"), .type = "date", .value = form_str(r, "due_on"),
                            .required = true});
    field_select(r, &(Field){.name = "with_whom", .label = _("With whom"), .value = form_str(r, "with_whom"),
                             .required = true},
                 with);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Plan"));
    form_end(r);
  }
  html(&r->out, "</section>");
}

/* POST /t/{id}/placements/{pl}/contacts: plans one contact. */
static int post_plan(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0], pl = r->ids[1];
  const char *item = arena_printf(r->a, "placement:%lld", (long long)pl);
  int s = case_door(r, OWNER_ITEM, pl, item, "update", policy_may_record_placement, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, tid))) return s;
  Placement p;
  int rc = placement_get(r->db, r->a, tid, pl, &p);
  if (rc == DB_DONE) return object_refused(r, OWNER_ITEM, pl, item, "update", grounds_name(g));
  if (rc != DB_ROW) return http_db_error(r, rc);
  const char *due = form_str(r, "due_on"), *with = form_str(r, "with_whom");
  int32_t d, start;
  date_parse(p.starts_on, &start);
  if (!date_parse(due, &d)) form_error(r, "due_on", _("Enter a real date (YYYY-MM-DD)."));
  else if (d < start) form_error(r, "due_on", _("The date lies before the start of the placement."));
  if (!placement_code_in(job_coaching_with, with)) form_error(r, "with_whom", _("Choose with whom."));
  if (r->nerrors) {
    /* the placement's page with the errors: a short one, without the rest of the page */
    if ((rc = audit_object(r, pid, tid, "placement", pl, "view", g)) != DB_OK)
      return http_db_error(r, rc);
    if ((rc = case_page_begin(r, tid, g, _("Job coaching"))) != DB_OK) return http_db_error(r, rc);
    html(&r->out, "<h1>%s</h1>", _("Job coaching"));
    job_coaching_section(r, tid, pl, true, NULL, 0);
    page_end(r);
    return 400;
  }
  char dues[11];
  date_format(d, dues);
  int64_t id;
  if ((rc = db_begin(r->db)) == DB_OK)
    rc = job_contact_plan(r->db, &(JobContactNew){.trajectory_id = tid, .placement_id = pl, .author_id = r->user->id,
                                                  .created_at = (int64_t)time(NULL), .due_on = dues, .with_whom = with},
                          &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "jobcoaching:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/placements/%lld#jobcoaching", (long long)tid, (long long)pl));
}

/* Ends a change of open contact c of trajectory tid in the transaction begun (rc its outcome): 409 when the
 * contact was recorded or cancelled meanwhile, else logged and back to the placement's job coaching. */
static int contact_changed(Req *r, int rc, int64_t pid, int64_t tid, const JobContact *c, Grounds g) {
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("This contact has been recorded or cancelled already."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "jobcoaching:%lld", (long long)c->id), "update", g,
                                arena_printf(r->a, "/t/%lld/placements/%lld#jobcoaching", (long long)tid,
                                             (long long)c->placement_id));
}

/* Opens open contact r->ids[1] of trajectory r->ids[0] for the coach. Returns 0 with *c, *g, *pid, or the
 * status of the page sent. */
static int contact_open(Req *r, const char *action, JobContact *c, Grounds *g, int64_t *pid) {
  int64_t tid = r->ids[0], id = r->ids[1];
  const char *item = arena_printf(r->a, "jobcoaching:%lld", (long long)id);
  int s = case_door(r, OWNER_ITEM, id, item, action, policy_may_record_placement, g, pid);
  if (s) return s;
  int rc = job_contact_get(r->db, r->a, tid, id, c);
  if (rc == DB_DONE) return object_not_here(r, OWNER_ITEM, id, item, action, *g);
  if (rc != DB_ROW) return http_db_error(r, rc);
  if (c->held_on || c->cancelled) return http_error(r, 409, _("This contact has been recorded or cancelled already."));
  return 0;
}

/* contact_open for a change, refused (409) on a closed trajectory. Returns 0 with *c, *g, *pid, or the status
 * of the page sent. */
static int contact_change_open(Req *r, JobContact *c, Grounds *g, int64_t *pid) {
  int s = contact_open(r, "update", c, g, pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  return 0;
}

static int render_record(Req *r, const JobContact *c, Grounds g, int status) {
  int64_t tid = r->ids[0];
  int rc = case_page_begin(r, tid, g, _("Record a job-coaching contact"));
  if (rc != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Record a job-coaching contact"));
  trajectory_subnav(r, tid, g, "placements");
  html(&r->out, "<p>%s</p>", arena_printf(r->a, _("Planned for %s: %s"), date_for(r, c->due_on),
                                           job_contact_with_label_in(c->with_whom, case_wabz(r, tid))));
  const char *modes[2 * 5 + 3] = {"", _("Choose…")};
  int k = 2;
  for (int i = 0; job_coaching_modes[i]; i++) {
    modes[k++] = job_coaching_modes[i];
    modes[k++] = mode_label(job_coaching_modes[i]);
  }
  modes[k] = NULL;
  char today[11];
  date_format(date_today(), today);
  const char *held = form_str(r, "held_on");
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/jobcoaching/%lld", (long long)tid, (long long)c->id), NULL);
  field_input(r, &(Field){.name = "held_on", .label = _("Date of the contact"), .type = "date",
                          .value = *held ? held : today, .required = true});
  field_select(r, &(Field){.name = "mode", .label = _("How"), .value = form_str(r, "mode"), .required = true}, modes);
  field_input(r, &(Field){.name = "minutes", .label = _("Duration in minutes"), .type = "number",
                          .value = form_str(r, "minutes"), .required = true, .maxlength = 3});
  field_textarea(r, &(Field){.name = "note", .label = _("Short note"), .value = form_str(r, "note"),
                             .hint = case_wabz(r, tid)
                                         ? _("Work information: whoever the client shares work information with sees it.")
                                         : _("Work information: whoever the participant shares work information with sees it."),
                             .maxlength = NOTE_MAX},
                 3);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/t/%lld/placements/%lld#jobcoaching\">%s</a></div>",
       _("Save the contact"), (long long)tid, (long long)c->placement_id, _("Cancel"));
  form_end(r);
  page_end(r);
  return status;
}

static int get_record(Req *r) {
  JobContact c;
  Grounds g;
  int64_t pid;
  int s = contact_open(r, "view", &c, &g, &pid);
  if (s) return s;
  int rc = audit_object(r, pid, r->ids[0], "jobcoaching", c.id, "view", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  return render_record(r, &c, g, 200);
}

static int post_record(Req *r) {
  JobContact c;
  Grounds g;
  int64_t pid;
  int s = contact_change_open(r, &c, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *held = form_str(r, "held_on"), *mode = form_str(r, "mode"), *mins = form_str(r, "minutes"),
             *note = form_str(r, "note");
  int32_t d;
  if (!date_parse(held, &d)) form_error(r, "held_on", _("Enter a real date (YYYY-MM-DD)."));
  else if (d > date_today()) form_error(r, "held_on", _("The date cannot be in the future."));
  if (!placement_code_in(job_coaching_modes, mode)) form_error(r, "mode", _("Choose how the contact took place."));
  char *end = NULL;
  long m = strtol(mins, &end, 10);
  if (!*mins || !end || *end || m < 1 || m > MINUTES_MAX)
    form_error(r, "minutes", _("The duration is a number of minutes from 1 to 480."));
  if (text_chars(note) > NOTE_MAX) form_error(r, "note", _("The note is too long (at most 1000 characters)."));
  if (r->nerrors) {
    int rc = audit_object(r, pid, tid, "jobcoaching", c.id, "view", g);
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_record(r, &c, g, 400);
  }
  char helds[11];
  date_format(d, helds);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = job_contact_record(r->db, tid, c.id, helds, mode, m, note, r->user->id, (int64_t)time(NULL));
  return contact_changed(r, rc, pid, tid, &c, g);
}

static int post_cancel(Req *r) {
  JobContact c;
  Grounds g;
  int64_t pid;
  int s = contact_change_open(r, &c, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = job_contact_cancel(r->db, tid, c.id, (int64_t)time(NULL));
  return contact_changed(r, rc, pid, tid, &c, g);
}

const Route job_coaching_routes[] = {
    {"POST", "/t/{id}/placements/{pl}/contacts", ROLES_CASE, R_CASE, post_plan},
    {"GET", "/t/{id}/jobcoaching/{jc}", ROLES_CASE, R_CASE, get_record},
    {"POST", "/t/{id}/jobcoaching/{jc}", ROLES_CASE, R_CASE, post_record},
    {"POST", "/t/{id}/jobcoaching/{jc}/cancel", ROLES_CASE, R_CASE, post_cancel},
    {0},
};

/*
 * assign.c — the team lead assigns trajectories to coaches (/team/assign), adds a second coach, hands a
 * trajectory over to another coach with a note, and sets stand-ins for a coach's absence (/team/standins).
 *
 * What the team lead sees (doc/DOMAIN.md: a team lead sees no case content unless also a coach on it) is
 * the least needed to assign:
 * - a trajectory by its number, with its phase, status, start date and coaches — never the participant's
 *   name or anything else of the file. A coach asks for a trajectory by its number (the duplicate-
 *   registration message gives it); a hand-over goes by coach. Phase and start date are still information
 *   about the participant: every trajectory shown, in the list (/team/assign, "list") or on its own page
 *   (/team/assign/{id}, "view"), is in that participant's access log with grounds "teamlead";
 * - coaches with their caseload against cfg.caseload_max in every choice ("Sofie Peeters (12 / 20)");
 * - stand-ins: coaches and dates only.
 * The hand-over note the team lead writes is not shown back to them.
 *
 * Every change is in the access log of each participant it concerns (grounds "teamlead") and on the
 * trajectory's timeline of notes as a practical note with the participant as source party (so the
 * coaches, the participant and whoever the participant shares practical information with read it): who
 * was assigned, the hand-over with its note, the stand-in and its end. Changing coaches does not count as
 * contact with the participant (last_activity_at is left alone).
 */
#include "pages/assign.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/assignments.h"

enum { NOTE_MAX = 20000, LIST_PAGE = 50 };

static const char *const TEAMLEAD = "teamlead"; /* access-log grounds of the team lead's reads and changes */

void team_page_begin(Req *r, const char *title, const char *heading, const char *current, const char *lead) {
  static const struct { const char *key, *href, *label; } tabs[] = {
      {"team", "/team", N_("Overview")},
      {"assign", "/team/assign", N_("Assign trajectories")},
      {"standins", "/team/standins", N_("Stand-ins")},
  };
  page_begin(r, title);
  html(&r->out, "<h1>%s</h1>", heading);
  html(&r->out, "<nav class=\"subnav\" aria-label=\"%s\"><ul>", _("Team sections"));
  for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
    html(&r->out, "<li><a href=\"%s\"", tabs[i].href);
    if (strcmp(current, tabs[i].key) == 0) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s</a></li>", _(tabs[i].label));
  }
  html(&r->out, "</ul></nav>");
  if (lead) html(&r->out, "<p class=\"lead\">%s</p>", lead);
}

/* "Sofie Peeters (12 / 20)": a coach with their caseload against the maximum. */
static const char *coach_label(Req *r, const CoachLoad *c) {
  return arena_printf(r->a, _("%s (%lld / %d)"), c->name, (long long)c->open, cfg.caseload_max);
}

/* Options for a <select> of coaches, after a first empty "Choose…" option; leaves out the ids in skip
 * (nskip of them). NULL-terminated; arena. */
static const char **coach_options(Req *r, const CoachLoad *coaches, int n, const CoachLoad *skip, int nskip) {
  const char **o = arena_alloc(r->a, sizeof *o * (size_t)(2 * n + 3));
  int k = 0;
  o[k++] = "";
  o[k++] = _("Choose…");
  for (int i = 0; i < n; i++) {
    if (assign_coach_find(skip, nskip, coaches[i].id)) continue;
    o[k++] = arena_printf(r->a, "%lld", (long long)coaches[i].id);
    o[k++] = coach_label(r, &coaches[i]);
  }
  o[k] = NULL;
  return o;
}

/* A positive id from a form or query value; 0 if it is not one. */
static int64_t parse_id(const char *s) {
  if (!*s || strlen(s) > 18) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  return strtoll(s, NULL, 10);
}

/* ---- GET /team/assign ---- */

/* A link to page `page` of the list, keeping the coach chosen (which_s, as it came in the query). */
static void pager_link(Req *r, int64_t page, const char *which_s, const char *label) {
  html(&r->out, "<a href=\"/team/assign?page=%lld", (long long)page);
  if (*which_s) {
    html(&r->out, "&amp;coach=");
    html_urlarg(&r->out, which_s);
  }
  html(&r->out, "\">%s</a>", label);
}

int get_assign_list(Req *r) {
  /* "open trajectory number N" */
  const char *t = query_str(r, "t");
  if (*t) {
    int64_t tid = parse_id(t);
    if (tid) return http_redirect(r, arena_printf(r->a, "/team/assign/%lld", (long long)tid));
    form_error(r, "t", _("Enter the number of a trajectory, for example 12."));
  }
  CoachLoad *coaches;
  int nc;
  int rc = assign_coaches(r->db, r->a, &coaches, &nc);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *which_s = query_str(r, "coach");
  int64_t which = ASSIGN_ALL;
  if (strcmp(which_s, "none") == 0) which = ASSIGN_UNASSIGNED;
  else if (*which_s) {
    int64_t id = parse_id(which_s);
    if (id && assign_coach_find(coaches, nc, id)) which = id;
    else {
      form_error(r, "coach", _("Choose a coach from the list."));
      which_s = "";
    }
  }
  int64_t page = query_int(r, "page", 1);
  if (page < 1 || page > 100000) page = 1;
  AssignTrajectory *rows;
  int n;
  int64_t total;
  rc = assign_list(r->db, r->a, which, LIST_PAGE, (int)((page - 1) * LIST_PAGE), &rows, &n, &total);
  if (rc != DB_OK) return http_db_error(r, rc);

  /* every participant whose trajectory is shown: one entry each, before the page */
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n + 1));
  for (int i = 0; i < n; i++)
    entries[i] = (AuditEntry){.participant_id = rows[i].participant_id, .trajectory_id = rows[i].id,
                              .item = "trajectory:assignment", .action = "list", .outcome = "ok", .grounds = TEAMLEAD};
  if ((rc = audit_write_many(r, entries, n)) != DB_OK) return http_db_error(r, rc);

  team_page_begin(r, _("Assign trajectories"), _("Assign trajectories"), "assign",
                  _("Trajectory numbers, phases and coaches only: no names, nothing of the file. Each trajectory "
                    "shown is in its participant's access log."));
  form_errors_summary(r);
  html(&r->out, "<form method=\"get\" action=\"/team/assign\" class=\"form\">");
  field_input(r, &(Field){.name = "t", .label = _("Trajectory number"), .type = "number", .value = t,
                          .hint = _("A coach who could not register a participant was given this number."),
                          .required = true});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>", _("Open"));

  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * nc + 5));
  int k = 0;
  opts[k++] = "";
  opts[k++] = _("All open trajectories");
  opts[k++] = "none";
  opts[k++] = _("Without a coach");
  for (int i = 0; i < nc; i++) {
    opts[k++] = arena_printf(r->a, "%lld", (long long)coaches[i].id);
    opts[k++] = coach_label(r, &coaches[i]);
  }
  opts[k] = NULL;
  html(&r->out, "<form method=\"get\" action=\"/team/assign\" class=\"form\">");
  field_select(r, &(Field){.name = "coach", .label = _("Show"), .value = which_s}, opts);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>", _("Show"));

  const char *caption = arena_printf(r->a, P_("%lld open trajectory", "%lld open trajectories", total), (long long)total);
  table_begin(r, NULL, caption);
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Trajectory"), _("Phase"), _("Started on"), _("Coaches"));
  for (int i = 0; i < n; i++) {
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/team/assign/%lld\">%s</a></th><td>%s</td><td>%s</td><td>",
         (long long)rows[i].id, arena_printf(r->a, _("Trajectory %lld"), (long long)rows[i].id),
         label_phase(rows[i].phase), rows[i].started_on);
    if (*rows[i].coaches) html(&r->out, "%s", rows[i].coaches);
    else html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("no coach"));
    html(&r->out, "</td></tr>");
  }
  html(&r->out, "</tbody>");
  table_end(r);
  int64_t pages = total ? (total + LIST_PAGE - 1) / LIST_PAGE : 1;
  if (pages > 1) {
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
         arena_printf(r->a, _("Page %lld of %lld"), (long long)page, (long long)pages));
    if (page > 1) {
      pager_link(r, page - 1, which_s, _("Previous page"));
      html(&r->out, " ");
    }
    if (page < pages) pager_link(r, page + 1, which_s, _("Next page"));
    html(&r->out, "</nav>");
  }
  page_end(r);
  return r->nerrors ? 400 : 200;
}

/* ---- GET /team/assign/{id} ---- */

/* All coaches (*coaches, *nc) and those of trajectory tid (*mine, *nm). Returns a DB code. */
static int coaches_load(Req *r, int64_t tid, CoachLoad **coaches, int *nc, CoachLoad **mine, int *nm) {
  int rc = assign_coaches(r->db, r->a, coaches, nc);
  if (rc == DB_OK) rc = assign_coaches_of(r->db, r->a, tid, mine, nm);
  return rc;
}

/* The page of one trajectory with its forms; status is returned as given (200, or 400/409 after a
 * refused form). Writes the "view" entry of the participant's access log first. */
static int assign_page(Req *r, const AssignTrajectory *t, int status) {
  CoachLoad *coaches, *mine;
  int nc, nm;
  int rc = coaches_load(r, t->id, &coaches, &nc, &mine, &nm);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = t->participant_id, .trajectory_id = t->id,
                                    .item = "trajectory:assignment", .action = "view", .outcome = "ok",
                                    .grounds = TEAMLEAD});
  if (rc != DB_OK) return http_db_error(r, rc);

  const char *title = arena_printf(r->a, _("Trajectory %lld"), (long long)t->id);
  team_page_begin(r, title, title, "assign", NULL);
  html(&r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
                "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
       _("Phase"), label_phase(t->phase), _("Status"), strcmp(t->status, "open") == 0 ? _("open") : _("closed"),
       _("Started on"), t->started_on, _("Coaches"));
  if (nm == 0) html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("no coach"));
  for (int i = 0; i < nm; i++) html(&r->out, "%s%s", i ? ", " : "", coach_label(r, &mine[i]));
  html(&r->out, "</dd></dl>");
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("The numbers after a name are the coach's open trajectories and the maximum per coach."));
  form_errors_summary(r);

  const char **others = coach_options(r, coaches, nc, mine, nm);
  bool any_other = others[2] != NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-add\"><h2 id=\"h-add\">%s</h2>",
       nm ? _("Add a second coach") : _("Assign a coach"));
  if (!any_other) html(&r->out, "<p>%s</p>", _("Every coach is already assigned to this trajectory."));
  else {
    form_begin(r, arena_printf(r->a, "/team/assign/%lld/coaches", (long long)t->id), NULL);
    field_select(r, &(Field){.name = "coach", .label = _("Coach"), .value = form_str(r, "coach"), .required = true,
                             .hint = nm ? _("Both coaches see the whole trajectory.") : NULL},
                 others);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
         nm ? _("Add coach") : _("Assign"));
    form_end(r);
  }
  html(&r->out, "</section>");

  if (nm && any_other) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"h-handover\"><h2 id=\"h-handover\">%s</h2><p>%s</p>",
         _("Hand over to another coach"),
         _("The new coach is assigned and the coach who hands over loses access to the trajectory at once."));
    form_begin(r, arena_printf(r->a, "/team/assign/%lld/handover", (long long)t->id), NULL);
    const char **from = coach_options(r, mine, nm, NULL, 0);
    field_select(r, &(Field){.name = "from_coach", .label = _("Coach who hands over"),
                             .value = *form_str(r, "from_coach") ? form_str(r, "from_coach") : (nm == 1 ? from[2] : ""),
                             .required = true},
                 from);
    field_select(r, &(Field){.name = "to_coach", .label = _("New coach"), .value = form_str(r, "to_coach"),
                             .required = true},
                 others);
    field_textarea(r, &(Field){.name = "note", .label = _("Hand-over note"), .value = form_str(r, "note"),
                               .required = true, .maxlength = NOTE_MAX,
                               .hint = _("Practical information for the new coach: appointments, agreements, who to "
                                         "contact. It goes on the trajectory's notes: the coaches, the participant "
                                         "and those the participant shares practical information with can read it.")},
                   6);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Hand over"));
    form_end(r);
    html(&r->out, "</section>");
  }
  page_end(r);
  return status;
}

/* Loads trajectory r->ids[0] into *t: 0, or the status of the answer given (404 when it does not exist). */
static int load_trajectory(Req *r, AssignTrajectory *t) {
  int rc = assign_trajectory(r->db, r->a, r->ids[0], t);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

/* Loads trajectory r->ids[0] into *t with all coaches and its own (coaches_load), for a change of its
 * coaches: 0, or the status of the answer given. */
static int load_for_change(Req *r, AssignTrajectory *t, CoachLoad **coaches, int *nc, CoachLoad **mine, int *nm) {
  int s = load_trajectory(r, t);
  if (s) return s;
  int rc = coaches_load(r, t->id, coaches, nc, mine, nm);
  return rc == DB_OK ? 0 : http_db_error(r, rc);
}

int get_assign_one(Req *r) {
  AssignTrajectory t;
  int s = load_trajectory(r, &t);
  if (s) return s;
  return assign_page(r, &t, 200);
}

/* The timeline entry of a change: a practical note with the participant as source party, written by the
 * team lead, and its access-log entry. Inside the caller's transaction. */
static int timeline_note(Req *r, int64_t pid, int64_t tid, const char *title, const char *body, int64_t now) {
  int64_t id;
  int rc = item_create(r->db, &(ItemNew){.trajectory_id = tid, .kind = "note", .category = "practical",
                                         .author_id = r->user->id, .created_at = now, .title = title, .body = body},
                       &id);
  if (rc != DB_OK) return rc;
  return audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                      .item = arena_printf(r->a, "note:%lld", (long long)id), .action = "create",
                                      .outcome = "ok", .grounds = TEAMLEAD});
}

/* The access-log entry (action) and the timeline note of a change of t's coaches. Inside the caller's
 * transaction. */
static int coaches_changed(Req *r, const AssignTrajectory *t, const char *action, const char *title,
                           const char *body, int64_t now) {
  int rc = audit_write(r, &(AuditEntry){.participant_id = t->participant_id, .trajectory_id = t->id,
                                        .item = "trajectory:coaches", .action = action, .outcome = "ok",
                                        .grounds = TEAMLEAD});
  return rc == DB_OK ? timeline_note(r, t->participant_id, t->id, title, body, now) : rc;
}

/* Commits the change of trajectory tid and goes back to its page; on a DB error rolls back. A unique or
 * missing row (another team lead changed the coaches meanwhile) answers 409 with the page. */
static int change_done(Req *r, const AssignTrajectory *t, int rc) {
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc == DB_OK)
    return http_redirect_flash(r, arena_printf(r->a, "/team/assign/%lld", (long long)t->id), "saved");
  db_rollback(r->db);
  if (rc == DB_CONSTRAINT || rc == DB_DONE) {
    form_error(r, "coach", _("The coaches of this trajectory changed meanwhile. Look again and choose once more."));
    return assign_page(r, t, 409);
  }
  return http_db_error(r, rc);
}

/* ---- POST /team/assign/{id}/coaches ---- */

int post_assign_coach(Req *r) {
  AssignTrajectory t;
  CoachLoad *coaches, *mine;
  int nc, nm;
  int s = load_for_change(r, &t, &coaches, &nc, &mine, &nm);
  if (s) return s;
  const CoachLoad *c = assign_coach_find(coaches, nc, parse_id(form_str(r, "coach")));
  if (!c) {
    form_error(r, "coach", _("Choose a coach from the list."));
    return assign_page(r, &t, 400);
  }
  if (assign_coach_find(mine, nm, c->id)) {
    form_error(r, "coach", _("This coach is already assigned to this trajectory."));
    return assign_page(r, &t, 409);
  }
  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = assign_add(r->db, t.id, c->id);
  if (rc == DB_OK)
    rc = coaches_changed(r, &t, "create",
                         arena_printf(r->a, nm ? _("Second coach: %s") : _("Coach assigned: %s"), c->name),
                         arena_printf(r->a, _("%s is now a coach of this trajectory (assigned by %s, team lead)."),
                                      c->name, r->user->name),
                         now);
  return change_done(r, &t, rc);
}

/* ---- POST /team/assign/{id}/handover ---- */

int post_assign_handover(Req *r) {
  AssignTrajectory t;
  CoachLoad *coaches, *mine;
  int nc, nm;
  int s = load_for_change(r, &t, &coaches, &nc, &mine, &nm);
  if (s) return s;
  const CoachLoad *from = assign_coach_find(mine, nm, parse_id(form_str(r, "from_coach")));
  const CoachLoad *to = assign_coach_find(coaches, nc, parse_id(form_str(r, "to_coach")));
  const char *note = form_str(r, "note");
  if (!from) form_error(r, "from_coach", _("Choose the coach who hands over from the list."));
  if (!to) form_error(r, "to_coach", _("Choose a coach from the list."));
  else if (assign_coach_find(mine, nm, to->id))
    form_error(r, "to_coach", _("This coach is already assigned to this trajectory."));
  if (!*note) form_error(r, "note", _("Write a hand-over note for the new coach."));
  else if (text_chars(note) > NOTE_MAX) form_error(r, "note", _("The note is too long."));
  if (r->nerrors) return assign_page(r, &t, 400);

  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = assign_remove(r->db, t.id, from->id);
  if (rc == DB_OK) rc = assign_add(r->db, t.id, to->id);
  if (rc == DB_OK)
    rc = coaches_changed(r, &t, "update", arena_printf(r->a, _("Hand-over from %s to %s"), from->name, to->name),
                         note, now);
  return change_done(r, &t, rc);
}

/* ---- GET /team/standins ---- */

static int standins_page(Req *r, int status) {
  char today[11];
  date_format(date_today(), today);
  CoachLoad *coaches;
  int nc;
  StandIn *list;
  int n;
  int rc = assign_coaches(r->db, r->a, &coaches, &nc);
  if (rc == DB_OK) rc = standins_current(r->db, r->a, today, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);

  team_page_begin(r, _("Stand-ins"), _("Stand-ins"), "standins",
                  _("During a coach's absence a stand-in opens the absent coach's trajectories as their coach, from "
                    "the first day until the last day of the period; before and after, not."));
  table_begin(r, NULL, _("Current and planned stand-ins"));
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Absent coach"), _("Stand-in"), _("From"), _("Until"), _("End"));
  if (n == 0) html(&r->out, "<tr><td colspan=\"5\">%s</td></tr>", _("No stand-ins."));
  for (int i = 0; i < n; i++) {
    html(&r->out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td><td>", list[i].coach_name,
         list[i].stand_in_name, list[i].from_on, list[i].until_on);
    form_begin(r, arena_printf(r->a, "/team/standins/%lld/cancel", (long long)list[i].id), "inline");
    html(&r->out, "<button type=\"submit\" aria-label=\"%s\">%s</button>",
         arena_printf(r->a, _("End the stand-in of %s for %s"), list[i].stand_in_name, list[i].coach_name), _("End now"));
    form_end(r);
    html(&r->out, "</td></tr>");
  }
  html(&r->out, "</tbody>");
  table_end(r);

  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-new\"><h2 id=\"h-new\">%s</h2>", _("Set a stand-in"));
  form_errors_summary(r);
  form_begin(r, "/team/standins", NULL);
  const char **opts = coach_options(r, coaches, nc, NULL, 0);
  field_select(r, &(Field){.name = "absent", .label = _("Absent coach"), .value = form_str(r, "absent"),
                           .required = true},
               opts);
  field_select(r, &(Field){.name = "stand_in", .label = _("Stand-in"), .value = form_str(r, "stand_in"),
                           .required = true,
                           .hint = _("During the period the stand-in's caseload grows by the absent coach's.")},
               opts);
  field_input(r, &(Field){.name = "from_on", .label = _("First day"), .type = "date", .required = true,
                          .value = *form_str(r, "from_on") ? form_str(r, "from_on") : today});
  field_input(r, &(Field){.name = "until_on", .label = _("Last day"), .type = "date", .required = true,
                          .value = form_str(r, "until_on")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Set stand-in"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

int get_standins(Req *r) { return standins_page(r, 200); }

/* The access-log entries and timeline notes of a stand-in's start or end on every trajectory of the absent
 * coach, plus one entry on no participant (the change itself). Inside the caller's transaction. */
static int standin_record(Req *r, const StandIn *s, const char *action, const char *title, const char *body,
                          int64_t now) {
  const char *item = arena_printf(r->a, "standin:%lld", (long long)s->id);
  int rc = audit_write(r, &(AuditEntry){.item = item, .action = action, .outcome = "ok", .grounds = TEAMLEAD});
  int64_t *tids, *pids;
  int n;
  if (rc == DB_OK) rc = assign_reach(r->db, r->a, s->coach_id, &tids, &pids, &n);
  for (int i = 0; rc == DB_OK && i < n; i++) {
    rc = audit_write(r, &(AuditEntry){.participant_id = pids[i], .trajectory_id = tids[i], .item = item,
                                      .action = action, .outcome = "ok", .grounds = TEAMLEAD});
    if (rc == DB_OK) rc = timeline_note(r, pids[i], tids[i], title, body, now);
  }
  return rc;
}

/* Commits a stand-in's change (rc: its DB code so far) and goes back to the stand-ins; on a DB error rolls
 * back. */
static int standin_done(Req *r, int rc) {
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) {
    db_rollback(r->db);
    return http_db_error(r, rc);
  }
  return http_redirect_flash(r, "/team/standins", "saved");
}

/* ---- POST /team/standins ---- */

int post_standin(Req *r) {
  char today[11];
  date_format(date_today(), today);
  CoachLoad *coaches;
  int nc;
  int rc = assign_coaches(r->db, r->a, &coaches, &nc);
  if (rc != DB_OK) return http_db_error(r, rc);
  const CoachLoad *absent = assign_coach_find(coaches, nc, parse_id(form_str(r, "absent")));
  const CoachLoad *stand_in = assign_coach_find(coaches, nc, parse_id(form_str(r, "stand_in")));
  const char *from_on = form_str(r, "from_on"), *until_on = form_str(r, "until_on");
  int32_t from_d = 0, until_d = 0;
  if (!absent) form_error(r, "absent", _("Choose a coach from the list."));
  if (!stand_in) form_error(r, "stand_in", _("Choose a coach from the list."));
  else if (absent && absent->id == stand_in->id)
    form_error(r, "stand_in", _("Choose another coach than the absent one."));
  bool from_ok = date_parse(from_on, &from_d), until_ok = date_parse(until_on, &until_d);
  if (!from_ok) form_error(r, "from_on", _("Enter a date as YYYY-MM-DD."));
  if (!until_ok) form_error(r, "until_on", _("Enter a date as YYYY-MM-DD."));
  else if (from_ok && until_d < from_d) form_error(r, "until_on", _("The last day cannot be before the first day."));
  else if (until_d < date_today()) form_error(r, "until_on", _("This period has already ended."));
  if (r->nerrors) return standins_page(r, 400);

  char from_s[11], until_s[11]; /* normalised */
  date_format(from_d, from_s);
  date_format(until_d, until_s);
  int64_t now = (int64_t)time(NULL), id = 0;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = standin_create(r->db, absent->id, stand_in->id, from_s, until_s, r->user->id, now, &id);
  StandIn s = {.id = id, .coach_id = absent->id, .stand_in_id = stand_in->id};
  if (rc == DB_OK)
    rc = standin_record(r, &s, "create", arena_printf(r->a, _("Stand-in for %s: %s"), absent->name, stand_in->name),
                        arena_printf(r->a, _("From %s until %s %s stands in for %s and is a coach of this trajectory "
                                             "during that time (set by %s, team lead)."),
                                     from_s, until_s, stand_in->name, absent->name, r->user->name),
                        now);
  return standin_done(r, rc);
}

/* ---- POST /team/standins/{id}/cancel ---- */

int post_standin_cancel(Req *r) {
  StandIn s;
  int rc = standin_get(r->db, r->a, r->ids[0], &s);
  if (rc == DB_DONE || (rc == DB_ROW && s.cancelled)) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  int64_t now = (int64_t)time(NULL);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = standin_cancel(r->db, s.id, r->user->id, now);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 404, NULL);
  }
  if (rc == DB_OK)
    rc = standin_record(r, &s, "delete", arena_printf(r->a, _("Stand-in ended: %s"), s.stand_in_name),
                        arena_printf(r->a, _("%s no longer stands in for %s (ended by %s, team lead)."),
                                     s.stand_in_name, s.coach_name, r->user->name),
                        now);
  return standin_done(r, rc);
}

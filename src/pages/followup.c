/*
 * followup.c — follow-up moments of a trajectory (/t/{id}/followups): reviews, evaluation talks with the
 * employer, and the long-term check-ins after return to work (by default 3, 6 and 12 months; setting
 * checkin_months). Each is case information (an items row of kind 'followup', category practical, the
 * participant as source party), so the one door decides who sees it; every shown moment is logged.
 * Only an assigned coach plans moments and marks them done. Due moments appear on the coach's dashboard.
 *
 * Aftercare runs on after closure: on a closed trajectory the coach can still plan check-ins and record
 * what a check-in found (/t/{id}/followups/{fid}/checkin: work status, hours a week, a remark) — and
 * nothing else. A recorded result is case information of its own (kind 'checkin', category work), shown
 * next to its check-in to whoever the one door lets see it, and logged like the moments. SQL lives in
 * store/followups.c.
 */
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
#include "store/followups.h"

enum { NOTE_MAX = 500, LIST_MAX = 100, REMARK_MAX = 2000, HOURS_MAX_TENTHS = 600 };

const char *followup_kind_label(const char *kind) {
  if (!strcmp(kind, "review")) return _("Review");
  if (!strcmp(kind, "evaluation")) return _("Evaluation talk with the employer");
  return _("Check-in after return to work");
}

static bool known_kind(const char *k) { return !strcmp(k, "review") || !strcmp(k, "evaluation") || !strcmp(k, "checkin"); }

/* Translated label of a check-in's work status code; NULL for an unknown code. */
static const char *work_status_label(const char *code) {
  if (!code) return NULL;
  if (!strcmp(code, "same_job")) return _("Works in the same job");
  if (!strcmp(code, "other_job")) return _("Works in another job");
  if (!strcmp(code, "not_working")) return _("Not working");
  return NULL;
}

/* The note shown for a moment: its own, or for a planned check-in its place after the return to work. */
static const char *note_text(Req *r, const Followup *f) {
  if (*f->note || f->months <= 0) return f->note;
  return arena_printf(r->a, P_("%d month after return to work", "%d months after return to work", f->months),
                      f->months);
}

static void plan_forms(Req *r, int64_t tid, bool open) {
  /* after closure only check-ins can be planned */
  static const char *const kinds[] = {"review", "evaluation", "checkin", NULL};
  const char *opts[8];
  int n = 0;
  for (int i = 0; kinds[i]; i++) {
    if (!open && strcmp(kinds[i], "checkin") != 0) continue;
    opts[n++] = kinds[i];
    opts[n++] = followup_kind_label(kinds[i]);
  }
  opts[n] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"plan-f\"><h2 id=\"plan-f\">%s</h2>", _("Plan a moment"));
  if (!open) html(&r->out, "<p>%s</p>", _("This trajectory is closed: only check-ins after the return to work can be planned and recorded."));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/followups", (long long)tid), NULL);
  field_select(r, &(Field){.name = "kind", .label = _("What"), .value = form_str(r, "kind"), .required = true}, opts);
  field_input(r, &(Field){.name = "due_on", .label = _("Date"), .type = "date", .value = form_str(r, "due_on"),
                          .required = true});
  field_input(r, &(Field){.name = "note", .label = _("Note"), .value = form_str(r, "note"), .maxlength = NOTE_MAX});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Plan"));
  form_end(r);
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"plan-c\"><h2 id=\"plan-c\">%s</h2><p>%s %s.</p>",
       _("Long-term follow-up"), _("Plans check-ins this many months after the return to work:"), cfg.checkin_months);
  form_begin(r, arena_printf(r->a, "/t/%lld/followups/checkins", (long long)tid), NULL);
  field_input(r, &(Field){.name = "return_on", .label = _("Date of return to work"), .type = "date",
                          .value = form_str(r, "return_on"), .required = true});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Plan the check-ins"));
  form_end(r);
  html(&r->out, "</section>");
}

/* The result of a check-in in a table cell: work status, hours, remark. */
static void result_cell(Req *r, const CheckinResult *c) {
  const char *ws = work_status_label(c->work_status);
  html(&r->out, "<p>%s · %s</p>", ws ? ws : c->work_status,
       arena_printf(r->a, _("Hours a week: %s"), hours_text_of(r, c->hours_tenths)));
  if (*c->remark) {
    html(&r->out, "<p>");
    html_text_lines(&r->out, c->remark);
    html(&r->out, "</p>");
  }
}

/* The status cell of moment f, with the coach's action on it. */
static void status_cell(Req *r, int64_t tid, const Followup *f, const char *today, bool coach, bool open) {
  if (f->done_on) html(&r->out, "<span class=\"badge badge-ok\">%s %s</span>", _("done on"), date_for(r, f->done_on));
  else if (strcmp(f->due_on, today) < 0) html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("overdue"));
  else html(&r->out, "<span class=\"badge\">%s</span>", _("planned"));
  if (f->done_on || !coach) return;
  if (!strcmp(f->kind, "checkin")) { /* a check-in is recorded with what it found, also after closure */
    html(&r->out, " <a href=\"/t/%lld/followups/%lld/checkin\">%s<span class=\"visually-hidden\">: %s</span></a>",
         (long long)tid, (long long)f->id, _("Record the check-in"), f->due_on);
  } else if (open) {
    form_begin(r, arena_printf(r->a, "/t/%lld/followups/%lld/done", (long long)tid, (long long)f->id), "inline");
    html(&r->out, "<button type=\"submit\">%s<span class=\"visually-hidden\">: %s %s</span></button>", _("Mark done"),
         followup_kind_label(f->kind), f->due_on);
    form_end(r);
  }
}

static int render(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  char today[11];
  date_format(date_today(), today);
  Followup *list;
  int n;
  int rc = followups_visible(r->db, r->a, r->user, tid, today, LIST_MAX, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  CheckinResult *res;
  int nres;
  if ((rc = checkin_results_visible(r->db, r->a, r->user, tid, today, LIST_MAX, &res, &nres)) != DB_OK)
    return http_db_error(r, rc);
  bool open;
  if ((rc = followups_trajectory_open(r->db, tid, &open)) != DB_OK) return http_db_error(r, rc);

  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = list[i].id;
  if ((rc = items_disclose(r, pid, tid, g, "followups", "list", "followup", ids, n)) != DB_OK) return http_db_error(r, rc);
  int shown = 0;
  for (int i = 0; i < n; i++) shown += (list[i].id = ids[i]) != 0;
  /* a result is shown next to its check-in, so only results of check-ins shown */
  const CheckinResult **by_moment = arena_alloc(r->a, sizeof *by_moment * (size_t)(n + 1));
  int64_t *rids = arena_alloc(r->a, sizeof *rids * (size_t)(nres + 1));
  int nr = 0;
  for (int i = 0; i < n; i++) {
    by_moment[i] = NULL;
    for (int k = 0; list[i].id && k < nres; k++)
      if (res[k].followup_id == list[i].id) {
        by_moment[i] = &res[k];
        rids[nr++] = res[k].id;
      }
  }
  if (nr && (rc = items_disclose(r, pid, tid, g, "checkins", "list", "checkin", rids, nr)) != DB_OK)
    return http_db_error(r, rc);
  for (int i = 0, k = 0; i < n; i++) /* a result the item rule withheld stays off the page */
    if (by_moment[i] && !rids[k++]) by_moment[i] = NULL;

  if ((rc = case_page_begin(r, tid, g, _("Follow-up"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Follow-up"));
  trajectory_subnav(r, tid, g, "followups");
  if (!shown) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("No follow-up moments you can see."));
  } else {
    table_begin(r, NULL, _("Reviews, evaluation talks and check-ins"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "</tr></thead><tbody>",
         _("Date"), _("What"), _("Note"), _("Status"), _("Result"));
    for (int i = 0; i < n; i++) {
      const Followup *f = &list[i];
      if (!f->id) continue;
      html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", date_for(r, f->due_on), followup_kind_label(f->kind),
           note_text(r, f));
      status_cell(r, tid, f, today, g == GROUNDS_COACH, open);
      html(&r->out, "</td><td>");
      if (by_moment[i]) result_cell(r, by_moment[i]);
      html(&r->out, "</td></tr>");
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  if (g == GROUNDS_COACH) plan_forms(r, tid, open);
  page_end(r);
  return status;
}

static int get_followups(Req *r) {
  return case_list_page(r, "followups", render);
}

/* Reads a date field into *days and its text; records a form error when it is not a real date. */
static bool date_field(Req *r, const char *name, int32_t *days) {
  const char *v = form_str(r, name);
  if (!date_parse(v, days)) {
    form_error(r, name, _("Enter a real date (YYYY-MM-DD)."));
    return false;
  }
  return true;
}

static int post_followup(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "followup", "create", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *kind = form_str(r, "kind"), *note = form_str(r, "note");
  /* aftercare: a check-in can be planned after closure, any other moment cannot */
  if (strcmp(kind, "checkin") != 0 && (s = trajectory_refuse_if_closed(r, tid))) return s;
  int32_t due;
  if (!known_kind(kind)) form_error(r, "kind", _("Choose what kind of moment this is."));
  if (date_field(r, "due_on", &due) && due < date_today() - 366)
    form_error(r, "due_on", _("This date lies more than a year in the past."));
  if (text_chars(note) > NOTE_MAX) form_error(r, "note", _("The note is too long (at most 500 characters)."));
  if (r->nerrors) return render(r, tid, g, pid, 400);
  char dues[11];
  date_format(due, dues);
  int64_t now = (int64_t)time(NULL), id;
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = followup_create(r->db, &(FollowupNew){.trajectory_id = tid, .author_id = r->user->id, .created_at = now,
                                               .kind = kind, .due_on = dues, .note = note},
                         &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "followup:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}

/* Plans the long-term check-ins from a return-to-work date; allowed after closure (aftercare). */
static int post_checkins(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "followup", "create", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  int32_t back;
  if (date_field(r, "return_on", &back) && back > date_today() + 366)
    form_error(r, "return_on", _("This date lies more than a year ahead."));
  if (r->nerrors) return render(r, tid, g, pid, 400);
  int made;
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = followups_plan_checkins(r->db, r->a, tid, r->user->id, back, cfg.checkin_months, (int64_t)time(NULL), &made);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, "followups:checkins", "create", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}

static int post_done(Req *r) {
  Grounds g;
  int64_t pid;
  int64_t tid = r->ids[0], fid = r->ids[1];
  const char *item = arena_printf(r->a, "followup:%lld", (long long)fid);
  int s = object_door(r, OWNER_ITEM, fid, item, "update", GROUNDS_COACH, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, tid))) return s;
  char today[11];
  date_format(date_today(), today);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = followup_mark_done(r->db, tid, fid, today, r->user->id)) == DB_DONE) {
    /* done already (a second click), or no follow-up of this trajectory */
    db_rollback(r->db);
    int64_t otid, opid;
    if ((rc = owner_of(r->db, OWNER_ITEM, fid, &otid, &opid)) != DB_OK) return http_db_error(r, rc);
    if (otid == tid) return http_error(r, 404, NULL);
    return object_refused(r, OWNER_ITEM, fid, item, "update", grounds_name(g)); /* on the item's own file */
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "update", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}

/* ------------------------------------------------------------------------- recording a check-in */

/* The form that records check-in f of trajectory tid, with what the user typed. */
static void checkin_form(Req *r, int64_t tid, const Followup *f) {
  const char *opts[2 * 3 + 3] = {"", _("Choose…")};
  int k = 2;
  for (int i = 0; checkin_work_statuses[i]; i++) {
    opts[k++] = checkin_work_statuses[i];
    opts[k++] = work_status_label(checkin_work_statuses[i]);
  }
  opts[k] = NULL;
  const char *held = form_str(r, "held_on");
  char today[11];
  date_format(date_today(), today);
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/followups/%lld/checkin", (long long)tid, (long long)f->id), NULL);
  field_input(r, &(Field){.name = "held_on", .label = _("Date of the check-in"), .type = "date",
                          .value = *held ? held : today, .required = true});
  field_select(r, &(Field){.name = "work_status", .label = _("Work status"), .value = form_str(r, "work_status"),
                           .required = true},
               opts);
  field_input(r, &(Field){.name = "hours", .label = _("Hours worked a week"), .value = form_str(r, "hours"),
                          .hint = _("0 to 60; 0 when the participant does not work."), .required = true,
                          .maxlength = 5});
  field_textarea(r, &(Field){.name = "remark", .label = _("Remark"), .value = form_str(r, "remark"),
                             .hint = _("Work information: whoever the participant shares work information with sees it."),
                             .maxlength = REMARK_MAX},
                 4);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/t/%lld/followups\">%s</a></div>",
       _("Save the check-in"), (long long)tid, _("Cancel"));
  form_end(r);
}

/* Opens check-in r->ids[1] of trajectory r->ids[0] for the coach: the door, then the moment itself (an open
 * check-in of this trajectory). Returns 0 with *f, *g, *pid filled, or the status of the page sent. */
static int checkin_open(Req *r, const char *action, Followup *f, Grounds *g, int64_t *pid) {
  int64_t tid = r->ids[0], fid = r->ids[1];
  const char *item = arena_printf(r->a, "followup:%lld", (long long)fid);
  int s = object_door(r, OWNER_ITEM, fid, item, action, GROUNDS_COACH, g, pid);
  if (s) return s;
  int rc = followup_get(r->db, r->a, tid, fid, f);
  if (rc == DB_DONE) return object_not_here(r, OWNER_ITEM, fid, item, action, *g);
  if (rc != DB_ROW) return http_db_error(r, rc);
  if (strcmp(f->kind, "checkin") != 0) return http_error(r, 404, NULL);
  if (f->done_on) return http_error(r, 409, _("This check-in has been recorded already."));
  return 0;
}

static int render_checkin(Req *r, int64_t tid, const Followup *f, int status) {
  int rc = case_page_begin(r, tid, GROUNDS_COACH, _("Record a check-in"));
  if (rc != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Record a check-in"));
  trajectory_subnav(r, tid, GROUNDS_COACH, "followups");
  html(&r->out, "<p>%s</p>", arena_printf(r->a, _("Check-in planned for %s: %s"), f->due_on, note_text(r, f)));
  checkin_form(r, tid, f);
  page_end(r);
  return status;
}

static int get_checkin(Req *r) {
  Followup f;
  Grounds g;
  int64_t pid;
  int s = checkin_open(r, "view", &f, &g, &pid);
  if (s) return s;
  int rc = audit_object(r, pid, r->ids[0], "followup", f.id, "view", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  return render_checkin(r, r->ids[0], &f, 200);
}

/* Records what a check-in found; allowed after closure (aftercare), logged like every change. */
static int post_checkin(Req *r) {
  Followup f;
  Grounds g;
  int64_t pid;
  int s = checkin_open(r, "update", &f, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *ws = form_str(r, "work_status"), *hours = form_str(r, "hours"), *remark = form_str(r, "remark");
  int32_t held;
  if (date_field(r, "held_on", &held) && held > date_today())
    form_error(r, "held_on", _("The date of the check-in cannot be in the future."));
  if (!work_status_label(ws)) form_error(r, "work_status", _("Choose whether the participant works."));
  int64_t tenths = 0;
  if (!*hours) form_error(r, "hours", _("Enter the hours worked a week; 0 when the participant does not work."));
  else if (!hours_parse(hours, &tenths) || tenths > HOURS_MAX_TENTHS)
    form_error(r, "hours", _("Hours a week must be a number from 0 to 60, with at most one decimal, such as 19.5."));
  if (text_chars(remark) > REMARK_MAX) form_error(r, "remark", _("The remark is too long (at most 2000 characters)."));
  if (r->nerrors) {
    int rc = audit_object(r, pid, tid, "followup", f.id, "view", g);
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_checkin(r, tid, &f, 400);
  }
  char helds[11];
  date_format(held, helds);
  int64_t id;
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = checkin_record(r->db, &(CheckinNew){.trajectory_id = tid, .followup_id = f.id, .author_id = r->user->id,
                                             .created_at = (int64_t)time(NULL), .work_status = ws,
                                             .hours_tenths = tenths, .held_on = helds, .remark = remark},
                        &id);
  if (rc == DB_DONE) { /* recorded in the meantime by another request */
    db_rollback(r->db);
    return http_error(r, 409, _("This check-in has been recorded already."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "checkin:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}

const Route followup_routes[] = {
    {"GET", "/t/{id}/followups", ROLES_CASE, R_CASE, get_followups},
    {"POST", "/t/{id}/followups", ROLES_CASE, R_CASE, post_followup},
    {"POST", "/t/{id}/followups/checkins", ROLES_CASE, R_CASE, post_checkins},
    {"POST", "/t/{id}/followups/{fid}/done", ROLES_CASE, R_CASE, post_done},
    {"GET", "/t/{id}/followups/{fid}/checkin", ROLES_CASE, R_CASE, get_checkin},
    {"POST", "/t/{id}/followups/{fid}/checkin", ROLES_CASE, R_CASE, post_checkin},
    {0},
};

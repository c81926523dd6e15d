/*
 * followup.c — follow-up moments of a trajectory (/t/{id}/followups): reviews, evaluation talks with the
 * employer, and the long-term check-ins after return to work (by default 3, 6 and 12 months; setting
 * checkin_months). Each is case information (an items row of kind 'followup', category practical, the
 * participant as source party), so the one door decides who sees it; every shown moment is logged.
 * Only an assigned coach plans moments and marks them done. Due moments appear on the coach's dashboard.
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

enum { NOTE_MAX = 500, LIST_MAX = 100, CHECKINS_MAX = 12 };

const char *followup_kind_label(const char *kind) {
  if (!strcmp(kind, "review")) return _("Review");
  if (!strcmp(kind, "evaluation")) return _("Evaluation talk with the employer");
  return _("Check-in after return to work");
}

static bool known_kind(const char *k) { return !strcmp(k, "review") || !strcmp(k, "evaluation") || !strcmp(k, "checkin"); }

typedef struct Followup {
  int64_t id;
  const char *kind, *due_on, *done_on, *note;
} Followup;

/* Creates one follow-up (item + row) inside the caller's transaction. */
static int create(Req *r, int64_t tid, const char *kind, const char *due, const char *note, int64_t now, int64_t *id) {
  int rc = item_create(r->db, &(ItemNew){.trajectory_id = tid, .kind = "followup", .category = "practical",
                                         .author_id = r->user->id, .title = kind, .body = note, .created_at = now},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *f = db_prepare(r->db, "INSERT INTO followups (item_id, trajectory_id, kind, due_on, created_by, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
  if (!f) return DB_ERROR;
  db_bind_int(f, 1, *id);
  db_bind_int(f, 2, tid);
  db_bind_text(f, 3, kind);
  db_bind_text(f, 4, due);
  db_bind_int(f, 5, r->user->id);
  db_bind_int(f, 6, now);
  return db_run(f);
}

static void plan_forms(Req *r, int64_t tid) {
  static const char *const kinds[] = {"review", "evaluation", "checkin", NULL};
  const char *opts[8];
  int n = 0;
  for (int i = 0; kinds[i]; i++) {
    opts[n++] = kinds[i];
    opts[n++] = followup_kind_label(kinds[i]);
  }
  opts[n] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"plan-f\"><h2 id=\"plan-f\">%s</h2>", _("Plan a moment"));
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

static int render(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  char today[11];
  date_format(date_today(), today);
  Stmt *st = db_prepare(r->db, "SELECT f.item_id AS id, f.kind, f.due_on, f.done_on, i.body AS note FROM followups f "
                               "JOIN items i ON i.id = f.item_id WHERE f.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE
                               " ORDER BY f.due_on, f.item_id LIMIT ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, r->user, today), LIST_MAX);
  Followup *list = arena_alloc(r->a, sizeof *list * LIST_MAX);
  int n = 0, rc = DB_DONE;
  while (n < LIST_MAX && (rc = db_step(st)) == DB_ROW)
    list[n++] = (Followup){.id = db_int(st, "id"), .kind = arena_strdup(r->a, db_text(st, "kind")),
                           .due_on = arena_strdup(r->a, db_text(st, "due_on")),
                           .done_on = arena_strdup(r->a, db_text(st, "done_on")),
                           .note = arena_strdup(r->a, db_text(st, "note"))};
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);

  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = list[i].id;
  if ((rc = items_disclose(r, pid, tid, g, "followups", "list", "followup", ids, n)) != DB_OK) return http_db_error(r, rc);
  int shown = 0;
  for (int i = 0; i < n; i++) shown += (list[i].id = ids[i]) != 0;

  page_begin(r, _("Follow-up"));
  html(&r->out, "<h1>%s</h1>", _("Follow-up"));
  trajectory_subnav(r, tid, g, "followups");
  if (!shown) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("No follow-up moments you can see."));
  } else {
    html(&r->out, "<div class=\"table-wrap\"><table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Reviews, evaluation talks and check-ins"), _("Date"), _("What"), _("Note"), _("Status"));
    for (int i = 0; i < n; i++) {
      const Followup *f = &list[i];
      if (!f->id) continue;
      bool overdue = !f->done_on && strcmp(f->due_on, today) < 0;
      html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", f->due_on, followup_kind_label(f->kind), f->note);
      if (f->done_on) html(&r->out, "<span class=\"badge badge-ok\">%s %s</span>", _("done on"), f->done_on);
      else if (overdue) html(&r->out, "<span class=\"badge badge-warn\">%s</span>", _("overdue"));
      else html(&r->out, "<span class=\"badge\">%s</span>", _("planned"));
      if (!f->done_on && g == GROUNDS_COACH) {
        form_begin(r, arena_printf(r->a, "/t/%lld/followups/%lld/done", (long long)tid, (long long)f->id), "inline");
        html(&r->out, "<button type=\"submit\">%s<span class=\"visually-hidden\">: %s %s</span></button>",
             _("Mark done"), followup_kind_label(f->kind), f->due_on);
        form_end(r);
      }
      html(&r->out, "</td></tr>");
    }
    html(&r->out, "</tbody></table></div>");
  }
  if (g == GROUNDS_COACH) plan_forms(r, tid);
  page_end(r);
  return status;
}

static int get_followups(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "followups", "list", GROUNDS_NONE, &g, &pid);
  return s ? s : render(r, r->ids[0], g, pid, 200);
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
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  const char *kind = form_str(r, "kind"), *note = form_str(r, "note");
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
  if (rc == DB_OK) rc = create(r, tid, kind, dues, note, now, &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "followup:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}

static int post_checkins(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "followup", "create", GROUNDS_COACH, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  int32_t back;
  if (date_field(r, "return_on", &back) && back > date_today() + 366)
    form_error(r, "return_on", _("This date lies more than a year ahead."));
  if (r->nerrors) return render(r, tid, g, pid, 400);
  int64_t now = (int64_t)time(NULL), id = 0;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  /* one check-in per configured month count, e.g. "3,6,12" */
  char *list = arena_strdup(r->a, cfg.checkin_months), *save = NULL;
  int made = 0;
  for (char *t = strtok_r(list, ", ", &save); t && made < CHECKINS_MAX; t = strtok_r(NULL, ", ", &save)) {
    int months = atoi(t);
    if (months <= 0 || months > 120) continue;
    char due[11];
    date_format(date_add_months(back, months), due);
    const char *note = arena_printf(r->a, P_("%d month after return to work", "%d months after return to work", months),
                                    months);
    if ((rc = create(r, tid, "checkin", due, note, now, &id)) != DB_OK) return http_db_error(r, rc);
    made++;
  }
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
  Stmt *up = db_prepare(r->db, "UPDATE followups SET done_on = ?, done_by = ? WHERE item_id = ? AND trajectory_id = ? "
                               "AND done_on IS NULL");
  if (!up) return http_db_error(r, DB_ERROR);
  db_bind_text(up, 1, today);
  db_bind_int(up, 2, r->user->id);
  db_bind_int(up, 3, fid);
  db_bind_int(up, 4, tid);
  if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
  if (db_changes(r->db) != 1) { /* done already (a second click), or no follow-up of this trajectory */
    db_rollback(r->db);
    int64_t otid, opid;
    if ((rc = owner_of(r->db, OWNER_ITEM, fid, &otid, &opid)) != DB_OK) return http_db_error(r, rc);
    if (otid == tid) return http_error(r, 404, NULL);
    return object_refused(r, OWNER_ITEM, fid, item, "update", grounds_name(g)); /* on the item's own file */
  }
  return trajectory_change_done(r, pid, tid, item, "update", g,
                                arena_printf(r->a, "/t/%lld/followups", (long long)tid));
}


const Route followup_routes[] = {
    {"GET", "/t/{id}/followups", ROLES_CASE, R_CASE, get_followups},
    {"POST", "/t/{id}/followups", ROLES_CASE, R_CASE, post_followup},
    {"POST", "/t/{id}/followups/checkins", ROLES_CASE, R_CASE, post_checkins},
    {"POST", "/t/{id}/followups/{fid}/done", ROLES_CASE, R_CASE, post_done},
    {0},
};

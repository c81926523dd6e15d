/*
 * home.c — the start pages of the people outside the coaching team: the participant's "My trajectory"
 * (/me), a calm page in plain words about where they are, and the partner's "Shared with me" (/shared).
 *
 * /me opens the participant's own open trajectory through the one door (policy_trajectory, grounds
 * "self") and logs the view. /shared is an honest empty state until the consent feature lands: what a
 * participant shares with a partner will be listed there; nothing is read or shown yet.
 */
#include <string.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"


/* One sentence per phase, for the participant. */
static const char *phase_explained(const char *phase) {
  static const char *const map[] = {
      "registration", N_("Your coach has registered you and prepares your first conversation together."),
      "intake", N_("You and your coach get to know each other and look at your story and goals."),
      "exploration", N_("Together you look at what you can do, what gives you energy, and what your work asks of you."),
      "consultation", N_("Your coach talks with the people around you, such as your doctor or employer, about what "
                         "you agreed to share."),
      "action_plan", N_("You make a plan with clear goals and steps, and agree who does what and by when."),
      "follow_up", N_("You carry out the plan step by step; your coach checks with you how it goes and adjusts it "
                      "where needed."),
      "aftercare", N_("You are back at work; your coach checks in with you now and then to see how it goes."),
      "closure", N_("Your trajectory is coming to an end; you and your coach look back on what you achieved."),
      NULL};
  for (int i = 0; phase && map[i]; i += 2)
    if (strcmp(map[i], phase) == 0) return _(map[i + 1]);
  return "";
}

/* The participant's open trajectory, as /me shows it. Text in the request arena. */
typedef struct MyTrajectory {
  int64_t id;
  const char *phase, *started_on;
} MyTrajectory;

/* Finds the open trajectory of the signed-in participant. Returns DB_ROW (filled *t), DB_DONE (none)
 * or a DB error code. */
static int my_trajectory(Req *r, MyTrajectory *t) {
  Stmt *st = db_prepare(r->db, "SELECT t.id, t.phase, t.started_on FROM trajectories t "
                               "JOIN participants p ON p.id = t.participant_id "
                               "WHERE p.user_id = ? AND t.status = 'open'");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, r->user->id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *t = (MyTrajectory){.id = db_int(st, "id"), .phase = arena_strdup(r->a, db_text(st, "phase")),
                        .started_on = arena_strdup(r->a, db_text(st, "started_on"))};
  db_done(st);
  return rc;
}

/* Writes the names of the trajectory's coaches as a list. Returns a DB code. */
static int coach_names(Req *r, int64_t tid) {
  Stmt *st = db_prepare(r->db, "SELECT u.name FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                               "WHERE c.trajectory_id = ? ORDER BY u.name");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  html(&r->out, "<ul class=\"plain\">");
  int rc;
  while ((rc = db_step(st)) == DB_ROW) html(&r->out, "<li>%s</li>", db_text(st, "name"));
  db_done(st);
  html(&r->out, "</ul>");
  return rc == DB_DONE ? DB_OK : rc;
}

/* The friendly page for a participant without an open trajectory. */
static int no_trajectory(Req *r) {
  page_begin(r, _("My trajectory"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p><p>%s</p><p><a href=\"/account\">%s</a></p>"
                "</section>",
       _("My trajectory"), _("You have no trajectory running at the moment."),
       _("If you expected one, your coach can tell you more."), _("Go to my account"));
  page_end(r);
  return 200;
}

static int get_me(Req *r) {
  MyTrajectory t;
  int rc = my_trajectory(r, &t);
  if (rc == DB_DONE) return no_trajectory(r);
  if (rc != DB_ROW) return http_db_error(r, rc);
  Grounds g;
  int64_t pid;
  if ((rc = policy_trajectory(r->db, r->user, t.id, &g, &pid)) != DB_OK) return http_db_error(r, rc);
  if (g != GROUNDS_SELF) return no_trajectory(r);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = t.id, .item = "trajectory",
                                    .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("My trajectory"));
  html(&r->out, "<h1>%s</h1><section class=\"card\" aria-labelledby=\"h-where\"><h2 id=\"h-where\">%s</h2>",
       _("My trajectory"), _("Where am I?"));
  html(&r->out, "<p class=\"lead\">%s <strong>%s</strong></p><p>%s</p>", _("You are now in the phase:"),
       label_phase(t.phase), phase_explained(t.phase));
  int step = trajectory_phase_index(t.phase) + 1, steps = 0;
  while (trajectory_phases[steps]) steps++;
  if (step > 0) html(&r->out, "<p class=\"muted\">%s %d / %d</p>", _("Step"), step, steps);
  html(&r->out, "<p>%s %s.</p></section>", _("Your trajectory started on"), t.started_on);
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-coach\"><h2 id=\"h-coach\">%s</h2>", _("Your coach"));
  if ((rc = coach_names(r, t.id)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p>%s</p><p><a href=\"/t/%lld\">%s</a></p></section>",
       _("Your coach is your contact person for everything about your trajectory."), (long long)t.id,
       _("See the details of your trajectory"));
  page_end(r);
  return 200;
}

/* /shared: the trajectories the partner is a live network member of, with the number of notes they may
 * see in each (counted through the one SQL filter, so the count leaks nothing hidden). */
static int get_shared(Req *r) {
  char today[11];
  date_format(date_today(), today);
  Stmt *st = db_prepare(r->db,
                        "SELECT t.id, t.participant_id, p.first_name, p.last_name, t.phase, m.side, "
                        " (SELECT COUNT(*) FROM items i WHERE i.trajectory_id = t.id AND " POLICY_SQL_ITEM_VISIBLE
                        ") AS visible "
                        "FROM network_members m JOIN trajectories t ON t.id = m.trajectory_id "
                        "JOIN participants p ON p.id = t.participant_id "
                        "WHERE m.user_id = ? AND m.removed_at IS NULL AND t.status = 'open' "
                        "ORDER BY p.last_name, p.first_name");
  if (!st) return http_db_error(r, DB_ERROR);
  int next = policy_bind_item_filter(st, 1, r->user, today);
  db_bind_int(st, next, r->user->id);
  page_begin(r, _("Shared with me"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Information shared with you"),
       _("You see only what the participant, or the person the information belongs to, agreed to share with you."));
  int rc, n = 0;
  AuditEntry *entries = arena_alloc(r->a, sizeof(AuditEntry) * 64);
  while ((rc = db_step(st)) == DB_ROW) {
    if (n == 0) html(&r->out, "<ul class=\"cards\">");
    int64_t tid = db_int(st, "id"), visible = db_int(st, "visible");
    html(&r->out, "<li class=\"card\"><h2><a href=\"/t/%lld/notes\">%s %s</a></h2><p>%s · %lld %s</p></li>",
         (long long)tid, db_text(st, "first_name"), db_text(st, "last_name"), label_phase(db_text(st, "phase")),
         (long long)visible, visible == 1 ? _("note shared with you") : _("notes shared with you"));
    if (n < 64)
      entries[n] = (AuditEntry){.participant_id = db_int(st, "participant_id"), .trajectory_id = tid, .item = "trajectory", .action = "list", .outcome = "ok",
                                .grounds = "member"};
    n++;
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
  if (n) html(&r->out, "</ul>");
  else
    html(&r->out, "<section class=\"card empty\"><p>%s</p><p>%s</p></section>", _("Nothing has been shared with you yet."),
         _("When a coach adds you to a participant's network and the participant shares information with you, the "
           "trajectory appears here."));
  if ((rc = audit_write_many(r, entries, n < 64 ? n : 64)) != DB_OK) return http_db_error(r, rc);
  page_end(r);
  return 200;
}

const Route home_routes[] = {
    {"GET", "/me", ROLE_PARTICIPANT, R_CASE, get_me},
    {"GET", "/shared", ROLE_PARTNER, R_CASE, get_shared},
    {0},
};

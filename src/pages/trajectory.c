/*
 * trajectory.c — the trajectory page (/t/{id}).
 *
 * Every role reaches the handlers so that the one door (policy_trajectory) decides: a refusal writes a
 * "denied" entry to the access log and answers the same 404 page as an id that does not exist. The page
 * shows the participant, the phase as a timeline of the eight phases, the registration data, the assigned
 * coaches and the last activity. Assigned coaches also get a link to the protocol page, the one place where
 * the phase moves (protocol.c: one step at a time, open required steps or a reason, closure with an outcome).
 *
 * Also owns the ordered list of phase codes that caseload.c and home.c use.
 */
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"

/* The eight phases in their order (DOMAIN.md "The trajectory"), NULL-terminated. */
const char *const trajectory_phases[] = {"registration", "intake",    "exploration", "consultation", "action_plan",
                                         "follow_up",    "aftercare", "closure",     NULL};

/* Position of a phase code in trajectory_phases, or -1 for anything else (NULL included). */
int trajectory_phase_index(const char *code) {
  for (int i = 0; code && trajectory_phases[i]; i++)
    if (strcmp(trajectory_phases[i], code) == 0) return i;
  return -1;
}

enum { ROLES_ALL = ROLE_COACH | ROLE_PARTICIPANT | ROLE_PARTNER | ROLE_ADMIN | ROLE_TEAMLEAD };

/* One trajectory with its participant, as the page shows it. Text lives in the request arena. */
typedef struct Trajectory {
  int64_t id, participant_id, last_activity_at;
  const char *first_name, *last_name, *birth_date;
  const char *phase, *status, *phase_since, *started_on;
  const char *referred_by, *reason, *employer, *absence_start, *start_consent;
} Trajectory;

const char *db_text_copy(Req *r, Stmt *st, const char *name) { return arena_strdup(r->a, db_text(st, name)); }

/* Loads trajectory id into *t. Returns DB_ROW when found, DB_DONE when not, or a DB error code. Allocates
 * the texts in the request arena. */
static int trajectory_load(Req *r, int64_t id, Trajectory *t) {
  Stmt *st = db_prepare(r->db,
                        "SELECT t.id, t.participant_id, t.phase, t.status, t.phase_since, t.started_on, t.referred_by, "
                        "t.reason, COALESCE(o.name, t.employer_name) AS employer, t.absence_start, t.start_consent, "
                        "t.last_activity_at, p.first_name, p.last_name, p.birth_date "
                        "FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                        "LEFT JOIN organisations o ON o.id = t.employer_org_id WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *t = (Trajectory){
        .id = db_int(st, "id"),
        .participant_id = db_int(st, "participant_id"),
        .last_activity_at = db_int(st, "last_activity_at"),
        .first_name = db_text_copy(r, st, "first_name"),
        .last_name = db_text_copy(r, st, "last_name"),
        .birth_date = db_text_copy(r, st, "birth_date"),
        .phase = db_text_copy(r, st, "phase"),
        .status = db_text_copy(r, st, "status"),
        .phase_since = db_text_copy(r, st, "phase_since"),
        .started_on = db_text_copy(r, st, "started_on"),
        .referred_by = db_text_copy(r, st, "referred_by"),
        .reason = db_text_copy(r, st, "reason"),
        .employer = db_text_copy(r, st, "employer"),
        .absence_start = db_text_copy(r, st, "absence_start"),
        .start_consent = db_text_copy(r, st, "start_consent"),
    };
  }
  db_done(st);
  return rc;
}

/* Asks the one door whether the user may open trajectory r->ids[0] (need GROUNDS_NONE: on any grounds;
 * GROUNDS_COACH: only as an assigned coach). Fills *g and *pid and returns 0 when allowed. When refused,
 * writes a "denied" access-log entry for item/action and returns 404 with the not-found page, exactly as
 * for an id that does not exist; on a DB error returns the error page's status. */
int trajectory_door(Req *r, const char *item, const char *action, Grounds need, Grounds *g, int64_t *pid) {
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g != GROUNDS_NONE && (need == GROUNDS_NONE || *g == need)) return 0;
  rc = audit_write(r, &(AuditEntry){.participant_id = *pid, .trajectory_id = r->ids[0], .item = item,
                                    .action = action, .outcome = "denied", .grounds = grounds_name(*g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

int object_refused(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, const char *grounds) {
  int64_t tid, pid;
  int rc = owner_of(r->db, kind, oid, &tid, &pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = action,
                                    .outcome = "denied", .grounds = grounds});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

int object_door(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, Grounds need, Grounds *g,
                int64_t *pid) {
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g != GROUNDS_NONE && (need == GROUNDS_NONE || *g == need)) return 0;
  return object_refused(r, kind, oid, item, action, grounds_name(*g));
}


/* One row of a description list; an empty value shows "Not recorded". */
static void dl_row(Req *r, const char *term, const char *value) {
  html(&r->out, "<dt>%s</dt><dd>", term);
  if (value && *value) html_text_lines(&r->out, value);
  else html(&r->out, "<span class=\"muted\">%s</span>", _("Not recorded"));
  html(&r->out, "</dd>");
}

/* The coach's way to move the phase (open trajectories only): a link to the protocol page, whose form
 * applies the protocol's rules. */
static void phase_link(Req *r, const Trajectory *t) {
  if (strcmp(t->status, "open") != 0) return;
  html(&r->out, "<p><a href=\"/t/%lld/protocol\">%s</a></p>", (long long)t->id,
       _("Move the phase on the protocol page"));
}

/* The eight phases as an ordered list: earlier ones marked done, the current one aria-current="step";
 * followed by the link to move the phase when the user is an assigned coach. */
static void phase_section(Req *r, const Trajectory *t, bool coach) {
  int cur = trajectory_phase_index(t->phase);
  html(&r->out, "<section aria-labelledby=\"h-phase\"><h2 id=\"h-phase\">%s</h2><ol class=\"timeline\">", _("Phase"));
  for (int i = 0; trajectory_phases[i]; i++) {
    const char *label = label_phase(trajectory_phases[i]);
    if (i < cur)
      html(&r->out, "<li class=\"done\"><span class=\"visually-hidden\">%s </span>%s</li>", _("Done:"), label);
    else if (i == cur)
      html(&r->out, "<li class=\"current\" aria-current=\"step\">%s <span class=\"muted small\">%s %s</span></li>",
           label, _("since"), t->phase_since);
    else
      html(&r->out, "<li>%s</li>", label);
  }
  html(&r->out, "</ol>");
  if (coach) phase_link(r, t);
  html(&r->out, "</section>");
}

/* The registration data (DOMAIN.md "Registration"). */
static void registration_data(Req *r, const Trajectory *t) {
  html(&r->out, "<section aria-labelledby=\"h-reg\"><h2 id=\"h-reg\">%s</h2><dl class=\"facts\">", _("Registration"));
  dl_row(r, _("Referred by"), t->referred_by);
  dl_row(r, _("Reason for referral"), t->reason);
  dl_row(r, _("Employer"), t->employer);
  dl_row(r, _("First day of absence"), t->absence_start);
  dl_row(r, _("Consent to start"), t->start_consent);
  dl_row(r, _("Started on"), t->started_on);
  html(&r->out, "</dl></section>");
}

/* The assigned coaches and the last activity. Returns a DB code. */
static int coaches_and_activity(Req *r, const Trajectory *t) {
  Stmt *st = db_prepare(r->db, "SELECT u.name FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                               "WHERE c.trajectory_id = ? ORDER BY u.name");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  html(&r->out, "<section aria-labelledby=\"h-coaches\"><h2 id=\"h-coaches\">%s</h2><ul>", _("Coaches"));
  int rc;
  while ((rc = db_step(st)) == DB_ROW) html(&r->out, "<li>%s</li>", db_text(st, "name"));
  db_done(st);
  if (rc != DB_DONE) return rc;
  html(&r->out, "</ul><p>%s %s</p></section>", _("Last activity:"), fmt_time(r, t->last_activity_at));
  return DB_OK;
}

static int get_trajectory(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "trajectory", "view", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  Trajectory t;
  int rc = trajectory_load(r, r->ids[0], &t);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = t.id, .item = "trajectory",
                                    .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Trajectory"));
  /* registration data and date of birth belong to the participant: coach and participant only */
  bool inner = g == GROUNDS_COACH || g == GROUNDS_SELF;
  html(&r->out, "<h1>%s %s</h1>", t.first_name, t.last_name);
  trajectory_subnav(r, t.id, g, "overview");
  html(&r->out, "<p class=\"muted\">");
  if (inner) html(&r->out, "%s %s", _("Date of birth:"), t.birth_date);
  if (strcmp(t.status, "open") != 0) html(&r->out, " · %s", _("This trajectory is closed."));
  html(&r->out, "</p>");
  phase_section(r, &t, g == GROUNDS_COACH);
  if (inner) registration_data(r, &t);
  if ((rc = coaches_and_activity(r, &t)) != DB_OK) return http_db_error(r, rc);
  page_end(r);
  return 200;
}

int trajectory_change_done(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                           const char *location) {
  return trajectory_change_done_for(r, pid, tid, item, action, g, 0, location);
}

int trajectory_change_done_for(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                               int64_t on_behalf_of, const char *location) {
  Stmt *up = db_prepare(r->db, "UPDATE trajectories SET last_activity_at = ? WHERE id = ?");
  if (!up) return http_db_error(r, DB_ERROR);
  db_bind_int(up, 1, (int64_t)time(NULL));
  db_bind_int(up, 2, tid);
  int rc = db_run(up);
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = action,
                                      .outcome = "ok", .grounds = grounds_name(g), .on_behalf_of = on_behalf_of});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, location, "saved");
}

int trajectory_refuse_if_closed(Req *r, int64_t tid) {
  Stmt *st = db_prepare(r->db, "SELECT status FROM trajectories WHERE id = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  bool closed = rc == DB_ROW && strcmp(db_text(st, "status"), "open") != 0;
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (closed) return http_error(r, 409, _("This trajectory is closed; reopen it first to change anything."));
  return 0;
}

int items_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                   const char *kind, int64_t *ids, int n) {
  char today[11];
  date_format(date_today(), today);
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n + 1));
  int ne = 0, rc;
  entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = list_item, .action = action,
                               .outcome = "ok", .grounds = grounds_name(g)};
  for (int i = 0; i < n; i++) {
    Grounds ig;
    int64_t consent;
    if ((rc = policy_item(r->db, r->user, ids[i], today, &ig, &consent, NULL)) != DB_OK) return rc;
    if (ig == GROUNDS_NONE) {
      log_error("rid=%s policy: SQL filter and item rule disagree on item %lld; item withheld", r->rid,
                (long long)ids[i]);
      ids[i] = 0;
      continue;
    }
    entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                 .item = arena_printf(r->a, "%s:%lld", kind, (long long)ids[i]), .action = "view",
                                 .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent};
  }
  return audit_write_many(r, entries, ne);
}

void trajectory_subnav(Req *r, int64_t tid, Grounds g, const char *current) {
  /* inner: sections only the coach and the participant open (members see what is consented, elsewhere) */
  static const struct { const char *key, *suffix, *label; bool inner; } tabs[] = {
      {"overview", "", N_("Overview"), false},
      {"protocol", "/protocol", N_("Protocol"), true},
      {"plan", "/plan", N_("Action plan"), false},
      {"assessments", "/assessments", N_("Questionnaires"), false},
      {"notes", "/notes", N_("Notes"), false},
      {"network", "/network", N_("Network"), false},
      {"consents", "/consents", N_("Consents"), false},
      {"referrals", "/referrals", N_("Referrals"), false},
      {"followups", "/followups", N_("Follow-up"), false},
  };
  bool inner = g == GROUNDS_COACH || g == GROUNDS_SELF;
  html(&r->out, "<nav class=\"subnav\" aria-label=\"%s\"><ul>", _("Trajectory sections"));
  for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
    if (tabs[i].inner && !inner) continue;
    html(&r->out, "<li><a href=\"/t/%lld%s\"", (long long)tid, tabs[i].suffix);
    if (strcmp(current, tabs[i].key) == 0) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s</a></li>", _(tabs[i].label));
  }
  html(&r->out, "</ul></nav>");
}

const Route trajectory_routes[] = {
    {"GET", "/t/{id}", ROLES_ALL, R_CASE, get_trajectory},
    {0},
};

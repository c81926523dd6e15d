/*
 * protocol.c — the protocol of a trajectory (/t/{id}/protocol): the eight phases as a timeline with the
 * dates of each stay, the checklist of steps per phase, moving the phase on or back, closing with an
 * outcome and reopening; and the administrator's protocol templates (/admin/protocols).
 *
 * Work according to a protocol, with room to deviate (DOMAIN.md "The trajectory"): every trajectory gets
 * a copy of its template's steps when it is inserted (the trigger in migration 003; protocol_start does the
 * same for a trajectory without history), so later edits of a template change only trajectories that start
 * afterwards. The coach ticks a step done, skips it with a reason, or
 * adds one with a reason; moving on while required steps of the current phase are open, moving back,
 * closing with open required steps and reopening all need a reason. This is the one way a phase moves
 * (POST /t/{id}/protocol/phase, /close, /reopen); the trajectory page links here. Each stay in a phase is
 * a row of phase_history; a phase changed outside these handlers (a database from before the protocol, or
 * one edited by hand) is caught up here.
 *
 * Who: the assigned coach changes; the participant reads (no forms, and no tab of hers leads here: she follows
 * her phase on /me and the overview, trajectory_subnav); anybody else gets the same 404 as
 * for a missing id, with a "denied" access-log entry — the protocol is not consented information, so
 * network members never see it (partners are left out of the page's route altogether: 403 by role). Every view and change is in the access log, changes in the same
 * transaction. Administrators edit templates only: nothing here shows them a trajectory.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/followups.h"

enum {
  ROLES_ALL = ROLE_COACH | ROLE_PARTICIPANT | ROLE_PARTNER | ROLE_ADMIN | ROLE_TEAMLEAD | ROLE_LOGOFFICER,
  /* The protocol is never shown to network members (it is not consented information): the page's route
   * leaves partners out (403 by role, the same for every id), and the door refuses anybody else but the
   * coach and the participant with the not-found page. */
  ROLES_NOT_PARTNER = ROLES_ALL & ~ROLE_PARTNER,
  PHASES = 8,
  STEP_MAX = 300,    /* characters of a step's text */
  REASON_MAX = 2000, /* characters of a reason or closing note */
  NAME_MAX = 120,    /* characters of a template's name */
  HOURS_MAX_TENTHS = 600,
};

/* ------------------------------------------------------------------------------------------ labels */

/* Closure outcomes (DOMAIN.md "Closure"), code and English label, NULL-terminated. */
static const char *const outcomes[] = {
    "kept_own_job", N_("Kept own job"),
    "returned_own_job", N_("Returned to own job"),
    "other_function_same_employer", N_("Other function at the same employer"),
    "new_employer", N_("New employer"),
    "career_guidance", N_("Referred to career guidance"),
    "specialised_care", N_("Referred to specialised care"),
    "no_work_prospect", N_("No work prospect"),
    "stopped_by_participant", N_("Stopped by the participant"),
    NULL};

/* Translated label of an outcome code; NULL for an unknown code. */
static const char *label_outcome(const char *code) {
  for (int i = 0; code && outcomes[i]; i += 2)
    if (strcmp(outcomes[i], code) == 0) return _(outcomes[i + 1]);
  return NULL;
}

static const char *label_approach(const char *code) {
  if (code && strcmp(code, "zorg_en_werk") == 0) return _("Zorg & Werk (Flanders)");
  if (code && strcmp(code, "werk_als_beste_zorg") == 0) return _("Werk als Beste Zorg (Netherlands)");
  return _("Custom");
}

/* How a stay in a phase began (phase_history.kind). */
static const char *label_kind(const char *kind) {
  static const char *const map[] = {"start", N_("Protocol started"), "forward", N_("Moved on"),
                                    "back", N_("Moved back"), "close", N_("Closed"), "reopen", N_("Reopened"),
                                    "sync", N_("Phase changed on the overview page"), NULL};
  for (int i = 0; kind && map[i]; i += 2)
    if (strcmp(map[i], kind) == 0) return _(map[i + 1]);
  return kind ? kind : "";
}

static const char *today_str(Req *r) {
  char *d = arena_alloc(r->a, 11);
  date_format(date_today(), d);
  return d;
}

/* Makes room for one more element in the arena array v that holds n elements of size bytes in *cap: when
 * full, copies it into one twice as large (request arena; cannot fail) and doubles *cap. Returns the array. */
static void *grow(Req *r, void *v, int n, int *cap, size_t size) {
  if (n < *cap) return v;
  void *more = arena_alloc(r->a, size * (size_t)*cap * 2);
  memcpy(more, v, size * (size_t)n);
  *cap *= 2;
  return more;
}

/* Maps the current row of st into the element at p; text goes into the request arena. */
typedef void RowMap(Req *r, Stmt *st, void *p);

/* Binds id to the one parameter of st (NULL: prepare failed) and reads every row through map into an arena
 * array of elements of size bytes; finishes st. Returns the array with *n elements, and sets *rc to a DB
 * code (on failure the rows read so far are returned). */
static void *rows_load(Req *r, Stmt *st, int64_t id, size_t size, RowMap *map, int *n, int *rc) {
  *n = 0;
  if (!st) {
    *rc = DB_ERROR;
    return NULL;
  }
  db_bind_int(st, 1, id);
  int cap = 16;
  char *v = arena_alloc(r->a, size * (size_t)cap);
  while ((*rc = db_step(st)) == DB_ROW) {
    v = grow(r, v, *n, &cap, size);
    map(r, st, v + size * (size_t)(*n)++);
  }
  db_done(st);
  if (*rc == DB_DONE) *rc = DB_OK;
  return v;
}

/* Runs the literal statement sql with the integer parameters p1 and p2. Returns a DB code. */
static int run2(Req *r, const char *sql, int64_t p1, int64_t p2) {
  Stmt *st = db_prepare(r->db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, p1);
  db_bind_int(st, 2, p2);
  return db_run(st);
}

/* ------------------------------------------------------------------------------------- loading */

/* The trajectory facts this page needs; text in the request arena. */
typedef struct Traj {
  int64_t id, template_id, hours_tenths;
  bool has_hours;
  const char *phase, *status, *phase_since, *started_on, *closed_on, *outcome, *template_name;
} Traj;

/* Loads trajectory id. Returns DB_ROW when found, DB_DONE when not, or a DB error code. */
static int traj_load(Req *r, int64_t id, Traj *t) {
  Stmt *st = db_prepare(r->db, "SELECT t.id, t.phase, t.status, t.phase_since, t.started_on, t.closed_on, t.outcome, "
                               "t.hours_per_week_tenths, COALESCE(t.protocol_template_id, 0) AS template_id, "
                               "pt.name AS template_name FROM trajectories t "
                               "LEFT JOIN protocol_templates pt ON pt.id = t.protocol_template_id WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *t = (Traj){.id = db_int(st, "id"),
                .template_id = db_int(st, "template_id"),
                .hours_tenths = db_int(st, "hours_per_week_tenths"),
                .has_hours = !db_null(st, "hours_per_week_tenths"),
                .phase = db_text_copy(r, st, "phase"),
                .status = db_text_copy(r, st, "status"),
                .phase_since = db_text_copy(r, st, "phase_since"),
                .started_on = db_text_copy(r, st, "started_on"),
                .closed_on = db_text_copy(r, st, "closed_on"),
                .outcome = db_text_copy(r, st, "outcome"),
                .template_name = db_text_copy(r, st, "template_name")};
  db_done(st);
  return rc;
}

static bool traj_open(const Traj *t) { return strcmp(t->status, "open") == 0; }

/* One step of a trajectory's checklist. */
typedef struct Step {
  int64_t id, done_at;
  bool required, added;
  const char *phase, *text, *status, *skip_reason, *added_reason, *done_by;
} Step;

/* Maps a row of steps_load's query into the Step at p. */
static void step_map(Req *r, Stmt *st, void *p) {
  *(Step *)p = (Step){.id = db_int(st, "id"),
                      .done_at = db_int(st, "done_at"),
                      .required = db_int(st, "required") != 0,
                      .added = db_int(st, "added_by_coach") != 0,
                      .phase = db_text_copy(r, st, "phase"),
                      .text = db_text_copy(r, st, "text"),
                      .status = db_text_copy(r, st, "status"),
                      .skip_reason = db_text_copy(r, st, "skip_reason"),
                      .added_reason = db_text_copy(r, st, "added_reason"),
                      .done_by = db_text_copy(r, st, "done_by")};
}

/* Loads the steps of trajectory tid in order into *out (arena array) and *n. Returns a DB code. */
static int steps_load(Req *r, int64_t tid, Step **out, int *n) {
  Stmt *st = db_prepare(r->db, "SELECT s.id, s.phase, s.text, s.required, s.status, s.skip_reason, s.added_by_coach, "
                               "s.added_reason, s.done_at, u.name AS done_by FROM trajectory_steps s "
                               "LEFT JOIN users u ON u.id = s.done_by WHERE s.trajectory_id = ? "
                               "ORDER BY s.position, s.id");
  int rc;
  *out = rows_load(r, st, tid, sizeof **out, step_map, n, &rc);
  return rc;
}

/* One stay in a phase (a phase_history row). */
typedef struct Stay {
  int64_t hours_tenths;
  bool has_hours;
  const char *phase, *kind, *entered_on, *left_on, *reason, *outcome, *by;
} Stay;

/* Maps a row of history_load's query into the Stay at p. */
static void stay_map(Req *r, Stmt *st, void *p) {
  *(Stay *)p = (Stay){.hours_tenths = db_int(st, "hours_per_week_tenths"),
                      .has_hours = !db_null(st, "hours_per_week_tenths"),
                      .phase = db_text_copy(r, st, "phase"),
                      .kind = db_text_copy(r, st, "kind"),
                      .entered_on = db_text_copy(r, st, "entered_on"),
                      .left_on = db_text_copy(r, st, "left_on"),
                      .reason = db_text_copy(r, st, "reason"),
                      .outcome = db_text_copy(r, st, "outcome"),
                      .by = db_text_copy(r, st, "by_name")};
}

/* Loads the phase history of trajectory tid, oldest first. Returns a DB code. */
static int history_load(Req *r, int64_t tid, Stay **out, int *n) {
  Stmt *st = db_prepare(r->db, "SELECT h.phase, h.kind, h.entered_on, h.left_on, h.reason, h.outcome, "
                               "h.hours_per_week_tenths, u.name AS by_name FROM phase_history h "
                               "LEFT JOIN users u ON u.id = h.entered_by WHERE h.trajectory_id = ? ORDER BY h.id");
  int rc;
  *out = rows_load(r, st, tid, sizeof **out, stay_map, n, &rc);
  return rc;
}

/* ------------------------------------------------------------------------ starting and catching up */

/* Inside a transaction: ends the open stay of trajectory tid on left_on. Returns a DB code. */
static int history_leave(Req *r, int64_t tid, const char *left_on) {
  Stmt *st = db_prepare(r->db, "UPDATE phase_history SET left_on = ? WHERE trajectory_id = ? AND left_on IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, left_on);
  db_bind_int(st, 2, tid);
  return db_run(st);
}

/* Whether the protocol of t needs starting (no history yet) or catching up (the open stay is not in the
 * trajectory's phase, because the phase changed elsewhere). Returns a DB code; sets *need. */
static int protocol_needs_work(Req *r, const Traj *t, bool *need) {
  Stmt *st = db_prepare(r->db, "SELECT (SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ?) AS n, "
                               "(SELECT phase FROM phase_history WHERE trajectory_id = ? AND left_on IS NULL "
                               "ORDER BY id DESC LIMIT 1) AS open_phase");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  db_bind_int(st, 2, t->id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    const char *open = db_text(st, "open_phase");
    *need = db_int(st, "n") == 0 || !open || strcmp(open, t->phase) != 0;
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Inside an open transaction: starts the protocol of t if it has none (copies the steps of its template,
 * or of the default template, and opens the first stay), or opens a stay for the trajectory's current
 * phase when the phase was changed elsewhere. Returns a DB code. */
static int protocol_catch_up(Req *r, const Traj *t) {
  assert(db_in_tx(r->db));
  bool need = false;
  int rc = protocol_needs_work(r, t, &need);
  if (rc != DB_OK || !need) return rc;
  int64_t now = (int64_t)time(NULL);
  Stmt *st = db_prepare(r->db, "SELECT COUNT(*) AS n FROM phase_history WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  rc = db_step(st);
  int64_t stays = rc == DB_ROW ? db_int(st, "n") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc;

  if (stays == 0) {
    int64_t tpl = t->template_id;
    if (!tpl) {
      st = db_prepare(r->db, "SELECT id FROM protocol_templates WHERE active = 1 "
                             "ORDER BY is_default DESC, id LIMIT 1");
      if (!st) return DB_ERROR;
      rc = db_step(st);
      if (rc == DB_ROW) tpl = db_int(st, "id");
      db_done(st);
      if (rc != DB_ROW && rc != DB_DONE) return rc;
    }
    if (tpl) {
      if ((rc = run2(r, "UPDATE trajectories SET protocol_template_id = ? WHERE id = ?", tpl, t->id)) != DB_OK)
        return rc;
      rc = run2(r, "INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required) "
                   "SELECT ?, phase, position, text, required FROM protocol_steps WHERE template_id = ?",
                t->id, tpl);
      if (rc != DB_OK) return rc;
    }
  } else if ((rc = history_leave(r, t->id, t->phase_since)) != DB_OK) {
    return rc;
  }
  st = db_prepare(r->db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at) "
                         "VALUES (?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  db_bind_text(st, 2, t->phase);
  db_bind_text(st, 3, stays == 0 ? "start" : "sync");
  db_bind_text(st, 4, t->phase_since);
  db_bind_int(st, 5, now);
  return db_run(st);
}

int protocol_start(Req *r, int64_t tid) {
  Traj t;
  int rc = traj_load(r, tid, &t);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  return protocol_catch_up(r, &t);
}

/* Outside a transaction: catches the protocol of t up when needed, in a transaction of its own, and
 * reloads t. Returns a DB code. */
static int protocol_ensure(Req *r, Traj *t) {
  bool need = false;
  int rc = protocol_needs_work(r, t, &need);
  if (rc != DB_OK || !need) return rc;
  if ((rc = db_begin(r->db)) != DB_OK) return rc;
  if ((rc = protocol_catch_up(r, t)) != DB_OK) {
    db_rollback(r->db);
    return rc;
  }
  if ((rc = db_commit(r->db)) != DB_OK) return rc;
  rc = traj_load(r, t->id, t);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* ------------------------------------------------------------------------------------ the door */

/* The door of the protocol pages: coach_only for changes (assigned coach), otherwise the assigned coach
 * or the participant. Anybody else — network members included — gets the not-found page and a "denied"
 * entry: on the trajectory's file, or for a request about one step (sid not 0) on the file of the
 * trajectory that step belongs to (object_refused). Returns 0 when allowed (filling *g, *pid), else the
 * status to return. */
static int protocol_door(Req *r, int64_t sid, const char *item, const char *action, bool coach_only, Grounds *g,
                         int64_t *pid) {
  if (coach_only && sid) return object_door(r, OWNER_STEP, sid, item, action, GROUNDS_COACH, g, pid);
  if (coach_only) return trajectory_door(r, item, action, GROUNDS_COACH, g, pid);
  *pid = 0;
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g == GROUNDS_COACH || *g == GROUNDS_SELF) return 0;
  if (sid) return object_refused(r, OWNER_STEP, sid, item, action, grounds_name(*g));
  rc = audit_write(r, &(AuditEntry){.participant_id = *pid, .trajectory_id = r->ids[0], .item = item,
                                    .action = action, .outcome = "denied", .grounds = grounds_name(*g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

/* ------------------------------------------------------------------------------- the page */

/* What failed in a POST, so that the page re-renders that form with what was typed. */
typedef struct Failed {
  const char *form; /* "step", "add", "move", "close", "reopen" or NULL */
  int64_t step_id;  /* for "step" */
} Failed;

static bool failed_is(const Failed *f, const char *form) { return f->form && strcmp(f->form, form) == 0; }

static const char *status_badge(const char *status) {
  if (strcmp(status, "done") == 0) return "badge badge-ok";
  if (strcmp(status, "skipped") == 0) return "badge badge-muted";
  return "badge badge-warn";
}

static const char *label_step_status(const char *status) {
  if (strcmp(status, "done") == 0) return _("Done");
  if (strcmp(status, "skipped") == 0) return _("Skipped");
  return _("Open");
}

/* One step with, for the coach of an open trajectory, its forms (done, skip with a reason, reopen). */
static void step_item(Req *r, const Traj *t, const Step *s, bool coach, const Failed *f) {
  html(&r->out, "<li id=\"step-%lld\"><p><span class=\"%s\">%s</span> %s", (long long)s->id, status_badge(s->status),
       label_step_status(s->status), s->text);
  html(&r->out, " <span class=\"muted small\">(%s)</span></p>", s->required ? _("required") : _("optional"));
  if (s->added) html(&r->out, "<p class=\"small muted\">%s %s</p>", _("Added by the coach:"), s->added_reason);
  if (strcmp(s->status, "skipped") == 0 && s->skip_reason)
    html(&r->out, "<p class=\"small\">%s %s</p>", _("Skipped because:"), s->skip_reason);
  if (strcmp(s->status, "done") == 0 && s->done_at)
    html(&r->out, "<p class=\"small muted\">%s %s%s%s</p>", _("Done on"), time_for(r, s->done_at),
         s->done_by ? " · " : "", s->done_by ? s->done_by : "");
  if (coach && traj_open(t)) {
    const char *action = arena_printf(r->a, "/t/%lld/protocol/steps/%lld", (long long)t->id, (long long)s->id);
    if (strcmp(s->status, "open") == 0) {
      form_begin(r, action, "inline");
      html(&r->out, "<button type=\"submit\" name=\"action\" value=\"done\" class=\"primary\">%s</button>",
           _("Mark as done"));
      form_end(r);
      bool mine = failed_is(f, "step") && f->step_id == s->id;
      const char *key = arena_printf(r->a, "reason-%lld", (long long)s->id);
      const char *err = mine ? form_error_for(r, key) : NULL;
      html(&r->out, "<details%s><summary>%s</summary>", mine ? " open" : "", _("Skip this step"));
      form_begin(r, action, NULL);
      html(&r->out, "<input type=\"hidden\" name=\"action\" value=\"skip\">");
      html(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label>", err ? " has-error" : "", key,
           _("Why do you skip this step?"));
      if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", key, err);
      html(&r->out, "<textarea rows=\"2\" id=\"f-%s\" name=\"reason\" maxlength=\"%d\"", key, REASON_MAX);
      if (err) html(&r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", key);
      html(&r->out, ">%s</textarea></div>", mine ? form_str(r, "reason") : "");
      html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Skip step"));
      form_end(r);
      html(&r->out, "</details>");
    } else {
      form_begin(r, action, "inline");
      html(&r->out, "<button type=\"submit\" name=\"action\" value=\"reopen\">%s</button>", _("Reopen step"));
      form_end(r);
    }
  }
  html(&r->out, "</li>");
}

/* Counts of a phase's steps. */
typedef struct Counts {
  int open, open_required, done, skipped, total;
} Counts;

static Counts phase_counts(const Step *steps, int n, const char *phase) {
  Counts c = {0};
  for (int i = 0; i < n; i++) {
    if (strcmp(steps[i].phase, phase) != 0) continue;
    c.total++;
    if (strcmp(steps[i].status, "done") == 0) c.done++;
    else if (strcmp(steps[i].status, "skipped") == 0) c.skipped++;
    else {
      c.open++;
      if (steps[i].required) c.open_required++;
    }
  }
  return c;
}

/* "3 done · 2 open · 1 skipped" for a phase, translated as one message; an arena string. */
static const char *step_counts(Req *r, const Counts *c) {
  /* TRANSLATORS: numbers of protocol steps of a phase by status */
  return arena_printf(r->a, _("%d done · %d open · %d skipped"), c->done, c->open, c->skipped);
}

/* The eight phases as an ordered list with the dates of each stay and the open steps. */
static void timeline(Req *r, const Traj *t, const Step *steps, int nsteps, const Stay *stays, int nstays) {
  int cur = trajectory_phase_index(t->phase);
  html(&r->out, "<section aria-labelledby=\"h-phases\"><h2 id=\"h-phases\">%s</h2><ol class=\"timeline\">", _("Phases"));
  for (int i = 0; trajectory_phases[i]; i++) {
    const char *p = trajectory_phases[i];
    if (i < cur || (i == cur && !traj_open(t))) html(&r->out, "<li class=\"done\">");
    else if (i == cur) html(&r->out, "<li class=\"current\" aria-current=\"step\">");
    else html(&r->out, "<li>");
    html(&r->out, "<strong>%s</strong>", label_phase(p));
    bool any = false;
    for (int k = 0; k < nstays; k++) {
      if (strcmp(stays[k].phase, p) != 0) continue;
      const char *when;
      const char *from = date_for(r, stays[k].entered_on);
      if (stays[k].left_on) when = arena_printf(r->a, _("from %s to %s"), from, date_for(r, stays[k].left_on));
      else if (strcmp(p, "closure") != 0) when = arena_printf(r->a, _("from %s (now)"), from);
      else when = arena_printf(r->a, _("from %s"), from);
      html(&r->out, "%s<span class=\"small muted\">%s</span>", any ? "; " : " ", when);
      any = true;
    }
    if (!any) html(&r->out, " <span class=\"small muted\">%s</span>", i > cur ? _("not yet") : _("dates not recorded"));
    Counts c = phase_counts(steps, nsteps, p);
    if (c.open && traj_open(t) && i <= cur)
      html(&r->out, " <span class=\"badge badge-warn\">%s</span>",
           arena_printf(r->a, P_("%d open step", "%d open steps", c.open), c.open));
    html(&r->out, "</li>");
  }
  html(&r->out, "</ol></section>");
}

/* The checklist of the current phase. */
static void current_checklist(Req *r, const Traj *t, const Step *steps, int n, bool coach, const Failed *f) {
  html(&r->out, "<section aria-labelledby=\"h-current\"><h2 id=\"h-current\">%s %s</h2>", _("Checklist:"),
       label_phase(t->phase));
  Counts c = phase_counts(steps, n, t->phase);
  if (!c.total) {
    html(&r->out, "<p class=\"empty\">%s</p></section>", _("This phase has no steps in the protocol."));
    return;
  }
  html(&r->out, "<p class=\"muted\">%s</p><ul class=\"plain\">", step_counts(r, &c));
  for (int i = 0; i < n; i++)
    if (strcmp(steps[i].phase, t->phase) == 0) step_item(r, t, &steps[i], coach, f);
  html(&r->out, "</ul></section>");
}

/* The other phases, collapsed: earlier ones with their open and skipped steps, later ones with all. */
static void other_phases(Req *r, const Traj *t, const Step *steps, int n, bool coach, const Failed *f) {
  int cur = trajectory_phase_index(t->phase);
  html(&r->out, "<section aria-labelledby=\"h-other\"><h2 id=\"h-other\">%s</h2>", _("Other phases"));
  for (int i = 0; trajectory_phases[i]; i++) {
    const char *p = trajectory_phases[i];
    if (i == cur) continue;
    Counts c = phase_counts(steps, n, p);
    bool earlier = i < cur;
    bool open = false;
    for (int k = 0; k < n && failed_is(f, "step"); k++)
      if (steps[k].id == f->step_id && strcmp(steps[k].phase, p) == 0) open = true;
    html(&r->out, "<details%s><summary>%s · %s</summary>", open ? " open" : "", label_phase(p), step_counts(r, &c));
    int shown = 0;
    for (int k = 0; k < n; k++) {
      if (strcmp(steps[k].phase, p) != 0) continue;
      if (earlier && strcmp(steps[k].status, "done") == 0) continue;
      if (!shown++) html(&r->out, "<ul class=\"plain\">");
      step_item(r, t, &steps[k], coach, f);
    }
    if (shown) html(&r->out, "</ul>");
    else html(&r->out, "<p class=\"muted\">%s</p>", c.total ? _("All steps are done.") : _("No steps."));
    html(&r->out, "</details>");
  }
  html(&r->out, "</section>");
}

/* The coach's form to add a step with a reason. */
static void add_form(Req *r, const Traj *t, const Failed *f) {
  bool mine = failed_is(f, "add");
  const char *opts[PHASES * 2 + 1];
  int k = 0;
  for (int i = 0; trajectory_phases[i]; i++) {
    opts[k++] = trajectory_phases[i];
    opts[k++] = label_phase(trajectory_phases[i]);
  }
  opts[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-add\"><h2 id=\"h-add\">%s</h2>", _("Add a step"));
  form_begin(r, arena_printf(r->a, "/t/%lld/protocol/steps", (long long)t->id), NULL);
  field_select(r, &(Field){.name = "phase", .label = _("Phase"), .value = mine ? form_str(r, "phase") : t->phase,
                           .required = true},
               opts);
  field_input(r, &(Field){.name = "text", .label = _("Step"), .value = mine ? form_str(r, "text") : "",
                          .required = true, .maxlength = STEP_MAX});
  html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-required\" name=\"required\" value=\"1\"%s>"
                " <label for=\"f-required\">%s</label></div>",
       mine && *form_str(r, "required") ? " checked" : "", _("Required before moving on"));
  field_textarea(r, &(Field){.name = "add_reason", .label = _("Why do you add this step?"),
                             .value = mine ? form_str(r, "add_reason") : "", .required = true, .maxlength = REASON_MAX},
                 2);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Add step"));
  form_end(r);
  html(&r->out, "</section>");
}

/* The coach's form to move one phase on or back, with the open required steps of the current phase. */
static void move_form(Req *r, const Traj *t, const Step *steps, int n, const Failed *f) {
  int cur = trajectory_phase_index(t->phase);
  if (cur < 0) return;
  const char *prev = cur > 0 ? trajectory_phases[cur - 1] : NULL;
  const char *next = trajectory_phases[cur + 1];
  if (next && strcmp(next, "closure") == 0) next = NULL; /* closing has its own form */
  if (!prev && !next) return;
  bool mine = failed_is(f, "move");
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-move\"><h2 id=\"h-move\">%s</h2>", _("Change phase"));
  Counts c = phase_counts(steps, n, t->phase);
  if (c.open_required) {
    html(&r->out, "<p>%s</p><ul id=\"open-required\">", _("Required steps of this phase that are still open:"));
    for (int i = 0; i < n; i++)
      if (strcmp(steps[i].phase, t->phase) == 0 && steps[i].required && strcmp(steps[i].status, "open") == 0)
        html(&r->out, "<li>%s</li>", steps[i].text);
    html(&r->out, "</ul>");
  }
  form_begin(r, arena_printf(r->a, "/t/%lld/protocol/phase", (long long)t->id), NULL);
  field_textarea(r, &(Field){.name = "move_reason", .label = _("Reason"),
                             .hint = _("Needed to move back, and to move on while required steps are open."),
                             .value = mine ? form_str(r, "move_reason") : "", .maxlength = REASON_MAX},
                 2);
  html(&r->out, "<div class=\"actions\">");
  if (prev)
    html(&r->out, "<button type=\"submit\" name=\"phase\" value=\"%s\">%s %s</button>", prev, _("Back to phase:"),
         label_phase(prev));
  if (next)
    html(&r->out, "<button type=\"submit\" name=\"phase\" value=\"%s\" class=\"primary\">%s %s</button>", next,
         _("Move to phase:"), label_phase(next));
  html(&r->out, "</div>");
  form_end(r);
  html(&r->out, "</section>");
}

/* The coach's closure form: outcome, date, hours per week, note. */
static void close_form(Req *r, const Traj *t, const Failed *f) {
  bool mine = failed_is(f, "close");
  const char *opts[20];
  int k = 0;
  opts[k++] = "";
  opts[k++] = _("Choose an outcome");
  for (int i = 0; outcomes[i]; i += 2) {
    opts[k++] = outcomes[i];
    opts[k++] = _(outcomes[i + 1]);
  }
  opts[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-close\"><h2 id=\"h-close\">%s</h2>", _("Close the trajectory"));
  form_begin(r, arena_printf(r->a, "/t/%lld/close", (long long)t->id), NULL);
  field_select(r, &(Field){.name = "outcome", .label = _("Outcome"), .value = mine ? form_str(r, "outcome") : "",
                           .required = true},
               opts);
  field_input(r, &(Field){.name = "closed_on", .label = _("Closure date"), .type = "date",
                          .value = mine ? form_str(r, "closed_on") : today_str(r), .required = true});
  field_input(r, &(Field){.name = "hours", .label = _("Hours worked per week at closure"),
                          .hint = _("Between 0 and 60, with at most one decimal, such as 19.5."),
                          .value = mine ? form_str(r, "hours") : "", .required = true, .maxlength = 5});
  field_textarea(r, &(Field){.name = "note", .label = _("Note"),
                             .hint = _("Needed when required steps of the current phase are still open."),
                             .value = mine ? form_str(r, "note") : "", .maxlength = REASON_MAX},
                 2);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">%s</button></div>", _("Close trajectory"));
  form_end(r);
  html(&r->out, "</section>");
}

/* The closure facts of a closed trajectory and, for the coach, the form to reopen it. */
static void closed_section(Req *r, const Traj *t, bool coach, const Failed *f) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-closed\"><h2 id=\"h-closed\">%s</h2><dl class=\"facts\">",
       _("Closure"));
  const char *o = label_outcome(t->outcome);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Outcome"), o ? o : _("Not recorded"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Closure date"), t->closed_on ? date_for(r, t->closed_on) : _("Not recorded"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", _("Hours worked per week at closure"),
       t->has_hours ? hours_text_of(r, t->hours_tenths) : _("Not recorded"));
  if (coach) {
    bool mine = failed_is(f, "reopen");
    form_begin(r, arena_printf(r->a, "/t/%lld/reopen", (long long)t->id), NULL);
    field_textarea(r, &(Field){.name = "reopen_reason", .label = _("Why do you reopen the trajectory?"),
                               .value = mine ? form_str(r, "reopen_reason") : "", .required = true,
                               .maxlength = REASON_MAX},
                   2);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Reopen trajectory"));
    form_end(r);
  }
  html(&r->out, "</section>");
}

/* The phase history as a table: every stay, how it began, by whom and why. */
static void history_table(Req *r, const Stay *stays, int n) {
  html(&r->out, "<section aria-labelledby=\"h-history\"><h2 id=\"h-history\">%s</h2>", _("Phase history"));
  table_begin(r, "table", _("Phase history"));
  html(&r->out, "<thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Date"), _("Phase"), _("What happened"), _("By"), _("Reason or note"));
  for (int i = n - 1; i >= 0; i--) {
    const Stay *s = &stays[i];
    html(&r->out, "<tr><td>%s</td><th scope=\"row\">%s</th><td>%s", date_for(r, s->entered_on), label_phase(s->phase),
         label_kind(s->kind));
    if (s->outcome && label_outcome(s->outcome)) html(&r->out, ": %s", label_outcome(s->outcome));
    if (s->has_hours) {
      /* a whole 1 is singular; 0.5, 1.5 and every other amount plural */
      int64_t t = s->hours_tenths;
      unsigned long h = (unsigned long)(t % 10 == 0 ? t / 10 : t);
      html(&r->out, " (%s)", arena_printf(r->a, P_("%s hour per week", "%s hours per week", h), hours_text_of(r, t)));
    }
    html(&r->out, "</td><td>%s</td><td>%s</td></tr>", s->by ? s->by : "", s->reason ? s->reason : "");
  }
  html(&r->out, "</tbody>");
  table_end(r);
  html(&r->out, "</section>");
}

/* ---------------------------------------------------------------------------- case handlers */

static const char *const closed_protocol = N_("This trajectory is closed; reopen it to change its protocol.");

/* A case request let through the door: its trajectory (protocol caught up), on what grounds, the
 * participant, and the access-log item and action of the request. */
typedef struct Case {
  Traj t;
  Grounds g;
  int64_t pid;
  const char *item, *action;
} Case;

/* Opens a case request on r->ids[0] about step sid (0: about the whole protocol): the door (coach_only for
 * changes), then loads the trajectory and catches its protocol up. closed, when not NULL, is the message of
 * the 409 for a closed trajectory. Returns 0 with *c filled, or the status of the page sent instead. */
static int case_open_step(Req *r, int64_t sid, const char *item, const char *action, bool coach_only,
                          const char *closed, Case *c) {
  *c = (Case){.item = item, .action = action};
  int s = protocol_door(r, sid, item, action, coach_only, &c->g, &c->pid);
  if (s) return s;
  int rc = traj_load(r, r->ids[0], &c->t);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  if ((rc = protocol_ensure(r, &c->t)) != DB_OK) return http_db_error(r, rc);
  if (closed && !traj_open(&c->t)) return http_error(r, 409, closed);
  return 0;
}

/* case_open_step for a request about the whole protocol. */
static int case_open(Req *r, const char *item, const char *action, bool coach_only, const char *closed, Case *c) {
  return case_open_step(r, 0, item, action, coach_only, closed, c);
}

/* The access-log entry of c's request (outcome "ok"); for a change, inside the open transaction. */
static int case_audit(Req *r, const Case *c) {
  return audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->t.id, .item = c->item,
                                      .action = c->action, .outcome = "ok", .grounds = grounds_name(c->g)});
}

/* Renders the protocol page of c's trajectory with status; f names the form that failed (its typed values
 * are kept). Every rendering shows the case, so it writes the access-log entry of a view first (also for a
 * change refused with 400, after anything half-done is rolled back). Returns the status, or a DB error page. */
static int render_protocol(Req *r, const Case *c, int status, const Failed *f) {
  const Traj *t = &c->t;
  Grounds g = c->g;
  Step *steps;
  Stay *stays;
  int nsteps, nstays, rc;
  if (db_in_tx(r->db)) db_rollback(r->db);
  if ((rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = t->id,
                                         .item = "trajectory:protocol", .action = "view", .outcome = "ok",
                                         .grounds = grounds_name(g)})) != DB_OK)
    return http_db_error(r, rc);
  if ((rc = steps_load(r, t->id, &steps, &nsteps)) != DB_OK) return http_db_error(r, rc);
  if ((rc = history_load(r, t->id, &stays, &nstays)) != DB_OK) return http_db_error(r, rc);
  bool coach = g == GROUNDS_COACH;

  if ((rc = case_page_begin(r, t->id, g, _("Protocol"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Protocol"));
  trajectory_subnav(r, t->id, g, "protocol");
  html(&r->out, "<p class=\"muted\">%s %s", _("Protocol template:"), t->template_name ? t->template_name : _("none"));
  if (!traj_open(t)) html(&r->out, " · %s", _("This trajectory is closed."));
  html(&r->out, "</p>");
  if (coach) form_errors_summary(r);
  timeline(r, t, steps, nsteps, stays, nstays);
  if (!traj_open(t)) closed_section(r, t, coach, f);
  current_checklist(r, t, steps, nsteps, coach, f);
  if (coach && traj_open(t)) move_form(r, t, steps, nsteps, f);
  other_phases(r, t, steps, nsteps, coach, f);
  if (coach && traj_open(t)) {
    add_form(r, t, f);
    close_form(r, t, f);
  }
  history_table(r, stays, nstays);
  page_end(r);
  return status;
}

static int get_protocol(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:protocol", "view", false, NULL, &c);
  if (s) return s;
  return render_protocol(r, &c, 200, &(Failed){0});
}


static const char *protocol_url(Req *r, int64_t tid) { return arena_printf(r->a, "/t/%lld/protocol", (long long)tid); }

/* Ends a change of c whose own UPDATE set last_activity_at (other changes end with trajectory_change_done),
 * inside its open transaction: writes the audit entry, commits, logs "trajectory <id> <logged>" when logged
 * is not NULL, and redirects to the protocol page with the "saved" flash. Returns the status (a DB error
 * page when the entry or the commit fails). */
static int change_done(Req *r, const Case *c, const char *logged) {
  int rc;
  if ((rc = case_audit(r, c)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  if (logged) log_info("rid=%s trajectory %lld %s", r->rid, (long long)c->t.id, logged);
  return http_redirect_flash(r, protocol_url(r, c->t.id), "saved");
}

/* Checks a reason: required (message when empty: missing) and at most REASON_MAX characters. Records the
 * error under key; returns true when fine. */
static bool check_reason(Req *r, const char *key, const char *value, bool required, const char *missing) {
  if (required && !*value) {
    form_error(r, key, missing);
    return false;
  }
  if (text_chars(value) > REASON_MAX) {
    form_error(r, key, _("This is too long: use at most 2000 characters."));
    return false;
  }
  return true;
}

/* The one rule for a protocol step's text, wherever a step is written (the coach adding one to a
 * trajectory, the administrator editing a template): not empty, at most STEP_MAX characters, one line,
 * no tab and no other control character. Records the error under key; returns true when fine. */
static bool check_step_text(Req *r, const char *key, const char *text) {
  const char *err = NULL;
  if (!*text) err = _("Describe the step.");
  else if (text_chars(text) > STEP_MAX) err = _("This is too long: use at most 300 characters.");
  else if (strpbrk(text, "\r\n")) err = _("Keep the step on one line.");
  else if (strchr(text, '\t')) err = _("A step cannot hold a tab: use a space instead.");
  else if (!text_valid(text, strlen(text))) err = _("The step holds characters that are not allowed.");
  if (err) form_error(r, key, err);
  return !err;
}

static int post_step(Req *r) {
  Case c;
  int64_t sid = r->ids[1];
  int s = case_open_step(r, sid, "trajectory:protocol", "update", true, _(closed_protocol), &c);
  if (s) return s;
  Stmt *st = db_prepare(r->db, "SELECT status FROM trajectory_steps WHERE id = ? AND trajectory_id = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, sid);
  db_bind_int(st, 2, c.t.id);
  int rc = db_step(st);
  db_done(st);
  if (rc == DB_DONE) /* no step of this trajectory: refused on the file of the one it belongs to, if any */
    return object_refused(r, OWNER_STEP, sid, c.item, c.action, grounds_name(c.g));
  if (rc != DB_ROW) return http_db_error(r, rc);

  const char *action = form_str(r, "action"), *reason = form_str(r, "reason");
  bool done = strcmp(action, "done") == 0, reopen = strcmp(action, "reopen") == 0, skip = strcmp(action, "skip") == 0;
  if (!done && !reopen && !skip) return http_error(r, 400, _("This action is not known."));
  if (skip && !check_reason(r, arena_printf(r->a, "reason-%lld", (long long)sid), reason, true,
                            _("Give a reason for skipping this step.")))
    return render_protocol(r, &c, 400, &(Failed){.form = "step", .step_id = sid});

  int64_t now = (int64_t)time(NULL);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  st = db_prepare(r->db, "UPDATE trajectory_steps SET status = ?, skip_reason = COALESCE(?, skip_reason), "
                         "done_at = ?, done_by = ?, updated_at = ? WHERE id = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_text(st, 1, done ? "done" : skip ? "skipped" : "open");
  db_bind_text(st, 2, skip ? reason : NULL);
  if (done) db_bind_int(st, 3, now); else db_bind_null(st, 3);
  if (done) db_bind_int(st, 4, r->user->id); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, sid);
  if ((rc = db_run(st)) != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, c.pid, c.t.id, c.item, c.action, c.g, protocol_url(r, c.t.id));
}

static int post_add_step(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:protocol", "create", true, _(closed_protocol), &c);
  if (s) return s;
  const char *phase = form_str(r, "phase"), *text = form_str(r, "text"), *reason = form_str(r, "add_reason");
  bool required = *form_str(r, "required") != 0;
  if (trajectory_phase_index(phase) < 0) form_error(r, "phase", _("Choose a phase."));
  check_step_text(r, "text", text);
  check_reason(r, "add_reason", reason, true, _("Give a reason for adding this step."));
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "add"});

  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  Stmt *st = db_prepare(r->db, "INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required, "
                               "added_by_coach, added_reason, added_by, updated_at) "
                               "SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, 1, ?, ?, ? FROM trajectory_steps "
                               "WHERE trajectory_id = ? AND phase = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, c.t.id);
  db_bind_text(st, 2, phase);
  db_bind_text(st, 3, text);
  db_bind_int(st, 4, required ? 1 : 0);
  db_bind_text(st, 5, reason);
  db_bind_int(st, 6, r->user->id);
  db_bind_int(st, 7, (int64_t)time(NULL));
  db_bind_int(st, 8, c.t.id);
  db_bind_text(st, 9, phase);
  if ((rc = db_run(st)) != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, c.pid, c.t.id, c.item, c.action, c.g, protocol_url(r, c.t.id));
}

/* The texts of the open required steps of phase in trajectory tid joined by "; " (arena), "" for none.
 * Returns a DB code. */
static int open_required(Req *r, int64_t tid, const char *phase, const char **out) {
  Stmt *st = db_prepare(r->db, "SELECT text FROM trajectory_steps WHERE trajectory_id = ? AND phase = ? "
                               "AND required = 1 AND status = 'open' ORDER BY position, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, phase);
  const char *s = "";
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    s = *s ? arena_printf(r->a, "%s; %s", s, db_text(st, "text")) : arena_strdup(r->a, db_text(st, "text"));
  db_done(st);
  *out = s;
  return rc == DB_DONE ? DB_OK : rc;
}

/* Checks the optional reason value under key for leaving the current phase of t: required (ask ends the
 * message that lists them) while required steps of that phase are open, else at most REASON_MAX characters.
 * Records the error; returns a DB code. */
static int check_open_required(Req *r, const Traj *t, const char *key, const char *value, const char *ask) {
  const char *open;
  int rc = open_required(r, t->id, t->phase, &open);
  if (rc != DB_OK) return rc;
  if (*open && !*value)
    form_error(r, key, arena_printf(r->a, "%s %s %s", _("These required steps are still open:"), open, ask));
  else check_reason(r, key, value, false, NULL);
  return DB_OK;
}

/* Inside the transaction: runs sql, an UPDATE of trajectory tid whose parameters are the new phase, its
 * phase_since date since, last_activity_at (now) and the id. Returns a DB code. */
static int phase_update(Req *r, const char *sql, int64_t tid, const char *phase, const char *since) {
  Stmt *st = db_prepare(r->db, sql);
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, phase);
  db_bind_text(st, 2, since);
  db_bind_int(st, 3, (int64_t)time(NULL));
  db_bind_int(st, 4, tid);
  return db_run(st);
}

/* Inside the transaction: ends the open stay on left_on and opens one in phase, entered on entered_on,
 * with kind, reason (NULL or "" for none) and, for a closure, the outcome and hours. Returns a DB code. */
static int history_move(Req *r, int64_t tid, const char *phase, const char *kind, const char *entered_on,
                        const char *reason, const char *outcome, int64_t hours_tenths) {
  int rc = history_leave(r, tid, entered_on);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(r->db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, entered_by, reason, "
                         "outcome, hours_per_week_tenths, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, phase);
  db_bind_text(st, 3, kind);
  db_bind_text(st, 4, entered_on);
  db_bind_int(st, 5, r->user->id);
  db_bind_text(st, 6, reason && *reason ? reason : NULL);
  db_bind_text(st, 7, outcome);
  if (outcome) db_bind_int(st, 8, hours_tenths); else db_bind_null(st, 8);
  db_bind_int(st, 9, (int64_t)time(NULL));
  return db_run(st);
}

static int post_move(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true,
                    _("This trajectory is closed; its phase can no longer change."), &c);
  if (s) return s;
  const char *phase = form_str(r, "phase"), *reason = form_str(r, "move_reason");
  int cur = trajectory_phase_index(c.t.phase), to = trajectory_phase_index(phase);
  if (to < 0) return http_error(r, 400, _("This phase is not known."));
  if (to == cur) return http_redirect(r, protocol_url(r, c.t.id));
  if (to != cur + 1 && to != cur - 1) return http_error(r, 400, _("A trajectory moves one phase at a time."));
  if (strcmp(phase, "closure") == 0)
    return http_error(r, 400, _("Close the trajectory with the closure form: it records the outcome."));
  bool back = to < cur;
  int rc;
  if (back) {
    check_reason(r, "move_reason", reason, true, _("Give a reason for moving back."));
  } else {
    rc = check_open_required(r, &c.t, "move_reason", reason, _("Give a reason to move on anyway."));
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "move"});

  const char *today = today_str(r);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = history_move(r, c.t.id, phase, back ? "back" : "forward", today, reason, NULL, 0)) != DB_OK)
    return http_db_error(r, rc);
  rc = phase_update(r, "UPDATE trajectories SET phase = ?, phase_since = ?, last_activity_at = ? "
                       "WHERE id = ? AND status = 'open'",
                    c.t.id, phase, today);
  if (rc != DB_OK) return http_db_error(r, rc);
  return change_done(r, &c, NULL);
}

/* Whether a closure outcome means the participant works (own job, other function, new employer): the
 * trajectory goes into aftercare, with check-ins after the return to work. */
static bool outcome_works(const char *outcome) {
  static const char *const working[] = {"kept_own_job", "returned_own_job", "other_function_same_employer",
                                        "new_employer", NULL};
  for (int i = 0; working[i]; i++)
    if (strcmp(working[i], outcome) == 0) return true;
  return false;
}

/* Inside the closing transaction: for an outcome with work, plans the long-term check-ins
 * (cfg.checkin_months) after the closure date `day` unless the trajectory has check-ins already (planned
 * from the real date of return to work on the follow-up page), and logs them. Returns a DB code. */
static int aftercare_plan(Req *r, const Case *c, const char *outcome, int32_t day) {
  if (!outcome_works(outcome)) return DB_OK;
  bool any;
  int rc = followups_checkins_planned(r->db, c->t.id, &any);
  if (rc != DB_OK || any) return rc;
  int made;
  rc = followups_plan_checkins(r->db, r->a, c->t.id, r->user->id, day, cfg.checkin_months, (int64_t)time(NULL), &made);
  if (rc != DB_OK || !made) return rc;
  return audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = c->t.id, .item = "followups:checkins",
                                      .action = "create", .outcome = "ok", .grounds = grounds_name(c->g)});
}

static int post_close(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true, _("This trajectory is already closed."), &c);
  if (s) return s;
  const char *outcome = form_str(r, "outcome"), *closed_on = form_str(r, "closed_on"), *hours = form_str(r, "hours"),
             *note = form_str(r, "note");
  if (!label_outcome(outcome)) form_error(r, "outcome", _("Choose an outcome from the list."));
  int32_t day, start;
  if (!*closed_on) form_error(r, "closed_on", _("Enter the closure date."));
  else if (!date_parse(closed_on, &day)) form_error(r, "closed_on", _("Enter a real date as YYYY-MM-DD."));
  else if (day > date_today()) form_error(r, "closed_on", _("The closure date cannot be in the future."));
  else if (date_parse(c.t.started_on, &start) && day < start)
    form_error(r, "closed_on", _("The closure date cannot be before the start of the trajectory."));
  int64_t tenths = 0;
  if (!*hours) form_error(r, "hours", _("Enter the hours worked per week; 0 when the participant does not work."));
  else if (!hours_parse(hours, &tenths))
    form_error(r, "hours", _("Enter a number with at most one decimal, such as 19.5."));
  else if (tenths > HOURS_MAX_TENTHS) form_error(r, "hours", _("Hours per week must be between 0 and 60."));
  int rc;
  if ((rc = check_open_required(r, &c.t, "note", note, _("Say in the note why you close now."))) != DB_OK)
    return http_db_error(r, rc);
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "close"});

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = history_move(r, c.t.id, "closure", "close", closed_on, note, outcome, tenths)) != DB_OK)
    return http_db_error(r, rc);
  Stmt *st = db_prepare(r->db, "UPDATE trajectories SET status = 'closed', phase = 'closure', phase_since = ?, "
                               "closed_on = ?, outcome = ?, hours_per_week_tenths = ?, last_activity_at = ? "
                               "WHERE id = ? AND status = 'open'");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_text(st, 1, closed_on);
  db_bind_text(st, 2, closed_on);
  db_bind_text(st, 3, outcome);
  db_bind_int(st, 4, tenths);
  db_bind_int(st, 5, (int64_t)time(NULL));
  db_bind_int(st, 6, c.t.id);
  if ((rc = db_run(st)) != DB_OK) return http_db_error(r, rc);
  if ((rc = aftercare_plan(r, &c, outcome, day)) != DB_OK) return http_db_error(r, rc);
  return change_done(r, &c, "closed");
}

/* The phase a reopened trajectory returns to: the one it was in before its last closure, or follow-up. */
static int reopen_phase(Req *r, int64_t tid, const char **phase) {
  *phase = "follow_up";
  Stmt *st = db_prepare(r->db, "SELECT h.phase FROM phase_history h WHERE h.trajectory_id = ? AND h.phase <> 'closure' "
                               "AND h.id < (SELECT MAX(c.id) FROM phase_history c WHERE c.trajectory_id = ? "
                               "AND c.kind = 'close') ORDER BY h.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    int i = trajectory_phase_index(db_text(st, "phase"));
    if (i >= 0) *phase = trajectory_phases[i];
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int post_reopen(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true, NULL, &c);
  if (s) return s;
  if (traj_open(&c.t)) return http_error(r, 409, _("This trajectory is open already."));
  const char *reason = form_str(r, "reopen_reason");
  check_reason(r, "reopen_reason", reason, true, _("Give a reason for reopening the trajectory."));
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "reopen"});
  const char *phase, *today = today_str(r);
  int rc = reopen_phase(r, c.t.id, &phase);
  if (rc != DB_OK) return http_db_error(r, rc);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = phase_update(r, "UPDATE trajectories SET status = 'open', phase = ?, phase_since = ?, closed_on = NULL, "
                       "outcome = NULL, hours_per_week_tenths = NULL, last_activity_at = ? WHERE id = ? "
                       "AND status = 'closed'",
                    c.t.id, phase, today);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    return http_error(r, 409, _("This participant has another open trajectory; close that one first."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = history_move(r, c.t.id, phase, "reopen", today, reason, NULL, 0)) != DB_OK) return http_db_error(r, rc);
  return change_done(r, &c, "reopened");
}

/* ---------------------------------------------------------------------- administrator: templates */

/* A template's facts; text in the arena. */
typedef struct Template {
  int64_t id;
  bool active, is_default;
  const char *name, *approach;
} Template;

static int template_load(Req *r, int64_t id, Template *tp) {
  Stmt *st = db_prepare(r->db, "SELECT id, name, approach, active, is_default FROM protocol_templates WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *tp = (Template){.id = db_int(st, "id"), .active = db_int(st, "active") != 0,
                     .is_default = db_int(st, "is_default") != 0, .name = db_text_copy(r, st, "name"),
                     .approach = db_text_copy(r, st, "approach")};
  db_done(st);
  return rc;
}


/* Records that the name is taken (by a check or by the unique constraint). */
static void name_clash(Req *r) { form_error(r, "name", _("A template with this name exists already.")); }

/* Whether another template (not except_id) has this name. Returns a DB code. */
static int name_taken(Req *r, const char *name, int64_t except_id, bool *taken) {
  Stmt *st = db_prepare(r->db, "SELECT COUNT(*) AS n FROM protocol_templates WHERE name = ? AND id <> ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, except_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *taken = db_int(st, "n") > 0;
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Checks the template name in the field "name": required, one line, at most NAME_MAX characters and, when
 * the form has no errors so far, not the name of another template (not except_id; sets *taken). Records the
 * errors; returns a DB code. */
static int check_name(Req *r, const char *name, int64_t except_id, bool *taken) {
  *taken = false;
  if (!*name) form_error(r, "name", _("Give the template a name."));
  else if (text_chars(name) > NAME_MAX) form_error(r, "name", _("This is too long: use at most 120 characters."));
  else if (strpbrk(name, "\r\n\t")) form_error(r, "name", _("Keep the name on one line."));
  if (r->nerrors) return DB_OK;
  int rc = name_taken(r, name, except_id, taken);
  if (rc == DB_OK && *taken) name_clash(r);
  return rc;
}

static int render_templates(Req *r, int status) {
  Stmt *st = db_prepare(r->db, "SELECT pt.id, pt.name, pt.approach, pt.active, pt.is_default, "
                               "(SELECT COUNT(*) FROM protocol_steps s WHERE s.template_id = pt.id) AS steps "
                               "FROM protocol_templates pt ORDER BY pt.id");
  if (!st) return http_db_error(r, DB_ERROR);
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
  int rc, n = 0, cap = 8;
  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(cap * 2 + 1));
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t id = db_int(st, "id");
    bool active = db_int(st, "active") != 0, def = db_int(st, "is_default") != 0;
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/admin/protocols/%lld\">%s</a></th><td>%s</td>"
                  "<td class=\"num\">%lld</td><td>%s%s%s</td></tr>",
         (long long)id, db_text(st, "name"), label_approach(db_text(st, "approach")), (long long)db_int(st, "steps"),
         active ? _("Active") : _("Inactive"), def ? " · " : "", def ? _("default for new trajectories") : "");
    if (n == cap) {
      const char **more = arena_alloc(r->a, sizeof *opts * (size_t)(cap * 4 + 1));
      memcpy(more, opts, sizeof *opts * (size_t)(n * 2));
      opts = more;
      cap *= 2;
    }
    opts[n * 2] = arena_printf(r->a, "%lld", (long long)id);
    opts[n * 2 + 1] = arena_strdup(r->a, db_text(st, "name"));
    n++;
  }
  db_done(st);
  if (rc != DB_DONE) return http_db_error(r, rc);
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
  Template from = {0};
  int rc = DB_DONE;
  char *end = NULL;
  long long fid = strtoll(from_s, &end, 10);
  if (*from_s && end && !*end && fid > 0) rc = template_load(r, fid, &from);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (rc != DB_ROW) form_error(r, "from", _("Choose a template to copy."));
  bool taken;
  if ((rc = check_name(r, name, 0, &taken)) != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_templates(r, taken ? 409 : 400);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  Stmt *st = db_prepare(r->db, "INSERT INTO protocol_templates (name, approach, active, is_default, created_at) "
                               "VALUES (?, 'custom', 1, 0, ?) RETURNING id");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, (int64_t)time(NULL));
  rc = db_step(st);
  int64_t id = rc == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    name_clash(r);
    return render_templates(r, 409);
  }
  if (rc != DB_ROW) return http_db_error(r, rc);
  rc = run2(r, "INSERT INTO protocol_steps (template_id, phase, position, text, required) "
               "SELECT ?, phase, position, text, required FROM protocol_steps WHERE template_id = ?",
            id, from.id);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s protocol template %lld copied from %lld by user %lld", r->rid, (long long)id, (long long)from.id,
           (long long)r->user->id);
  return http_redirect_flash(r, arena_printf(r->a, "/admin/protocols/%lld", (long long)id), "created");
}

/* One step of a template. */
typedef struct TStep {
  int64_t id;
  const char *phase, *text;
  bool required;
} TStep;

/* Maps a row of render_template's query into the TStep at p. */
static void tstep_map(Req *r, Stmt *st, void *p) {
  *(TStep *)p = (TStep){.id = db_int(st, "id"), .phase = db_text_copy(r, st, "phase"),
                        .text = db_text_copy(r, st, "text"), .required = db_int(st, "required") != 0};
}

/* The edit page of one template: its settings and, per phase, its steps with their forms. failed names the
 * form whose typed values are kept ("settings", "step-<id>", "new-<phase>") or is NULL. */
static int render_template(Req *r, const Template *tp, int status, const char *failed) {
  Stmt *st = db_prepare(r->db, "SELECT id, phase, position, text, required FROM protocol_steps WHERE template_id = ? "
                               "ORDER BY position, id");
  int n, rc;
  TStep *v = rows_load(r, st, tp->id, sizeof *v, tstep_map, &n, &rc);
  if (rc != DB_OK) return http_db_error(r, rc);

  const char *action = arena_printf(r->a, "/admin/protocols/%lld", (long long)tp->id);
  page_begin(r, tp->name);
  html(&r->out, "<p><a href=\"/admin/protocols\">%s</a></p><h1>%s</h1>", _("All protocol templates"), tp->name);
  html(&r->out, "<p class=\"muted\">%s %s</p>", _("Approach:"), label_approach(tp->approach));
  form_errors_summary(r);

  bool mine = failed && strcmp(failed, "settings") == 0;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-settings\"><h2 id=\"h-settings\">%s</h2>", _("Settings"));
  form_begin(r, action, NULL);
  html(&r->out, "<input type=\"hidden\" name=\"action\" value=\"settings\">");
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

  for (int p = 0; trajectory_phases[p]; p++) {
    const char *ph = trajectory_phases[p];
    html(&r->out, "<section aria-labelledby=\"h-%s\"><h2 id=\"h-%s\">%s</h2>", ph, ph, label_phase(ph));
    int shown = 0;
    for (int i = 0; i < n; i++) {
      if (strcmp(v[i].phase, ph) != 0) continue;
      if (!shown++) html(&r->out, "<ol class=\"steps\">");
      const char *key = arena_printf(r->a, "text-%lld", (long long)v[i].id);
      bool kept = failed && strcmp(failed, key) == 0;
      const char *e = form_error_for(r, key);
      html(&r->out, "<li>");
      form_begin(r, action, NULL);
      html(&r->out, "<input type=\"hidden\" name=\"step\" value=\"%lld\">", (long long)v[i].id);
      html(&r->out, "<div class=\"field%s\"><label for=\"f-%s\" class=\"visually-hidden\">%s %d</label>",
           e ? " has-error" : "", key, _("Step"), shown);
      if (e) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", key, e);
      html(&r->out, "<input type=\"text\" id=\"f-%s\" name=\"text\" maxlength=\"%d\" value=\"%s\"", key, STEP_MAX,
           kept ? form_str(r, "text") : v[i].text);
      if (e) html(&r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", key);
      html(&r->out, "></div>");
      bool req = kept ? *form_str(r, "required") != 0 : v[i].required;
      html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-req-%lld\" name=\"required\" value=\"1\"%s>"
                    " <label for=\"f-req-%lld\">%s</label></div>",
           (long long)v[i].id, req ? " checked" : "", (long long)v[i].id, _("Required"));
      /* the buttons repeat per step: a hidden "step n" tells screen-reader users which one */
      static const struct { const char *value, *label; bool danger; } buttons[] = {
          {"update", N_("Save"), false}, {"up", N_("Move up"), false}, {"down", N_("Move down"), false},
          {"delete", N_("Delete"), true}};
      html(&r->out, "<div class=\"button-row\">");
      for (size_t b = 0; b < sizeof buttons / sizeof *buttons; b++) {
        html(&r->out, "<button type=\"submit\" name=\"action\" value=\"%s\"", buttons[b].value);
        if (buttons[b].danger) html(&r->out, " class=\"danger\"");
        html(&r->out, ">%s<span class=\"visually-hidden\"> %s %d</span></button>", _(buttons[b].label), _("step"),
             shown);
      }
      html(&r->out, "</div>");
      form_end(r);
      html(&r->out, "</li>");
    }
    if (shown) html(&r->out, "</ol>");
    else html(&r->out, "<p class=\"muted\">%s</p>", _("No steps in this phase."));

    const char *key = arena_printf(r->a, "new-%s", ph);
    bool kept = failed && strcmp(failed, key) == 0;
    const char *e = form_error_for(r, key);
    form_begin(r, action, NULL);
    html(&r->out, "<input type=\"hidden\" name=\"action\" value=\"add\"><input type=\"hidden\" name=\"phase\" value=\"%s\">", ph);
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
    html(&r->out, "</section>");
  }
  page_end(r);
  return status;
}

static int get_template(Req *r) {
  Template tp;
  int rc = template_load(r, r->ids[0], &tp);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  return render_template(r, &tp, 200, NULL);
}

/* Swaps the position of step sid with its neighbour in the same phase (up: the one before). Returns a DB
 * code; nothing happens at either end. Inside a transaction. */
static int step_swap(Req *r, int64_t tpl, int64_t sid, const char *phase, int64_t pos, bool up) {
  Stmt *st = db_prepare(r->db, up ? "SELECT id, position FROM protocol_steps WHERE template_id = ? AND phase = ? "
                                    "AND (position < ? OR (position = ? AND id < ?)) ORDER BY position DESC, id DESC LIMIT 1"
                                  : "SELECT id, position FROM protocol_steps WHERE template_id = ? AND phase = ? "
                                    "AND (position > ? OR (position = ? AND id > ?)) ORDER BY position, id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tpl);
  db_bind_text(st, 2, phase);
  db_bind_int(st, 3, pos);
  db_bind_int(st, 4, pos);
  db_bind_int(st, 5, sid);
  int rc = db_step(st);
  int64_t other = 0, other_pos = 0;
  if (rc == DB_ROW) {
    other = db_int(st, "id");
    other_pos = db_int(st, "position");
  }
  db_done(st);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  if (other_pos == pos) other_pos = up ? pos - 1 : pos + 1; /* equal positions: make the order explicit */
  if ((rc = run2(r, "UPDATE protocol_steps SET position = ? WHERE id = ?", other_pos, sid)) != DB_OK) return rc;
  return run2(r, "UPDATE protocol_steps SET position = ? WHERE id = ?", pos, other);
}

/* POST /admin/protocols/{id}: action settings, add, update, up, down or delete. */
static int post_template(Req *r) {
  Template tp;
  int rc = template_load(r, r->ids[0], &tp);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  const char *action = form_str(r, "action"), *text = form_str(r, "text");
  bool required = *form_str(r, "required") != 0;
  const char *back = arena_printf(r->a, "/admin/protocols/%lld", (long long)tp.id);

  if (strcmp(action, "settings") == 0) {
    const char *name = form_str(r, "name");
    bool active = *form_str(r, "active") != 0, def = *form_str(r, "is_default") != 0;
    bool taken;
    if ((rc = check_name(r, name, tp.id, &taken)) != DB_OK) return http_db_error(r, rc);
    if (def && !active) form_error(r, "is_default", _("The default template must be active."));
    else if (tp.is_default && !def)
      form_error(r, "is_default", _("Make another template the default instead; there is always one default."));
    if (r->nerrors) return render_template(r, &tp, taken ? 409 : 400, "settings");
    if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
    Stmt *st;
    if (def && !tp.is_default) {
      if (!(st = db_prepare(r->db, "UPDATE protocol_templates SET is_default = 0 WHERE is_default = 1")))
        return http_db_error(r, DB_ERROR);
      if ((rc = db_run(st)) != DB_OK) return http_db_error(r, rc);
    }
    if (!(st = db_prepare(r->db, "UPDATE protocol_templates SET name = ?, active = ?, is_default = ?, updated_at = ? "
                                 "WHERE id = ?")))
      return http_db_error(r, DB_ERROR);
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, active ? 1 : 0);
    db_bind_int(st, 3, def ? 1 : 0);
    db_bind_int(st, 4, (int64_t)time(NULL));
    db_bind_int(st, 5, tp.id);
    rc = db_run(st);
    if (rc == DB_CONSTRAINT) {
      db_rollback(r->db);
      name_clash(r);
      return render_template(r, &tp, 409, "settings");
    }
    if (rc != DB_OK) return http_db_error(r, rc);
  } else if (strcmp(action, "add") == 0) {
    const char *phase = form_str(r, "phase");
    if (trajectory_phase_index(phase) < 0) return http_error(r, 400, _("This phase is not known."));
    const char *key = arena_printf(r->a, "new-%s", phase);
    check_step_text(r, key, text);
    if (r->nerrors) return render_template(r, &tp, 400, key);
    if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
    Stmt *st = db_prepare(r->db, "INSERT INTO protocol_steps (template_id, phase, position, text, required) "
                                 "SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ? FROM protocol_steps "
                                 "WHERE template_id = ? AND phase = ?");
    if (!st) return http_db_error(r, DB_ERROR);
    db_bind_int(st, 1, tp.id);
    db_bind_text(st, 2, phase);
    db_bind_text(st, 3, text);
    db_bind_int(st, 4, required ? 1 : 0);
    db_bind_int(st, 5, tp.id);
    db_bind_text(st, 6, phase);
    if ((rc = db_run(st)) != DB_OK) return http_db_error(r, rc);
  } else if (strcmp(action, "update") == 0 || strcmp(action, "up") == 0 || strcmp(action, "down") == 0 ||
             strcmp(action, "delete") == 0) {
    const char *sid_s = form_str(r, "step");
    char *end = NULL;
    long long sid = strtoll(sid_s, &end, 10);
    Stmt *st = db_prepare(r->db, "SELECT phase, position FROM protocol_steps WHERE id = ? AND template_id = ?");
    if (!st) return http_db_error(r, DB_ERROR);
    db_bind_int(st, 1, *sid_s && end && !*end ? sid : 0);
    db_bind_int(st, 2, tp.id);
    rc = db_step(st);
    const char *phase = rc == DB_ROW ? db_text_copy(r, st, "phase") : NULL;
    int64_t pos = rc == DB_ROW ? db_int(st, "position") : 0;
    db_done(st);
    if (rc == DB_DONE) return http_error(r, 404, NULL);
    if (rc != DB_ROW) return http_db_error(r, rc);
    const char *key = arena_printf(r->a, "text-%lld", sid);
    if (strcmp(action, "update") == 0) {
      check_step_text(r, key, text);
      if (r->nerrors) return render_template(r, &tp, 400, key);
    }
    if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
    if (strcmp(action, "update") == 0) {
      if (!(st = db_prepare(r->db, "UPDATE protocol_steps SET text = ?, required = ? WHERE id = ?")))
        return http_db_error(r, DB_ERROR);
      db_bind_text(st, 1, text);
      db_bind_int(st, 2, required ? 1 : 0);
      db_bind_int(st, 3, sid);
      rc = db_run(st);
    } else if (strcmp(action, "delete") == 0) {
      if (!(st = db_prepare(r->db, "DELETE FROM protocol_steps WHERE id = ?"))) return http_db_error(r, DB_ERROR);
      db_bind_int(st, 1, sid);
      rc = db_run(st);
    } else {
      rc = step_swap(r, tp.id, sid, phase, pos, strcmp(action, "up") == 0);
    }
    if (rc != DB_OK) return http_db_error(r, rc);
  } else {
    return http_error(r, 400, _("This action is not known."));
  }
  rc = run2(r, "UPDATE protocol_templates SET updated_at = ? WHERE id = ?", (int64_t)time(NULL), tp.id);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s protocol template %lld: %s by user %lld", r->rid, (long long)tp.id, action, (long long)r->user->id);
  return http_redirect_flash(r, back, "saved");
}

const Route protocol_routes[] = {
    {"GET", "/t/{id}/protocol", ROLES_NOT_PARTNER, R_CASE, get_protocol},
    {"POST", "/t/{id}/protocol/steps", ROLES_ALL, R_CASE, post_add_step},
    {"POST", "/t/{id}/protocol/steps/{sid}", ROLES_ALL, R_CASE, post_step},
    {"POST", "/t/{id}/protocol/phase", ROLES_ALL, R_CASE, post_move},
    {"POST", "/t/{id}/close", ROLES_ALL, R_CASE, post_close},
    {"POST", "/t/{id}/reopen", ROLES_ALL, R_CASE, post_reopen},
    {"GET", "/admin/protocols", ROLE_ADMIN, 0, get_templates},
    {"POST", "/admin/protocols", ROLE_ADMIN, 0, post_copy_template},
    {"GET", "/admin/protocols/{id}", ROLE_ADMIN, 0, get_template},
    {"POST", "/admin/protocols/{id}", ROLE_ADMIN, 0, post_template},
    {0},
};

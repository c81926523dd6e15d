/*
 * protocol.c — the protocol of a trajectory (/t/{id}/protocol): the eight phases as a timeline with the
 * dates of each stay, the checklist of steps per phase, moving the phase on or back, closing with an
 * outcome and reopening. The administrator's protocol templates are templates.c; the rows of both are read
 * and written in store/protocol.c.
 *
 * Work according to a protocol, with room to deviate (doc/DOMAIN.md "The trajectory"): every trajectory gets
 * a copy of its template's steps when it is inserted (the trigger in migration 003; protocol_catch_up does
 * the same for a trajectory without history), so later edits of a template change only trajectories that
 * start afterwards. The coach ticks a step done, skips it with a reason, or
 * adds one with a reason; moving on while required steps of the current phase are open, moving back,
 * closing with open required steps and reopening all need a reason. A trajectory of Werk als Beste Zorg
 * (its programme, migration 026) may also go ahead past phases as far as the placement (follow-up), with a
 * reason: that programme searches for work from the start. Its pages name the coach and the participant in
 * the programme's words (i18n/programme.h). This is the one way a phase moves
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
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "store/followups.h"
#include "store/protocol.h"

enum {
  /* The protocol is never shown to network members (it is not consented information): the page's route
   * leaves partners out (403 by role, the same for every id), and the door refuses anybody else but the
   * coach and the participant with the not-found page. */
  ROLES_NOT_PARTNER = ROLES_CASE & ~ROLE_PARTNER,
  PHASES = 8,
  STEP_MAX = PROTOCOL_STEP_MAX,
  REASON_MAX = 2000, /* characters of a reason or closing note */
  HOURS_MAX_TENTHS = 600,
};


/* ------------------------------------------------------------------------------------------ labels */

/* Closure outcomes (doc/DOMAIN.md "Closure"), code and English label, NULL-terminated. */
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

/* Translated label of an outcome code in the words of programme; NULL for an unknown code. */
static const char *label_outcome(const char *programme, const char *code) {
  if (code && strcmp(code, "stopped_by_participant") == 0) return programme_word(programme, PW_STOPPED_BY_PARTICIPANT);
  for (int i = 0; code && outcomes[i]; i += 2)
    if (strcmp(outcomes[i], code) == 0) return _(outcomes[i + 1]);
  return NULL;
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

/* ------------------------------------------------------------------------------------- loading */

/* Loads trajectory id: DB_ROW, DB_DONE when there is none, or a DB error code. */
static int traj_load(Req *r, int64_t id, ProtocolTrajectory *t) { return protocol_trajectory_get(r->db, r->a, id, t); }

static bool traj_open(const ProtocolTrajectory *t) { return strcmp(t->status, "open") == 0; }

/* Outside a transaction: catches the protocol of t up when needed (protocol_catch_up), in a transaction of
 * its own, and reloads t. Returns a DB code. */
static int protocol_ensure(Req *r, ProtocolTrajectory *t) {
  bool need = false;
  int rc = protocol_needs_work(r->db, t, &need);
  if (rc != DB_OK || !need) return rc;
  if ((rc = db_begin(r->db)) != DB_OK) return rc;
  if ((rc = protocol_catch_up(r->db, t, (int64_t)time(NULL))) != DB_OK) {
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
static void step_item(Req *r, const ProtocolTrajectory *t, const ProtocolStep *s, bool coach, const Failed *f) {
  html(&r->out, "<li id=\"step-%lld\"><p><span class=\"%s\">%s</span> %s", (long long)s->id, status_badge(s->status),
       label_step_status(s->status), s->text);
  html(&r->out, " <span class=\"muted small\">(%s)</span></p>", s->required ? _("required") : _("optional"));
  if (s->added)
    html(&r->out, "<p class=\"small muted\">%s %s</p>", programme_word(t->programme, PW_ADDED_BY_COACH),
         s->added_reason);
  if (strcmp(s->status, "skipped") == 0 && s->skip_reason)
    html(&r->out, "<p class=\"small\">%s %s</p>", _("Skipped because:"), s->skip_reason);
  if (strcmp(s->status, "done") == 0 && s->done_at)
    html(&r->out, "<p class=\"small muted\">%s</p>",
         s->done_by ? arena_printf(r->a, _("Done on %s · %s"), time_for(r, s->done_at), s->done_by)
                    : arena_printf(r->a, _("Done on %s"), time_for(r, s->done_at)));
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

static Counts phase_counts(const ProtocolStep *steps, int n, const char *phase) {
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
static void timeline(Req *r, const ProtocolTrajectory *t, const ProtocolStep *steps, int nsteps, const PhaseStay *stays,
                     int nstays) {
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
    if (!any)
      html(&r->out, " <span class=\"small muted\">%s</span>",
           i > cur                          ? _("not yet")
           : programme_is_wabz(t->programme) ? _("passed over on the faster route")
                                             : _("dates not recorded"));
    Counts c = phase_counts(steps, nsteps, p);
    if (c.open && traj_open(t) && i <= cur)
      html(&r->out, " <span class=\"badge badge-warn\">%s</span>",
           arena_printf(r->a, P_("%d open step", "%d open steps", c.open), c.open));
    html(&r->out, "</li>");
  }
  html(&r->out, "</ol></section>");
}

/* The checklist of the current phase. */
static void current_checklist(Req *r, const ProtocolTrajectory *t, const ProtocolStep *steps, int n, bool coach,
                              const Failed *f) {
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
static void other_phases(Req *r, const ProtocolTrajectory *t, const ProtocolStep *steps, int n, bool coach,
                         const Failed *f) {
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
static void add_form(Req *r, const ProtocolTrajectory *t, const Failed *f) {
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

/* The last phase Werk als Beste Zorg's faster route may go ahead to: the placement and the coaching at work
 * (follow-up), by way of the search for work (exploration) and the placement's preparation (action plan). */
static const char *const wabz_ahead_last = "follow_up";

/* Whether open trajectory t may go from phase index cur to index to with the move form: one phase on or back;
 * in Werk als Beste Zorg also ahead past phases, as far as the placement (wabz_ahead_last): its faster route
 * searches for work from the start, without going through every phase of the protocol. Never into closure. */
static bool move_allowed(const ProtocolTrajectory *t, int cur, int to) {
  if (to < 0 || cur < 0 || to >= PHASES || strcmp(trajectory_phases[to], "closure") == 0) return false;
  if (to == cur + 1 || to == cur - 1) return true;
  return programme_is_wabz(t->programme) && to > cur + 1 && to <= trajectory_phase_index(wabz_ahead_last);
}

/* The coach's form to move one phase on or back, with the open required steps of the current phase; in Werk
 * als Beste Zorg also to go ahead to a later phase (move_allowed). */
static void move_form(Req *r, const ProtocolTrajectory *t, const ProtocolStep *steps, int n, const Failed *f) {
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
  if (move_allowed(t, cur, cur + 2)) {
    html(&r->out, "<div class=\"ahead\" id=\"go-ahead\"><p>%s</p><div class=\"actions\">",
         _("Werk als Beste Zorg's faster route: go ahead to the search for work or to the placement without the "
           "phases in between. Say why in the reason; the steps of the phases you pass stay open on this page."));
    for (int i = cur + 2; trajectory_phases[i] && move_allowed(t, cur, i); i++)
      html(&r->out, "<button type=\"submit\" name=\"phase\" value=\"%s\">%s</button>", trajectory_phases[i],
           arena_printf(r->a, _("Go ahead to phase: %s"), label_phase(trajectory_phases[i])));
    html(&r->out, "</div></div>");
  }
  form_end(r);
  html(&r->out, "</section>");
}

/* The coach's closure form: outcome, date, hours per week, note. */
static void close_form(Req *r, const ProtocolTrajectory *t, const Failed *f) {
  bool mine = failed_is(f, "close");
  const char *opts[20];
  int k = 0;
  opts[k++] = "";
  opts[k++] = _("Choose an outcome");
  for (int i = 0; outcomes[i]; i += 2) {
    opts[k++] = outcomes[i];
    opts[k++] = label_outcome(t->programme, outcomes[i]);
  }
  opts[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-close\"><h2 id=\"h-close\">%s</h2>", _("Close the trajectory"));
  form_begin(r, arena_printf(r->a, "/t/%lld/close", (long long)t->id), NULL);
  field_select(r, &(Field){.name = "outcome", .label = _("Outcome"), .value = mine ? form_str(r, "outcome") : "",
                           .required = true},
               opts);
  field_input(r, &(Field){.name = "closed_on", .label = _("Closure date"), .type = "date",
                          .value = mine ? form_str(r, "closed_on") : date_today_text(r->a), .required = true});
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
static void closed_section(Req *r, const ProtocolTrajectory *t, bool coach, const Failed *f) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-closed\"><h2 id=\"h-closed\">%s</h2><dl class=\"facts\">",
       _("Closure"));
  const char *o = label_outcome(t->programme, t->outcome);
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

/* The phase history as a table: every stay, how it began, by whom and why (outcomes in the words of
 * programme). */
static void history_table(Req *r, const char *programme, const PhaseStay *stays, int n) {
  html(&r->out, "<section aria-labelledby=\"h-history\"><h2 id=\"h-history\">%s</h2>", _("Phase history"));
  table_begin(r, "table", _("Phase history"));
  html(&r->out, "<thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Date"), _("Phase"), _("What happened"), _("By"), _("Reason or note"));
  for (int i = n - 1; i >= 0; i--) {
    const PhaseStay *s = &stays[i];
    html(&r->out, "<tr><td>%s</td><th scope=\"row\">%s</th><td>%s", date_for(r, s->entered_on), label_phase(s->phase),
         label_kind(s->kind));
    const char *o = label_outcome(programme, s->outcome);
    if (o) html(&r->out, ": %s", o);
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
  ProtocolTrajectory t;
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
  const ProtocolTrajectory *t = &c->t;
  Grounds g = c->g;
  ProtocolStep *steps;
  PhaseStay *stays;
  int nsteps, nstays, rc;
  if (db_in_tx(r->db)) db_rollback(r->db);
  if ((rc = audit_write(r, &(AuditEntry){.participant_id = c->pid, .trajectory_id = t->id,
                                         .item = "trajectory:protocol", .action = "view", .outcome = "ok",
                                         .grounds = grounds_name(g)})) != DB_OK)
    return http_db_error(r, rc);
  if ((rc = protocol_steps(r->db, r->a, t->id, &steps, &nsteps)) != DB_OK) return http_db_error(r, rc);
  if ((rc = protocol_history(r->db, r->a, t->id, &stays, &nstays)) != DB_OK) return http_db_error(r, rc);
  bool coach = g == GROUNDS_COACH;

  if ((rc = case_page_begin(r, t->id, g, _("Protocol"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Protocol"));
  trajectory_subnav(r, t->id, g, "protocol");
  html(&r->out, "<p class=\"muted\">%s · %s", arena_printf(r->a, _("Programme: %s"), programme_name(t->programme)),
       arena_printf(r->a, _("Protocol template: %s"), t->template_name ? t->template_name : _("none")));
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
  history_table(r, t->programme, stays, nstays);
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
bool protocol_step_text_ok(Req *r, const char *key, const char *text) {
  const char *err = NULL;
  if (!*text) err = _("Describe the step.");
  else if (text_chars(text) > STEP_MAX) err = _("This is too long: use at most 300 characters.");
  else if (strpbrk(text, "\r\n")) err = _("Keep the step on one line.");
  else if (strchr(text, '\t')) err = _("A step cannot hold a tab: use a space instead.");
  else if (!text_valid(text, strlen(text))) err = _("The step holds characters that are not allowed.");
  if (err) form_error(r, key, err);
  return !err;
}

/* POST /t/{id}/protocol/steps/{sid}: action done, skip (with a reason) or reopen. */
static int post_step(Req *r) {
  Case c;
  int64_t sid = r->ids[1];
  int s = case_open_step(r, sid, "trajectory:protocol", "update", true, _(closed_protocol), &c);
  if (s) return s;
  int rc = protocol_step_of(r->db, c.t.id, sid);
  if (rc == DB_DONE) /* no step of this trajectory: refused on the file of the one it belongs to, if any */
    return object_refused(r, OWNER_STEP, sid, c.item, c.action, grounds_name(c.g));
  if (rc != DB_ROW) return http_db_error(r, rc);

  const char *action = form_str(r, "action"), *reason = form_str(r, "reason");
  bool done = strcmp(action, "done") == 0, reopen = strcmp(action, "reopen") == 0, skip = strcmp(action, "skip") == 0;
  if (!done && !reopen && !skip) return http_error(r, 400, _("This action is not known."));
  if (skip && !check_reason(r, arena_printf(r->a, "reason-%lld", (long long)sid), reason, true,
                            _("Give a reason for skipping this step.")))
    return render_protocol(r, &c, 400, &(Failed){.form = "step", .step_id = sid});

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_step_set_status(r->db, sid, done ? "done" : skip ? "skipped" : "open", skip ? reason : NULL,
                                r->user->id, (int64_t)time(NULL));
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, c.pid, c.t.id, c.item, c.action, c.g, protocol_url(r, c.t.id));
}

/* POST /t/{id}/protocol/steps: the coach adds a step with a reason. */
static int post_add_step(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:protocol", "create", true, _(closed_protocol), &c);
  if (s) return s;
  const char *phase = form_str(r, "phase"), *text = form_str(r, "text"), *reason = form_str(r, "add_reason");
  if (trajectory_phase_index(phase) < 0) form_error(r, "phase", _("Choose a phase."));
  protocol_step_text_ok(r, "text", text);
  check_reason(r, "add_reason", reason, true, _("Give a reason for adding this step."));
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "add"});

  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_step_add(r->db, &(ProtocolStepNew){.trajectory_id = c.t.id, .added_by = r->user->id,
                                                   .now = (int64_t)time(NULL), .phase = phase, .text = text,
                                                   .reason = reason, .required = *form_str(r, "required") != 0});
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, c.pid, c.t.id, c.item, c.action, c.g, protocol_url(r, c.t.id));
}

/* Checks the optional reason value under key for leaving the current phase of t: required (ask ends the
 * message that lists them) while required steps of that phase are open, else at most REASON_MAX characters.
 * Records the error; returns a DB code. */
static int check_open_required(Req *r, const ProtocolTrajectory *t, const char *key, const char *value,
                               const char *ask) {
  const char *open;
  int rc = protocol_open_required(r->db, r->a, t->id, t->phase, &open);
  if (rc != DB_OK) return rc;
  if (*open && !*value)
    form_error(r, key, arena_printf(r->a, "%s %s %s", _("These required steps are still open:"), open, ask));
  else check_reason(r, key, value, false, NULL);
  return DB_OK;
}

/* POST /t/{id}/protocol/phase: one phase on (a reason while required steps are open) or back (always a
 * reason), or in Werk als Beste Zorg ahead past phases (always a reason, kept in the phase history); never
 * into closure, which has its own form. */
static int post_move(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true,
                    _("This trajectory is closed; its phase can no longer change."), &c);
  if (s) return s;
  const char *phase = form_str(r, "phase"), *reason = form_str(r, "move_reason");
  int cur = trajectory_phase_index(c.t.phase), to = trajectory_phase_index(phase);
  if (to < 0) return http_error(r, 400, _("This phase is not known."));
  if (to == cur) return http_redirect(r, protocol_url(r, c.t.id));
  if (strcmp(phase, "closure") == 0)
    return http_error(r, 400, _("Close the trajectory with the closure form: it records the outcome."));
  if (!move_allowed(&c.t, cur, to))
    return http_error(r, 400, programme_is_wabz(c.t.programme)
                                  ? _("A trajectory moves one phase at a time, or goes ahead as far as the "
                                      "placement on the faster route.")
                                  : _("A trajectory moves one phase at a time."));
  bool back = to < cur, ahead = to > cur + 1;
  int rc;
  if (back) {
    check_reason(r, "move_reason", reason, true, _("Give a reason for moving back."));
  } else if (ahead) {
    check_reason(r, "move_reason", reason, true, _("Give a reason for going ahead past phases."));
  } else {
    rc = check_open_required(r, &c.t, "move_reason", reason, _("Give a reason to move on anyway."));
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "move"});

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_move(r->db, c.t.id, phase, back ? "back" : "forward", date_today_text(r->a), reason, r->user->id,
                     (int64_t)time(NULL));
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

/* Checks the closure form for trajectory t: the outcome, the date (not in the future, not before the start;
 * into *day), the hours (into *tenths) and, while required steps are open, the note. Records the errors;
 * returns a DB code. */
static int check_closure(Req *r, const ProtocolTrajectory *t, int32_t *day, int64_t *tenths) {
  const char *outcome = form_str(r, "outcome"), *closed_on = form_str(r, "closed_on"), *hours = form_str(r, "hours");
  if (!label_outcome(t->programme, outcome)) form_error(r, "outcome", _("Choose an outcome from the list."));
  int32_t start;
  if (!*closed_on) form_error(r, "closed_on", _("Enter the closure date."));
  else if (!date_parse(closed_on, day)) form_error(r, "closed_on", _("Enter a real date as YYYY-MM-DD."));
  else if (*day > date_today()) form_error(r, "closed_on", _("The closure date cannot be in the future."));
  else if (date_parse(t->started_on, &start) && *day < start)
    form_error(r, "closed_on", _("The closure date cannot be before the start of the trajectory."));
  *tenths = 0;
  if (!*hours) form_error(r, "hours", _("Enter the hours worked per week; 0 when the participant does not work."));
  else if (!hours_parse(hours, tenths))
    form_error(r, "hours", _("Enter a number with at most one decimal, such as 19.5."));
  else if (*tenths > HOURS_MAX_TENTHS) form_error(r, "hours", _("Hours per week must be between 0 and 60."));
  return check_open_required(r, t, "note", form_str(r, "note"), _("Say in the note why you close now."));
}

/* POST /t/{id}/close: closes the trajectory with an outcome, and plans the aftercare when the participant
 * works. */
static int post_close(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true, _("This trajectory is already closed."), &c);
  if (s) return s;
  int32_t day = 0;
  int64_t tenths;
  int rc;
  if ((rc = check_closure(r, &c.t, &day, &tenths)) != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "close"});

  const char *outcome = form_str(r, "outcome");
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_close(r->db, c.t.id, &(ProtocolClosure){.closed_on = form_str(r, "closed_on"), .outcome = outcome,
                                                        .note = form_str(r, "note"), .hours_tenths = tenths,
                                                        .by = r->user->id, .now = (int64_t)time(NULL)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = aftercare_plan(r, &c, outcome, day)) != DB_OK) return http_db_error(r, rc);
  return change_done(r, &c, "closed");
}

/* POST /t/{id}/reopen: reopens a closed trajectory, with a reason, in the phase it was in before its last
 * closure (follow-up when the history does not say). */
static int post_reopen(Req *r) {
  Case c;
  int s = case_open(r, "trajectory:phase", "update", true, NULL, &c);
  if (s) return s;
  if (traj_open(&c.t)) return http_error(r, 409, _("This trajectory is open already."));
  const char *reason = form_str(r, "reopen_reason");
  check_reason(r, "reopen_reason", reason, true, _("Give a reason for reopening the trajectory."));
  if (r->nerrors) return render_protocol(r, &c, 400, &(Failed){.form = "reopen"});
  const char *before;
  int rc = protocol_reopen_phase(r->db, r->a, c.t.id, &before);
  if (rc != DB_OK) return http_db_error(r, rc);
  int i = trajectory_phase_index(before);
  const char *phase = i >= 0 ? trajectory_phases[i] : "follow_up";

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = protocol_reopen(r->db, c.t.id, phase, date_today_text(r->a), reason, r->user->id, (int64_t)time(NULL));
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    return http_error(r, 409, _("This participant has another open trajectory; close that one first."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return change_done(r, &c, "reopened");
}

const Route protocol_routes[] = {
    {"GET", "/t/{id}/protocol", ROLES_NOT_PARTNER, R_CASE, get_protocol},
    {"POST", "/t/{id}/protocol/steps", ROLES_CASE, R_CASE, post_add_step},
    {"POST", "/t/{id}/protocol/steps/{sid}", ROLES_CASE, R_CASE, post_step},
    {"POST", "/t/{id}/protocol/phase", ROLES_CASE, R_CASE, post_move},
    {"POST", "/t/{id}/close", ROLES_CASE, R_CASE, post_close},
    {"POST", "/t/{id}/reopen", ROLES_CASE, R_CASE, post_reopen},
    {0},
};

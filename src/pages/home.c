/*
 * home.c — the start pages of the people outside the coaching team: the participant's "My trajectory"
 * (/me), a calm page in plain words about where they are, and the partner's "Shared with me" (/shared).
 *
 * /me opens the participant's own open trajectory through the one door (policy_trajectory, grounds
 * "self") and logs the view. /shared is an honest empty state until the consent feature lands: what a
 * participant shares with a partner will be listed there; nothing is read or shown yet.
 */
#include <stdbool.h>
#include <string.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/followups.h"
#include "store/participants.h"
#include "store/plan.h"
#include "store/trajectories.h"
#include "store/users.h"


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

/* The open trajectory of the signed-in participant into *t. Returns DB_ROW (filled *t), DB_DONE (none) or a
 * DB error code. */
static int my_trajectory(Req *r, Trajectory *t) {
  int64_t tid;
  int rc = participant_open_trajectory(r->db, r->user->id, &tid);
  if (rc != DB_OK) return rc;
  return tid ? trajectory_get(r->db, r->a, tid, t) : DB_DONE;
}

enum { ME_COACHES = 64 }; /* coaches named on /me (a trajectory has one or two) */

/* Writes the trajectory's coaches as a list, with their work phone and e-mail. Returns a DB code. */
static int coach_names(Req *r, int64_t tid) {
  WorkContact *c;
  int n;
  int rc = trajectory_coach_contacts(r->db, r->a, tid, ME_COACHES, &c, &n);
  if (rc != DB_OK) return rc;
  coach_contact_list(r, c, n);
  return DB_OK;
}

/* The friendly page for a participant without an open trajectory. */
static int no_trajectory(Req *r) {
  audit_nothing_shown(r); /* no one's file is shown */
  page_begin(r, _("My trajectory"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p><p>%s</p><p><a href=\"/account\">%s</a></p>"
                "</section>",
       _("My trajectory"), _("You have no trajectory running at the moment."),
       _("If you expected one, your coach can tell you more."), _("Go to my account"));
  survey_card(r); /* after closure, the experience survey */
  page_end(r);
  return 200;
}

/* ------------------------------------------------------------------------------- what /me reads */

enum {
  ME_NOTES = 3,   /* the participant's latest diary notes listed */
  ME_AUDIT = 2 + 1 + ME_NOTES, /* trajectory, plan, follow-up, notes */
};

/* The next step: an action of the plan, or else a follow-up moment (followup_id), or else nothing. */
typedef struct MeNext {
  const PlanAction *action;
  const MeasureRef *measure; /* the knowledge-base article of the action, when published */
  int64_t followup_id;
  const char *kind, *due_on;
} MeNext;



static bool action_open(const PlanAction *a) {
  return strcmp(a->status, "planned") == 0 || strcmp(a->status, "in_progress") == 0;
}

/* Plain-language status of an action, for the participant. */
static const char *action_status_plain(const char *s) {
  if (strcmp(s, "in_progress") == 0) return _("Started");
  if (strcmp(s, "done") == 0) return _("Done");
  if (strcmp(s, "dropped") == 0) return _("No longer needed");
  return _("To do");
}

/* Who does an action, said to the participant. */
static const char *action_owner_plain(const PlanAction *a) {
  if (strcmp(a->owner_kind, "participant") == 0) return _("You");
  if (strcmp(a->owner_kind, "coach") == 0) return _("Your coach");
  return a->owner_name ? a->owner_name : _("Someone in your network");
}

/* Loads the latest version of the plan of trajectory tid when the one door allows it; adds the read to
 * entries[*ne]. p->item_id stays 0 when there is no plan (or none the participant may see). Returns a DB
 * code. */
static int load_plan(Req *r, int64_t tid, int64_t pid, const char *today, PlanVersion *p, AuditEntry *entries, int *ne) {
  memset(p, 0, sizeof *p);
  int64_t vid, version;
  int rc = plan_latest(r->db, tid, &vid, &version);
  if (rc != DB_OK || !vid) return rc;
  Grounds ig;
  int64_t consent;
  ItemRef it = {0};
  if ((rc = policy_item(r->db, r->user, vid, today, &ig, &consent, &it)) != DB_OK) return rc;
  if (ig == GROUNDS_NONE || it.trajectory_id != tid) return DB_OK; /* deleted, or not hers: nothing shown */
  entries[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                  .item = arena_printf(r->a, "plan:%lld", (long long)vid), .action = "view",
                                  .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent};
  rc = plan_version_load(r->db, r->a, r->user, vid, p);
  if (rc == DB_DONE) memset(p, 0, sizeof *p); /* gone in the meantime: nothing shown */
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The earliest open action of the plan: the participant's own first, else anybody's. */
static const PlanAction *next_action(const PlanVersion *p) {
  const PlanAction *mine = NULL, *any = NULL;
  for (int i = 0; i < p->ngoals; i++)
    for (int j = 0; j < p->goals[i].nactions; j++) {
      const PlanAction *a = &p->goals[i].actions[j];
      if (!action_open(a) || !a->due_on || !*a->due_on) continue;
      if (!any || strcmp(a->due_on, any->due_on) < 0) any = a;
      if (strcmp(a->owner_kind, "participant") == 0 && (!mine || strcmp(a->due_on, mine->due_on) < 0)) mine = a;
    }
  return mine ? mine : any;
}

/* The next follow-up moment from today on that the one door allows; adds the read to entries. Returns a
 * DB code; n->followup_id stays 0 when there is none. */
static int next_followup(Req *r, int64_t tid, int64_t pid, const char *today, MeNext *n, AuditEntry *entries,
                         int *ne) {
  Followup f;
  int rc = followup_next_visible(r->db, r->a, r->user, tid, today, &f);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  Grounds ig;
  int64_t consent;
  if ((rc = policy_item(r->db, r->user, f.id, today, &ig, &consent, NULL)) != DB_OK) return rc;
  if (ig == GROUNDS_NONE) return DB_OK;
  n->followup_id = f.id;
  n->kind = f.kind;
  n->due_on = f.due_on;
  entries[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                  .item = arena_printf(r->a, "followup:%lld", (long long)f.id), .action = "view",
                                  .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent};
  return DB_OK;
}

/* The participant's own latest diary notes (titles only), each allowed by the one door and listed in the
 * access log. Returns a DB code. */
static int load_notes(Req *r, int64_t tid, int64_t pid, const char *today, NoteLine *notes, int *n,
                      AuditEntry *entries, int *ne) {
  *n = 0;
  NoteLine *all;
  int m;
  int rc = trajectory_own_notes(r->db, r->a, r->user, tid, today, ME_NOTES, &all, &m);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < m; i++) {
    Grounds ig;
    int64_t consent;
    if ((rc = policy_item(r->db, r->user, all[i].id, today, &ig, &consent, NULL)) != DB_OK) return rc;
    if (ig == GROUNDS_NONE) continue;
    notes[(*n)++] = all[i];
    entries[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                    .item = arena_printf(r->a, "note:%lld", (long long)all[i].id), .action = "list",
                                    .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent};
  }
  return DB_OK;
}

/* ------------------------------------------------------------------------------- what /me shows */

static void section_where(Req *r, const Trajectory *t) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-where\"><h2 id=\"h-where\">%s</h2>", _("Where am I?"));
  html(&r->out, "<p class=\"lead\">%s <strong>%s</strong></p><p>%s</p>", _("You are now in the phase:"),
       label_phase(t->phase), phase_explained(t->phase));
  int step = trajectory_phase_index(t->phase) + 1, steps = 0;
  while (trajectory_phases[steps]) steps++;
  if (step > 0) html(&r->out, "<p class=\"muted\">%s %d / %d</p>", _("Step"), step, steps);
  html(&r->out, "<p>%s</p></section>", arena_printf(r->a, _("Your trajectory started on %s."), date_words(r->a, t->started_on)));
}

static void section_next(Req *r, int64_t tid, const MeNext *n) {
  html(&r->out, "<section class=\"card\" id=\"next-step\" aria-labelledby=\"h-next\"><h2 id=\"h-next\">%s</h2>",
       _("My next step"));
  if (n->action) {
    const PlanAction *a = n->action;
    html(&r->out, "<p class=\"lead\">%s</p><p>", a->text);
    if (strcmp(a->owner_kind, "participant") == 0)
      html(&r->out, "%s", arena_printf(r->a, _("This is yours to do, by %s."), date_words(r->a, a->due_on)));
    else
      html(&r->out, "%s",
           arena_printf(r->a, _("Who does it: %s, by %s."), action_owner_plain(a), date_words(r->a, a->due_on)));
    html(&r->out, "</p>");
    if (n->measure)
      html(&r->out, "<p><a href=\"/measures/%s\">%s</a></p>", n->measure->slug,
           arena_printf(r->a, _("Read more: %s"), n->measure->title));
    html(&r->out, "<p><a href=\"/t/%lld/plan\">%s</a></p>", (long long)tid, _("See the whole plan"));
  } else if (n->followup_id) {
    html(&r->out, "<p class=\"lead\">%s</p><p>%s %s</p>", followup_kind_label(n->kind),
         arena_printf(r->a, _("Planned on %s."), date_words(r->a, n->due_on)),
         _("Your coach will get in touch with you about it."));
  } else {
    html(&r->out, "<p class=\"lead\">%s</p><p>%s</p>", _("There is nothing you need to do right now."),
         _("Take the time you need. Your coach will get in touch with you about the next step; you can always "
           "contact your coach yourself."));
  }
  html(&r->out, "</section>");
}

/* The participant marks their own step started or done, with an optional remark (plan.c saves it, without a
 * new version of the plan, and brings her back here). Behind a <details>, so the list stays calm. */
static void my_step_form(Req *r, int64_t tid, const PlanAction *a) {
  const char *sk = arena_printf(r->a, "a%lld_status", (long long)a->id);
  const char *rk = arena_printf(r->a, "a%lld_remark", (long long)a->id);
  const char *const opts[] = {"in_progress", _("Started"), "done", _("Done"), NULL};
  html(&r->out, "<details class=\"my-step\"><summary>%s</summary>", _("Started or done? Tell your coach"));
  form_begin(r, arena_printf(r->a, "/t/%lld/plan/actions/%lld", (long long)tid, (long long)a->id), "form");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"/me\">");
  field_select(r, &(Field){.name = sk, .label = _("How far are you with this step?"), .required = true,
                           .value = strcmp(a->status, "planned") == 0 ? "in_progress" : "done"},
               opts);
  field_textarea(r, &(Field){.name = rk, .label = _("Want to add something?"), .value = "", .maxlength = 2000,
                             .hint = _("Your coach reads it; others only when you share information about your plan "
                                       "with them.")},
                 2);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save"));
  form_end(r);
  html(&r->out, "</details>");
}

static void section_agreed(Req *r, int64_t tid, const PlanVersion *p) {
  html(&r->out, "<section class=\"card\" id=\"agreed\" aria-labelledby=\"h-agreed\"><h2 id=\"h-agreed\">%s</h2>",
       _("What is agreed"));
  if (!p->item_id) {
    html(&r->out, "<p>%s</p></section>",
         _("There is no action plan yet. You will make it together with your coach: clear goals and steps, and who "
           "does what and by when."));
    return;
  }
  html(&r->out, "<p>%s</p>", arena_printf(r->a, _("Your action plan, version %lld."), (long long)p->version));
  if (p->ngoals == 0) html(&r->out, "<p class=\"muted\">%s</p>", _("This version has no goals."));
  for (int i = 0; i < p->ngoals; i++) {
    const PlanGoal *g = &p->goals[i];
    html(&r->out, "<article class=\"goal\"><h3>%s</h3><p class=\"muted small\">%s</p>", g->title,
         arena_printf(r->a, _("Reached by %s"), date_words(r->a, g->time_bound)));
    if (g->nactions == 0) {
      html(&r->out, "<p class=\"muted\">%s</p></article>", _("No steps for this goal yet."));
      continue;
    }
    html(&r->out, "<ul class=\"plain actions-list\">");
    for (int j = 0; j < g->nactions; j++) {
      const PlanAction *a = &g->actions[j];
      const char *badge = strcmp(a->status, "done") == 0      ? "badge badge-ok"
                          : strcmp(a->status, "dropped") == 0 ? "badge badge-muted"
                                                              : "badge";
      html(&r->out, "<li><span class=\"%s\">%s</span> %s<br><span class=\"muted small\">%s</span>", badge,
           action_status_plain(a->status), a->text,
           arena_printf(r->a, _("Who: %s · by %s"), action_owner_plain(a), date_words(r->a, a->due_on)));
      if (strcmp(a->owner_kind, "participant") == 0 && strcmp(a->status, "dropped") != 0) my_step_form(r, tid, a);
      html(&r->out, "</li>");
    }
    html(&r->out, "</ul></article>");
  }
  html(&r->out, "<p><a href=\"/t/%lld/plan\">%s</a></p>", (long long)tid,
       _("See the whole plan, with all details and earlier versions"));
  if (p->p_at) {
    html(&r->out, "<p><span class=\"badge badge-ok\">%s</span> %s</p>", _("Confirmed"),
         arena_printf(r->a, _("You confirmed this plan on %s."), date_local_words(r->a, p->p_at)));
  } else {
    html(&r->out, "<p><span class=\"badge badge-warn\">%s</span> %s</p>", _("Not yet confirmed"),
         _("You have not confirmed this version of your plan yet. Read it calmly; if something is not right, tell "
           "your coach before you confirm."));
    form_begin(r, arena_printf(r->a, "/t/%lld/plan/%lld/confirm", (long long)tid, (long long)p->item_id), NULL);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
         _("I agree: confirm my plan"));
    form_end(r);
  }
  if (p->c_at) html(&r->out, "<p class=\"muted small\">%s</p>", _("Your coach has confirmed this version too."));
  html(&r->out, "</section>");
}

/* Questionnaires: the participant fills them in herself on the assessments page of her trajectory. */
static void section_questionnaires(Req *r, int64_t tid) {
  html(&r->out, "<section class=\"card\" id=\"questionnaires\" aria-labelledby=\"h-quest\"><h2 id=\"h-quest\">%s</h2>"
                "<p>%s</p><p><a class=\"button\" href=\"/t/%lld/assessments\">%s</a></p></section>",
       _("My questionnaires"),
       _("Short questionnaires help you and your coach see what you can do and what gives you energy. Fill them in "
         "when it suits you; there are no wrong answers."),
       (long long)tid, _("Go to my questionnaires"));
}

static void section_diary(Req *r, int64_t tid, const NoteLine *notes, int n) {
  html(&r->out, "<section class=\"card\" id=\"diary\" aria-labelledby=\"h-diary\"><h2 id=\"h-diary\">%s</h2>",
       _("My diary"));
  html(&r->out, "<p>%s</p>", _("Write down how it goes, in your own words. This is your information: your coach can "
                               "read it, and others only when you agreed to share this kind of information with them."));
  if (n) {
    html(&r->out, "<h3>%s</h3><ul class=\"plain\">", _("What you wrote last"));
    for (int i = 0; i < n; i++)
      html(&r->out, "<li><a href=\"/t/%lld/notes/%lld\">%s</a> <span class=\"muted small\">%s · %s</span></li>",
           (long long)tid, (long long)notes[i].id, notes[i].title, date_local_words(r->a, notes[i].created_at),
           label_category(notes[i].category));
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/t/%lld/notes\">%s</a></p>", (long long)tid, _("All my notes"));
  const char *cats[2 * 8 + 3];
  int k = 0;
  cats[k++] = "";
  cats[k++] = _("Choose what it is about");
  for (int i = 0; item_categories[i] && k < 2 * 8 + 1; i++) {
    cats[k++] = item_categories[i];
    cats[k++] = arena_printf(r->a, "%s: %s", label_category(item_categories[i]), explain_category(item_categories[i]));
  }
  cats[k] = NULL;
  html(&r->out, "<h3>%s</h3>", _("Write a new note"));
  form_begin(r, arena_printf(r->a, "/t/%lld/notes", (long long)tid), "form");
  field_input(r, &(Field){.name = "title", .label = _("Title"), .hint = _("A few words, for example: a hard morning."),
                          .value = "", .required = true, .maxlength = 200});
  field_select(r, &(Field){.name = "category", .label = _("What is it about?"), .value = "",
                           .hint = _("This decides who may read it besides you and your coach: only the people you "
                                     "share this kind of information with."),
                           .required = true},
               cats);
  field_textarea(r, &(Field){.name = "body", .label = _("Your note"), .value = "", .required = true,
                             .maxlength = 20000},
                 5);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save my note"));
  form_end(r);
  html(&r->out, "</section>");
}

static int get_me(Req *r) {
  Trajectory t;
  int rc = my_trajectory(r, &t);
  if (rc == DB_DONE) return no_trajectory(r);
  if (rc != DB_ROW) return http_db_error(r, rc);
  Grounds g;
  int64_t pid;
  if ((rc = policy_trajectory(r->db, r->user, t.id, &g, &pid)) != DB_OK) return http_db_error(r, rc);
  if (g != GROUNDS_SELF) return no_trajectory(r);

  const char *today = date_today_text(r->a);
  AuditEntry entries[ME_AUDIT];
  int ne = 0;
  entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = t.id, .item = "trajectory", .action = "view",
                               .outcome = "ok", .grounds = grounds_name(g)};
  PlanVersion *plan = arena_alloc(r->a, sizeof *plan);
  if ((rc = load_plan(r, t.id, pid, today, plan, entries, &ne)) != DB_OK) return http_db_error(r, rc);
  MeNext next = {.action = next_action(plan)};
  MeasureRef article;
  if (next.action && next.action->measure) { /* the article that explains the next step, if published */
    if ((rc = measure_published_one(r, next.action->measure, &article)) == DB_ROW) next.measure = &article;
    else if (rc != DB_DONE) return http_db_error(r, rc);
  }
  if (!next.action && (rc = next_followup(r, t.id, pid, today, &next, entries, &ne)) != DB_OK)
    return http_db_error(r, rc);
  NoteLine notes[ME_NOTES];
  int nnotes = 0;
  if ((rc = load_notes(r, t.id, pid, today, notes, &nnotes, entries, &ne)) != DB_OK) return http_db_error(r, rc);
  if ((rc = audit_write_many(r, entries, ne)) != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("My trajectory"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1>", _("My trajectory"));
  section_where(r, &t);
  proposals_me_card(r, t.id, true); /* a proposal waiting for her answer comes first */
  section_next(r, t.id, &next);
  section_agreed(r, t.id, plan);
  section_questionnaires(r, t.id);
  section_diary(r, t.id, notes, nnotes);
  proposals_me_card(r, t.id, false); /* the way to her work page */
  placement_me_card(r, t.id); /* the way to her work placement */
  survey_card(r);             /* the experience survey after closure */
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-coach\"><h2 id=\"h-coach\">%s</h2>", _("Your coach"));
  if ((rc = coach_names(r, t.id)) != DB_OK) return http_db_error(r, rc);
  /* two taps on a phone: this button, then "Send" on the form with the coach already chosen */
  html(&r->out, "<form method=\"get\" action=\"/t/%lld/messages\" id=\"message-coach\"><input type=\"hidden\" "
                "name=\"to\" value=\"coach\"><button type=\"submit\" class=\"primary\">%s</button></form>",
       (long long)t.id, _("Send your coach a message"));
  html(&r->out, "<p>%s</p><p><a href=\"/t/%lld\">%s</a></p></section>",
       _("Your coach is your contact person for everything about your trajectory."), (long long)t.id,
       _("See the details of your trajectory"));
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-mine\"><h2 id=\"h-mine\">%s</h2><ul class=\"plain\">"
                "<li><a href=\"/me/consents\">%s</a></li><li><a href=\"/me/log\">%s</a></li>"
                "<li><a href=\"/me/data\">%s</a></li><li><a href=\"/me/corrections\">%s</a></li></ul></section></div>",
       _("Your information"), _("Who may see what: your consents"), _("Who looked at my file"),
       _("Download my data"), _("Ask to correct information"));
  page_end(r);
  return 200;
}

/* One trajectory on /shared, read before anything is written. */
typedef struct SharedRow {
  const SharedTrajectory *t;
  int64_t pid;
  int64_t my_actions; /* actions of the current plan the partner owns and has still to do (0 when the plan is
                         not theirs to see) */
  Grounds g;
} SharedRow;

/* /shared: the trajectories the partner is a live network member of, with the number of notes they may
 * see in each (counted through the one SQL filter, so the count leaks nothing hidden). Each trajectory is
 * let through by the one door (policy_trajectory) and every one listed is logged before the page is
 * written. */
static int get_shared(Req *r) {
  const char *today = date_today_text(r->a);
  SharedTrajectory *ts;
  int n;
  int rc = trajectories_shared_with(r->db, r->a, r->user, today, &ts, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  SharedRow *rows = arena_alloc(r->a, sizeof *rows * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) rows[i] = (SharedRow){.t = &ts[i]};

  /* the one door for each trajectory, then one access-log batch for all that are listed */
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(2 * n + 1));
  int ne = 0, listed = 0;
  for (int i = 0; i < n; i++) {
    if ((rc = policy_trajectory(r->db, r->user, rows[i].t->id, &rows[i].g, &rows[i].pid)) != DB_OK)
      return http_db_error(r, rc);
    if (rows[i].g == GROUNDS_NONE) continue; /* not shown */
    listed++;
    entries[ne++] = (AuditEntry){.participant_id = rows[i].pid, .trajectory_id = rows[i].t->id, .item = "trajectory",
                                 .action = "list", .outcome = "ok", .grounds = grounds_name(rows[i].g)};
    /* the partner's own actions of the plan still to do, counted only while the plan is theirs to see */
    int64_t vid, open;
    if ((rc = plan_member_open_actions(r->db, rows[i].t->id, r->user->id, &vid, &open)) != DB_OK) return http_db_error(r, rc);
    if (!vid || !open) continue;
    Grounds pg;
    int64_t consent;
    if ((rc = policy_item(r->db, r->user, vid, today, &pg, &consent, NULL)) != DB_OK) return http_db_error(r, rc);
    if (pg == GROUNDS_NONE) continue;
    rows[i].my_actions = open;
    entries[ne++] = (AuditEntry){.participant_id = rows[i].pid, .trajectory_id = rows[i].t->id,
                                 .item = arena_printf(r->a, "plan:%lld", (long long)vid), .action = "list",
                                 .outcome = "ok", .grounds = grounds_name(pg), .consent_id = consent};
  }
  if ((rc = audit_write_many(r, entries, ne)) != DB_OK) return http_db_error(r, rc);
  if (!ne) audit_nothing_shown(r); /* nothing shared: no one's file is shown */

  page_begin(r, _("Shared with me"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Information shared with you"),
       _("You see only what the participant, or the person the information belongs to, agreed to share with you."));
  survey_card(r); /* the employer's experience survey after a return to work */
  if (listed) {
    html(&r->out, "<ul class=\"cards\">");
    for (int i = 0; i < n; i++) {
      const SharedRow *w = &rows[i];
      if (w->g == GROUNDS_NONE) continue;
      html(&r->out, "<li class=\"card\"><h2><a href=\"/t/%lld/notes\">%s %s</a></h2><p>%s · %s</p>",
           (long long)w->t->id, w->t->first_name, w->t->last_name, label_phase(w->t->phase),
           arena_printf(r->a, P_("%lld note shared with you", "%lld notes shared with you", w->t->visible),
                        (long long)w->t->visible));
      if (w->my_actions)
        html(&r->out, "<p><a href=\"/t/%lld/plan#my-actions\">%s</a></p>", (long long)w->t->id,
             arena_printf(r->a, P_("%lld action of the plan is yours to do", "%lld actions of the plan are yours to do",
                                   w->my_actions),
                          (long long)w->my_actions));
      html(&r->out, "</li>");
    }
    html(&r->out, "</ul>");
  } else {
    html(&r->out, "<section class=\"card empty\"><p>%s</p><p>%s</p></section>", _("Nothing has been shared with you yet."),
         _("When a coach adds you to a participant's network and the participant shares information with you, the "
           "trajectory appears here."));
  }
  page_end(r);
  return 200;
}

const Route home_routes[] = {
    {"GET", "/me", ROLE_PARTICIPANT, R_CASE, get_me},
    {"GET", "/shared", ROLE_PARTNER, R_CASE, get_shared},
    {0},
};

/*
 * job_profile.c — the participant's job profile (issue 13, part 3): what work they wish for and what they can
 * do, in their own words and the coach's. The coach keeps the wishes at /t/{id}/job-profile (kinds of work in
 * the participant's order of preference, hours a week now and aimed for, regions and travel time, tasks to
 * avoid, support that helps) with their own words; the participant writes their own words, and answers
 * proposals to employers, on /me/work (on a phone, in plain words).
 *
 * The profile is case information of the participant in two parts (store/job_profiles.h): 'work' and
 * 'capacity'. Every part shown passes the one door (job_profile_parts_visible, then items_disclose, which
 * logs it): the coaches and the participant see both; a network member a part only under the participant's
 * live consent for its category (an employer's contact person after agreeing to a proposal); health is
 * never part of it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/jobwords.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/jobs_policy.h"
#include "store/consents.h"
#include "store/employers.h"
#include "store/job_profiles.h"
#include "store/openings.h"
#include "store/participants.h"
#include "store/proposals.h"

enum { KIND_CHOICES = 3, ME_PROPOSALS = 20 };

/* Splits text into its non-empty trimmed lines (or comma-separated parts when comma), at most max, into
 * arena strings. Returns how many. */
int job_split(Arena *a, const char *text, bool comma, const char **out, int max) {
  int n = 0;
  if (!text) return 0;
  const char *p = text;
  while (*p && n < max) {
    const char *e = p;
    while (*e && *e != '\n' && !(comma && *e == ',')) e++;
    const char *s = p, *t = e;
    while (s < t && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r')) t--;
    if (t > s) {
      char *c = arena_alloc(a, (size_t)(t - s) + 1);
      memcpy(c, s, (size_t)(t - s));
      c[t - s] = 0;
      out[n++] = c;
    }
    p = *e ? e + 1 : e;
  }
  return n;
}

static void words_block(Req *r, const char *label, const char *text) {
  if (!text || !*text) return;
  html(&r->out, "<h4>%s</h4><blockquote class=\"own-words\"><p>", label);
  html_text_lines(&r->out, text);
  html(&r->out, "</p></blockquote>");
}

void job_profile_show(Req *r, const struct JobProfile *p, bool work, bool capacity, int64_t tid, int64_t strengths,
                      bool mine) {
  const char *list[JOB_KINDS_MAX > JOB_REGIONS_MAX ? JOB_KINDS_MAX : JOB_REGIONS_MAX];
  bool wabz = !mine && case_wabz(r, p->trajectory_id); /* the programme's words */
  if (work) {
    html(&r->out, "<section class=\"card job-part\" aria-labelledby=\"jp-work\"><h3 id=\"jp-work\">%s</h3><dl>",
         mine ? _("The work you are looking for") : _("Work wished for"));
    int n = job_split(r->a, p->kinds, true, list, JOB_KINDS_MAX);
    html(&r->out, "<dt>%s</dt><dd>", _("Kinds of work, first choice first"));
    if (!n) html(&r->out, "%s", _("Not filled in yet"));
    else {
      html(&r->out, "<ol class=\"inline\">");
      for (int i = 0; i < n; i++) html(&r->out, "<li>%s</li>", work_kind_label(list[i]));
      html(&r->out, "</ol>");
    }
    html(&r->out, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", _("Hours a week now"),
         p->hours_now >= 0 ? arena_printf(r->a, P_("%d hour", "%d hours", p->hours_now), p->hours_now)
                           : _("Not filled in yet"),
         _("Hours a week aimed for"),
         p->hours_goal >= 0 ? arena_printf(r->a, P_("%d hour", "%d hours", p->hours_goal), p->hours_goal)
                            : _("Not filled in yet"));
    n = job_split(r->a, p->regions, false, list, JOB_REGIONS_MAX);
    html(&r->out, "<dt>%s</dt><dd>", _("Regions"));
    if (!n) html(&r->out, "%s", _("Not filled in yet"));
    for (int i = 0; i < n; i++) html(&r->out, "%s%s", i ? ", " : "", list[i]);
    html(&r->out, "</dd><dt>%s</dt><dd>%s</dd></dl>", _("Travel time at most"),
         p->max_travel_min >= 0
             ? arena_printf(r->a, P_("%d minute", "%d minutes", p->max_travel_min), p->max_travel_min)
             : _("Not filled in yet"));
    words_block(r, mine ? _("In your own words") : wabz ? _("In the client's own words") : _("In the participant's own words"),
                p->own_work);
    words_block(r, wabz ? _("In the mediator's words") : _("In the coach's words"), p->coach_work);
    html(&r->out, "</section>");
  }
  if (capacity) {
    html(&r->out, "<section class=\"card job-part\" aria-labelledby=\"jp-cap\"><h3 id=\"jp-cap\">%s</h3><dl>",
         mine   ? _("What you can do and what helps you")
         : wabz ? _("What the client can do and what helps")
                : _("What the participant can do and what helps"));
    int n = job_split(r->a, p->avoid, false, list, JOB_AVOID_MAX);
    html(&r->out, "<dt>%s</dt><dd>", _("Tasks to avoid"));
    if (!n) html(&r->out, "%s", _("None recorded"));
    else {
      html(&r->out, "<ul class=\"plain\">");
      for (int i = 0; i < n; i++) html(&r->out, "<li>%s</li>", list[i]);
      html(&r->out, "</ul>");
    }
    html(&r->out, "</dd><dt>%s</dt><dd>%s</dd>", _("Support that helps"),
         support_words(r->a, (int)p->support, _("None recorded")));
    if (strengths)
      html(&r->out, "<dt>%s</dt><dd><a href=\"/t/%lld/assessments/%lld\">%s</a></dd>", _("Strengths"), (long long)tid,
           (long long)strengths, _("See the result of the strengths inventory"));
    html(&r->out, "</dl>");
    words_block(r, mine ? _("In your own words") : wabz ? _("In the client's own words") : _("In the participant's own words"),
                p->own_capacity);
    words_block(r, wabz ? _("In the mediator's words") : _("In the coach's words"), p->coach_capacity);
    html(&r->out, "</section>");
  }
}

/* Options of a kind-of-work choice: none, then every work kind. Arena. */
static const char **kind_options(Req *r) {
  const char **o = arena_alloc(r->a, sizeof *o * (2 * WORK_KIND_COUNT + 3));
  int k = 0;
  o[k++] = "";
  o[k++] = _("No choice");
  for (int i = 0; i < WORK_KIND_COUNT; i++) {
    o[k++] = work_kind_keys[i];
    o[k++] = work_kind_label(work_kind_keys[i]);
  }
  o[k] = NULL;
  return o;
}

static const char *num_text(Req *r, int v) { return v >= 0 ? arena_printf(r->a, "%d", v) : ""; }

/* The coach's form; values from the profile p (NULL: none yet), or what was typed after an error. */
static void coach_form(Req *r, int64_t tid, const JobProfile *p) {
  bool typed = strcmp(r->method, "POST") == 0, wabz = case_wabz(r, tid); /* the programme's words */
  const char *kinds[KIND_CHOICES] = {0};
  if (!typed && p) job_split(r->a, p->kinds, true, kinds, KIND_CHOICES);
  html(&r->out, "<section class=\"card\" aria-labelledby=\"jp-edit\"><h2 id=\"jp-edit\">%s</h2>", _("Keep the job profile"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/job-profile", (long long)tid), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
       typed ? (long long)strtoll(form_str(r, "version"), NULL, 10) : (long long)(p ? p->updated_at : 0));
  html(&r->out, "<fieldset><legend>%s</legend>", wabz ? _("Kinds of work, in the client's order of preference")
                                                    : _("Kinds of work, in the participant's order of preference"));
  const char **opts = kind_options(r);
  static const char *const names[KIND_CHOICES] = {"kind1", "kind2", "kind3"};
  const char *labels[KIND_CHOICES] = {_("First choice"), _("Second choice"), _("Third choice")};
  for (int i = 0; i < KIND_CHOICES; i++)
    field_select(r, &(Field){.name = names[i], .label = labels[i],
                             .value = typed ? form_str(r, names[i]) : (kinds[i] ? kinds[i] : "")},
                 opts);
  html(&r->out, "</fieldset>");
  field_input(r, &(Field){.name = "hours_now", .label = _("Hours a week now"), .type = "number",
                          .value = typed ? form_str(r, "hours_now") : num_text(r, p ? p->hours_now : -1)});
  field_input(r, &(Field){.name = "hours_goal", .label = _("Hours a week aimed for"), .type = "number",
                          .value = typed ? form_str(r, "hours_goal") : num_text(r, p ? p->hours_goal : -1)});
  field_textarea(r, &(Field){.name = "regions", .label = wabz ? _("Regions the client can travel to") : _("Regions the participant can travel to"),
                             .hint = _("One place or region a line, as the openings name them."),
                             .value = typed ? form_str(r, "regions") : (p ? p->regions : "")},
                 3);
  field_input(r, &(Field){.name = "max_travel", .label = _("Travel time at most, in minutes"), .type = "number",
                          .value = typed ? form_str(r, "max_travel") : num_text(r, p ? p->max_travel_min : -1)});
  field_textarea(r, &(Field){.name = "avoid", .label = _("Tasks to avoid"),
                             .hint = _("One task a line, in functional terms: what, not why (no diagnosis)."),
                             .value = typed ? form_str(r, "avoid") : (p ? p->avoid : "")},
                 3);
  html(&r->out, "<fieldset><legend>%s</legend>", _("Support that helps"));
  for (int b = 0; b < SUPPORT_BITS; b++) {
    int bit = 1 << b;
    const char *key = arena_printf(r->a, "support_%d", bit);
    bool on = typed ? *form_str(r, key) != 0 : (p && (p->support & (unsigned)bit));
    html(&r->out, "<div class=\"check\"><input type=\"checkbox\" id=\"%s\" name=\"%s\" value=\"1\"%s>"
                  "<label for=\"%s\">%s</label></div>",
         key, key, on ? " checked" : "", key, support_label(bit));
  }
  html(&r->out, "</fieldset>");
  field_textarea(r, &(Field){.name = "coach_work", .label = _("About work, in your words"), .maxlength = JOB_WORDS_MAX,
                             .value = typed ? form_str(r, "coach_work") : (p ? p->coach_work : "")},
                 4);
  field_textarea(r, &(Field){.name = "coach_capacity",
                             .label = wabz ? _("What the client can do, in your words")
                                           : _("What the participant can do, in your words"),
                             .hint = wabz ? _("In functional terms, without a diagnosis: this part may be shared with "
                                              "an employer when the client agrees.")
                                          : _("In functional terms, without a diagnosis: this part may be shared with an "
                                              "employer when the participant agrees."),
                             .maxlength = JOB_WORDS_MAX,
                             .value = typed ? form_str(r, "coach_capacity") : (p ? p->coach_capacity : "")},
                 4);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Save job profile"));
  form_end(r);
  html(&r->out, "</section>");
}

/* Shows the job profile of trajectory tid through the one door, with the coach's form for an assigned coach. */
static int render(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  const char *today = date_today_text(r->a);
  int64_t ids[3] = {0}, wi, ci, aid = 0;
  int rc = job_profile_parts_visible(r->db, r->user, tid, today, &wi, &ci);
  if (rc == DB_OK) rc = job_profile_strengths(r->db, r->user, tid, today, &aid);
  if (rc != DB_OK) return http_db_error(r, rc);
  static const char *const kinds3[] = {"job_profile", "job_profile", "assessment"};
  const char *kinds[3];
  int n = 0;
  if (wi) kinds[n] = kinds3[0], ids[n++] = wi;
  if (ci) kinds[n] = kinds3[1], ids[n++] = ci;
  if (aid) kinds[n] = kinds3[2], ids[n++] = aid;
  if ((rc = items_disclose_kinds(r, pid, tid, g, "job_profile", "view", kinds, ids, n)) != DB_OK)
    return http_db_error(r, rc);
  bool show_w = false, show_c = false;
  for (int i = 0; i < n; i++) {
    if (ids[i] && ids[i] == wi) show_w = true;
    if (ids[i] && ids[i] == ci) show_c = true;
    if (!ids[i] && strcmp(kinds[i], "assessment") == 0) aid = 0;
  }
  JobProfile p;
  bool have = false;
  if (show_w || show_c || policy_may_edit_job_profile(g)) {
    rc = job_profile_get(r->db, r->a, tid, &p);
    if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
    have = rc == DB_ROW;
  }
  if ((rc = case_page_begin(r, tid, g, _("Job profile"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Job profile"));
  trajectory_subnav(r, tid, g, "job-profile");
  if (g == GROUNDS_SELF)
    html(&r->out, "<p><a href=\"/me/work\">%s</a></p>", _("Write in your own words what work you are looking for"));
  if (have && (show_w || show_c)) {
    html(&r->out, "<p class=\"muted small\">%s</p>",
         arena_printf(r->a, _("Last saved by %s on %s."), p.updated_by, time_for(r, p.updated_at)));
    job_profile_show(r, &p, show_w, show_c, tid, aid, false);
  } else {
    html(&r->out, "<p class=\"empty\">%s</p>", have || policy_may_edit_job_profile(g)
                                                 ? _("There is no job profile yet.")
                                                 : _("No part of the job profile is shared with you."));
  }
  if (policy_may_edit_job_profile(g)) coach_form(r, tid, have ? &p : NULL);
  page_end(r);
  return status;
}

static int get_profile(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "job_profile", "view", GROUNDS_NONE, &g, &pid);
  return s ? s : render(r, r->ids[0], g, pid, 200);
}

/* A whole number from..to in field key into *v (-1 when empty); records an error otherwise. */
static void parse_num(Req *r, const char *key, int to, int *v, const char *msg) {
  const char *s = form_str(r, key);
  *v = -1;
  if (!*s) return;
  char *end;
  long x = strtol(s, &end, 10);
  if (*end || x < 0 || x > to || strlen(s) > 4) form_error(r, key, msg);
  else *v = (int)x;
}

/* Checks a text of lines (at most max lines of at most JOB_LINE_MAX characters). */
static void check_lines(Req *r, const char *key, int max, const char *msg) {
  const char *s = form_str(r, key);
  const char *parts[64];
  int n = job_split(r->a, s, false, parts, 64);
  bool bad = n > max || text_chars(s) > (size_t)max * (JOB_LINE_MAX + 2);
  for (int i = 0; i < n && !bad; i++) bad = text_chars(parts[i]) > JOB_LINE_MAX;
  if (bad) form_error(r, key, msg);
}

static int post_profile(Req *r) {
  Grounds g;
  int64_t pid;
  int s = case_door(r, OWNER_ITEM, 0, "job_profile", "update", policy_may_edit_job_profile, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  JobProfileCoach c = {0};
  const char *chosen[KIND_CHOICES];
  int nk = 0;
  static const char *const names[KIND_CHOICES] = {"kind1", "kind2", "kind3"};
  for (int i = 0; i < KIND_CHOICES; i++) {
    const char *k = form_str(r, names[i]);
    if (!*k) continue;
    if (work_kind_from_key(k) < 0) {
      form_error(r, names[i], _("Choose a kind of work from the list."));
      continue;
    }
    bool dup = false;
    for (int j = 0; j < nk; j++) dup |= strcmp(chosen[j], k) == 0;
    if (dup) form_error(r, names[i], _("This kind of work is chosen already."));
    else chosen[nk++] = k;
  }
  char *kinds = arena_strdup(r->a, "");
  for (int i = 0; i < nk; i++) kinds = arena_printf(r->a, "%s%s%s", kinds, i ? "," : "", chosen[i]);
  c.kinds = kinds;
  parse_num(r, "hours_now", JOB_HOURS_MAX, &c.hours_now, _("Hours a week: a whole number from 0 to 60."));
  parse_num(r, "hours_goal", JOB_HOURS_MAX, &c.hours_goal, _("Hours a week: a whole number from 0 to 60."));
  parse_num(r, "max_travel", JOB_TRAVEL_MAX, &c.max_travel_min, _("Travel time: a whole number of minutes from 0 to 240."));
  check_lines(r, "regions", JOB_REGIONS_MAX, _("At most 12 regions, each at most 80 characters."));
  check_lines(r, "avoid", JOB_AVOID_MAX, _("At most 12 tasks, each at most 80 characters."));
  c.regions = form_str(r, "regions");
  c.avoid = form_str(r, "avoid");
  for (int b = 0; b < SUPPORT_BITS; b++)
    if (*form_str(r, arena_printf(r->a, "support_%d", 1 << b))) c.support |= 1u << b;
  c.coach_work = form_str(r, "coach_work");
  c.coach_capacity = form_str(r, "coach_capacity");
  if (text_chars(c.coach_work) > JOB_WORDS_MAX)
    form_error(r, "coach_work", _("This text is too long (at most 4000 characters)."));
  if (text_chars(c.coach_capacity) > JOB_WORDS_MAX)
    form_error(r, "coach_capacity", _("This text is too long (at most 4000 characters)."));
  if (r->nerrors) return render(r, tid, g, pid, 400);

  int64_t now = (int64_t)time(NULL), id;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = job_profile_save_coach(r->db, tid, r->user->id, now, strtoll(form_str(r, "version"), NULL, 10), &c, &id);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    form_error(r, "version", _("Someone else saved this job profile meanwhile. Your text is kept below: compare it "
                               "with the saved profile above and save again."));
    return render(r, tid, g, pid, 409);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "job_profile:%lld", (long long)id), "update", g,
                                arena_printf(r->a, "/t/%lld/job-profile", (long long)tid));
}

/* ------------------------------------------------------------------------------ the participant: /me/work */

static int me_nothing(Req *r) {
  audit_nothing_shown(r); /* no one's file is shown */
  page_begin(r, _("My work"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p></section>", _("My work"),
       _("You have no trajectory running at the moment."));
  page_end(r);
  return 200;
}

/* The participant's open trajectory and grounds: 0 with *tid, *pid set; else the status of the answer given. */
static int me_door(Req *r, int64_t *tid, int64_t *pid, Grounds *g) {
  int rc = participant_open_trajectory(r->db, r->user->id, tid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!*tid) return me_nothing(r);
  if ((rc = policy_trajectory(r->db, r->user, *tid, g, pid)) != DB_OK) return http_db_error(r, rc);
  if (!policy_may_edit_own_words(*g)) return me_nothing(r);
  return 0;
}

static int me_render(Req *r, int64_t tid, int64_t pid, Grounds g, int status) {
  const char *today = date_today_text(r->a);
  int64_t wi, ci;
  int rc = job_profile_parts_visible(r->db, r->user, tid, today, &wi, &ci);
  if (rc != DB_OK) return http_db_error(r, rc);
  Proposal *props;
  int np;
  if ((rc = proposals_of_trajectory(r->db, r->a, tid, ME_PROPOSALS, &props, &np)) != DB_OK) return http_db_error(r, rc);
  JobProfile p;
  bool have = false;
  if ((rc = job_profile_get(r->db, r->a, tid, &p)) == DB_ROW) have = true;
  else if (rc != DB_DONE) return http_db_error(r, rc);

  /* the access log: the profile's parts and every proposal shown */
  int64_t ids[2];
  int n = 0;
  if (wi) ids[n++] = wi;
  if (ci) ids[n++] = ci;
  if ((rc = items_disclose(r, pid, tid, g, "job_profile", "view", "job_profile", ids, n)) != DB_OK)
    return http_db_error(r, rc);
  bool show_w = false, show_c = false;
  for (int i = 0; i < n; i++) {
    if (ids[i] && ids[i] == wi) show_w = true;
    if (ids[i] && ids[i] == ci) show_c = true;
  }
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(np + 1));
  int ne = 0;
  for (int i = 0; i < np; i++)
    if (strcmp(props[i].status, "draft") != 0) /* the mediator's drafts are not shown to her */
      e[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                             .item = arena_printf(r->a, "proposal:%lld", (long long)props[i].id), .action = "view",
                             .outcome = "ok", .grounds = grounds_name(g)};
  if (ne && (rc = audit_write_many(r, e, ne)) != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("My work"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1>", _("My work"));
  proposals_for_participant(r, props, np, have ? &p : NULL, show_w, show_c);
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-own\"><h2 id=\"h-own\">%s</h2><p>%s</p>",
       _("In your own words"),
       _("What work would you like to do? What can you do well, and what helps you? Write it the way you want. Your "
         "coach reads it. An employer sees it only when you say yes to a proposal."));
  form_errors_summary(r);
  form_begin(r, "/me/work", "form");
  bool typed = strcmp(r->method, "POST") == 0;
  html(&r->out, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
       typed ? (long long)strtoll(form_str(r, "version"), NULL, 10) : (long long)(have ? p.updated_at : 0));
  field_textarea(r, &(Field){.name = "own_work", .label = _("The work you are looking for"), .maxlength = JOB_WORDS_MAX,
                             .hint = _("For example: what kind of work, how many hours, where."),
                             .value = typed ? form_str(r, "own_work") : (have ? p.own_work : "")},
                 4);
  field_textarea(r, &(Field){.name = "own_capacity", .label = _("What you can do and what helps you"),
                             .maxlength = JOB_WORDS_MAX,
                             .hint = _("For example: what you are good at, what you would rather not do, what helps "
                                       "you at work. You do not have to write about your health."),
                             .value = typed ? form_str(r, "own_capacity") : (have ? p.own_capacity : "")},
                 4);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save"));
  form_end(r);
  html(&r->out, "</section>");
  if (have && (show_w || show_c)) {
    html(&r->out, "<h2>%s</h2><p>%s</p>", _("Your job profile"),
         _("This is what you and your coach wrote down together."));
    job_profile_show(r, &p, show_w, show_c, tid, 0, true);
  }
  html(&r->out, "</div>");
  page_end(r);
  return status;
}

static int get_me_work(Req *r) {
  int64_t tid, pid;
  Grounds g;
  int s = me_door(r, &tid, &pid, &g);
  return s ? s : me_render(r, tid, pid, g, 200);
}

static int post_me_work(Req *r) {
  int64_t tid, pid;
  Grounds g;
  int rc = participant_open_trajectory(r->db, r->user->id, &tid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!tid) {
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  if ((rc = policy_trajectory(r->db, r->user, tid, &g, &pid)) != DB_OK) return http_db_error(r, rc);
  if (!policy_may_edit_own_words(g)) {
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  const char *w = form_str(r, "own_work"), *c = form_str(r, "own_capacity");
  if (text_chars(w) > JOB_WORDS_MAX) form_error(r, "own_work", _("This text is too long (at most 4000 characters)."));
  if (text_chars(c) > JOB_WORDS_MAX) form_error(r, "own_capacity", _("This text is too long (at most 4000 characters)."));
  if (r->nerrors) return me_render(r, tid, pid, g, 400);
  int64_t now = (int64_t)time(NULL), id;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = job_profile_save_own(r->db, tid, r->user->id, now, strtoll(form_str(r, "version"), NULL, 10), w, c, &id);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    form_error(r, "version", _("Your coach saved your job profile just now. Your text is kept: look at it again and "
                               "save."));
    return me_render(r, tid, pid, g, 409);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "job_profile:%lld", (long long)id), "update", g,
                                "/me/work");
}

const Route job_profile_routes[] = {
    {"GET", "/t/{id}/job-profile", ROLES_CASE, R_CASE, get_profile},
    {"POST", "/t/{id}/job-profile", ROLES_CASE, R_CASE, post_profile},
    {"GET", "/me/work", ROLE_PARTICIPANT, R_CASE, get_me_work},
    {"POST", "/me/work", ROLE_PARTICIPANT, R_CASE, post_me_work},
    {0},
};

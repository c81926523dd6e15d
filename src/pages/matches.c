/*
 * matches.c — matching (issue 13, part 4). /t/{id}/matches: for a participant, the open openings ranked by
 * fit with their job profile — each with the reasons shown, which wishes it meets and which not (the
 * scoring is render/match.c, a pure function with a unit test): no black box. /openings/{id}/candidates:
 * for an opening, the participants whose coaches might propose them — named only to their own coaches
 * (POLICY_SQL_COACH_JOIN, then the one door per participant, each named one logged), the others as counts,
 * and a count below POLICY_COUNT_MIN as "fewer than 5" so that nobody is singled out.
 */
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/jobwords.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/jobs_policy.h"
#include "render/match.h"
#include "store/job_profiles.h"
#include "store/matching.h"
#include "store/proposals.h"

enum {
  SHOWN_DEFAULT = 25,  /* openings shown on the matches page */
  SHOWN_MAX = 200,     /* with ?n= */
  PROFILES_MAX = 20000 /* job profiles counted for an opening */
};

/* The wishes of a profile for the scoring; texts in the arena. */
static void wishes_of(Arena *a, const char *kinds, const char *regions, const char *avoid, int hours_now,
                      int hours_goal, unsigned support, MatchWishes *w) {
  memset(w, 0, sizeof *w);
  w->nkinds = job_split(a, kinds, true, w->kinds, MATCH_KINDS_MAX);
  w->nregions = job_split(a, regions, false, w->regions, MATCH_REGIONS_MAX);
  w->navoid = job_split(a, avoid, false, w->avoid, MATCH_AVOID_MAX);
  w->hours_now = hours_now;
  w->hours_goal = hours_goal;
  w->support = support;
}

/* One reason, said in words (of Werk als Beste Zorg when wabz). */
static const char *reason_text(Req *r, const MatchWishes *w, const MatchOpeningInfo *o, const MatchReason *m, bool wabz) {
  switch (m->what) {
  case MATCH_KIND:
    if (wabz)
      return m->met ? arena_printf(r->a, _("Kind of work: %s, choice %d of the client"), work_kind_label(o->work_kind),
                                   m->detail + 1)
                    : arena_printf(r->a, _("Kind of work: %s is not among the client's choices"),
                                   work_kind_label(o->work_kind));
    return m->met ? arena_printf(r->a, _("Kind of work: %s, choice %d of the participant"), work_kind_label(o->work_kind),
                                 m->detail + 1)
                  : arena_printf(r->a, _("Kind of work: %s is not among the participant's choices"),
                                 work_kind_label(o->work_kind));
  case MATCH_HOURS_GOAL:
    return m->met ? arena_printf(r->a, _("The %d hours a week aimed for fit this opening"), w->hours_goal)
                  : arena_printf(r->a, _("The %d hours a week aimed for do not fit this opening"), w->hours_goal);
  case MATCH_HOURS_NOW:
    if (m->met) return arena_printf(r->a, _("Can start at the current %d hours a week"), w->hours_now);
    return wabz ? arena_printf(r->a, _("Asks at least %d hours a week; the client works %d now"), o->hours_min,
                               w->hours_now)
                : arena_printf(r->a, _("Asks at least %d hours a week; the participant works %d now"), o->hours_min,
                               w->hours_now);
  case MATCH_REGION:
    if (wabz)
      return m->met ? arena_printf(r->a, _("In a region the client can travel to: %s"), o->region)
                    : arena_printf(r->a, _("Not in a region the client can travel to: %s"), o->region);
    return m->met ? arena_printf(r->a, _("In a region the participant can travel to: %s"), o->region)
                  : arena_printf(r->a, _("Not in a region the participant can travel to: %s"), o->region);
  case MATCH_SUPPORT:
    return m->met ? arena_printf(r->a, _("Offers the support needed: %s"), support_label(m->detail))
                  : arena_printf(r->a, _("Does not offer the support needed: %s"), support_label(m->detail));
  case MATCH_AVOID:
    return m->met ? arena_printf(r->a, _("Does not mention a task to avoid: %s"), w->avoid[m->detail])
                  : arena_printf(r->a, _("Mentions a task to avoid: %s"), w->avoid[m->detail]);
  }
  return "";
}

/* ------------------------------------------------------------------------------ /t/{id}/matches */

/* The first pass: every open opening's best possible key (match_score_bound: no texts read), in an arena array
 * that grows as rows come. */
typedef struct Scan {
  const MatchWishes *w;
  Arena *a;
  MatchKey *keys;
  int n, cap;
} Scan;

static void scan_one(const MatchRow *row, void *ctx) {
  Scan *s = ctx;
  if (s->n == s->cap) {
    int cap = s->cap ? 2 * s->cap : 1024;
    MatchKey *k = arena_alloc(s->a, sizeof *k * (size_t)cap);
    if (s->n) memcpy(k, s->keys, sizeof *k * (size_t)s->n);
    s->keys = k;
    s->cap = cap;
  }
  MatchOpening o = {.work_kind = row->work_kind, .region = row->region, .hours_min = row->hours_min,
                    .hours_max = row->hours_max, .support = row->support};
  MatchKey *k = &s->keys[s->n++];
  k->id = row->id;
  match_score_bound(s->w, &o, k);
}

/* A heap of keys whose root ranks first (match_key_cmp): the second pass takes the openings in the order of
 * their bounds, but only as many as it needs — heapifying is linear, sorting all of them would not be. */
static void heap_down(MatchKey *h, int n, int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && match_key_cmp(&h[l], &h[m]) < 0) m = l;
    if (r < n && match_key_cmp(&h[r], &h[m]) < 0) m = r;
    if (m == i) return;
    MatchKey t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

/* The second pass: openings in the order of their bounds (bounds is used up as a heap), each loaded and scored in full, kept when it ranks
 * among the best `want` — until the last one kept ranks before the next bound (no later opening can beat it).
 * Without tasks to avoid the bound is the score, so exactly the openings shown are loaded. Fills info, res
 * (room for want) and *n. Returns a DB code. */
static int best_openings(Req *r, const MatchWishes *w, MatchKey *bounds, int nb, int want, MatchOpeningInfo *info,
                         MatchResult *res, int *n) {
  MatchKey *top = arena_alloc(r->a, sizeof *top * (size_t)(want + 1));
  *n = 0;
  for (int i = nb / 2 - 1; i >= 0; i--) heap_down(bounds, nb, i);
  while (nb > 0 && want > 0) {
    MatchKey next = bounds[0];
    bounds[0] = bounds[--nb];
    heap_down(bounds, nb, 0);
    if (*n == want && match_key_cmp(&top[*n - 1], &next) < 0) break;
    MatchOpeningInfo oi;
    int rc = matching_opening(r->db, r->a, r->user, next.id, &oi);
    if (rc == DB_DONE) continue; /* changed since the first pass: not offered */
    if (rc != DB_ROW) return rc;
    MatchResult m;
    match_score(w, &(MatchOpening){.work_kind = oi.work_kind, .region = oi.region, .title = oi.title, .tasks = oi.tasks,
                                   .hours_min = oi.hours_min, .hours_max = oi.hours_max, .support = oi.support},
                &m);
    MatchKey k = {.score = m.score, .nmet = m.nmet, .id = oi.id};
    if (*n == want && match_key_cmp(&k, &top[*n - 1]) >= 0) continue;
    int at = *n < want ? (*n)++ : *n - 1;
    while (at > 0 && match_key_cmp(&k, &top[at - 1]) < 0) {
      top[at] = top[at - 1];
      info[at] = info[at - 1];
      res[at] = res[at - 1];
      at--;
    }
    top[at] = k;
    info[at] = oi;
    res[at] = m;
  }
  return DB_OK;
}

static int get_matches(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0];
  int s = case_door(r, OWNER_ITEM, 0, "matches", "view", policy_may_match, &g, &pid);
  if (s) return s;
  const char *today = date_today_text(r->a);
  int64_t wi, ci;
  int rc = job_profile_parts_visible(r->db, r->user, tid, today, &wi, &ci);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t ids[2];
  int n = 0;
  if (wi) ids[n++] = wi;
  if (ci) ids[n++] = ci;
  /* the matching reads the profile: its parts are logged as read for this list */
  if ((rc = items_disclose(r, pid, tid, g, "matches", "view", "job_profile", ids, n)) != DB_OK) return http_db_error(r, rc);
  JobProfile p;
  bool have = false;
  if (n && (ids[0] || (n > 1 && ids[1]))) {
    if ((rc = job_profile_get(r->db, r->a, tid, &p)) == DB_ROW) have = true;
    else if (rc != DB_DONE) return http_db_error(r, rc);
  }
  MatchWishes w;
  if (have) wishes_of(r->a, p.kinds, p.regions, p.avoid, p.hours_now, p.hours_goal, p.support, &w);

  Scan sc = {.w = &w};
  int shown = (int)query_int(r, "n", SHOWN_DEFAULT);
  if (shown > SHOWN_MAX) shown = SHOWN_MAX;
  MatchOpeningInfo *info = NULL;
  MatchResult *res = NULL;
  Proposal *props = NULL;
  int nprops = 0;
  if (have) {
    sc.a = r->a;
    if ((rc = matching_scan(r->db, r->user, today, false, scan_one, &sc)) != DB_OK) return http_db_error(r, rc);
    info = arena_alloc(r->a, sizeof *info * (size_t)(shown + 1));
    res = arena_alloc(r->a, sizeof *res * (size_t)(shown + 1));
    if ((rc = best_openings(r, &w, sc.keys, sc.n, shown, info, res, &shown)) != DB_OK) return http_db_error(r, rc);
    if ((rc = proposals_of_trajectory(r->db, r->a, tid, 200, &props, &nprops)) != DB_OK) return http_db_error(r, rc);
  }

  if ((rc = case_page_begin(r, tid, g, _("Matching openings"))) != DB_OK) return http_db_error(r, rc);
  bool wabz = case_wabz(r, tid); /* the programme's words */
  html(&r->out, "<h1>%s</h1>", _("Matching openings"));
  trajectory_subnav(r, tid, g, "matches");
  if (!have) {
    html(&r->out, "<p class=\"empty\">%s</p><p><a href=\"/t/%lld/job-profile\">%s</a></p>",
         wabz ? _("There is no job profile yet: matching starts from the client's wishes.")
              : _("There is no job profile yet: matching starts from the participant's wishes."),
         (long long)tid,
         _("Make the job profile"));
    page_end(r);
    return 200;
  }
  html(&r->out, "<p class=\"lead\">%s</p>",
       arena_printf(r->a, P_("%d open opening, the best fitting first.", "%d open openings, the best fitting first.",
                             sc.n),
                    sc.n));
  html(&r->out, "<p class=\"muted small\">%s</p>",
       wabz ? _("Each opening is scored on the client's wishes: kind of work (their first choice weighs most), hours, "
                "region, support needed and tasks to avoid. Below each opening: which wishes it meets and which not.")
            : _("Each opening is scored on the participant's wishes: kind of work (their first choice weighs most), "
                "hours, region, support needed and tasks to avoid. Below each opening: which wishes it meets and which "
                "not."));
  html(&r->out, "<ol class=\"matches cards\">");
  for (int i = 0; i < shown; i++) {
    const MatchOpeningInfo *o = &info[i];
    const MatchResult *m = &res[i];
    html(&r->out, "<li class=\"card match\"><h2><a href=\"/openings/%lld\">%s</a></h2><p>%s · %s · %s · %s</p>",
         (long long)o->id, o->title, o->employer_name,
         opening_kind_label(o->kind), o->region,
         o->hours_min > 0 ? arena_printf(r->a, _("%d to %d hours a week"), o->hours_min, o->hours_max)
                          : arena_printf(r->a, P_("up to %d hour a week", "up to %d hours a week", o->hours_max),
                                         o->hours_max));
    html(&r->out, "<p><strong>%s</strong></p>",
         arena_printf(r->a, P_("Meets %d of %d wish", "Meets %d of %d wishes", m->nreasons), m->nmet, m->nreasons));
    html(&r->out, "<ul class=\"reasons\">");
    for (int k = 0; k < m->nreasons; k++)
      html(&r->out, "<li class=\"%s\"><strong>%s</strong> %s</li>",
           m->reasons[k].met ? "met" : "unmet", m->reasons[k].met ? _("Meets:") : _("Does not meet:"),
           reason_text(r, &w, o, &m->reasons[k], wabz));
    html(&r->out, "</ul>");
    html(&r->out, "<p class=\"small\"><a href=\"/openings/%lld/candidates\">%s</a></p>", (long long)o->id,
         _("Who else fits this opening"));
    const Proposal *already = NULL;
    for (int k = 0; k < nprops && !already; k++)
      if (props[k].opening_id == o->id && strcmp(props[k].status, "withdrawn") && strcmp(props[k].status, "declined_by_participant"))
        already = &props[k];
    if (already)
      html(&r->out, "<p><span class=\"badge\">%s</span></p>", proposal_status_label_in(already->status, wabz));
    else {
      long long oid = (long long)o->id;
      html(&r->out, "<details><summary>%s</summary>", _("Propose to the employer"));
      form_begin(r, arena_printf(r->a, "/t/%lld/proposals", (long long)tid), "form compact");
      html(&r->out, "<input type=\"hidden\" name=\"opening_id\" value=\"%lld\"><div class=\"field\">"
                    "<label for=\"note-%lld\">%s</label><p class=\"hint\" id=\"note-hint-%lld\">%s</p>"
                    "<textarea id=\"note-%lld\" name=\"note\" rows=\"3\" maxlength=\"2000\" "
                    "aria-describedby=\"note-hint-%lld\"></textarea></div>",
           oid, oid, _("Message to the employer"), oid,
           wabz ? _("The client reads it first, with everything the employer will see, and decides.")
                : _("The participant reads it first, with everything the employer will see, and decides."),
           oid, oid);
      html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                    "<button type=\"submit\" name=\"draft\" value=\"1\">%s</button></div>",
           wabz ? _("Ask the client") : _("Ask the participant"), _("Keep as a draft"));
      form_end(r);
      html(&r->out, "</details>");
    }
    html(&r->out, "</li>");
  }
  html(&r->out, "</ol>");
  if (shown < sc.n && shown < SHOWN_MAX)
    html(&r->out, "<p><a href=\"/t/%lld/matches?n=%d\">%s</a></p>", (long long)tid, SHOWN_MAX, _("Show more openings"));
  page_end(r);
  return 200;
}

/* ------------------------------------------------------------------------------ /openings/{id}/candidates */

static int get_candidates(Req *r) {
  int64_t oid = r->ids[0];
  MatchOpeningInfo o;
  int rc = matching_opening(r->db, r->a, r->user, oid, &o);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (rc == DB_DONE) {
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  MatchOpening mo = {.work_kind = o.work_kind, .region = o.region, .title = o.title, .tasks = o.tasks,
                     .hours_min = o.hours_min, .hours_max = o.hours_max, .support = o.support};
  MatchProfileRow *all;
  int nall;
  if ((rc = matching_profiles_open(r->db, r->a, PROFILES_MAX, &all, &nall)) != DB_OK) return http_db_error(r, rc);
  MatchOwn *own;
  int nown;
  if ((rc = matching_own_candidates(r->db, r->a, r->user, PROFILES_MAX, &own, &nown)) != DB_OK) return http_db_error(r, rc);

  /* every open profile is scored; a candidate meets at least half of the weight of its wishes */
  int others = 0;
  bool *fits_own = arena_alloc(r->a, sizeof *fits_own * (size_t)(nown + 1));
  MatchResult *own_res = arena_alloc(r->a, sizeof *own_res * (size_t)(nown + 1));
  for (int i = 0; i < nall; i++) {
    MatchWishes w;
    wishes_of(r->a, all[i].kinds, all[i].regions, all[i].avoid, all[i].hours_now, all[i].hours_goal, all[i].support, &w);
    MatchResult m;
    match_score(&w, &mo, &m);
    bool fits = m.max_score > 0 && 2 * m.score >= m.max_score;
    int mine = -1;
    for (int k = 0; k < nown && mine < 0; k++)
      if (own[k].trajectory_id == all[i].trajectory_id) mine = k;
    if (mine >= 0) {
      fits_own[mine] = fits;
      own_res[mine] = m;
    } else if (fits) {
      others++;
    }
  }
  /* the one door for each participant named, and one access-log entry for each */
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(nown + 1));
  int ne = 0;
  for (int k = 0; k < nown; k++) {
    if (!fits_own[k]) continue;
    Grounds g;
    int64_t pid;
    if ((rc = policy_trajectory(r->db, r->user, own[k].trajectory_id, &g, &pid)) != DB_OK) return http_db_error(r, rc);
    if (!policy_may_match(g)) {
      fits_own[k] = false;
      others++;
      continue;
    }
    e[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = own[k].trajectory_id,
                           .item = arena_printf(r->a, "candidates:opening:%lld", (long long)oid), .action = "list",
                           .outcome = "ok", .grounds = grounds_name(g)};
  }
  if (ne && (rc = audit_write_many(r, e, ne)) != DB_OK) return http_db_error(r, rc);
  if (!ne) audit_nothing_shown(r); /* counts only: no one's file is shown */

  page_begin(r, _("Candidates for an opening"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s · %s · %s</p>", _("Candidates for an opening"), o.title,
       o.employer_name, o.region);
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("A candidate is a participant with a job profile whose wishes this opening meets for at least half. You see "
         "the names of your own participants; the others only as a number."));
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-own\"><h2 id=\"h-own\">%s</h2>", _("Your participants"));
  if (!ne) html(&r->out, "<p class=\"empty\">%s</p>", _("None of your participants fits this opening."));
  else {
    html(&r->out, "<ul class=\"plain\">");
    for (int k = 0; k < nown; k++) {
      if (!fits_own[k]) continue;
      html(&r->out, "<li><a href=\"/t/%lld/matches\">%s %s</a> <span class=\"muted small\">%s</span></li>",
           (long long)own[k].trajectory_id, own[k].first_name, own[k].last_name,
           arena_printf(r->a, P_("meets %d of %d wish", "meets %d of %d wishes", own_res[k].nreasons), own_res[k].nmet,
                        own_res[k].nreasons));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "</section><section class=\"card\" aria-labelledby=\"h-others\"><h2 id=\"h-others\">%s</h2><p>%s</p>"
                "</section>",
       _("Participants of other coaches"),
       others < POLICY_COUNT_MIN
           ? _("Fewer than 5.")
           : arena_printf(r->a, P_("%d participant", "%d participants", others), others));
  page_end(r);
  return 200;
}

const Route matches_routes[] = {
    {"GET", "/t/{id}/matches", ROLES_CASE, R_CASE, get_matches},
    {"GET", "/openings/{id}/candidates", ROLE_COACH, R_CASE, get_candidates},
    {0},
};

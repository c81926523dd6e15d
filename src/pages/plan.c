/*
 * plan.c — the SMART action plan of a trajectory: the current version (/t/{id}/plan), one version and its
 * comparison with the previous one (/t/{id}/plan/{vid}), the coach's edit form (/t/{id}/plan/edit), saving
 * a new version (POST /t/{id}/plan), the confirmations of the participant, the coach and the members who own
 * actions (POST /t/{id}/plan/{vid}/confirm), and the owners' updates of their actions.
 *
 * A version of the plan is case information like a note: one row in `items` (kind 'plan', category
 * 'plan', the participant as source party, the coach as author, a Markdown rendering as body for search)
 * with its goals and actions in plan_versions, plan_goals and plan_actions, keyed by that item. Content
 * is only ever read after policy_item has allowed that item (lists use POLICY_SQL_ITEM_VISIBLE), so a
 * network member sees the plan exactly while a live consent of the participant for category `plan`
 * covers them; the participant and the assigned coaches always. Every read writes an access-log entry
 * with the grounds and the consent that allowed it.
 *
 * Versions are never edited: adjusting the plan (bijsturing) saves a new version with a reason. The edit
 * form carries the version it started from (base_version); when somebody else saved a version in the
 * meantime, the save is refused with 409 and the form comes back with what the user typed. The form starts
 * with one goal and one action (a stored plan: its own goals and actions); "Add goal" / "Add action" submit
 * it, and it comes back with one more row and everything typed, nothing saved — no script needed.
 *
 * The owners of actions act on the current version without a new one (POST /t/{id}/plan/actions/{aid}):
 * the participant and a network member mark their own action started or done, with an optional remark that
 * is the owner's information (an item with the owner as source party, seen by the visibility rule), while
 * the one door lets them see the version. A later version keeps the status and the update of an action that
 * did not change (store/plan.h). The network members owning actions of a version confirm it beside the
 * participant and the coach; when all have, the protocol step "have the plan confirmed" is ticked.
 *
 * The plan is read and written through store/plan.h (no SQL here); the comparison of two versions is
 * render/plandiff.h, and this file only writes it as HTML.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "render/plandiff.h"
#include "store/plan.h"
#include "store/trajectories.h"

enum {
  GOALS_MAX = PLAN_GOALS_MAX,     /* goals of a version (the edit form starts with one and adds rows on request) */
  ACTIONS_MAX = PLAN_ACTIONS_MAX, /* actions per goal */
  VERSIONS_MAX = 200, /* versions listed on the plan page */
  TITLE_MAX = 200,
  SMART_MAX = 2000,
  ACTION_MAX = 1000,
  REASON_MAX = 2000,
  REMARK_MAX = 2000, /* an owner's remark on their action */
};

static const char *const action_statuses[] = {"planned", "in_progress", "done", "dropped", NULL};

static const char *label_status(const char *s) {
  static const char *const map[] = {"planned", N_("Planned"), "in_progress", N_("In progress"), "done", N_("Done"),
                                    "dropped", N_("Dropped"), NULL};
  for (int i = 0; s && map[i]; i += 2)
    if (strcmp(map[i], s) == 0) return _(map[i + 1]);
  return s ? s : "";
}

static bool is_status(const char *s) {
  for (int i = 0; action_statuses[i]; i++)
    if (strcmp(action_statuses[i], s) == 0) return true;
  return false;
}

/* The five SMART fields of a goal, in order: form key suffix, label, hint. */
static const struct {
  const char *key, *label, *hint;
} smart_fields[] = {
    {"specific", N_("Specific"), N_("What exactly is to be reached?")},
    {"measurable", N_("Measurable"), N_("How will everybody see that it is reached?")},
    {"achievable", N_("Achievable"), N_("Why is it within reach, and with what support?")},
    {"relevant", N_("Relevant"), N_("Why does it matter for the return to work?")},
};

static const char *goal_field(const PlanGoal *g, int k) {
  switch (k) {
    case 0: return g->specific;
    case 1: return g->measurable;
    case 2: return g->achievable;
    default: return g->relevant;
  }
}


static const char *s_or_empty(const char *s) { return s ? s : ""; }

/* ------------------------------------------------------------------------------------------ storage */

/* Loads version item_id with its goals and actions, the owners' latest updates and the members who confirm it
 * into *v (store/plan.h). Call only after policy_item allowed the item. Returns DB_ROW when found, DB_DONE
 * when item_id is no plan version, or a DB error code. Allocates in the request arena. */
static int version_load(Req *r, int64_t item_id, PlanVersion *v) {
  int rc = plan_version_load(r->db, r->a, r->user, item_id, v);
  if (rc != DB_ROW) return rc;
  rc = plan_version_load_owners(r->db, r->a, r->user, v);
  return rc == DB_OK ? DB_ROW : rc;
}

/* Who owns action a, as the plan page names them: a member by name (noted when no longer in the network, a
 * neutral label when the membership rule hides them), the coach, the participant ("You" to themselves), in
 * the words of programme. */
static const char *owner_label(Req *r, const char *programme, const PlanAction *a) {
  if (a->owner_kind && strcmp(a->owner_kind, "member") == 0)
    return !a->owner_name     ? label_hidden_person()
           : !a->owner_removed ? a->owner_name
                               : arena_printf(r->a, "%s (%s)", a->owner_name, _("no longer in the network"));
  if (a->owner_kind && strcmp(a->owner_kind, "coach") == 0) return programme_word(programme, PW_THE_COACH);
  return reader_plain(r) ? _("You") : programme_word(programme, PW_THE_PARTICIPANT);
}

/* The owner of a stored action as the edit form's value: "participant", "coach" or the member id in decimal
 * ("" for an empty row). */
static const char *owner_value(Req *r, const PlanAction *a) {
  if (!a->owner_kind) return "";
  if (strcmp(a->owner_kind, "member") == 0) return arena_printf(r->a, "%lld", (long long)a->owner_member_id);
  return strcmp(a->owner_kind, "coach") == 0 ? "coach" : "participant";
}

/* The remarks of the owners' updates of version v that the user may see (the one door, per remark: each is
 * the owner's information), set on their actions; each one shown gets a "view" entry in entries[*ne] (room
 * for one per action). Returns a DB code. */
static int remarks_disclose(Req *r, int64_t tid, int64_t pid, PlanVersion *v, const char *today, AuditEntry *entries,
                            int *ne) {
  for (int i = 0; i < v->ngoals; i++)
    for (int j = 0; j < v->goals[i].nactions; j++) {
      PlanAction *a = &v->goals[i].actions[j];
      if (!a->upd || !a->upd->remark_item_id) continue;
      Grounds g;
      int64_t consent;
      ItemRef it = {0};
      int rc = policy_item(r->db, r->user, a->upd->remark_item_id, today, &g, &consent, &it);
      if (rc != DB_OK) return rc;
      if (g == GROUNDS_NONE || it.trajectory_id != tid) continue;
      if ((rc = plan_remark_body(r->db, r->a, a->upd->remark_item_id, &a->remark)) != DB_OK) return rc;
      if (!a->remark) continue;
      entries[(*ne)++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                      .item = arena_printf(r->a, "plan_remark:%lld", (long long)a->upd->remark_item_id),
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g), .consent_id = consent};
    }
  return DB_OK;
}


/* Asks the one door about version item vid of trajectory tid and writes the read to the access log
 * (action "view", outcome ok or denied, with grounds and consent) unless entry is not NULL, in which
 * case the entry is returned for a batch. *ok is false when the user may not see it or it is no plan
 * version of tid. Returns a DB code. */
static int version_allowed(Req *r, int64_t tid, int64_t pid, int64_t vid, const char *today, bool *ok,
                           AuditEntry *entry) {
  Grounds g;
  int64_t consent;
  ItemRef it = {0};
  *ok = false;
  int rc = policy_item(r->db, r->user, vid, today, &g, &consent, &it);
  if (rc != DB_OK) return rc;
  bool is_plan = false;
  if (g != GROUNDS_NONE && it.trajectory_id == tid && (rc = plan_version_in(r->db, vid, tid, &is_plan)) != DB_OK)
    return rc;
  *ok = is_plan;
  AuditEntry e = {.participant_id = pid, .trajectory_id = tid, .item = arena_printf(r->a, "plan:%lld", (long long)vid),
                  .action = "view", .outcome = *ok ? "ok" : "denied", .grounds = grounds_name(g),
                  .consent_id = *ok ? consent : 0};
  if (entry) {
    *entry = e;
    return DB_OK;
  }
  return audit_write(r, &e);
}

/* ------------------------------------------------------------------------------------------ display */

/* The knowledge base as a page of the plan needs it, loaded once per page (never per action): the
 * published articles, and for a save the measure slugs stored in the version being edited, which stay
 * acceptable without a published article so that saving again loses nothing. */
typedef struct Measures {
  MeasureRef *list;
  int n;
  const char *kept[GOALS_MAX * ACTIONS_MAX];
  int nkept;
} Measures;

/* Loads the published articles into *ms (kept empty). Returns a DB code. */
static int measures_load(Req *r, Measures *ms) {
  memset(ms, 0, sizeof *ms);
  return measures_published(r, &ms->list, &ms->n);
}

/* Adds the measure slugs stored in version number n of trajectory tid to ms->kept. Used only to decide
 * what a save accepts, never to show content. Returns a DB code. */
static int measures_keep_stored(Req *r, int64_t tid, int64_t n, Measures *ms) {
  return plan_version_measures(r->db, r->a, tid, n, ms->kept, GOALS_MAX * ACTIONS_MAX, &ms->nkept);
}

/* Whether a posted measure may be saved: a published article, or a slug the edited version holds. */
static bool measure_allowed(const Measures *ms, const char *slug) {
  if (measure_find(ms->list, ms->n, slug)) return true;
  for (int i = 0; i < ms->nkept; i++)
    if (strcmp(ms->kept[i], slug) == 0) return true;
  return false;
}

/* An action's measure: the article's title linking to it when a published article has that slug, else
 * the slug as plain text; nothing for none. */
static void measure_show(Req *r, const Measures *ms, const char *slug) {
  if (!slug || !*slug) return;
  const MeasureRef *m = measure_find(ms->list, ms->n, slug);
  if (m) html(&r->out, "<a href=\"/measures/%s\">%s</a>", m->slug, m->title);
  else html(&r->out, "%s", slug);
}


/* Who confirmed the version and when, per party (named in the words of programme). */
static void confirmations(Req *r, const char *programme, const PlanVersion *v) {
  html(&r->out, "<dl class=\"confirmations\"><dt>%s</dt><dd>", programme_word(programme, PW_PARTICIPANT));
  if (v->p_name)
    html(&r->out, "<span class=\"badge badge-ok\">%s</span> %s, %s", _("Confirmed"), v->p_name, time_for(r, v->p_at));
  else
    html(&r->out, "<span class=\"badge badge-muted\">%s</span>", _("Not yet confirmed"));
  html(&r->out, "</dd><dt>%s</dt><dd>", programme_word(programme, PW_COACH));
  if (v->c_name)
    html(&r->out, "<span class=\"badge badge-ok\">%s</span> %s, %s", _("Confirmed"), v->c_name, time_for(r, v->c_at));
  else
    html(&r->out, "<span class=\"badge badge-muted\">%s</span>", _("Not yet confirmed"));
  html(&r->out, "</dd>");
  /* the network members who own actions of this version confirm it too; those the reader may not know of
   * (the membership rule) are left out here: the actions already name them neutrally */
  for (int i = 0; i < v->nmembers; i++) {
    const PlanMemberConfirm *m = &v->members[i];
    if (!m->name) continue;
    html(&r->out, "<dt>%s</dt><dd>", m->name);
    if (m->at)
      html(&r->out, "<span class=\"badge badge-ok\">%s</span> %s, %s", _("Confirmed"), name_or_hidden(m->by_name),
           time_for(r, m->at));
    else if (!m->has_account)
      html(&r->out, "<span class=\"badge badge-muted\">%s</span> <span class=\"small muted\">%s</span>",
           _("Not yet confirmed"), _("No account in the portal: the coach records the agreement on the protocol."));
    else
      html(&r->out, "<span class=\"badge badge-muted\">%s</span>", _("Not yet confirmed"));
    html(&r->out, "</dd>");
  }
  html(&r->out, "</dl>");
}

/* How an owner's latest update of an action reads under its status: who marked it and when, and the remark
 * when the reader may see it. */
static void update_note(Req *r, const PlanAction *a) {
  if (!a->upd) return;
  html(&r->out, "<br><span class=\"small muted\">%s</span>",
       arena_printf(r->a, _("Marked by %s on %s"), name_or_hidden(a->upd->by_name),
                    day_for(r, a->upd->at)));
  if (a->remark) {
    html(&r->out, "<br><span class=\"small\">%s ", _("Remark:"));
    html_text_lines(&r->out, a->remark);
    html(&r->out, "</span>");
  }
}

/* The goals and actions of a version, readable on a phone: a heading per goal (h4 when nested under an
 * h3, else h3), the SMART fields as a description list, the actions as a table. */
static void version_goals(Req *r, const char *programme, const PlanVersion *v, bool nested, const Measures *ms) {
  if (v->ngoals == 0) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("This version has no goals."));
    return;
  }
  for (int i = 0; i < v->ngoals; i++) {
    const PlanGoal *g = &v->goals[i];
    if (nested)
      html(&r->out, "<article class=\"goal\" id=\"goal-%d\"><h4>%s %d: %s</h4><dl class=\"smart\">", i + 1, _("Goal"),
           i + 1, g->title);
    else
      html(&r->out, "<article class=\"goal\" id=\"goal-%d\"><h3>%s %d: %s</h3><dl class=\"smart\">", i + 1, _("Goal"),
           i + 1, g->title);
    for (int k = 0; k < 4; k++) {
      html(&r->out, "<dt>%s</dt><dd>", _(smart_fields[k].label));
      html_text_lines(&r->out, goal_field(g, k));
      html(&r->out, "</dd>");
    }
    html(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", _("Time-bound: reached by"), date_for(r, g->time_bound));
    if (g->nactions == 0) {
      html(&r->out, "<p class=\"muted\">%s</p>", _("No actions for this goal yet."));
    } else {
      html(&r->out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"cap-%d-%lld\">"
                    "<table class=\"stack\"><caption id=\"cap-%d-%lld\">%s %d</caption><thead><tr><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
           i + 1, (long long)v->item_id, i + 1, (long long)v->item_id, _("Actions for goal"), i + 1, _("Action"),
           _("Owner"), _("Due"), _("Status"), _("Measure"));
      for (int j = 0; j < g->nactions; j++) {
        const PlanAction *a = &g->actions[j];
        /* data-label: on a phone the rows stack and each value shows its column's name */
        html(&r->out, "<tr><td>%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                      "<td data-label=\"%s\">%s", a->text, _("Owner"), owner_label(r, programme, a), _("Due"), date_for(r, a->due_on),
             _("Status"), label_status(a->status));
        update_note(r, a);
        html(&r->out, "</td><td data-label=\"%s\">", _("Measure"));
        measure_show(r, ms, a->measure);
        html(&r->out, "</td></tr>");
      }
      html(&r->out, "</tbody></table></div>");
    }
    html(&r->out, "</article>");
  }
}

/* The version's heading line: number, author, time, reason. */
static void version_meta(Req *r, const PlanVersion *v) {
  html(&r->out, "<p class=\"meta\">%s</p>",
       arena_printf(r->a, _("Saved by %s · %s"), name_or_hidden(v->author), time_for(r, v->created_at)));
  if (v->reason && *v->reason) {
    html(&r->out, "<p><strong>%s</strong> ", _("Reason for the change:"));
    html_text_lines(&r->out, v->reason);
    html(&r->out, "</p>");
  }
}

/* Whether live member `member` (0: none) owns an action of v and has not confirmed v yet (*owner: owns one). */
static bool member_to_confirm(const PlanVersion *v, int64_t member, bool *owner) {
  *owner = false;
  for (int i = 0; member && i < v->nmembers; i++)
    if (v->members[i].member_id == member) {
      *owner = true;
      return v->members[i].at == 0;
    }
  return false;
}

/* A confirm button for the user's party (participant, coach, or the network member `member` owning one of its
 * actions) when the version is the latest and that party has not confirmed it yet. */
static void confirm_form(Req *r, const char *programme, int64_t tid, Grounds tg, int64_t member, const PlanVersion *v,
                         bool latest) {
  if (!latest) return;
  bool owner;
  bool as_member = tg == GROUNDS_MEMBER && member_to_confirm(v, member, &owner);
  bool mine = (tg == GROUNDS_SELF && !v->p_name) || (tg == GROUNDS_COACH && !v->c_name) || as_member;
  if (!mine) return;
  form_begin(r, arena_printf(r->a, "/t/%lld/plan/%lld/confirm", (long long)tid, (long long)v->item_id), "form");
  html(&r->out, "<p class=\"hint\">%s</p><div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div>",
       tg == GROUNDS_SELF    ? _("Confirm that you agree with this version of your action plan.")
       : tg == GROUNDS_COACH ? programme_word(programme, PW_CONFIRM_AS_COACH)
                             : _("You own actions in this plan. Confirm that you agree with this version."),
       arena_printf(r->a, _("Confirm version %lld"), (long long)v->version));
  form_end(r);
}

/* Whether the user owns action a: the participant their own, a network member (live membership `member`)
 * theirs. */
static bool owns_action(Grounds tg, int64_t member, const PlanAction *a) {
  if (tg == GROUNDS_SELF) return strcmp(a->owner_kind, "member") != 0 && strcmp(a->owner_kind, "coach") != 0;
  if (tg == GROUNDS_MEMBER && member && strcmp(a->owner_kind, "member") == 0) return a->owner_member_id == member;
  return false;
}

static int trajectory_facts(Req *r, int64_t tid, const char **started_on, bool *open, const char **programme);

/* The form an owner marks one of their actions with: started or done, and an optional remark. After a refused
 * update the values come back as posted. next: where to go after saving. */
static void action_mark_form(Req *r, int64_t tid, Grounds tg, const PlanAction *a, const char *next) {
  const char *sk = arena_printf(r->a, "a%lld_status", (long long)a->id);
  const char *rk = arena_printf(r->a, "a%lld_remark", (long long)a->id);
  const char *value = form_str(r, sk);
  if (!*value) value = strcmp(a->status, "planned") == 0 ? "in_progress" : "done";
  const char *const opts[] = {"in_progress", _("Started"), "done", _("Done"), NULL};
  form_begin(r, arena_printf(r->a, "/t/%lld/plan/actions/%lld", (long long)tid, (long long)a->id), "form");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
  field_select(r, &(Field){.name = sk, .label = _("Mark this action as"), .value = value, .required = true}, opts);
  field_textarea(r, &(Field){.name = rk, .label = _("Remark"), .value = form_str(r, rk), .maxlength = REMARK_MAX,
                             .hint = tg == GROUNDS_SELF
                                         ? _("Your coach reads it; others only when you share information about your "
                                             "plan with them.")
                                         : _("The coach reads it; others only when you share information about the plan "
                                             "with them.")},
                 2);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save the status"));
  form_end(r);
}

/* "Your actions": the actions of the current version v that the user owns, each with the form to mark it.
 * Nothing when the user owns none. */
static void my_actions(Req *r, int64_t tid, Grounds tg, int64_t member, const PlanVersion *v) {
  int mine = 0;
  for (int i = 0; i < v->ngoals; i++)
    for (int j = 0; j < v->goals[i].nactions; j++) mine += owns_action(tg, member, &v->goals[i].actions[j]);
  if (!mine) return;
  html(&r->out, "<section class=\"card\" id=\"my-actions\" aria-labelledby=\"h-my-actions\"><h2 id=\"h-my-actions\">%s</h2>"
                "<p class=\"hint\">%s</p>",
       _("Your actions"),
       _("Mark an action started or done when it is. The coach sees it at once; the plan itself does not change."));
  for (int i = 0; i < v->ngoals; i++)
    for (int j = 0; j < v->goals[i].nactions; j++) {
      const PlanAction *a = &v->goals[i].actions[j];
      if (!owns_action(tg, member, a)) continue;
      html(&r->out, "<article class=\"my-action\" id=\"action-%lld\"><h3>%s</h3><p class=\"small muted\">%s</p><p>%s",
           (long long)a->id, a->text, arena_printf(r->a, _("Due %s"), date_for(r, a->due_on)),
           arena_printf(r->a, _("Status: %s"), label_status(a->status)));
      update_note(r, a);
      html(&r->out, "</p>");
      if (strcmp(a->status, "dropped") != 0)
        action_mark_form(r, tid, tg, a, arena_printf(r->a, "/t/%lld/plan", (long long)tid));
      html(&r->out, "</article>");
    }
  html(&r->out, "</section>");
}

/* What the plan page shows, loaded, decided and logged before anything is written. */
typedef struct PlanPage {
  PlanVersionLine *rows;
  bool *shown;    /* per row: let through by the one door, so listed */
  int n, current; /* current: the row shown in full (the newest one allowed), -1: none */
  PlanVersion v;  /* that version, when current >= 0 */
  int64_t latest_item, latest_version, member; /* member: the reader's live membership (0: none) */
  bool open;      /* the trajectory is open */
  const char *programme; /* the trajectory's: its words for the coach and the participant */
  Measures ms;
} PlanPage;

/* Loads the plan page of trajectory tid for the reader (grounds tg, participant pid): the versions they may
 * see, each checked with the rule in C, the newest in full with the remarks they may read; writes the list and
 * every version and remark shown to the access log. Returns a DB code. */
/* items_disclose_more's first-item action for the plan page (ctx: PlanPageLoad): the newest version allowed is
 * shown in full, with the remarks the reader may see, each added to the batch. Returns a DB code. */
typedef struct PlanPageLoad {
  PlanPage *p;
  int64_t tid, pid;
  const char *today;
} PlanPageLoad;

static int plan_page_current(Req *r, void *ctx, int first, AuditEntry *extra, int *n) {
  PlanPageLoad *l = ctx;
  l->p->current = first;
  int rc = version_load(r, l->p->rows[first].item_id, &l->p->v);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  return remarks_disclose(r, l->tid, l->pid, &l->p->v, l->today, extra, n);
}

static int plan_page_load(Req *r, int64_t tid, Grounds tg, int64_t pid, PlanPage *p) {
  const char *today = date_today_text(r->a);
  int rc = plan_versions_visible(r->db, r->a, r->user, tid, today, VERSIONS_MAX, &p->rows, &p->n);
  if (rc != DB_OK) return rc;
  if ((rc = plan_latest(r->db, tid, &p->latest_item, &p->latest_version)) != DB_OK) return rc;
  if (tg == GROUNDS_MEMBER && (rc = plan_live_membership(r->db, tid, r->user->id, &p->member)) != DB_OK) return rc;
  const char *started_on;
  if ((rc = trajectory_facts(r, tid, &started_on, &p->open, &p->programme)) != DB_ROW)
    return rc == DB_DONE ? DB_ERROR : rc;

  /* each listed version checked with the C rule; the newest one allowed is shown in full, the others listed */
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(p->n + 1));
  for (int i = 0; i < p->n; i++) ids[i] = p->rows[i].item_id;
  p->current = -1;
  PlanPageLoad l = {.p = p, .tid = tid, .pid = pid, .today = today};
  rc = items_disclose_more(r, pid, tid, tg, "plan", "list", "plan", ids, p->n,
                           &(DiscloseMore){.item_action = "list", .first_action = "view", .on_first = plan_page_current,
                                           .ctx = &l, .max_extra = GOALS_MAX * ACTIONS_MAX});
  if (rc != DB_OK) return rc;
  p->shown = arena_alloc(r->a, sizeof *p->shown * (size_t)(p->n + 1));
  for (int i = 0; i < p->n; i++) p->shown[i] = ids[i] != 0;
  if (p->current >= 0 && (rc = measures_load(r, &p->ms)) != DB_OK) return rc;
  return DB_OK;
}

/* Writes the plan page p loaded: the coach's edit button, the reader's own actions, the current version with
 * its confirmations, goals and actions, and the list of versions. message: shown above the plan (NULL:
 * none). */
static void plan_page_write(Req *r, int64_t tid, Grounds tg, const PlanPage *p, const char *message) {
  html(&r->out, "<h1>%s</h1>", _("Action plan"));
  trajectory_subnav(r, tid, tg, "plan");
  if (message) html(&r->out, "<div class=\"errors\" role=\"alert\" tabindex=\"-1\"><p>%s</p></div>", message);
  if (tg == GROUNDS_COACH)
    html(&r->out, "<p><a class=\"button primary\" href=\"/t/%lld/plan/edit\">%s</a></p>", (long long)tid,
         p->latest_version ? _("Adjust the plan") : _("Write the first version of the plan"));
  if (p->current < 0) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("There is no action plan you can see yet."));
    return;
  }
  const PlanVersion *v = &p->v;
  if (p->open && v->item_id == p->latest_item) my_actions(r, tid, tg, p->member, v);
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-current\"><h2 id=\"h-current\">%s %lld</h2>",
       _("Version"), (long long)v->version);
  version_meta(r, v);
  if (v->version > 1)
    html(&r->out, "<p><a href=\"/t/%lld/plan/%lld?compare=1\">%s</a></p>", (long long)tid, (long long)v->item_id,
         _("Compare with the previous version"));
  html(&r->out, "<h3>%s</h3>", _("Confirmation"));
  confirmations(r, p->programme, v);
  confirm_form(r, p->programme, tid, tg, p->member, v, v->item_id == p->latest_item);
  html(&r->out, "<h3>%s</h3>", _("Goals and actions"));
  version_goals(r, p->programme, v, true, &p->ms);
  html(&r->out, "</section>");

  html(&r->out, "<section aria-labelledby=\"h-versions\"><h2 id=\"h-versions\">%s</h2><ol class=\"plain\" reversed>",
       _("All versions"));
  for (int i = 0; i < p->n; i++) {
    const PlanVersionLine *w = &p->rows[i];
    if (!p->shown[i]) continue;
    html(&r->out, "<li><a href=\"/t/%lld/plan/%lld\"", (long long)tid, (long long)w->item_id);
    if (i == p->current) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s %lld</a> <span class=\"muted small\">%s · %s</span>", _("Version"), (long long)w->version,
         time_for(r, w->created_at), name_or_hidden(w->author));
    if (w->p_ok && w->c_ok) html(&r->out, " <span class=\"badge badge-ok\">%s</span>", _("Confirmed by both"));
    html(&r->out, "</li>");
  }
  html(&r->out, "</ol></section>");
}

/* The plan page: the latest version the user may see, the list of versions, the confirm buttons. status
 * is the HTTP status to answer (200, or 409 with message shown above the plan). */
static int render_plan(Req *r, int64_t tid, Grounds tg, int64_t pid, int status, const char *message) {
  PlanPage *p = arena_alloc(r->a, sizeof *p);
  int rc = plan_page_load(r, tid, tg, pid, p);
  if (rc == DB_OK) rc = case_page_begin(r, tid, tg, _("Action plan"));
  if (rc != DB_OK) return http_db_error(r, rc);
  plan_page_write(r, tid, tg, p, message);
  page_end(r);
  return status;
}

/* ------------------------------------------------------------------------------------------ compare */

/* Old text marked as removed, for eyes and for screen readers. */
static void del_text(Req *r, const char *s) {
  html(&r->out, "<del><span class=\"visually-hidden\">%s </span>", _("Removed:"));
  html_text_lines(&r->out, s);
  html(&r->out, "</del>");
}

static void ins_text(Req *r, const char *s) {
  html(&r->out, "<ins><span class=\"visually-hidden\">%s </span>", _("Added:"));
  html_text_lines(&r->out, s);
  html(&r->out, "</ins>");
}

/* One field of a comparison as dt/dd: unchanged text plainly, a change as old (del) then new (ins).
 * mode: 0 compare, -1 the whole entry was removed, 1 the whole entry was added. */
static void diff_field(Req *r, const char *label, const char *old, const char *new, int mode) {
  html(&r->out, "<dt>%s</dt><dd>", label);
  if (mode < 0) del_text(r, old);
  else if (mode > 0) ins_text(r, new);
  else if (plan_text_same(old, new)) html_text_lines(&r->out, s_or_empty(new));
  else {
    if (old && *old) del_text(r, old);
    if (old && *old && new && *new) html(&r->out, " ");
    if (new && *new) ins_text(r, new);
  }
  html(&r->out, "</dd>");
}

/* The mode diff_field takes for a change: -1 removed, 1 added, 0 in both versions. */
static int change_mode(PlanChange c) { return c == PLAN_REMOVED ? -1 : c == PLAN_ADDED ? 1 : 0; }

static const char *change_badge(PlanChange c) {
  switch (c) {
    case PLAN_REMOVED: return _("Removed");
    case PLAN_ADDED: return _("Added");
    case PLAN_CHANGED: return _("Changed");
    default: return _("Unchanged");
  }
}

static const char *change_class(PlanChange c) {
  return c == PLAN_REMOVED ? " badge-danger" : c == PLAN_SAME ? " badge-muted" : " badge-warn";
}

/* The measure of an action in a comparison, as diff_field does for text, each side shown as measure_show
 * does (the article's title as a link, or the slug). */
static void diff_measure(Req *r, const Measures *ms, const char *old, const char *new, int mode) {
  html(&r->out, "<dt>%s</dt><dd>", _("Measure"));
  if (mode == 0 && plan_text_same(old, new)) {
    measure_show(r, ms, new);
  } else {
    bool had = old && *old, has = new && *new;
    if (had) {
      html(&r->out, "<del><span class=\"visually-hidden\">%s </span>", _("Removed:"));
      measure_show(r, ms, old);
      html(&r->out, "</del>");
    }
    if (had && has) html(&r->out, " ");
    if (has) {
      html(&r->out, "<ins><span class=\"visually-hidden\">%s </span>", _("Added:"));
      measure_show(r, ms, new);
      html(&r->out, "</ins>");
    }
  }
  html(&r->out, "</dd>");
}

/* One action of a comparison. */
static void diff_action(Req *r, const char *programme, const PlanActionDiff *d, const Measures *ms) {
  int mode = change_mode(d->change);
  const PlanAction *x = d->new ? d->new : d->old;
  html(&r->out, "<li><span class=\"badge%s\">%s</span> %s", change_class(d->change), change_badge(d->change), x->text);
  if (d->change != PLAN_SAME) {
    static const PlanAction none = {0};
    const PlanAction *o = d->old ? d->old : &none, *nw = d->new ? d->new : &none;
    html(&r->out, "<dl class=\"diff\">");
    diff_field(r, _("Action"), o->text, nw->text, mode);
    diff_field(r, _("Owner"), d->old ? owner_label(r, programme, o) : NULL, d->new ? owner_label(r, programme, nw) : NULL, mode);
    diff_field(r, _("Due"), date_for(r, o->due_on), date_for(r, nw->due_on), mode);
    diff_field(r, _("Status"), d->old ? label_status(o->status) : NULL, d->new ? label_status(nw->status) : NULL, mode);
    if ((o->measure && *o->measure) || (nw->measure && *nw->measure))
      diff_measure(r, ms, o->measure, nw->measure, mode);
    html(&r->out, "</dl>");
  }
  html(&r->out, "</li>");
}

/* One goal of a comparison, with its actions. */
static void diff_goal(Req *r, const char *programme, const PlanGoalDiff *d, const Measures *ms) {
  int mode = change_mode(d->change);
  static const PlanGoal none = {0};
  const PlanGoal *o = d->old ? d->old : &none, *nw = d->new ? d->new : &none;
  html(&r->out, "<article class=\"goal\"><h3>%s %d: %s <span class=\"badge%s\">%s</span></h3>", _("Goal"), d->number,
       (d->new ? d->new : d->old)->title, change_class(d->change), change_badge(d->change));
  if (d->change == PLAN_SAME) {
    html(&r->out, "<p class=\"muted\">%s</p></article>", _("Nothing changed in this goal."));
    return;
  }
  html(&r->out, "<dl class=\"diff\">");
  diff_field(r, _("Goal"), o->title, nw->title, mode);
  for (int k = 0; k < 4; k++) diff_field(r, _(smart_fields[k].label), goal_field(o, k), goal_field(nw, k), mode);
  diff_field(r, _("Time-bound: reached by"), date_for(r, o->time_bound), date_for(r, nw->time_bound), mode);
  html(&r->out, "</dl><h4>%s</h4><ul class=\"plain\">", _("Actions"));
  for (int j = 0; j < d->nactions; j++) diff_action(r, programme, &d->actions[j], ms);
  if (!d->nactions) html(&r->out, "<li class=\"muted\">%s</li>", _("No actions."));
  html(&r->out, "</ul></article>");
}

/* The comparison of version b with its predecessor a (render/plandiff.h), written as HTML. */
static void compare_versions(Req *r, const char *programme, const PlanVersion *a, const PlanVersion *b,
                             const Measures *ms) {
  PlanDiff *d = arena_alloc(r->a, sizeof *d);
  plan_diff(a, b, d);
  html(&r->out, "<p class=\"hint\">%s</p>",
       _("Removed text is struck through, added text is underlined. Goals and actions are matched by their title."));
  for (int i = 0; i < d->ngoals; i++) diff_goal(r, programme, &d->goals[i], ms);
}

/* ------------------------------------------------------------------------------------------ edit form */


static const char *gkey(Req *r, int i, const char *field) { return arena_printf(r->a, "g%d_%s", i + 1, field); }
static const char *akey(Req *r, int i, int j, const char *field) {
  return arena_printf(r->a, "g%da%d_%s", i + 1, j + 1, field);
}

/* The value of a form field: what was posted, or else the stored value (NULL: empty). */
static const char *fv(Req *r, bool posted, const char *key, const char *stored) {
  return posted ? form_str(r, key) : s_or_empty(stored);
}

/* A count the form posted back (a hidden field), within 0..max; def when it is missing or not a number. */
static int posted_count(Req *r, const char *key, int def, int max) {
  const char *s = form_str(r, key);
  char *end;
  long n = strtol(s, &end, 10);
  if (!*s || *end || n < 0) return def;
  return n > max ? max : (int)n;
}

/* Whether goal row i (0-based) or action row j of it (j >= 0) holds anything typed in the posted form. */
static bool goal_typed(Req *r, int i) {
  if (*form_str(r, gkey(r, i, "title")) || *form_str(r, gkey(r, i, "time_bound"))) return true;
  for (int k = 0; k < 4; k++)
    if (*form_str(r, gkey(r, i, smart_fields[k].key))) return true;
  return false;
}
static bool action_typed(Req *r, int i, int j) {
  return *form_str(r, akey(r, i, j, "text")) || *form_str(r, akey(r, i, j, "due")) || *form_str(r, akey(r, i, j, "measure"));
}

/* The rows the edit form shows. A stored version: its goals and actions, nothing empty; a new plan: one goal
 * with one action. A re-render of a posted form: the rows it had (its hidden counts), never fewer than the
 * rows something was typed in, plus the row asked for by an "add" button (add: "goal" or "action:N", N the
 * goal's number). *focus_goal / *focus_action (1-based, 0: none) name the row just added. */
static void form_rows(Req *r, const PlanVersion *v, bool posted, const char *add, int *ngoals, int nact[GOALS_MAX],
                      int *focus_goal, int *focus_action) {
  *focus_goal = *focus_action = 0;
  if (!posted) {
    *ngoals = v->ngoals ? v->ngoals : 1;
    for (int i = 0; i < GOALS_MAX; i++) nact[i] = i < v->ngoals ? v->goals[i].nactions : 1;
    return;
  }
  *ngoals = posted_count(r, "goals", 1, GOALS_MAX);
  if (*ngoals < 1) *ngoals = 1;
  for (int i = 0; i < GOALS_MAX; i++) {
    nact[i] = posted_count(r, gkey(r, i, "actions"), 1, ACTIONS_MAX);
    bool typed = goal_typed(r, i);
    for (int j = 0; j < ACTIONS_MAX; j++)
      if (action_typed(r, i, j)) {
        typed = true;
        if (nact[i] < j + 1) nact[i] = j + 1;
      }
    if (typed && *ngoals < i + 1) *ngoals = i + 1;
  }
  if (!add || !*add) return;
  if (strcmp(add, "goal") == 0) {
    if (*ngoals < GOALS_MAX) {
      nact[*ngoals] = 1;
      *focus_goal = ++*ngoals;
    }
    return;
  }
  char *end;
  long g = strncmp(add, "action:", 7) == 0 ? strtol(add + 7, &end, 10) : 0;
  if (g >= 1 && g <= *ngoals && !*end && nact[g - 1] < ACTIONS_MAX) {
    *focus_goal = (int)g;
    *focus_action = ++nact[g - 1];
  }
}

/* The edit form. prefill: the latest version (GET) or NULL (empty plan, or a re-render of posted values
 * when posted). base: the version number the form is based on; latest: the current latest number (a
 * reason is required when there is one). It shows the rows form_rows says; "Add goal" and "Add action" submit
 * the form to the server, which shows it again with one more row and everything typed (saving nothing). */
static void plan_form(Req *r, int64_t tid, const PlanVersion *prefill, bool posted, int64_t base, const char *started_on,
                      const char *const *owners, const Measures *ms) {
  static const PlanVersion empty = {0};
  const PlanVersion *v = prefill ? prefill : &empty;
  const char *sts[2 * 4 + 1];
  for (int i = 0; action_statuses[i]; i++) {
    sts[2 * i] = action_statuses[i];
    sts[2 * i + 1] = label_status(action_statuses[i]);
  }
  sts[8] = NULL;
  /* the measures to choose from: none, then the published articles; an action whose value is none of these
   * (a stored slug without a published article, or what was posted) gets it as one more option, so that
   * it is kept */
  const char **measures = arena_alloc(r->a, sizeof *measures * (size_t)(2 * ms->n + 5));
  int nm = 0;
  measures[nm++] = "";
  measures[nm++] = _("(none)");
  for (int k = 0; k < ms->n; k++) {
    measures[nm++] = ms->list[k].slug;
    measures[nm++] = ms->list[k].title;
  }
  measures[nm] = NULL;
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/plan", (long long)tid), "form plan-form");
  html(&r->out, "<input type=\"hidden\" name=\"base_version\" value=\"%lld\">", (long long)base);
  /* Enter in a field submits the form with its first submit button: make that one "save", not "Add action"
   * (out of sight and out of the tab order; the visible save button is at the end) */
  html(&r->out, "<button type=\"submit\" class=\"visually-hidden\" tabindex=\"-1\" aria-hidden=\"true\">%s</button>",
       _("Save as a new version"));
  html(&r->out, "<p class=\"hint\">%s %s %s</p>",
       _("Leave a goal or an action empty to leave it out. A goal needs all five SMART fields; an action needs a "
         "description, an owner and a due date. Dates are not before the start of the trajectory:"),
       started_on, _("(YYYY-MM-DD)."));
  if (base > 0)
    field_textarea(r, &(Field){.name = "reason", .label = _("Reason for the change"), .value = form_str(r, "reason"),
                               .hint = _("Why is the plan adjusted? Everybody who reads the plan sees this."),
                               .required = true, .maxlength = REASON_MAX},
                   3);
  int ngoals, nact[GOALS_MAX], focus_goal, focus_action;
  form_rows(r, v, posted, form_str(r, "add"), &ngoals, nact, &focus_goal, &focus_action);
  html(&r->out, "<input type=\"hidden\" name=\"goals\" value=\"%d\">", ngoals);
  const char *action_url = arena_printf(r->a, "/t/%lld/plan", (long long)tid);
  for (int i = 0; i < ngoals; i++) {
    const PlanGoal *g = !posted && i < v->ngoals ? &v->goals[i] : &(PlanGoal){0};
    html(&r->out, "<fieldset class=\"goal\" id=\"g%d\"><legend>%s %d</legend>", i + 1, _("Goal"), i + 1);
    html(&r->out, "<input type=\"hidden\" name=\"g%d_actions\" value=\"%d\">", i + 1, nact[i]);
    field_input(r, &(Field){.name = gkey(r, i, "title"), .label = _("Goal in a few words"), .value = fv(r, posted, gkey(r, i, "title"), g->title),
                            .required = true, .maxlength = TITLE_MAX});
    for (int k = 0; k < 4; k++)
      field_textarea(r, &(Field){.name = gkey(r, i, smart_fields[k].key), .label = _(smart_fields[k].label),
                                 .hint = _(smart_fields[k].hint),
                                 .value = fv(r, posted, gkey(r, i, smart_fields[k].key), goal_field(g, k)),
                                 .required = true, .maxlength = SMART_MAX},
                     2);
    field_input(r, &(Field){.name = gkey(r, i, "time_bound"), .label = _("Time-bound: reached by"), .type = "date",
                            .value = fv(r, posted, gkey(r, i, "time_bound"), g->time_bound), .required = true});
    for (int j = 0; j < nact[i]; j++) {
      const PlanAction *a = j < g->nactions ? &g->actions[j] : &(PlanAction){0};
      html(&r->out, "<fieldset class=\"action\" id=\"g%da%d\"><legend>%s %d.%d</legend>", i + 1, j + 1, _("Action"),
           i + 1, j + 1);
      field_input(r, &(Field){.name = akey(r, i, j, "text"), .label = _("What is done"),
                              .value = fv(r, posted, akey(r, i, j, "text"), a->text), .required = true,
                              .maxlength = ACTION_MAX});
      const char *owner = fv(r, posted, akey(r, i, j, "owner"), owner_value(r, a));
      field_select(r, &(Field){.name = akey(r, i, j, "owner"), .label = _("Owner"), .value = *owner ? owner : "participant",
                               .required = true},
                   owners);
      field_input(r, &(Field){.name = akey(r, i, j, "due"), .label = _("Due date"), .type = "date",
                              .value = fv(r, posted, akey(r, i, j, "due"), a->due_on), .required = true});
      const char *status = fv(r, posted, akey(r, i, j, "status"), a->status);
      field_select(r, &(Field){.name = akey(r, i, j, "status"), .label = _("Status"), .value = *status ? status : "planned",
                               .required = true},
                   sts);
      const char *measure = fv(r, posted, akey(r, i, j, "measure"), a->measure);
      const char **mopts = measures;
      if (*measure && !measure_find(ms->list, ms->n, measure)) {
        mopts = arena_alloc(r->a, sizeof *mopts * (size_t)(nm + 3));
        memcpy(mopts, measures, sizeof *mopts * (size_t)nm);
        mopts[nm] = measure;
        mopts[nm + 1] = arena_printf(r->a, "%s (%s)", measure, _("no published article"));
        mopts[nm + 2] = NULL;
      }
      field_select(r, &(Field){.name = akey(r, i, j, "measure"), .label = _("Measure from the knowledge base"),
                               .hint = _("An article of the knowledge base that explains this measure."),
                               .value = measure},
                   mopts);
      html(&r->out, "</fieldset>");
    }
    /* formnovalidate: adding a row needs no complete fields; the fragment brings the new row into view */
    if (nact[i] < ACTIONS_MAX)
      html(&r->out, "<div class=\"actions\"><button type=\"submit\" name=\"add\" value=\"action:%d\" formnovalidate "
                    "formaction=\"%s#g%da%d\" aria-label=\"%s\">%s</button></div>",
           i + 1, action_url, i + 1, nact[i] + 1, arena_printf(r->a, _("Add action to goal %d"), i + 1), _("Add action"));
    html(&r->out, "</fieldset>");
  }
  if (focus_goal || focus_action)
    html(&r->out, "<p class=\"visually-hidden\" role=\"status\">%s</p>",
         focus_action ? arena_printf(r->a, _("Action %d.%d added."), focus_goal, focus_action)
                      : arena_printf(r->a, _("Goal %d added."), focus_goal));
  html(&r->out, "<div class=\"actions\">");
  if (ngoals < GOALS_MAX)
    html(&r->out, "<button type=\"submit\" name=\"add\" value=\"goal\" formnovalidate formaction=\"%s#g%d\">%s</button> ",
         action_url, ngoals + 1, _("Add goal"));
  html(&r->out, "<button type=\"submit\" class=\"primary\">%s</button> <a href=\"/t/%lld/plan\">%s</a></div>",
       _("Save as a new version"), (long long)tid, _("Cancel"));
  form_end(r);
}

/* The start date, state and programme of trajectory tid. Returns DB_ROW, DB_DONE or an error; texts in the
 * arena. */
static int trajectory_facts(Req *r, int64_t tid, const char **started_on, bool *open, const char **programme) {
  Trajectory t;
  int rc = trajectory_get(r->db, r->a, tid, &t);
  if (rc == DB_ROW) {
    *started_on = t.started_on;
    *open = strcmp(t.status, "open") == 0;
    *programme = t.programme;
  }
  return rc;
}

/* The edit page (also the re-render after a refused save, with status 400 or 409 and notice on top). It shows
 * the case (the network as owners, the plan being changed), so every rendering writes an access-log entry
 * "plan"/"edit" for the coach (pid: the participant) first. */
static int render_edit(Req *r, int64_t tid, int64_t pid, const PlanVersion *prefill, bool posted, int64_t base,
                       int status, const char *notice, const Measures *ms) {
  const char *started_on = "", *programme = NULL;
  bool open = true;
  int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "plan", .action = "edit",
                                        .outcome = "ok", .grounds = grounds_name(GROUNDS_COACH)});
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = trajectory_facts(r, tid, &started_on, &open, &programme);
  if (rc != DB_ROW) return rc == DB_DONE ? http_error(r, 404, NULL) : http_db_error(r, rc);
  const char **owners;
  rc = member_options(r, tid,
                      (const char *const[]){"participant", programme_word(programme, PW_THE_PARTICIPANT), "coach",
                                            programme_word(programme, PW_THE_COACH), NULL},
                      &owners);
  if (rc != DB_OK) return http_db_error(r, rc);
  Measures loaded;
  if (!ms) {
    if ((rc = measures_load(r, &loaded)) != DB_OK) return http_db_error(r, rc);
    ms = &loaded;
  }
  if ((rc = case_page_begin(r, tid, GROUNDS_COACH, _("Adjust the action plan"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p><a href=\"/t/%lld/plan\">%s</a></p><h1>%s</h1>", (long long)tid, _("Back to the action plan"),
       base ? _("Adjust the action plan") : _("Write the action plan"));
  if (notice) html(&r->out, "<div class=\"errors\" role=\"alert\" tabindex=\"-1\"><p>%s</p></div>", notice);
  if (base)
    html(&r->out, "<p class=\"muted\">%s %s</p>", arena_printf(r->a, _("You are changing version %lld."), (long long)base),
         _("Saving makes a new version; earlier versions stay readable."));
  plan_form(r, tid, prefill, posted, base, started_on, owners, ms);
  page_end(r);
  return status;
}

static int get_edit(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "plan", "update", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0], item, version;
  int rc = plan_latest(r->db, tid, &item, &version);
  if (rc != DB_OK) return http_db_error(r, rc);
  PlanVersion v;
  if (item) {
    bool ok;
    if ((rc = version_allowed(r, tid, pid, item, date_today_text(r->a), &ok, NULL)) != DB_OK) return http_db_error(r, rc);
    if (!ok) return http_error(r, 404, NULL);
    if ((rc = version_load(r, item, &v)) != DB_ROW) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  }
  return render_edit(r, tid, pid, item ? &v : NULL, false, version, 200, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ saving */

/* Checks an owner value against trajectory tid; fills kind and member id. Returns a DB code; *ok false
 * when it is no owner of this trajectory. */
static int owner_check(Req *r, int64_t tid, const char *v, const char **kind, int64_t *member, bool *ok) {
  *ok = false;
  *member = 0;
  if (strcmp(v, "participant") == 0 || strcmp(v, "coach") == 0) {
    *kind = v;
    *ok = true;
    return DB_OK;
  }
  char *end;
  long long id = strtoll(v, &end, 10);
  if (!*v || *end || id <= 0) return DB_OK;
  bool live;
  int rc = plan_member_live_in(r->db, id, tid, &live);
  if (rc != DB_OK) return rc;
  if (live) {
    *kind = "member";
    *member = id;
    *ok = true;
  }
  return DB_OK;
}

/* A goal or action field that is too long gets an error; returns the text. */
static const char *checked(Req *r, const char *key, int max, const char *msg) {
  const char *s = form_str(r, key);
  if (text_chars(s) > (size_t)max) form_error(r, key, msg);
  return s;
}

/* A date field: valid and not before the trajectory's start. */
static void date_check(Req *r, const char *key, const char *s, int32_t start, const char *missing) {
  int32_t d;
  if (!*s) form_error(r, key, missing);
  else if (!date_parse(s, &d)) form_error(r, key, _("Give a valid date as YYYY-MM-DD."));
  else if (d < start) form_error(r, key, _("This date is before the start of the trajectory."));
}

/* Reads and validates the posted plan into *v (ngoals 0 when every row is empty), each action's owner as its
 * kind and member id; errors via form_error. Returns a DB code. */
static int plan_parse(Req *r, int64_t tid, const char *started_on, PlanVersion *v, const Measures *ms) {
  memset(v, 0, sizeof *v);
  int32_t start = 0;
  if (!date_parse(started_on, &start)) start = 0;
  const char *too_long = _("This text is too long.");
  for (int i = 0; i < GOALS_MAX; i++) {
    PlanGoal g = {0};
    g.title = checked(r, gkey(r, i, "title"), TITLE_MAX, _("The goal is too long (at most 200 characters)."));
    g.specific = checked(r, gkey(r, i, "specific"), SMART_MAX, too_long);
    g.measurable = checked(r, gkey(r, i, "measurable"), SMART_MAX, too_long);
    g.achievable = checked(r, gkey(r, i, "achievable"), SMART_MAX, too_long);
    g.relevant = checked(r, gkey(r, i, "relevant"), SMART_MAX, too_long);
    g.time_bound = form_str(r, gkey(r, i, "time_bound"));
    bool any = *g.title || *g.specific || *g.measurable || *g.achievable || *g.relevant || *g.time_bound;
    for (int j = 0; j < ACTIONS_MAX; j++) {
      const char *owner = form_str(r, akey(r, i, j, "owner"));
      PlanAction a = {.text = checked(r, akey(r, i, j, "text"), ACTION_MAX, too_long),
                      .due_on = form_str(r, akey(r, i, j, "due")),
                      .status = form_str(r, akey(r, i, j, "status")),
                      .measure = form_str(r, akey(r, i, j, "measure"))};
      if (!*a.text && !*a.due_on && !*a.measure) continue; /* an empty row */
      any = true;
      if (!*a.text) form_error(r, akey(r, i, j, "text"), _("Describe what is done."));
      const char *kind = NULL;
      int64_t member = 0;
      bool ok;
      int rc = owner_check(r, tid, owner, &kind, &member, &ok);
      if (rc != DB_OK) return rc;
      if (!ok)
        form_error(r, akey(r, i, j, "owner"),
                   _("Choose an owner from this trajectory: the participant, the coach or a member of the network."));
      date_check(r, akey(r, i, j, "due"), a.due_on, start, _("Give a due date."));
      if (!is_status(a.status)) form_error(r, akey(r, i, j, "status"), _("Choose a status from the list."));
      if (*a.measure && !measure_allowed(ms, a.measure))
        form_error(r, akey(r, i, j, "measure"),
                   _("Choose a measure from the list: this one is not a published article of the knowledge base."));
      a.owner_kind = kind;
      a.owner_member_id = member;
      g.actions[g.nactions++] = a;
    }
    if (!any) continue; /* an empty goal row */
    if (!*g.title) form_error(r, gkey(r, i, "title"), _("Name the goal."));
    for (int k = 0; k < 4; k++)
      if (!*goal_field(&g, k))
        form_error(r, gkey(r, i, smart_fields[k].key),
                   arena_printf(r->a, "%s: %s", _(smart_fields[k].label), _("fill in this SMART field.")));
    date_check(r, gkey(r, i, "time_bound"), g.time_bound, start, _("Give the date by which the goal is reached."));
    v->goals[v->ngoals++] = g;
  }
  if (v->ngoals == 0) form_error(r, "g1_title", _("Give the plan at least one goal."));
  return DB_OK;
}

/* The Markdown text of a version, stored as the item's body so that search finds the plan. Allocates in
 * the request arena. */
static const char *plan_markdown(Req *r, const PlanVersion *v, int64_t number, const char *reason) {
  Buf b = {0};
  buf_printf(&b, "# %s\n\n", arena_printf(r->a, _("Action plan version %lld"), (long long)number));
  if (reason && *reason) buf_printf(&b, "%s %s\n\n", _("Reason for the change:"), reason);
  for (int i = 0; i < v->ngoals; i++) {
    const PlanGoal *g = &v->goals[i];
    buf_printf(&b, "## %s %d: %s\n\n", _("Goal"), i + 1, g->title);
    for (int k = 0; k < 4; k++) buf_printf(&b, "- %s: %s\n", _(smart_fields[k].label), goal_field(g, k));
    buf_printf(&b, "- %s: %s\n\n", _("Time-bound: reached by"), g->time_bound);
    for (int j = 0; j < g->nactions; j++) {
      const PlanAction *a = &g->actions[j];
      buf_printf(&b, "%d. %s (%s %s, %s)", j + 1, a->text, _("due"), a->due_on, label_status(a->status));
      if (*a->measure) buf_printf(&b, " [%s]", a->measure);
      buf_puts(&b, "\n");
    }
    buf_puts(&b, "\n");
  }
  char *s = arena_strdup(r->a, b.p ? b.p : "");
  buf_free(&b);
  return s;
}

static const char *conflict_message(void) {
  return _("Someone else saved a new version while you were editing. Your text is kept below: look at the new "
           "version first, then save again if your changes should replace it.");
}

/* Inserts version number (latest + 1) of trajectory tid inside the open transaction: its item (kind 'plan',
 * the Markdown as body), then the version (store/plan.h). Returns a DB code and the new item's id. */
static int plan_insert(Req *r, int64_t tid, const PlanVersion *v, int64_t number, const char *reason, int64_t *item_id) {
  int64_t now = (int64_t)time(NULL);
  int rc = item_create(r->db,
                       &(ItemNew){.trajectory_id = tid, .kind = "plan", .category = "plan", .author_id = r->user->id,
                                  .title = arena_printf(r->a, _("Action plan version %lld"), (long long)number),
                                  .body = plan_markdown(r, v, number, reason), .created_at = now},
                       item_id);
  if (rc != DB_OK) return rc;
  return plan_version_insert(r->db, &(PlanVersionNew){.item_id = *item_id, .trajectory_id = tid, .number = number,
                                                       .author_id = r->user->id, .at = now, .reason = reason},
                             v);
}

static int post_plan(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "plan", "create", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *started_on = "", *programme;
  bool open = true;
  int rc = trajectory_facts(r, tid, &started_on, &open, &programme);
  if (rc != DB_ROW) return rc == DB_DONE ? http_error(r, 404, NULL) : http_db_error(r, rc);
  if (!open) return http_error(r, 409, _("This trajectory is closed; its action plan can no longer change."));

  const char *base_s = form_str(r, "base_version");
  char *end;
  long long base = strtoll(base_s, &end, 10);
  if (!*base_s || *end || base < 0) return http_error(r, 400, _("The form is incomplete. Open the plan and try again."));
  int64_t latest_item, latest;
  if ((rc = plan_latest(r->db, tid, &latest_item, &latest)) != DB_OK) return http_db_error(r, rc);

  PlanVersion *v = arena_alloc(r->a, sizeof *v);
  Measures ms;
  if ((rc = measures_load(r, &ms)) != DB_OK || (rc = measures_keep_stored(r, tid, base, &ms)) != DB_OK)
    return http_db_error(r, rc);
  /* "Add goal" / "Add action": the same form again with one more row and everything typed; nothing is saved */
  if (*form_str(r, "add")) return render_edit(r, tid, pid, NULL, true, base, 200, NULL, &ms);
  if ((rc = plan_parse(r, tid, started_on, v, &ms)) != DB_OK) return http_db_error(r, rc);
  if (base != latest) return render_edit(r, tid, pid, NULL, true, latest, 409, conflict_message(), &ms);
  const char *reason = form_str(r, "reason");
  if (latest > 0 && !*reason) form_error(r, "reason", _("Say why the plan is adjusted."));
  else if (text_chars(reason) > REASON_MAX) form_error(r, "reason", _("The reason is too long (at most 2000 characters)."));
  if (r->nerrors) return render_edit(r, tid, pid, NULL, true, latest, 400, NULL, &ms);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t again_item, again;
  if ((rc = plan_latest(r->db, tid, &again_item, &again)) != DB_OK) return http_db_error(r, rc);
  if (again != latest) { /* saved in between our check and the write lock */
    db_rollback(r->db);
    return render_edit(r, tid, pid, NULL, true, again, 409, conflict_message(), &ms);
  }
  int64_t item = 0;
  rc = plan_insert(r, tid, v, latest + 1, latest > 0 ? reason : NULL, &item);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    if ((rc = plan_latest(r->db, tid, &again_item, &again)) != DB_OK) return http_db_error(r, rc);
    return render_edit(r, tid, pid, NULL, true, again, 409, conflict_message(), &ms);
  }
  if (rc == DB_OK) rc = plan_carry_updates(r->db, again_item, item); /* unchanged actions keep their owners' updates */
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                    .item = arena_printf(r->a, "plan:%lld", (long long)item), .action = "create",
                                    .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/t/%lld/plan", (long long)tid), "saved");
}

/* ------------------------------------------------------------------------------------------ reading */

static int get_plan(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "plan", "list", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  return render_plan(r, r->ids[0], g, pid, 200, NULL);
}

/* What a version's page shows, loaded and logged before anything is written. */
typedef struct VersionPage {
  PlanVersion v, prev; /* prev: the previous version, when compared and the reader may see it (have_prev) */
  bool compare, have_prev;
  int64_t latest_item, latest, member; /* member: the reader's live membership (0: none) */
  const char *programme;               /* the trajectory's: its words for the coach and the participant */
  Measures ms;
} VersionPage;

/* Loads version vid of trajectory tid, already allowed (its access-log entry in entries[0], room after it for
 * the previous version and the remarks), with the previous version when p->compare, and writes the access log.
 * Returns a DB code. */
static int version_page_load(Req *r, int64_t tid, int64_t pid, Grounds tg, int64_t vid, const char *today,
                             AuditEntry *entries, VersionPage *p) {
  int rc = version_load(r, vid, &p->v);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  int ne = 1;
  if (p->compare && p->v.version > 1) {
    int64_t pvid;
    if ((rc = plan_version_item(r->db, tid, p->v.version - 1, &pvid)) != DB_OK) return rc;
    if (pvid) {
      if ((rc = version_allowed(r, tid, pid, pvid, today, &p->have_prev, &entries[1])) != DB_OK) return rc;
      if (p->have_prev) {
        ne = 2;
        if ((rc = version_load(r, pvid, &p->prev)) != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
      }
    }
  }
  if (!p->compare && (rc = remarks_disclose(r, tid, pid, &p->v, today, entries, &ne)) != DB_OK) return rc;
  if ((rc = plan_latest(r->db, tid, &p->latest_item, &p->latest)) != DB_OK) return rc;
  if (tg == GROUNDS_MEMBER && (rc = plan_live_membership(r->db, tid, r->user->id, &p->member)) != DB_OK) return rc;
  if ((rc = measures_load(r, &p->ms)) != DB_OK) return rc;
  const char *started_on;
  bool open;
  if ((rc = trajectory_facts(r, tid, &started_on, &open, &p->programme)) != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  return audit_write_many(r, entries, ne);
}

/* Writes a version's page: the version with its confirmations, goals and actions, or its comparison with the
 * previous version. */
static void version_page_write(Req *r, int64_t tid, Grounds tg, int64_t vid, const char *title, const VersionPage *p) {
  const PlanVersion *v = &p->v;
  html(&r->out, "<p><a href=\"/t/%lld/plan\">%s</a></p><h1>%s</h1>", (long long)tid, _("Back to the action plan"), title);
  if (vid != p->latest_item)
    html(&r->out, "<p class=\"muted\">%s</p>", _("This is an earlier version; a newer version replaces it."));
  version_meta(r, v);
  if (p->compare) {
    html(&r->out, "<section aria-labelledby=\"h-compare\"><h2 id=\"h-compare\">%s</h2>", _("Changes since the previous version"));
    if (v->version == 1)
      html(&r->out, "<p class=\"empty\">%s</p>", _("This is the first version; there is nothing to compare with."));
    else if (!p->have_prev)
      html(&r->out, "<p class=\"empty\">%s</p>", _("The previous version is not available to you."));
    else
      compare_versions(r, p->programme, &p->prev, v, &p->ms);
    html(&r->out, "<p><a href=\"/t/%lld/plan/%lld\">%s</a></p></section>", (long long)tid, (long long)vid,
         _("Show this version without the comparison"));
  } else {
    if (v->version > 1)
      html(&r->out, "<p><a href=\"/t/%lld/plan/%lld?compare=1\">%s</a></p>", (long long)tid, (long long)vid,
           _("Compare with the previous version"));
    html(&r->out, "<h2>%s</h2>", _("Confirmation"));
    confirmations(r, p->programme, v);
    confirm_form(r, p->programme, tid, tg, p->member, v, vid == p->latest_item);
    html(&r->out, "<h2>%s</h2>", _("Goals and actions"));
    version_goals(r, p->programme, v, false, &p->ms);
  }
}

static int get_version(Req *r) {
  Grounds tg;
  int64_t pid;
  int64_t tid = r->ids[0], vid = r->ids[1];
  const char *item = arena_printf(r->a, "plan:%lld", (long long)vid);
  int s = object_door(r, OWNER_ITEM, vid, item, "view", GROUNDS_NONE, &tg, &pid);
  if (s) return s;
  const char *today = date_today_text(r->a);
  AuditEntry entries[2 + GOALS_MAX * ACTIONS_MAX];
  bool ok;
  int rc = version_allowed(r, tid, pid, vid, today, &ok, &entries[0]);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!ok) return object_refused(r, OWNER_ITEM, vid, item, "view", entries[0].grounds); /* on the item's own file */
  VersionPage *p = arena_alloc(r->a, sizeof *p);
  p->compare = strcmp(query_str(r, "compare"), "1") == 0;
  if ((rc = version_page_load(r, tid, pid, tg, vid, today, entries, p)) != DB_OK) return http_db_error(r, rc);
  const char *title = arena_printf(r->a, _("Action plan version %lld"), (long long)p->v.version);
  if ((rc = case_page_begin(r, tid, tg, title)) != DB_OK) return http_db_error(r, rc);
  version_page_write(r, tid, tg, vid, title, p);
  page_end(r);
  return 200;
}

/* ------------------------------------------------------------------------------------------ confirming */

/* Ticks the protocol step "have the plan confirmed" when version vid of trajectory tid is now confirmed by
 * the participant, a coach and every member owning one of its actions; inside the open transaction, with an
 * access-log entry per step ticked. Returns a DB code. */
static int confirm_step_if_complete(Req *r, int64_t tid, int64_t pid, int64_t vid, Grounds tg) {
  bool all;
  int rc = plan_fully_confirmed(r->db, vid, &all);
  if (rc != DB_OK || !all) return rc;
  int64_t ids[4];
  int n;
  if ((rc = plan_confirm_step_tick(r->db, tid, r->user->id, (int64_t)time(NULL), ids, 4, &n)) != DB_OK) return rc;
  for (int i = 0; i < n && rc == DB_OK; i++)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "trajectory:protocol",
                                      .action = "update", .outcome = "ok", .grounds = grounds_name(tg)});
  return rc;
}

/* A confirmation of version r->ids[1]: by the participant, an assigned coach, or a network member who owns
 * one of its actions — each once, and only of the latest version. */
static int post_confirm(Req *r) {
  Grounds tg;
  int64_t pid;
  int64_t tid = r->ids[0], vid = r->ids[1];
  const char *item = arena_printf(r->a, "plan:%lld", (long long)vid);
  int s = object_door(r, OWNER_ITEM, vid, item, "update", GROUNDS_NONE, &tg, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, tid))) return s;
  Grounds ig;
  int64_t consent, member = 0;
  ItemRef it = {0};
  int rc = policy_item(r->db, r->user, vid, date_today_text(r->a), &ig, &consent, &it);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (tg == GROUNDS_MEMBER && (rc = plan_live_membership(r->db, tid, r->user->id, &member)) != DB_OK)
    return http_db_error(r, rc);
  PlanVersion v;
  bool party = tg == GROUNDS_SELF || tg == GROUNDS_COACH || member;
  bool ok = party && ig != GROUNDS_NONE && it.trajectory_id == tid, owner = false, to_confirm = false;
  if (ok) {
    if ((rc = version_load(r, vid, &v)) != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
    ok = rc == DB_ROW && v.trajectory_id == tid;
  }
  if (ok && tg == GROUNDS_MEMBER) { /* a member confirms a version only when they own one of its actions */
    to_confirm = member_to_confirm(&v, member, &owner);
    ok = owner;
  }
  if (!ok) return object_refused(r, OWNER_ITEM, vid, item, "update", grounds_name(tg)); /* on the item's own file */
  bool as_participant = tg == GROUNDS_SELF, as_member = tg == GROUNDS_MEMBER;
  int64_t latest_item, latest;
  if ((rc = plan_latest(r->db, tid, &latest_item, &latest)) != DB_OK) return http_db_error(r, rc);
  if (latest_item != vid)
    return render_plan(r, tid, tg, pid, 409,
                       _("Only the latest version of the plan can be confirmed. Look at the latest version and confirm "
                         "that one."));
  if (as_member ? !to_confirm : as_participant ? v.p_name != NULL : v.c_name != NULL)
    return render_plan(r, tid, tg, pid, 409,
                       as_participant ? _("You have already confirmed this version; it is already confirmed.")
                       : as_member    ? _("You have already confirmed this version.")
                                      : _("This version is already confirmed by a coach."));

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t now = (int64_t)time(NULL);
  bool changed;
  if (as_member) {
    rc = plan_member_confirm(r->db, vid, tid, member, r->user->id, now);
    if (rc != DB_OK && rc != DB_DONE) return http_db_error(r, rc);
    changed = rc == DB_OK;
  } else {
    rc = plan_version_confirm(r->db, vid, tid, as_participant, r->user->id, now);
    if (rc != DB_OK && rc != DB_DONE) return http_db_error(r, rc);
    changed = rc == DB_OK;
  }
  if (!changed) { /* confirmed or replaced in the meantime */
    db_rollback(r->db);
    return render_plan(r, tid, tg, pid, 409,
                       _("This version was confirmed already or replaced by a newer version in the meantime."));
  }
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent});
  if (rc == DB_OK) rc = confirm_step_if_complete(r, tid, pid, vid, tg);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/t/%lld/plan", (long long)tid), "saved");
}

/* ------------------------------------------------------------------------------------------ owners */

/* An owner marks their own action of the current version started or done, with an optional remark, without
 * a new version (POST /t/{id}/plan/actions/{aid}). The owner is the participant (their own actions) or the
 * network member owning it, and only while the one door lets them see the plan version. The remark is the
 * owner's information (source party: the owner), seen by whom the visibility rule allows. Anybody else gets
 * the not-found page, logged on the file the action belongs to. */
static int post_action(Req *r) {
  int64_t tid = r->ids[0], aid = r->ids[1];
  const char *item = arena_printf(r->a, "plan_action:%lld", (long long)aid);
  PlanActionRef act;
  int rc = plan_action_get(r->db, r->a, aid, &act);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  bool found = rc == DB_ROW;
  int64_t vid = found ? act.version_item_id : 0, pid;
  Grounds tg;
  int s = object_door(r, OWNER_ITEM, vid, item, "update", GROUNDS_NONE, &tg, &pid);
  if (s) return s;
  bool ok = found && act.trajectory_id == tid;
  int64_t member = 0;
  if (ok && strcmp(act.owner_kind, "participant") == 0) {
    ok = tg == GROUNDS_SELF;
  } else if (ok && strcmp(act.owner_kind, "member") == 0 && tg == GROUNDS_MEMBER) {
    if ((rc = plan_live_membership(r->db, tid, r->user->id, &member)) != DB_OK) return http_db_error(r, rc);
    ok = member && member == act.owner_member_id;
  } else {
    ok = false;
  }
  Grounds ig = GROUNDS_NONE;
  int64_t consent = 0;
  if (ok) { /* the owner sees their action only while they may see the plan version it is in */
    ItemRef it = {0};
    if ((rc = policy_item(r->db, r->user, vid, date_today_text(r->a), &ig, &consent, &it)) != DB_OK) return http_db_error(r, rc);
    ok = ig != GROUNDS_NONE && it.trajectory_id == tid;
  }
  if (!ok) return object_refused(r, OWNER_ITEM, vid, item, "update", grounds_name(tg)); /* on the item's own file */
  if ((s = trajectory_refuse_if_closed(r, tid))) return s;
  if (!act.is_current)
    return render_plan(r, tid, tg, pid, 409,
                       _("This action belongs to an earlier version of the plan. Look at the latest version."));
  if (strcmp(act.status, "dropped") == 0)
    return render_plan(r, tid, tg, pid, 409, _("This action is no longer needed; ask the coach if it should return."));

  const char *sk = arena_printf(r->a, "a%lld_status", (long long)aid);
  const char *rk = arena_printf(r->a, "a%lld_remark", (long long)aid);
  const char *status = form_str(r, sk), *remark = form_str(r, rk);
  if (strcmp(status, "in_progress") != 0 && strcmp(status, "done") != 0)
    form_error(r, sk, _("Choose started or done."));
  if (text_chars(remark) > REMARK_MAX) form_error(r, rk, _("The remark is too long (at most 2000 characters)."));
  if (r->nerrors) return render_plan(r, tid, tg, pid, 400, r->errors[0].val);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t now = (int64_t)time(NULL), remark_item = 0;
  if (*remark) {
    rc = item_create(r->db,
                     &(ItemNew){.trajectory_id = tid, .source_member_id = member, .author_id = r->user->id,
                                .kind = "plan_remark", .category = "plan", .title = _("Remark on an action of the plan"),
                                .body = remark, .created_at = now},
                     &remark_item);
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  rc = plan_action_mark(r->db, &(PlanActionMark){.action_id = aid, .trajectory_id = tid, .owner_member_id = member,
                                                 .remark_item_id = remark_item, .user_id = r->user->id, .at = now,
                                                 .status = status});
  if (rc == DB_DONE) { /* a new version replaced it in the meantime */
    db_rollback(r->db);
    return render_plan(r, tid, tg, pid, 409,
                       _("This action belongs to an earlier version of the plan. Look at the latest version."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "update",
                                    .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent});
  if (rc == DB_OK && remark_item)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                      .item = arena_printf(r->a, "plan_remark:%lld", (long long)remark_item),
                                      .action = "create", .outcome = "ok", .grounds = grounds_name(GROUNDS_AUTHOR)});
  if (rc != DB_OK) return http_db_error(r, rc);
  if (rc == DB_OK) rc = trajectory_touch(r->db, tid, now); /* an owner's update is contact */
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, safe_next(form_str(r, "next"), arena_printf(r->a, "/t/%lld/plan", (long long)tid)),
                             "saved");
}

/* Reading and confirming: every role reaches the handler so that the one door decides (and logs a refusal).
 * Writing the plan is a coach's task: other roles are refused before the handler (403). */

const Route plan_routes[] = {
    {"GET", "/t/{id}/plan", ROLES_CASE, R_CASE, get_plan},
    {"POST", "/t/{id}/plan", ROLE_COACH, R_CASE, post_plan},
    {"GET", "/t/{id}/plan/edit", ROLE_COACH, R_CASE, get_edit},
    {"GET", "/t/{id}/plan/{vid}", ROLES_CASE, R_CASE, get_version},
    {"POST", "/t/{id}/plan/{vid}/confirm", ROLES_CASE, R_CASE, post_confirm},
    {"POST", "/t/{id}/plan/actions/{aid}", ROLES_CASE, R_CASE, post_action},
    {0},
};

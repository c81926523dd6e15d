/*
 * plan_pdf.c — the action plan as a PDF (/t/{id}/plan.pdf): the current version with its goals, actions,
 * owners, due dates and who confirmed when, and a summary of the versions, in the reader's language, on A4
 * (render/plan_pdf.h lays it out as real text).
 *
 * It discloses exactly what the plan page does: the trajectory through the one door, the versions the
 * reader may see through the SQL filter and the list door (items_disclose_more), the newest of them in
 * full, names of network members only where the membership rule allows. The participant's name is on the
 * copy the participant or their coach downloads; everyone else's copy names them by initials. The download
 * is logged ("print") before the PDF is made.
 */
#include <string.h>

#include "core/dates.h"
#include "core/log.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "render/plan_pdf.h"
#include "store/plan.h"
#include "store/trajectories.h"

enum { PDF_VERSIONS_MAX = 200 };

/* The first letter (a whole UTF-8 character) of s followed by a full stop: "A." */
static const char *initial(Req *r, const char *s) {
  if (!s || !*s) return "";
  size_t n = 1;
  while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
  return arena_printf(r->a, "%.*s.", (int)n, s);
}

static const char *status_words(const char *s) {
  if (!s) return "";
  if (strcmp(s, "in_progress") == 0) return _("Started");
  if (strcmp(s, "done") == 0) return _("Done");
  if (strcmp(s, "dropped") == 0) return _("No longer needed");
  return _("To do");
}

/* Who owns action a, as the reader may know it. */
static const char *owner_words(Grounds g, const PlanAction *a, const char *participant) {
  if (a->owner_kind && strcmp(a->owner_kind, "member") == 0) return a->owner_name ? a->owner_name : label_hidden_person();
  if (a->owner_kind && strcmp(a->owner_kind, "coach") == 0) return _("the coach");
  return g == GROUNDS_SELF ? _("You") : participant;
}

/* The document of version v (shown in full) and the versions listed in rows (ids[i] 0: withheld). */
static void build(Req *r, PdfDoc *d, Grounds g, const Trajectory *t, const char *who, const PlanVersion *v,
                  const PlanVersionLine *rows, const int64_t *ids, int n) {
  pdf_add(d, PDF_TITLE, _("Action plan"));
  pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Participant: %s"), who));
  pdf_add(d, PDF_SMALL, arena_printf(r->a, _("Trajectory %lld · made on %s"), (long long)t->id,
                                     date_words(r->a, date_today_text(r->a))));
  if (!v) {
    pdf_add(d, PDF_TEXT, _("There is no action plan you can see yet."));
    return;
  }
  pdf_add(d, PDF_HEADING, arena_printf(r->a, _("Version %lld"), (long long)v->version));
  pdf_add(d, PDF_TEXT, v->author ? arena_printf(r->a, _("Made on %s by %s."), date_local_words(r->a, v->created_at), v->author)
                                 : arena_printf(r->a, _("Made on %s."), date_local_words(r->a, v->created_at)));
  if (v->reason && *v->reason) pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Why it was adjusted: %s"), v->reason));

  pdf_add(d, PDF_SUBHEADING, _("Confirmation"));
  pdf_add(d, PDF_ITEM, v->p_at ? arena_printf(r->a, _("Confirmed by the participant on %s."), date_local_words(r->a, v->p_at))
                               : _("Not yet confirmed by the participant."));
  pdf_add(d, PDF_ITEM, v->c_at ? (v->c_name ? arena_printf(r->a, _("Confirmed by the coach, %s, on %s."), v->c_name,
                                                           date_local_words(r->a, v->c_at))
                                            : arena_printf(r->a, _("Confirmed by the coach on %s."),
                                                           date_local_words(r->a, v->c_at)))
                               : _("Not yet confirmed by the coach."));
  for (int i = 0; i < v->nmembers; i++) {
    const PlanMemberConfirm *m = &v->members[i];
    const char *name = m->name ? m->name : label_hidden_person();
    pdf_add(d, PDF_ITEM, m->at ? arena_printf(r->a, _("Confirmed by %s on %s."), name, date_local_words(r->a, m->at))
                               : arena_printf(r->a, _("Not yet confirmed by %s."), name));
  }

  pdf_add(d, PDF_HEADING, _("Goals and actions"));
  if (!v->ngoals) pdf_add(d, PDF_TEXT, _("This version has no goals."));
  for (int i = 0; i < v->ngoals; i++) {
    const PlanGoal *gl = &v->goals[i];
    pdf_add(d, PDF_SUBHEADING, arena_printf(r->a, _("Goal %d: %s"), i + 1, gl->title));
    pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Specific: %s"), gl->specific));
    pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Measurable: %s"), gl->measurable));
    pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Achievable: %s"), gl->achievable));
    pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Relevant: %s"), gl->relevant));
    pdf_add(d, PDF_TEXT, arena_printf(r->a, _("Reached by %s"), date_words(r->a, gl->time_bound)));
    if (!gl->nactions) pdf_add(d, PDF_SMALL, _("No actions for this goal yet."));
    for (int j = 0; j < gl->nactions; j++) {
      const PlanAction *a = &gl->actions[j];
      pdf_add(d, PDF_ITEM, a->text);
      /* TRANSLATORS: who does an action, by when, and how far it is: "the coach · by 4 December 2026 · Done" */
      pdf_add(d, PDF_SUBITEM, arena_printf(r->a, _("%s · by %s · %s"), owner_words(g, a, who),
                                           date_words(r->a, a->due_on), status_words(a->status)));
    }
  }

  pdf_add(d, PDF_HEADING, _("Versions"));
  for (int i = 0; i < n; i++) {
    if (!ids[i]) continue;
    const PlanVersionLine *l = &rows[i];
    const char *line = l->author ? arena_printf(r->a, _("Version %lld, %s, by %s"), (long long)l->version,
                                                date_local_words(r->a, l->created_at), l->author)
                                 : arena_printf(r->a, _("Version %lld, %s"), (long long)l->version,
                                                date_local_words(r->a, l->created_at));
    const char *conf = l->p_ok && l->c_ok ? _("confirmed by the participant and the coach")
                       : l->p_ok          ? _("confirmed by the participant")
                       : l->c_ok          ? _("confirmed by the coach")
                                          : _("not confirmed");
    pdf_add(d, PDF_ITEM, arena_printf(r->a, _("%s (%s)"), line, conf));
  }
}

static int get_plan_pdf(Req *r) {
  Grounds g;
  int64_t pid, tid = r->ids[0];
  int st = trajectory_door(r, "plan", "print", GROUNDS_NONE, &g, &pid);
  if (st) return st;
  const char *today = date_today_text(r->a);
  PlanVersionLine *rows;
  int n;
  Trajectory t;
  int rc = plan_versions_visible(r->db, r->a, r->user, tid, today, PDF_VERSIONS_MAX, &rows, &n);
  if (rc == DB_OK) {
    int trc = trajectory_get(r->db, r->a, tid, &t);
    rc = trc == DB_ROW ? DB_OK : trc == DB_DONE ? DB_ERROR : trc;
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the list door: every version checked with the rule in C; the newest allowed one is printed in full */
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = rows[i].item_id;
  rc = items_disclose_more(r, pid, tid, g, "plan", "print", "plan", ids, n,
                           &(DiscloseMore){.item_action = "list", .first_action = "print"});
  if (rc != DB_OK) return http_db_error(r, rc);
  PlanVersion *v = NULL;
  for (int i = 0; i < n && !v; i++) {
    if (!ids[i]) continue;
    v = arena_alloc(r->a, sizeof *v);
    rc = plan_version_load(r->db, r->a, r->user, ids[i], v);
    if (rc == DB_ROW) rc = plan_version_load_owners(r->db, r->a, r->user, v);
    else if (rc == DB_DONE) rc = DB_ERROR; /* listed a moment ago */
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  /* the name only on the participant's own copy and their coach's */
  const char *who = g == GROUNDS_SELF || g == GROUNDS_COACH
                        ? arena_printf(r->a, "%s %s", t.first_name, t.last_name)
                        : arena_printf(r->a, "%s %s", initial(r, t.first_name), initial(r, t.last_name));
  PdfDoc d;
  pdf_begin(&d, r->a, _("Action plan"),
            arena_printf(r->a, _("Action plan · trajectory %lld · confidential"), (long long)tid));
  build(r, &d, g, &t, who, v, rows, ids, n);
  if (!pdf_render(&d, &r->out)) {
    log_error("rid=%s plan pdf: cairo could not make the PDF", r->rid);
    return http_error(r, 500, NULL);
  }
  r->content_type = "application/pdf";
  http_header(r, "Content-Disposition",
              v ? arena_printf(r->a, "inline; filename=\"action-plan-%lld-v%lld.pdf\"", (long long)tid,
                               (long long)v->version)
                : arena_printf(r->a, "inline; filename=\"action-plan-%lld.pdf\"", (long long)tid));
  return 200;
}

const Route plan_pdf_routes[] = {
    {"GET", "/t/{id}/plan.pdf", ROLES_CASE, R_CASE | R_NOFRAME, get_plan_pdf},
    {0},
};

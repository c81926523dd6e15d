/*
 * reviews.c — case reviews of the team (/reviews): the coaches meet, one of them chairs (the coach who chaired
 * least recently is proposed, and can be swapped), each coach brings in their own trajectories with a short
 * question, and the advice given is stored on the trajectory as a coach note.
 *
 * The question is seen by every coach of the team: the agenda names a participant only to the coaches
 * assigned to the trajectory, or to all coaches when the participant consented to team discussion; the
 * others see initials and the trajectory number ("A.J. #12"). Every view of an agenda logs one entry per
 * trajectory shown (grounds "coach" for its own coach, "review" for the others). A team lead sees the list
 * and who chaired when — dates, chairs and counts, no participants and no questions. A coach invites
 * mental-health practitioners (care-side partners) to a review; they read its agenda with each participant
 * as initials and number, named only where they are a network member with the participant's consent for the
 * advice's category (policy/meetings_policy.h: review_agenda_disclose, logged with that consent).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/meetings_policy.h"
#include "store/items.h"
#include "store/reviews.h"

enum { QUESTION_MAX = 1000, ADVICE_MAX = 5000 };

/* The first letter (UTF-8 sequence) of s followed by ".", or "" for an empty s; arena. */
static const char *initial(Req *r, const char *s) {
  if (!s || !*s) return "";
  size_t len = 1;
  while (s[len] && ((unsigned char)s[len] & 0xC0) == 0x80) len++;
  return arena_printf(r->a, "%.*s.", (int)len, s);
}

/* How participant of item it is named to the reader: the full name when named
 * (policy_review_names_participant), else initials and the trajectory number. */
static const char *item_label(Req *r, const ReviewItem *it, bool named) {
  if (named) return arena_printf(r->a, "%s %s", it->first_name, it->last_name);
  return arena_printf(r->a, "%s%s #%lld", initial(r, it->first_name), initial(r, it->last_name),
                      (long long)it->trajectory_id);
}

/* The chair form: every coach, the proposed one (the first in the rotation) chosen unless chosen_id. */
static void new_review_form(Req *r, const ReviewCoach *coaches, int n, const char *chosen) {
  const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * n + 1));
  for (int i = 0; i < n; i++) {
    opts[2 * i] = arena_printf(r->a, "%lld", (long long)coaches[i].id);
    opts[2 * i + 1] = coaches[i].last_chaired
                          ? arena_printf(r->a, _("%s (last chaired %s)"), coaches[i].name, coaches[i].last_chaired)
                          : arena_printf(r->a, _("%s (never chaired)"), coaches[i].name);
  }
  opts[2 * n] = NULL;
  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Plan the next case review"));
  if (n > 0)
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("Proposed chair: %s (the coach who chaired least recently)."), coaches[0].name));
  form_begin(r, "/reviews", NULL);
  form_errors_summary(r);
  field_input(r, &(Field){.name = "held_on", .label = _("Date"), .type = "date", .required = true,
                          .value = *form_str(r, "held_on") ? form_str(r, "held_on") : date_today_text(r->a)});
  field_select(r,
               &(Field){.name = "chair", .label = _("Chair"), .hint = _("You can swap the chair with another coach."),
                        .value = chosen},
               opts);
  html(&r->out, "<button type=\"submit\">%s</button>", _("Plan the review"));
  form_end(r);
  html(&r->out, "</section>");
}

static int render_reviews(Req *r, int status) {
  Review *list;
  int n;
  int rc = reviews_list(r->db, r->a, r->user, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  ReviewCoach *coaches = NULL;
  int nc = 0;
  bool coach = (r->user->roles & ROLE_COACH) != 0;
  if (coach && (rc = reviews_coaches_rotation(r->db, r->a, &coaches, &nc)) != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Case reviews"));
  html(&r->out, "<h1>%s</h1><p>%s</p>", _("Case reviews"),
       _("The coaches of the team discuss trajectories together. The chair rotates: the coach who chaired least "
         "recently is proposed."));
  if (coach) {
    const char *chosen = *form_str(r, "chair") ? form_str(r, "chair")
                         : nc > 0             ? arena_printf(r->a, "%lld", (long long)coaches[0].id)
                                              : "";
    new_review_form(r, coaches, nc, chosen);
  }
  if (n == 0) {
    html(&r->out, "<p>%s</p>", _("No case reviews yet."));
  } else {
    table_begin(r, NULL, _("Who chaired when"));
    html(&r->out,
         "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
         "<tbody>",
         _("Date"), _("Chair"), _("Trajectories on the agenda"));
    for (int i = 0; i < n; i++) {
      if (coach || (r->user->roles & ROLE_PARTNER))
        html(&r->out, "<tr><th scope=\"row\"><a href=\"/reviews/%lld\">%s</a></th>", (long long)list[i].id,
             list[i].held_on);
      else
        html(&r->out, "<tr><th scope=\"row\">%s</th>", list[i].held_on);
      html(&r->out, "<td>%s</td><td>%lld</td></tr>", list[i].chair_name, (long long)list[i].items);
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  page_end(r);
  return status;
}

static int get_reviews(Req *r) { return render_reviews(r, 200); }

static int post_review(Req *r) {
  const char *held_on = form_str(r, "held_on"), *chair = form_str(r, "chair");
  int32_t days;
  if (!date_parse(held_on, &days)) form_error(r, "held_on", _("Give the date as YYYY-MM-DD."));
  char *end;
  long long chair_id = strtoll(chair, &end, 10);
  bool is_coach = false;
  int rc;
  if (*chair && !*end && chair_id > 0 && (rc = reviews_is_team_coach(r->db, chair_id, &is_coach)) != DB_OK)
    return http_db_error(r, rc);
  if (!is_coach) form_error(r, "chair", _("Choose a coach of the team as chair."));
  if (r->nerrors) return render_reviews(r, 400);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  if ((rc = review_create(r->db, r->user, held_on, chair_id, (int64_t)time(NULL), &id)) != DB_OK ||
      (rc = db_commit(r->db)) != DB_OK)
    return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/reviews/%lld", (long long)id), "saved");
}

/* Review r->ids[0] into *rv when the reader takes part in it (policy_review_member); otherwise the not-found
 * page, as for a review that does not exist, with a "denied" access-log entry when it exists. Returns 0 or
 * the status answered. */
static int review_door(Req *r, Review *rv) {
  bool coach = (r->user->roles & ROLE_COACH) != 0, invited = false;
  int rc = review_get(r->db, r->a, r->user, r->ids[0], rv);
  if (rc == DB_ROW && !coach) rc = review_practitioner_invited(r->db, r->ids[0], r->user->id, &invited) == DB_OK
                                       ? DB_ROW : DB_ERROR;
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  if (policy_review_member(coach, invited)) return 0;
  /* refused like a review that does not exist, and logged as denied (no participant: the agenda is not read) */
  rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "case_review:%lld", (long long)r->ids[0]),
                                    .action = "view", .outcome = "denied", .grounds = "none"});
  return rc == DB_OK ? http_error(r, 404, NULL) : http_db_error(r, rc);
}

/* The practitioners of review rid, and for a coach the form that invites one. */
static int practitioners_section(Req *r, int64_t rid) {
  ReviewPerson *ps, *cand = NULL;
  int np, nc = 0;
  int rc = review_practitioners(r->db, r->a, rid, &ps, &np);
  bool coach = (r->user->roles & ROLE_COACH) != 0;
  if (rc == DB_OK && coach) rc = review_practitioner_candidates(r->db, r->a, rid, &cand, &nc);
  if (rc != DB_OK) return rc;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"practitioners\"><h2 id=\"practitioners\">%s</h2>",
       _("Practitioners taking part"));
  if (np == 0) html(&r->out, "<p>%s</p>", _("Only the coaches of the team take part."));
  else {
    html(&r->out, "<ul>");
    for (int i = 0; i < np; i++)
      html(&r->out, "<li>%s%s%s</li>", ps[i].name, ps[i].function ? ", " : "", ps[i].function ? ps[i].function : "");
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("A practitioner reads a participant's name only when they are in that participant's network with consent "
         "to see the plan; otherwise initials and the trajectory number."));
  if (coach && nc > 0) {
    const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * nc + 1));
    for (int i = 0; i < nc; i++) {
      opts[2 * i] = arena_printf(r->a, "%lld", (long long)cand[i].id);
      opts[2 * i + 1] = cand[i].function ? arena_printf(r->a, "%s, %s", cand[i].name, cand[i].function) : cand[i].name;
    }
    opts[2 * nc] = NULL;
    form_begin(r, arena_printf(r->a, "/reviews/%lld/practitioners", (long long)rid), NULL);
    field_select(r, &(Field){.name = "practitioner", .label = _("Invite a practitioner of the care side"),
                             .required = true},
                 opts);
    html(&r->out, "<button type=\"submit\">%s</button>", _("Invite"));
    form_end(r);
  }
  html(&r->out, "</section>");
  return DB_OK;
}

/* POST /reviews/{id}/practitioners: a coach invites a care-side practitioner to the review. */
static int post_practitioner(Req *r) {
  Review rv;
  int s = review_door(r, &rv);
  if (s) return s;
  char *end;
  const char *v = form_str(r, "practitioner");
  long long uid = strtoll(v, &end, 10);
  if (!*v || *end || uid <= 0) return http_error(r, 400, _("Choose a practitioner of the care side."));
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = review_practitioner_add(r->db, r->user, rv.id, uid, (int64_t)time(NULL));
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    return http_error(r, 400, _("Choose a practitioner of the care side who is not invited yet."));
  }
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/reviews/%lld", (long long)rv.id), "saved");
}

static int get_review(Req *r) {
  int64_t rid = r->ids[0];
  Review rv;
  int rc, s = review_door(r, &rv);
  if (s) return s;
  ReviewItem *items;
  int n;
  if ((rc = review_items(r->db, r->a, r->user, rid, &items, &n)) != DB_OK) return http_db_error(r, rc);
  Grounds *gs;
  bool *named;
  if ((rc = review_agenda_disclose(r, rid, items, n, &gs, &named)) != DB_OK) return http_db_error(r, rc);
  if (n == 0) audit_nothing_shown(r);

  page_begin(r, arena_printf(r->a, _("Case review of %s"), rv.held_on));
  html(&r->out, "<p><a href=\"/reviews\">%s</a></p>", _("All case reviews"));
  html(&r->out, "<h1>%s</h1>", arena_printf(r->a, _("Case review of %s"), rv.held_on));
  html(&r->out, "<p>%s</p>", arena_printf(r->a, _("Chair: %s"), rv.chair_name));
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("Every coach of the team reads the questions on the agenda. A participant is named only to their own "
         "coaches, or to all coaches when they consented to team discussion; the others see initials and the "
         "trajectory number."));
  html(&r->out, "<h2>%s</h2>", _("Agenda"));
  if (n == 0) html(&r->out, "<p>%s</p>", _("Nothing on the agenda yet. Bring in a trajectory from its own page."));
  for (int i = 0; i < n; i++) {
    const ReviewItem *it = &items[i];
    html(&r->out, "<article class=\"card\"><h3>%s</h3>",
         item_label(r, it, named[i]));
    html(&r->out, "<p class=\"muted small\">%s</p>", arena_printf(r->a, _("Brought in by %s"), it->brought_by_name));
    html(&r->out, "<h4>%s</h4><p>%s</p>", _("Question"), it->question);
    if (it->advice) html(&r->out, "<h4>%s</h4><p>%s</p>", _("Advice"), it->advice);
    if (policy_may_record_review_advice(gs[i]) && !it->advice) {
      form_begin(r, arena_printf(r->a, "/t/%lld/reviews/%lld/advice", (long long)it->trajectory_id, (long long)it->id),
                 NULL);
      field_textarea(r, &(Field){.name = "advice", .label = _("Advice given"), .required = true,
                                 .hint = _("Stored on the trajectory as a coach note."), .maxlength = ADVICE_MAX},
                     4);
      html(&r->out, "<button type=\"submit\">%s</button>", _("Save the advice"));
      form_end(r);
    }
    html(&r->out, "</article>");
  }
  if ((rc = practitioners_section(r, rid)) != DB_OK) return http_db_error(r, rc);
  page_end(r);
  return 200;
}

/* The card on a trajectory's review page: bring it onto a review's agenda; record team-discussion consent. */
static int render_bring(Req *r, int64_t tid, Grounds g, int status) {
  Review *list;
  int n;
  int rc = reviews_list(r->db, r->a, r->user, &list, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  bool consent;
  const char *on;
  if ((rc = review_team_consent(r->db, r->a, tid, &consent, &on)) != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, tid, g, _("Case review"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Case review"));
  trajectory_subnav(r, tid, g, "reviews");
  html(&r->out, "<h2>%s</h2>", _("Bring into a case review"));
  html(&r->out, "<p class=\"muted small\">%s</p>",
       _("Every coach of the team reads your question. Write it without the participant's name."));
  if (n == 0) {
    html(&r->out, "<p><a href=\"/reviews\">%s</a></p>", _("Plan a case review first."));
  } else {
    const char **opts = arena_alloc(r->a, sizeof *opts * (size_t)(2 * n + 1));
    for (int i = 0; i < n; i++) {
      opts[2 * i] = arena_printf(r->a, "%lld", (long long)list[i].id);
      opts[2 * i + 1] = arena_printf(r->a, _("%s (chair: %s)"), list[i].held_on, list[i].chair_name);
    }
    opts[2 * n] = NULL;
    form_begin(r, arena_printf(r->a, "/t/%lld/reviews", (long long)tid), NULL);
    form_errors_summary(r);
    field_select(r, &(Field){.name = "review", .label = _("Case review"), .value = form_str(r, "review")}, opts);
    field_textarea(r, &(Field){.name = "question", .label = _("Your question"), .required = true,
                               .value = form_str(r, "question"), .maxlength = QUESTION_MAX},
                   3);
    html(&r->out, "<button type=\"submit\">%s</button>", _("Put on the agenda"));
    form_end(r);
  }
  html(&r->out, "<h2>%s</h2>", _("Team discussion"));
  if (consent) {
    html(&r->out, "<p>%s</p>",
         arena_printf(r->a, _("The participant consented to team discussion on %s: all coaches see the name."), on));
  } else {
    html(&r->out, "<p>%s</p>", _("Without consent to team discussion, other coaches see initials and a number only."));
    form_begin(r, arena_printf(r->a, "/t/%lld/team-discussion", (long long)tid), NULL);
    field_input(r, &(Field){.name = "consented_on", .label = _("Consent given on"), .type = "date", .required = true,
                            .value = *form_str(r, "consented_on") ? form_str(r, "consented_on") : date_today_text(r->a)});
    html(&r->out, "<button type=\"submit\">%s</button>", _("Record the consent"));
    form_end(r);
  }
  page_end(r);
  return status;
}

static int get_bring(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "case_review", "view", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = "case_review",
                                        .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return render_bring(r, r->ids[0], g, 200);
}

static int post_bring(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "case_review", "create", GROUNDS_COACH, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  const char *review = form_str(r, "review"), *question = form_str(r, "question");
  char *end;
  long long rid = strtoll(review, &end, 10);
  Review rv;
  int rc = DB_DONE;
  if (*review && !*end && rid > 0 && (rc = review_get(r->db, r->a, r->user, rid, &rv)) != DB_ROW && rc != DB_DONE)
    return http_db_error(r, rc);
  if (rc != DB_ROW) form_error(r, "review", _("Choose a case review."));
  if (!*question) form_error(r, "question", _("Write the question for the team."));
  else if (text_chars(question) > QUESTION_MAX)
    form_error(r, "question", _("The question is too long (at most 1000 characters)."));
  if (r->nerrors) {
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "case_review",
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_bring(r, tid, g, 400);
  }
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  if ((rc = review_item_add(r->db, r->user, rid, tid, question, (int64_t)time(NULL), &id)) != DB_OK)
    return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "case_review_item:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/reviews/%lld", rid));
}

static int post_advice(Req *r) {
  Grounds g;
  int64_t pid;
  int64_t tid = r->ids[0], iid = r->ids[1];
  const char *item = arena_printf(r->a, "case_review_item:%lld", (long long)iid);
  int s = trajectory_door(r, item, "update", GROUNDS_COACH, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, tid))) return s;
  ReviewItem it;
  int rc = review_item_get(r->db, r->a, r->user, tid, iid, &it);
  if (rc == DB_DONE) {
    if ((rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item,
                                           .action = "update", .outcome = "denied",
                                           .grounds = grounds_name(g)})) != DB_OK)
      return http_db_error(r, rc);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_ROW) return http_db_error(r, rc);
  const char *advice = form_str(r, "advice");
  if (it.advice) return http_error(r, 409, _("The advice of this item was already recorded."));
  if (!*advice || text_chars(advice) > ADVICE_MAX) {
    if ((rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item,
                                           .action = "update", .outcome = "ok", .grounds = grounds_name(g)})) != DB_OK)
      return http_db_error(r, rc);
    return http_error(r, 400, *advice ? _("The advice is too long (at most 5000 characters).")
                                      : _("Write the advice given."));
  }
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  Review rv;
  if ((rc = review_get(r->db, r->a, r->user, it.review_id, &rv)) != DB_ROW)
    return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  int64_t note;
  rc = item_create(r->db, &(ItemNew){.trajectory_id = tid, .kind = "note", .category = "plan", .source_member_id = 0,
                                     .author_id = it.brought_by,
                                     .title = arena_printf(r->a, _("Advice of the case review of %s"), rv.held_on),
                                     .body = arena_printf(r->a, _("Question: %s\n\nAdvice: %s"), it.question, advice),
                                     .created_at = (int64_t)time(NULL)},
                   &note);
  if (rc != DB_OK || (rc = review_item_advice(r->db, iid, advice, note)) != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "note:%lld", (long long)note), "create", g,
                                arena_printf(r->a, "/reviews/%lld", (long long)it.review_id));
}

static int post_team_consent(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "team_discussion_consent", "create", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  const char *on = form_str(r, "consented_on");
  int32_t days;
  int rc;
  if (!date_parse(on, &days) || days > date_today()) {
    form_error(r, "consented_on", _("Give the date of the consent as YYYY-MM-DD, not in the future."));
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "case_review",
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_bring(r, tid, g, 400);
  }
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = review_team_consent_set(r->db, r->user, tid, on, (int64_t)time(NULL))) != DB_OK)
    return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, "team_discussion_consent", "create", g,
                                arena_printf(r->a, "/t/%lld/reviews", (long long)tid));
}

const Route reviews_routes[] = {
    {"GET", "/reviews", ROLE_COACH | ROLE_TEAMLEAD | ROLE_PARTNER, 0, get_reviews},
    {"POST", "/reviews", ROLE_COACH, 0, post_review},
    {"GET", "/reviews/{id}", ROLE_COACH | ROLE_PARTNER, R_CASE, get_review},
    {"POST", "/reviews/{id}/practitioners", ROLE_COACH, 0, post_practitioner},
    {"GET", "/t/{id}/reviews", ROLE_COACH, R_CASE, get_bring},
    {"POST", "/t/{id}/reviews", ROLE_COACH, R_CASE, post_bring},
    {"POST", "/t/{id}/reviews/{iid}/advice", ROLE_COACH, R_CASE, post_advice},
    {"POST", "/t/{id}/team-discussion", ROLE_COACH, R_CASE, post_team_consent},
    {0},
};

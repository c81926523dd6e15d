/*
 * corrections.c — a participant asks to correct information about them (GDPR art. 16) and the coach
 * answers: /me/corrections (the participant's form and their requests with the answers), /t/{id}/corrections
 * (the coach's list of a trajectory's requests, answering marks one handled) and /corrections (the coach's
 * open requests across their caseload: the tasks, linked from the coach's day).
 *
 * The participant's requests go to her open trajectory (policy_trajectory, grounds "self"); a request may
 * name an item she may see (policy_item). The coach's pages pass the case door as an assigned coach. Every
 * view and change is logged before the page is written; the texts are case content and never reach the
 * server log.
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
#include "policy/policy.h"
#include "store/corrections.h"
#include "store/participants.h"

enum {
  CORRECTIONS_SHOWN = 200, /* requests listed on a page */
};

/* One request as a card: what was asked, when, and the answer if there is one. */
static void correction_card(Req *r, const Correction *c, bool coach) {
  html(&r->out, "<li class=\"card\" id=\"correction-%lld\"><p class=\"small muted\">%s", (long long)c->id,
       arena_printf(r->a, _("Asked on %s"), date_local_words(r->a, c->created_at)));
  if (c->item_title) html(&r->out, " · %s", arena_printf(r->a, _("About: %s"), c->item_title));
  html(&r->out, "</p><p>");
  html_text_lines(&r->out, c->request);
  html(&r->out, "</p>");
  if (c->handled_at) {
    html(&r->out, "<p><span class=\"badge badge-ok\">%s</span> %s</p><p>", _("Answered"),
         arena_printf(r->a, _("%s answered on %s:"), c->handled_by ? c->handled_by : _("Your coach"),
                      date_local_words(r->a, c->handled_at)));
    html_text_lines(&r->out, c->answer);
    html(&r->out, "</p>");
  } else {
    html(&r->out, "<p><span class=\"badge badge-warn\">%s</span></p>", _("Waiting for an answer"));
    if (coach) {
      form_begin(r, arena_printf(r->a, "/t/%lld/corrections/%lld/answer", (long long)c->trajectory_id,
                                 (long long)c->id), "form");
      field_textarea(r, &(Field){.name = "answer", .label = _("Your answer"), .value = "", .required = true,
                                 .maxlength = CORRECTION_TEXT_MAX,
                                 .hint = _("What you corrected, or why the information stays as it is. The "
                                           "participant reads this answer.")},
                     3);
      html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
           _("Mark as handled"));
      form_end(r);
    }
  }
  html(&r->out, "</li>");
}

/* ------------------------------------------------------------------------------------- participant */

/* The participant's open trajectory through the one door: 0 with *tid and *pid, or *tid 0 when she has
 * none; a DB error's page status otherwise. */
static int my_open_trajectory(Req *r, int64_t *tid, int64_t *pid) {
  *pid = 0;
  int rc = participant_open_trajectory(r->db, r->user->id, tid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!*tid) return 0;
  Grounds g;
  if ((rc = policy_trajectory(r->db, r->user, *tid, &g, pid)) != DB_OK) return http_db_error(r, rc);
  if (!policy_may_ask_correction(g)) *tid = 0;
  return 0;
}

/* The item named by the form or query (field "item"), if the participant may see it and it is of tid: its id
 * into *item (0: none named). False when one is named that she may not see or that is not of tid. */
static bool named_item(Req *r, int64_t tid, const char *s, int64_t *item) {
  *item = 0;
  if (!*s) return true;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v <= 0) return false;
  Grounds g;
  int64_t consent;
  ItemRef it = {0};
  if (policy_item(r->db, r->user, v, date_today_text(r->a), &g, &consent, &it) != DB_OK) return false;
  if (g == GROUNDS_NONE || it.trajectory_id != tid) return false;
  *item = v;
  return true;
}

static int page_me(Req *r, int64_t tid, int status) {
  Correction *cs = NULL;
  int n = 0, rc;
  if ((rc = corrections_of_trajectory(r->db, r->a, tid, r->user->id, CORRECTIONS_SHOWN, &cs, &n)) != DB_OK)
    return http_db_error(r, rc);
  page_begin(r, _("Ask to correct information"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><p class=\"lead\">%s</p>", _("Ask to correct information"),
       _("Is something in your file wrong or incomplete? Tell your coach what is not right. Your coach looks at it "
         "and answers you here."));
  form_errors_summary(r);
  form_begin(r, "/me/corrections", "form");
  const char *item = *form_str(r, "item") ? form_str(r, "item") : query_str(r, "item");
  if (*item) html(&r->out, "<input type=\"hidden\" name=\"item\" value=\"%s\">", item);
  field_textarea(r, &(Field){.name = "request", .label = _("What is not right?"), .value = form_str(r, "request"),
                             .required = true, .maxlength = CORRECTION_TEXT_MAX,
                             .hint = _("Say which information it is about and what it should say.")},
                 5);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Send to my coach"));
  form_end(r);
  html(&r->out, "<h2>%s</h2>", _("Your requests"));
  if (!n) html(&r->out, "<p class=\"muted\">%s</p>", _("You have not asked for a correction yet."));
  else {
    html(&r->out, "<ul class=\"plain cards\">");
    for (int i = 0; i < n; i++) correction_card(r, &cs[i], false);
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/me/data\">%s</a></p></div>", _("Download my data"));
  page_end(r);
  return status;
}

static int no_trajectory(Req *r) {
  audit_nothing_shown(r);
  page_begin(r, _("Ask to correct information"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p></section>", _("Ask to correct information"),
       _("You have no trajectory running at the moment. Ask the organisation that coached you."));
  page_end(r);
  return 200;
}

static int get_me_corrections(Req *r) {
  int64_t tid, pid;
  int st = my_open_trajectory(r, &tid, &pid);
  if (st) return st;
  if (!tid) return no_trajectory(r);
  int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "corrections",
                                        .action = "view", .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return page_me(r, tid, 200);
}

static int post_me_corrections(Req *r) {
  int64_t tid, pid;
  int st = my_open_trajectory(r, &tid, &pid);
  if (st) return st;
  if (!tid) {
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  const char *text = form_str(r, "request");
  int64_t item;
  if (!*text) form_error(r, "request", _("Write what is not right."));
  else if (text_chars(text) > CORRECTION_TEXT_MAX) form_error(r, "request", _("This text is too long."));
  if (!named_item(r, tid, form_str(r, "item"), &item)) form_error(r, "request", _("This information does not exist."));
  if (r->nerrors) {
    int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "corrections",
                                          .action = "view", .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return page_me(r, tid, 400);
  }
  int64_t id = 0, now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = correction_create(r->db, tid, item, r->user->id, text, now, &id);
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                      .item = arena_printf(r->a, "correction:%lld", (long long)id), .action = "create",
                                      .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, arena_printf(r->a, "/me/corrections#correction-%lld", (long long)id));
}

/* ------------------------------------------------------------------------------------- coach */


static int get_trajectory_corrections(Req *r) {
  Grounds g;
  int64_t pid;
  int st = case_door(r, OWNER_ITEM, 0, "corrections", "view", policy_answers_corrections, &g, &pid);
  if (st) return st;
  Correction *cs;
  int n;
  int rc = corrections_of_trajectory(r->db, r->a, r->ids[0], 0, CORRECTIONS_SHOWN, &cs, &n);
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = "corrections",
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc == DB_OK) rc = case_page_begin(r, r->ids[0], g, _("Requests to correct information"));
  if (rc != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Requests to correct information"),
       _("The participant asked to correct information about them. Look at it, correct what is wrong, and answer: "
         "the participant reads your answer."));
  if (!n) html(&r->out, "<p class=\"muted\">%s</p>", _("No requests."));
  else {
    html(&r->out, "<ul class=\"plain cards\">");
    for (int i = 0; i < n; i++) correction_card(r, &cs[i], true);
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/t/%lld\">%s</a></p>", (long long)r->ids[0], _("Back to the trajectory"));
  page_end(r);
  return 200;
}

static int post_answer(Req *r) {
  Grounds g;
  int64_t pid;
  int st = case_door(r, OWNER_ITEM, 0, "corrections", "update", policy_answers_corrections, &g, &pid);
  if (st) return st;
  Correction c;
  int rc = correction_get(r->db, r->a, r->ids[0], r->ids[1], &c);
  if (rc == DB_DONE) {
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0],
                                      .item = arena_printf(r->a, "correction:%lld", (long long)r->ids[1]),
                                      .action = "update", .outcome = "denied", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_ROW) return http_db_error(r, rc);
  const char *answer = form_str(r, "answer");
  const char *err = !*answer                                        ? _("Write your answer to the participant.")
                    : text_chars(answer) > CORRECTION_TEXT_MAX ? _("This text is too long.")
                                                                   : NULL;
  const char *item = arena_printf(r->a, "correction:%lld", (long long)c.id);
  if (err) {
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = item,
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 400, err);
  }
  int64_t now = (int64_t)time(NULL);
  if ((rc = db_begin(r->db)) == DB_OK) rc = correction_answer(r->db, c.id, r->user->id, answer, now);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = item,
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 409, _("This request was answered already."));
  }
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = item,
                                      .action = "update", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, arena_printf(r->a, "/t/%lld/corrections#correction-%lld", (long long)r->ids[0],
                                       (long long)c.id));
}

int corrections_due_load(Req *r, CorrectionsDue *due) {
  Correction *cs;
  int n;
  *due = (CorrectionsDue){0};
  int rc = corrections_open_for_coach(r->db, r->a, r->user, CORRECTIONS_SHOWN, &cs, &n);
  if (rc != DB_OK) return rc;
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n ? n : 1));
  int ne = 0, shown = 0;
  for (int i = 0; i < n; i++) {
    Grounds g;
    int64_t pid;
    if ((rc = policy_trajectory(r->db, r->user, cs[i].trajectory_id, &g, &pid)) != DB_OK) return rc;
    if (!policy_answers_corrections(g)) continue; /* not shown */
    cs[shown++] = cs[i];
    bool seen = false;
    for (int k = 0; k < ne; k++) seen |= entries[k].trajectory_id == cs[i].trajectory_id;
    if (!seen)
      entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = cs[i].trajectory_id,
                                   .item = "corrections", .action = "list", .outcome = "ok",
                                   .grounds = grounds_name(g)};
  }
  if (ne && (rc = audit_write_many(r, entries, ne)) != DB_OK) return rc;
  *due = (CorrectionsDue){.rows = cs, .n = shown};
  return DB_OK;
}

void corrections_due_card(Req *r, const CorrectionsDue *due) {
  if (!due->n) return;
  html(&r->out, "<section class=\"card\" id=\"corrections\" aria-labelledby=\"h-corrections\"><h2 id=\"h-corrections\">%s</h2>"
                "<p>%s</p><ul class=\"plain\">",
       _("Requests to correct information"),
       arena_printf(r->a, P_("%d request waits for your answer.", "%d requests wait for your answer.", due->n), due->n));
  for (int i = 0; i < due->n; i++) {
    const Correction *c = &due->rows[i];
    html(&r->out, "<li><a href=\"/t/%lld/corrections#correction-%lld\">%s %s</a> <span class=\"muted small\">%s</span></li>",
         (long long)c->trajectory_id, (long long)c->id, c->first_name, c->last_name,
         arena_printf(r->a, _("Asked on %s"), date_local_words(r->a, c->created_at)));
  }
  html(&r->out, "</ul></section>");
}

/* The coach's open requests across the caseload (the same card the coach's day can show), one access-log
 * entry per participant listed. */
static int get_corrections(Req *r) {
  CorrectionsDue due;
  int rc = corrections_due_load(r, &due);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!due.n) audit_nothing_shown(r);
  page_begin(r, _("Requests to correct information"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Requests to correct information"),
       _("Participants of your caseload asked to correct information about them. Each one waits for your answer."));
  if (!due.n) html(&r->out, "<p class=\"muted\">%s</p>", _("No open requests."));
  corrections_due_card(r, &due);
  page_end(r);
  return 200;
}

const Route corrections_routes[] = {
    {"GET", "/me/corrections", ROLE_PARTICIPANT, R_CASE, get_me_corrections},
    {"POST", "/me/corrections", ROLE_PARTICIPANT, R_CASE, post_me_corrections},
    {"GET", "/corrections", ROLE_COACH, R_CASE, get_corrections},
    {"GET", "/t/{id}/corrections", ROLE_COACH, R_CASE, get_trajectory_corrections},
    {"POST", "/t/{id}/corrections/{rid}/answer", ROLE_COACH, R_CASE, post_answer},
    {0},
};

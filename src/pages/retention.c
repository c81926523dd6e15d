/*
 * retention.c — erasure pages: the administrator's request to erase a participant's case content before its
 * term (GDPR art. 17: /admin/erasure, with a reason and a fresh second-factor code), the log officer's
 * approval by a second person (/log/erasures), and what the retention rule means for one trajectory
 * (/t/{id}/erasure: "erased on <date> under the retention rule", or until when its content is kept).
 *
 * Case content is erased through store/retention.h, each trajectory's erasure logged in the same
 * transaction. The access log itself is never erased: NEN 7513 asks to keep it at least
 * cfg.retention_log_years, and it refers to the participant, so their name and date of birth stay with it —
 * the part of a request the log's retention forbids; the pages say so.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/mfa_code.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "store/retention.h"
#include "store/trajectories.h"

enum { REQUESTS_SHOWN = 100, REASON_MAX = 2000 };

/* What is erased and what is kept, for the administrator and the log officer. */
static void rule_explained(Req *r) {
  html(&r->out, "<section class=\"card\"><h2>%s</h2><p>%s</p><p>%s</p><p>%s</p></section>", _("What is erased"),
       arena_printf(r->a,
                    P_("The case content of a trajectory is kept %d year after its closure and then erased by the "
                       "daily retention job.",
                       "The case content of a trajectory is kept %d years after its closure and then erased by the "
                       "daily retention job.",
                       cfg.retention_case_years),
                    cfg.retention_case_years),
       _("Erased: the text of notes, plans, messages, minutes and referrals, questionnaire answers, the names of "
         "the network, and other free text. Kept as numbers for the reports: outcome, dates, hours, scores and "
         "counts."),
       arena_printf(r->a,
                    P_("The access log is never erased with it: it must be kept at least %d year (NEN 7513). "
                       "Because the log refers to the participant, their name and date of birth are kept with it.",
                       "The access log is never erased with it: it must be kept at least %d years (NEN 7513). "
                       "Because the log refers to the participant, their name and date of birth are kept with it.",
                       cfg.retention_log_years),
                    cfg.retention_log_years));
}

static const char *decision_words(const ErasureRequest *q) {
  if (!q->decision) return _("Waiting for the log officer");
  if (strcmp(q->decision, "approved") == 0) return _("Approved and carried out");
  return _("Declined");
}

/* ------------------------------------------------------------------------------------- administrator */

static int admin_page(Req *r, int status) {
  ErasureRequest *qs;
  int n;
  int rc = erasure_requests_list(r->db, r->a, REQUESTS_SHOWN, &qs, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Erasure on request"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Erasure on request"),
       _("A participant may ask that their information be erased before its term (GDPR article 17). Record the "
         "request here; a log officer approves it before anything is erased."));
  rule_explained(r);
  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("New request"));
  form_errors_summary(r);
  form_begin(r, "/admin/erasure", "form");
  field_input(r, &(Field){.name = "participant", .label = _("Participant number"), .type = "number",
                          .value = form_str(r, "participant"), .required = true,
                          .hint = _("The number of the participant, as their coach gives it.")});
  field_textarea(r, &(Field){.name = "reason", .label = _("Reason"), .value = form_str(r, "reason"), .required = true,
                             .maxlength = REASON_MAX,
                             .hint = _("How the request reached you and why it is granted. No health details.")},
                 3);
  field_input(r, &(Field){.name = "code", .label = _("Code from your authenticator app"), .value = "",
                          .required = true, .autocomplete = "one-time-code",
                          .hint = _("Erasure cannot be undone: confirm it is you.")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Ask the log officer to approve"));
  form_end(r);
  html(&r->out, "</section>");
  if (n) {
    table_begin(r, "", _("Requests"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Participant number"), _("Asked"), _("Asked by"), _("State"));
    for (int i = 0; i < n; i++)
      html(&r->out, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td></tr>", (long long)qs[i].participant_id,
           date_local_words(r->a, qs[i].requested_at), qs[i].requested_by_name ? qs[i].requested_by_name : "",
           decision_words(&qs[i]));
    html(&r->out, "</tbody>");
    table_end(r);
  }
  page_end(r);
  return status;
}

static int get_admin_erasure(Req *r) { return admin_page(r, 200); }

static int post_admin_erasure(Req *r) {
  char *end;
  long long pid = strtoll(form_str(r, "participant"), &end, 10);
  const char *reason = form_str(r, "reason");
  bool exists = false;
  int rc = DB_OK;
  if (*end || pid <= 0 || (rc = erasure_participant_exists(r->db, pid, &exists)) != DB_OK || !exists) {
    if (rc != DB_OK) return http_db_error(r, rc);
    form_error(r, "participant", _("There is no participant with this number."));
  }
  if (!*reason) form_error(r, "reason", _("Give the reason."));
  else if (text_chars(reason) > REASON_MAX) form_error(r, "reason", _("This text is too long."));
  if (r->nerrors) {
    audit_nothing_shown(r);
    return admin_page(r, 400);
  }
  Arena *a = r->a;
  int64_t *tids;
  int nt, open;
  if ((rc = retention_trajectories_of(r->db, a, pid, &tids, &nt, &open)) != DB_OK) return http_db_error(r, rc);
  if (open) {
    form_error(r, "participant", _("This participant still has a running trajectory: it is closed first."));
    audit_nothing_shown(r);
    return admin_page(r, 409);
  }
  CodeResult cr;
  if ((rc = mfa_code_check(r, r->user->id, form_str(r, "code"), &cr)) != DB_OK) return http_db_error(r, rc);
  if (cr != CODE_OK) {
    form_error(r, "code", cr == CODE_LOCKED ? _(mfa_locked_text) : _("This code is not right. Try the next one."));
    audit_nothing_shown(r);
    return admin_page(r, 403);
  }
  int64_t id = 0;
  if ((rc = db_begin(r->db)) == DB_OK) rc = erasure_request_create(r->db, pid, reason, r->user->id, time(NULL), &id);
  if (rc == DB_CONSTRAINT) {
    db_rollback(r->db);
    form_error(r, "participant", _("A request for this participant is already waiting."));
    audit_nothing_shown(r);
    return admin_page(r, 409);
  }
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid,
                                      .item = arena_printf(r->a, "erasure_request:%lld", (long long)id),
                                      .action = "create", .outcome = "ok", .grounds = "admin"});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, "/admin/erasure");
}

/* ------------------------------------------------------------------------------------- log officer */

static int get_log_erasures(Req *r) {
  ErasureRequest *qs;
  int n;
  int rc = erasure_requests_list(r->db, r->a, REQUESTS_SHOWN, &qs, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  /* what each waiting request would erase, counted per kind (no content) */
  int64_t(*counts)[RETENTION_KINDS_MAX] = arena_alloc(r->a, sizeof *counts * (size_t)(n ? n : 1));
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n ? n : 1));
  int ne = 0;
  for (int i = 0; i < n; i++) {
    if (qs[i].decision) continue;
    int64_t *tids;
    int nt, open;
    if ((rc = retention_trajectories_of(r->db, r->a, qs[i].participant_id, &tids, &nt, &open)) != DB_OK)
      return http_db_error(r, rc);
    for (int k = 0; k < nt; k++)
      if ((rc = retention_count(r->db, tids[k], counts[i])) != DB_OK) return http_db_error(r, rc);
    entries[ne++] = (AuditEntry){.participant_id = qs[i].participant_id,
                                 .item = arena_printf(r->a, "erasure_request:%lld", (long long)qs[i].id),
                                 .action = "view", .outcome = "ok", .grounds = "logofficer"};
  }
  if (ne) {
    if ((rc = audit_write_many(r, entries, ne)) != DB_OK) return http_db_error(r, rc);
  } else {
    audit_nothing_shown(r);
  }
  page_begin(r, _("Erasures to approve"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Erasures to approve"),
       _("An administrator asked to erase a participant's case content before its term. A second person approves "
         "it: check the reason, then approve or decline. The access log is kept in any case."));
  rule_explained(r);
  if (!n) html(&r->out, "<p class=\"muted\">%s</p>", _("No requests."));
  for (int i = 0; i < n; i++) {
    const ErasureRequest *q = &qs[i];
    html(&r->out, "<section class=\"card\" id=\"request-%lld\"><h2>%s</h2><p>%s · %s</p><p>", (long long)q->id,
         arena_printf(r->a, _("Participant number %lld"), (long long)q->participant_id),
         arena_printf(r->a, _("asked by %s on %s"), q->requested_by_name ? q->requested_by_name : "",
                      date_local_words(r->a, q->requested_at)),
         decision_words(q));
    html_text_lines(&r->out, q->reason);
    html(&r->out, "</p>");
    if (!q->decision) {
      table_begin(r, "", _("What would be erased (rows per kind)"));
      html(&r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>", _("Kind"),
           _("Rows"));
      for (int k = 0; k < retention_kinds(); k++)
        if (counts[i][k]) html(&r->out, "<tr><td>%s</td><td>%lld</td></tr>", retention_kind_name(k), (long long)counts[i][k]);
      html(&r->out, "</tbody>");
      table_end(r);
      if (q->requested_by == r->user->id) {
        html(&r->out, "<p class=\"muted\">%s</p>", _("You asked for this erasure yourself: another person approves it."));
      } else {
        form_begin(r, arena_printf(r->a, "/log/erasures/%lld/approve", (long long)q->id), NULL);
        html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
             _("Approve and erase"));
        form_end(r);
        form_begin(r, arena_printf(r->a, "/log/erasures/%lld/decline", (long long)q->id), NULL);
        html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%s</button></div>",
             _("Decline"));
        form_end(r);
      }
    }
    html(&r->out, "</section>");
  }
  page_end(r);
  return 200;
}

/* Ends the decision on request q in the transaction begun (rc its outcome so far): logs it, commits and goes
 * back to the list; a database error page otherwise (DB_DONE, decided meanwhile, as busy). */
static int decided(Req *r, const ErasureRequest *q, int rc) {
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = q->participant_id,
                                      .item = arena_printf(r->a, "erasure_request:%lld", (long long)q->id),
                                      .action = "update", .outcome = "ok", .grounds = "logofficer"});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc == DB_DONE ? DB_BUSY : rc);
  return http_redirect(r, "/log/erasures");
}

/* The waiting request r->ids[0] into *q, when the signed-in log officer may decide it: 0, else the status of
 * the page already written (404 none, 409 decided, 403 their own). */
static int decidable(Req *r, ErasureRequest *q) {
  int rc = erasure_request_get(r->db, r->a, r->ids[0], q);
  if (rc == DB_DONE) {
    audit_nothing_shown(r);
    return http_error(r, 404, NULL);
  }
  if (rc != DB_ROW) return http_db_error(r, rc);
  const char *item = arena_printf(r->a, "erasure_request:%lld", (long long)q->id);
  int status = q->decision ? 409 : q->requested_by == r->user->id ? 403 : 0;
  if (!status) return 0;
  rc = audit_write(r, &(AuditEntry){.participant_id = q->participant_id, .item = item, .action = "update",
                                    .outcome = "denied", .grounds = "logofficer"});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, status, status == 409 ? _("This request was decided already.")
                                             : _("A second person approves an erasure: not the one who asked for it."));
}

static int post_approve(Req *r) {
  ErasureRequest q;
  int st = decidable(r, &q);
  if (st) return st;
  int64_t *tids;
  int nt, open, rc;
  if ((rc = retention_trajectories_of(r->db, r->a, q.participant_id, &tids, &nt, &open)) != DB_OK)
    return http_db_error(r, rc);
  if (open) {
    audit_nothing_shown(r);
    return http_error(r, 409, _("This participant has a running trajectory again: it is closed first."));
  }
  int64_t now = (int64_t)time(NULL);
  const char *today = date_today_text(r->a);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  for (int i = 0; rc == DB_OK && i < nt; i++) {
    rc = retention_erase(r->db, tids[i], today, "request", q.id, now);
    if (rc == DB_DONE) { /* erased earlier under the retention rule */
      rc = DB_OK;
      continue;
    }
    if (rc == DB_OK)
      rc = audit_write(r, &(AuditEntry){.participant_id = q.participant_id, .trajectory_id = tids[i],
                                        .item = "case_content", .action = "delete", .outcome = "ok",
                                        .grounds = "request"});
  }
  if (rc == DB_OK) rc = erasure_request_decide(r->db, q.id, "approved", r->user->id, now, true);
  return decided(r, &q, rc);
}

static int post_decline(Req *r) {
  ErasureRequest q;
  int st = decidable(r, &q);
  if (st) return st;
  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = erasure_request_decide(r->db, q.id, "declined", r->user->id, now, false);
  return decided(r, &q, rc);
}

/* ------------------------------------------------------------------------------------- one trajectory */

static int get_trajectory_erasure(Req *r) {
  Grounds g;
  int64_t pid;
  int st = trajectory_door(r, "trajectory:retention", "view", GROUNDS_NONE, &g, &pid);
  if (st) return st;
  bool erased;
  const char *on, *rule;
  int rc = retention_erasure_of(r->db, r->a, r->ids[0], &erased, &on, &rule);
  Trajectory t;
  if (rc == DB_OK) {
    int trc = trajectory_get(r->db, r->a, r->ids[0], &t);
    rc = trc == DB_ROW ? DB_OK : trc == DB_DONE ? DB_ERROR : trc; /* the door found it: gone is an error */
  }
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0], .item = "trajectory:retention",
                                      .action = "view", .outcome = "ok", .grounds = grounds_name(g)});
  if (rc == DB_OK) rc = case_page_begin(r, r->ids[0], g, _("How long the information is kept"));
  if (rc != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><section class=\"card\" id=\"retention\">",
       _("How long the information is kept"));
  if (erased) {
    const char *when = date_words(r->a, on);
    html(&r->out, "<p class=\"lead\">%s</p><p>%s</p>",
         strcmp(rule, "retention") == 0 ? arena_printf(r->a, _("Erased on %s under the retention rule."), when)
                                        : arena_printf(r->a, _("Erased on %s at the participant's request."), when),
         _("The notes, plans, messages, answers and other texts of this trajectory are erased. What stays are "
           "numbers for the reports: the outcome, dates, hours and scores."));
  }
  else if (t.closed_on && *t.closed_on) {
    int32_t d;
    char until[11] = "";
    if (date_parse(t.closed_on, &d)) date_format(date_add_months(d, 12 * cfg.retention_case_years), until);
    html(&r->out, "<p class=\"lead\">%s</p>",
         arena_printf(r->a, _("The information of this trajectory is kept until %s and then erased."),
                      date_words(r->a, until)));
  } else {
    html(&r->out, "<p class=\"lead\">%s</p>",
         arena_printf(r->a,
                      P_("The information of this trajectory is kept while it runs and %d year after it is closed; "
                         "then it is erased.",
                         "The information of this trajectory is kept while it runs and %d years after it is closed; "
                         "then it is erased.",
                         cfg.retention_case_years),
                      cfg.retention_case_years));
  }
  html(&r->out, "<p>%s</p></section><p><a href=\"/t/%lld\">%s</a></p></div>",
       arena_printf(r->a,
                    P_("Who looked at the file stays in the access log for at least %d year, also after the erasure.",
                       "Who looked at the file stays in the access log for at least %d years, also after the erasure.",
                       cfg.retention_log_years),
                    cfg.retention_log_years),
       (long long)r->ids[0], _("Back to the trajectory"));
  page_end(r);
  return 200;
}

int retention_notice(Req *r, int64_t tid) {
  bool erased;
  const char *on, *rule;
  int rc = retention_erasure_of(r->db, r->a, tid, &erased, &on, &rule);
  if (rc != DB_OK || !erased) return rc;
  const char *text = strcmp(rule, "retention") == 0
                         ? arena_printf(r->a, _("Erased on %s under the retention rule."), date_words(r->a, on))
                         : arena_printf(r->a, _("Erased on %s at the participant's request."), date_words(r->a, on));
  html(&r->out, "<p class=\"notice\" id=\"erased\"><strong>%s</strong> <a href=\"/t/%lld/erasure\">%s</a></p>", text,
       (long long)tid, _("What was kept"));
  return DB_OK;
}

const Route retention_routes[] = {
    {"GET", "/admin/erasure", ROLE_ADMIN, 0, get_admin_erasure},
    {"POST", "/admin/erasure", ROLE_ADMIN, R_CASE, post_admin_erasure},
    {"GET", "/log/erasures", ROLE_LOGOFFICER, R_CASE, get_log_erasures},
    {"POST", "/log/erasures/{rid}/approve", ROLE_LOGOFFICER, R_CASE, post_approve},
    {"POST", "/log/erasures/{rid}/decline", ROLE_LOGOFFICER, R_CASE, post_decline},
    {"GET", "/t/{id}/erasure", ROLES_CASE, R_CASE, get_trajectory_erasure},
    {0},
};

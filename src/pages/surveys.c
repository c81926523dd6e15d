/*
 * surveys.c — the experience surveys (/surveys): after closure the participant, and after a placement or
 * return to work the employer's contact (the trajectory's work-side member of the employer's
 * organisation), answer three questions: satisfaction 1-5, would recommend, an open remark. The answer
 * is kept without the trajectory or the person (store/surveys.h) and shown only in aggregate in the
 * outcome reports. The page shows nothing of the case: a survey is named by its number only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "store/surveys.h"

enum { REMARK_MAX_CHARS = 1000 };

/* The survey of u for trajectory tid as respondent, if it is due: true with *resp set. */
static bool due_for(Req *r, int64_t tid, const char **resp, int *rc) {
  SurveyDue *due;
  int n;
  *rc = surveys_due(r->db, r->a, r->user, &due, &n);
  if (*rc != DB_OK) return false;
  const char *want = query_str(r, "as");
  if (!*want) want = form_str(r, "as");
  for (int i = 0; i < n; i++)
    if (due[i].trajectory_id == tid && (!*want || strcmp(want, due[i].respondent) == 0)) {
      *resp = due[i].respondent;
      return true;
    }
  return false;
}

static int get_surveys(Req *r) {
  SurveyDue *due;
  int n;
  int rc = surveys_due(r->db, r->a, r->user, &due, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  page_begin(r, _("Surveys"));
  html(&r->out, "<h1>%s</h1>", _("Surveys"));
  if (!n) html(&r->out, "<p>%s</p>", _("There is no survey for you at the moment. Thank you!"));
  else {
    html(&r->out, "<p>%s</p><ul>", _("We would like to know what you thought of the guidance. It takes a minute."));
    for (int i = 0; i < n; i++)
      html(&r->out, "<li><a href=\"/surveys/%lld?as=%s\">%s</a></li>", (long long)due[i].trajectory_id,
           due[i].respondent,
           strcmp(due[i].respondent, "participant") == 0 ? _("Your guidance: a short survey")
                                                          : _("The guidance of your employee: a short survey"));
    html(&r->out, "</ul>");
  }
  page_end(r);
  return 200;
}

/* A fieldset of radio buttons name with the pairs value,label in opts (NULL-terminated). */
static void radios(Req *r, const char *name, const char *legend, const char *const *opts) {
  const char *err = form_error_for(r, name), *value = form_str(r, name);
  html(&r->out, "<fieldset class=\"field%s\"", err ? " has-error" : "");
  if (err) html(&r->out, " aria-describedby=\"e-%s\"", name);
  html(&r->out, "><legend>%s</legend>", legend);
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", name, err);
  for (int k = 0; opts[k]; k += 2) {
    const char *id = k == 0 ? arena_printf(r->a, "f-%s", name) : arena_printf(r->a, "f-%s-%d", name, k / 2);
    html(&r->out, "<div class=\"check\"><input type=\"radio\" id=\"%s\" name=\"%s\" value=\"%s\" required", id, name,
         opts[k]);
    if (!strcmp(value, opts[k])) html(&r->out, " checked");
    html(&r->out, "><label for=\"%s\">%s</label></div>", id, opts[k + 1]);
  }
  html(&r->out, "</fieldset>");
}

static int render_form(Req *r, int64_t tid, const char *resp, int status) {
  bool participant = strcmp(resp, "participant") == 0;
  page_begin(r, _("Survey"));
  html(&r->out, "<h1>%s</h1>", participant ? _("What did you think of your guidance?")
                                           : _("What did you think of the guidance of your employee?"));
  html(&r->out, "<p>%s</p>",
       _("Your answer does not carry your name. We only show answers together with those of at least four others."));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/surveys/%lld", (long long)tid), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"as\" value=\"%s\">", resp);
  const char *sat[] = {"1", _("1 – very unhappy"), "2", _("2 – unhappy"), "3", _("3 – okay"),
                       "4", _("4 – happy"), "5", _("5 – very happy"), NULL};
  radios(r, "satisfaction", participant ? _("How happy are you with the guidance?") : _("How happy are you with the guidance?"), sat);
  const char *rec[] = {"yes", _("Yes"), "no", _("No"), NULL};
  radios(r, "recommend", participant ? _("Would you tell others to use this guidance?")
                                     : _("Would you recommend this guidance to other employers?"), rec);
  field_textarea(r, &(Field){.name = "remark", .label = _("Anything else you want to tell us? (optional)"),
                             .value = form_str(r, "remark"), .maxlength = REMARK_MAX_CHARS,
                             .hint = _("Please do not write names or health details.")},
                 4);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/surveys\">%s</a></div>",
       _("Send"), _("Cancel"));
  form_end(r);
  page_end(r);
  return status;
}

static int get_survey(Req *r) {
  const char *resp;
  int rc;
  if (!due_for(r, r->ids[0], &resp, &rc)) {
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 404, _("There is no such survey for you, or you have answered it already."));
  }
  return render_form(r, r->ids[0], resp, 200);
}

static int post_survey(Req *r) {
  const char *resp;
  int rc;
  if (!due_for(r, r->ids[0], &resp, &rc)) {
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 404, _("There is no such survey for you, or you have answered it already."));
  }
  const char *sat = form_str(r, "satisfaction"), *rec = form_str(r, "recommend"), *remark = form_str(r, "remark");
  if (strlen(sat) != 1 || sat[0] < '1' || sat[0] > '5') form_error(r, "satisfaction", _("Choose a number from 1 to 5."));
  if (strcmp(rec, "yes") && strcmp(rec, "no")) form_error(r, "recommend", _("Choose yes or no."));
  if (!text_valid(remark, strlen(remark)) || text_chars(remark) > REMARK_MAX_CHARS)
    form_error(r, "remark", _("Your remark can be at most 1000 characters."));
  if (r->nerrors) return render_form(r, r->ids[0], resp, 400);
  rc = surveys_answer(r->db, r->user, r->ids[0], resp,
                      &(SurveyAnswer){.satisfaction = sat[0] - '0', .recommend = !strcmp(rec, "yes"), .remark = remark},
                      (int64_t)time(NULL));
  if (rc == DB_CONSTRAINT || rc == DB_DONE)
    return http_error(r, 409, _("You have answered this survey already. Thank you!"));
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.trajectory_id = r->ids[0], .item = "survey", .action = "create", .outcome = "ok",
                                    .grounds = resp});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/surveys", "saved");
}

void survey_card(Req *r) {
  SurveyDue *due;
  int n;
  if (surveys_due(r->db, r->a, r->user, &due, &n) != DB_OK || !n) return;
  bool participant = (r->user->roles & ROLE_PARTICIPANT) != 0;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-survey\"><h2 id=\"h-survey\">%s</h2><p>%s</p>"
                "<p><a class=\"button\" href=\"/surveys\">%s</a></p></section>",
       participant ? _("How was your guidance?") : _("How was the guidance?"),
       participant ? _("Tell us in a minute what you thought of it. Your answer does not carry your name.")
                   : _("Tell us in a minute what you thought of the guidance of your employee. Your answer does not "
                       "carry your name."),
       _("Answer the short survey"));
}

const Route surveys_routes[] = {
    {"GET", "/surveys", ROLE_PARTICIPANT | ROLE_PARTNER, 0, get_surveys},
    {"GET", "/surveys/{id}", ROLE_PARTICIPANT | ROLE_PARTNER, 0, get_survey},
    {"POST", "/surveys/{id}", ROLE_PARTICIPANT | ROLE_PARTNER, 0, post_survey},
    {0},
};

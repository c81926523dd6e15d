/*
 * assessment.c — first-line assessment (exploration phase): questionnaires filled in by the participant in
 * the portal, or entered by an assigned coach on their behalf, scored by the server
 * (src/assess/questionnaire.c), with the history of each scale drawn as a small SVG line chart.
 *
 *   GET  /t/{id}/assessments            what the user may see, per questionnaire: chart and table of scores
 *   GET  /t/{id}/assessments/new?q=ID   the form, one field per item
 *   POST /t/{id}/assessments            checks and scores the answers, stores them (400 with the answers
 *                                       kept and the errors beside the items when they do not pass)
 *   GET  /t/{id}/assessments/{aid}      one result with every answer
 *
 * The definitions are the JSON files of assets/questionnaires/, compiled into the binary (symbol
 * `questionnaires`) and parsed per request into the request arena. A filled-in questionnaire is case
 * information: an items row (kind 'assessment', the participant as source party, the category of its
 * definition: K10 health, work ability and strengths capacity, work situation work) plus an assessments
 * row, so the one door (POLICY_SQL_ITEM_VISIBLE and policy_item) decides who sees it, and every result shown
 * is logged with its grounds. A result the coach entered says so (assessments.filled_by 'coach', created_by
 * the coach): its access-log entry names the participant's account in on_behalf_of, as consent.c does for
 * a consent the coach records, and its pages show "entered by coach X on behalf of Y".
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "assess/questionnaire.h"
#include "core/dates.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/assessments.h"
#include "store/participants.h"

extern const EmbeddedFile questionnaires[];

enum { QN_MAX = 8, LIST_MAX = 300, CHART_W = 320, CHART_H = 150, PAD_L = 34, PAD_R = 12, PAD_T = 10, PAD_B = 22 };

/* The shipped definitions in the order they are offered (files not listed here follow). */
static const char *const q_order[] = {"work-ability", "k10", "strengths", "work-situation", NULL};

typedef struct QSet {
  Questionnaire q[QN_MAX];
  int n;
} QSet;

/* Parses every embedded definition into the request arena, in q_order. A definition that does not parse
 * is left out and logged by file name (a build ships only files the unit test has parsed). */
static void qset_load(Req *r, QSet *set) {
  set->n = 0;
  Questionnaire tmp[QN_MAX];
  int nt = 0;
  for (const EmbeddedFile *f = questionnaires; f->name && nt < QN_MAX; f++) {
    char err[256];
    if (questionnaire_parse(r->a, (const char *)f->data, f->len, &tmp[nt], err, sizeof err)) nt++;
    else log_error("questionnaire %s: %s", f->name, err);
  }
  bool taken[QN_MAX] = {0};
  for (int o = 0; q_order[o]; o++)
    for (int i = 0; i < nt; i++)
      if (!taken[i] && !strcmp(tmp[i].id, q_order[o])) {
        set->q[set->n++] = tmp[i];
        taken[i] = true;
      }
  for (int i = 0; i < nt; i++)
    if (!taken[i]) set->q[set->n++] = tmp[i];
}

static const Questionnaire *qset_find(const QSet *set, const char *id) {
  for (int i = 0; i < set->n; i++)
    if (!strcmp(set->q[i].id, id)) return &set->q[i];
  return NULL;
}

static const char *tr(Req *r, const QText *t) { return qtext(t, r->lang); }

/* One stored result as the pages read it. */
typedef struct Result {
  int64_t id, created_at;
  const char *questionnaire, *answers, *scores, *filled_by;
  const char *entered_by; /* name of the user who entered it (created_by) */
  int version;
  QScore sc[Q_SCALES_MAX];
  bool has[Q_SCALES_MAX];
} Result;

/* Reads the stored scores ([{"scale": id, "score": n}, ...]) of a result for definition q. Bands are taken
 * from the definition by score. Scales missing from the text are marked absent. */
static void result_scores(const Questionnaire *q, Result *res) {
  for (int k = 0; k < Q_SCALES_MAX; k++) res->has[k] = false;
  json_t *arr = json_loads(res->scores ? res->scores : "[]", 0, NULL);
  for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
    json_t *e = json_array_get(arr, i);
    const char *scale = json_string_value(json_object_get(e, "scale"));
    json_t *score = json_object_get(e, "score");
    for (int k = 0; scale && json_is_number(score) && k < q->nscales; k++)
      if (!strcmp(q->scales[k].id, scale)) {
        double v = json_number_value(score) * 10.0;
        if (!(v > -1e7 && v < 1e7)) continue;
        res->sc[k].score10 = (int)(v >= 0 ? v + 0.5 : v - 0.5);
        res->sc[k].band = qscale_band(&q->scales[k], res->sc[k].score10);
        res->has[k] = true;
      }
  }
  json_decref(arr);
}

static const char *score_text(Req *r, int score10) {
  char *s = arena_alloc(r->a, 16);
  qscore_format(score10, s, 16);
  return s;
}

/* Whether the reader is a participant (her own results): plain words, dates in words, local times, no
 * English source notes (core/dates.h). */
static bool plain_reader(Req *r) { return r->user && (r->user->roles & ROLE_PARTICIPANT); }

/* The date of unix time t: in words for a participant, YYYY-MM-DD for the others. */
static const char *date_of(Req *r, int64_t t) {
  if (plain_reader(r)) return date_local_words(r->a, t);
  char *d = arena_alloc(r->a, 11);
  date_format((int32_t)(t / 86400), d);
  return d;
}

/* The moment of unix time t: in words and local time for a participant, as fmt_time for the others. */
static const char *moment_of(Req *r, int64_t t) { return plain_reader(r) ? when_words(r->a, t) : fmt_time(r, t); }

/* Participant pid as "on behalf of" needs them: their account into *user_id (0 when they have none) and
 * their full name into *name (arena; "" when not found); either pointer may be NULL. Returns a DB code. */
static int participant_of(Req *r, int64_t pid, int64_t *user_id, const char **name) {
  ParticipantAccount acc;
  int rc = participant_account_load(r->db, r->a, pid, &acc);
  if (rc != DB_OK && rc != DB_DONE) return rc;
  if (user_id) *user_id = acc.user_id;
  if (name) *name = acc.name;
  return DB_OK;
}

/* A stored result as the pages read it, its scores not yet read. */
static Result result_of(const Assessment *a) {
  return (Result){.id = a->id, .created_at = a->created_at, .version = a->version, .questionnaire = a->questionnaire,
                  .answers = a->answers, .scores = a->scores, .filled_by = a->filled_by, .entered_by = a->entered_by};
}

/* Who filled in a result: the participant, or "entered by coach X on behalf of <participant>". */
static const char *filled_by_label(Req *r, const Result *res, const char *participant) {
  if (plain_reader(r))
    return strcmp(res->filled_by, "coach") != 0
               ? _("filled in by you")
               : arena_printf(r->a, _("entered for you by %s"), name_or_hidden(res->entered_by));
  if (strcmp(res->filled_by, "coach") != 0) return _("filled in by the participant");
  return arena_printf(r->a, _("entered by coach %s on behalf of %s"), name_or_hidden(res->entered_by), participant);
}

/* The score and its band, as "24 — high". */
static void score_cell(Req *r, const QScale *s, const QScore *sc) {
  html(&r->out, "%s", score_text(r, sc->score10));
  if (sc->band >= 0) {
    const QBand *b = &s->bands[sc->band];
    html(&r->out, " <span class=\"badge%s%s\">%s</span>", b->level ? " band-" : "", b->level ? b->level : "",
         tr(r, &b->label));
  }
}

/* The history of one scale as an SVG line chart: the y axis spans the scale's range, one point per result
 * in time order, equally spaced. The title names every point, and the table after the chart holds the same
 * data for those who do not see it. All text goes through the writer. */
static void chart(Req *r, const Questionnaire *q, int k, Result **hist, int n) {
  const QScale *s = &q->scales[k];
  int w = CHART_W - PAD_L - PAD_R, h = CHART_H - PAD_T - PAD_B;
  long long span = s->max10 - s->min10;
  if (span <= 0 || n <= 0) return;
  const char *cid = arena_printf(r->a, "chart-%s-%s", q->id, s->id);
  html(&r->out, "<figure class=\"chart\"><svg role=\"img\" aria-labelledby=\"%s-t\" viewBox=\"0 0 %d %d\" "
                "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">%s: ",
       cid, CHART_W, CHART_H, CHART_W, CHART_H, cid, tr(r, &s->title));
  for (int i = 0; i < n; i++) {
    const char *score = score_text(r, hist[i]->sc[k].score10), *date = date_of(r, hist[i]->created_at);
    /* TRANSLATORS: a score and the date it was given, e.g. "24 on 2026-03-01" */
    const char *point = arena_printf(r->a, _("%s on %s"), score, date);
    html(&r->out, "%s%s", i ? "; " : "", point);
  }
  html(&r->out, "</title>");
  /* axes with the lowest and highest possible score */
  html(&r->out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>"
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>",
       PAD_L, PAD_T, PAD_L, PAD_T + h, PAD_L, PAD_T + h, PAD_L + w, PAD_T + h);
  html(&r->out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\">%s</text>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\">%s</text>",
       PAD_L - 4, PAD_T + 8, score_text(r, s->max10), PAD_L - 4, PAD_T + h, score_text(r, s->min10));
  int *xs = arena_alloc(r->a, sizeof *xs * (size_t)n), *ys = arena_alloc(r->a, sizeof *ys * (size_t)n);
  for (int i = 0; i < n; i++) {
    long long v = hist[i]->sc[k].score10 - s->min10;
    if (v < 0) v = 0;
    if (v > span) v = span;
    xs[i] = PAD_L + (n == 1 ? w / 2 : (int)((long long)w * i / (n - 1)));
    ys[i] = PAD_T + h - (int)((long long)h * v / span);
  }
  if (n > 1) {
    html(&r->out, "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" d=\"");
    for (int i = 0; i < n; i++) html(&r->out, "%s%d %d", i ? " L" : "M", xs[i], ys[i]);
    html(&r->out, "\"/>");
  }
  for (int i = 0; i < n; i++) html(&r->out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"currentColor\"/>", xs[i], ys[i]);
  html(&r->out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"currentColor\">%s</text>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\">%s</text>",
       PAD_L, CHART_H - 6, date_of(r, hist[0]->created_at), PAD_L + w, CHART_H - 6, date_of(r, hist[n - 1]->created_at));
  html(&r->out, "</svg></figure>");
}

/* The results of one questionnaire: per scale a chart, then one table with every result. */
static void questionnaire_section(Req *r, int64_t tid, const Questionnaire *q, Result *list, int n,
                                  const char *participant) {
  Result **mine = arena_alloc(r->a, sizeof *mine * (size_t)(n + 1));
  int m = 0;
  for (int i = 0; i < n; i++)
    if (list[i].id && !strcmp(list[i].questionnaire, q->id)) mine[m++] = &list[i];
  if (!m) return;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"q-%s\"><h2 id=\"q-%s\">%s</h2>", q->id, q->id,
       tr(r, &q->title));
  for (int k = 0; k < q->nscales; k++) {
    Result **hist = arena_alloc(r->a, sizeof *hist * (size_t)m);
    int nh = 0;
    for (int i = 0; i < m; i++)
      if (mine[i]->has[k]) hist[nh++] = mine[i];
    if (nh) {
      if (q->nscales > 1) html(&r->out, "<h3>%s</h3>", tr(r, &q->scales[k].title));
      chart(r, q, k, hist, nh);
    }
  }
  table_begin(r, NULL, arena_printf(r->a, "%s: %s", tr(r, &q->title), _("all results")));
  html(&r->out, "<thead><tr><th scope=\"col\">%s</th>", _("Date"));
  for (int k = 0; k < q->nscales; k++) html(&r->out, "<th scope=\"col\">%s</th>", tr(r, &q->scales[k].title));
  html(&r->out, "<th scope=\"col\">%s</th></tr></thead><tbody>", _("Filled in"));
  for (int i = m - 1; i >= 0; i--) {
    const Result *res = mine[i];
    html(&r->out, "<tr><th scope=\"row\"><a href=\"/t/%lld/assessments/%lld\">%s</a></th>", (long long)tid,
         (long long)res->id, moment_of(r, res->created_at));
    for (int k = 0; k < q->nscales; k++) {
      html(&r->out, "<td>");
      if (res->has[k]) score_cell(r, &q->scales[k], &res->sc[k]);
      html(&r->out, "</td>");
    }
    html(&r->out, "<td>%s</td></tr>", filled_by_label(r, res, participant));
  }
  html(&r->out, "</tbody>");
  table_end(r);
  html(&r->out, "</section>");
}

static int get_list(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "assessments", "list", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  char today[11];
  date_format(date_today(), today);
  Assessment *rows;
  int n, rc;
  if ((rc = assessments_visible(r->db, r->a, r->user, tid, today, LIST_MAX, &rows, &n)) != DB_OK)
    return http_db_error(r, rc);
  Result *list = arena_alloc(r->a, sizeof *list * (size_t)(n + 1));
  for (int i = 0; i < n; i++) list[i] = result_of(&rows[i]);
  const char *pname;
  if ((rc = participant_of(r, pid, NULL, &pname)) != DB_OK) return http_db_error(r, rc);

  /* each result shown is checked with the C rule and logged with its grounds (withheld: id set to 0) */
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = list[i].id;
  if ((rc = items_disclose(r, pid, tid, g, "assessments", "list", "assessment", ids, n)) != DB_OK)
    return http_db_error(r, rc);
  int shown = 0;
  for (int i = 0; i < n; i++) shown += (list[i].id = ids[i]) != 0;

  QSet *set = arena_alloc(r->a, sizeof *set);
  qset_load(r, set);
  for (int i = 0; i < n; i++) {
    const Questionnaire *q = list[i].id ? qset_find(set, list[i].questionnaire) : NULL;
    if (q) result_scores(q, &list[i]);
  }

  if ((rc = case_page_begin(r, tid, g, _("Questionnaires"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Questionnaires"));
  trajectory_subnav(r, tid, g, "assessments");
  if (policy_may_fill_questionnaire(g)) {
    html(&r->out, "<section class=\"card\" aria-labelledby=\"q-fill\"><h2 id=\"q-fill\">%s</h2><ul>",
         g == GROUNDS_SELF ? _("Questionnaires to fill in") : _("Enter a questionnaire"));
    for (int i = 0; i < set->n; i++) {
      html(&r->out, "<li><a href=\"/t/%lld/assessments/new?q=", (long long)tid);
      html_urlarg(&r->out, set->q[i].id);
      html(&r->out, "\">%s</a></li>", tr(r, &set->q[i].title));
    }
    html(&r->out, "</ul></section>");
  }
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("No questionnaire results you can see."));
  for (int i = 0; i < set->n; i++) questionnaire_section(r, tid, &set->q[i], list, n, pname);
  bool orphans = false; /* results of a definition no longer shipped: kept, not drawn */
  for (int i = 0; i < n && !orphans; i++)
    if (list[i].id && !qset_find(set, list[i].questionnaire)) orphans = true;
  if (orphans) html(&r->out, "<p>%s</p>", _("Some results belong to a questionnaire this version no longer ships."));
  page_end(r);
  return 200;
}

/* Field name of an item in the form: "a_" + item id (keeps clear of _csrf and q). */
static const char *field_name(Req *r, const QItem *it) { return arena_printf(r->a, "a_%s", it->id); }

/* A group of radio buttons (scale points or choice options) in a fieldset, the error beside it. */
static void radio_group(Req *r, const QItem *it, const char *name, const char *value) {
  const char *err = form_error_for(r, name);
  bool hint = it->hint.en || (it->type == Q_SCALE && (it->min_label.en || it->max_label.en));
  html(&r->out, "<fieldset class=\"field%s\"", err ? " has-error" : "");
  if (err || hint) {
    html(&r->out, " aria-describedby=\"");
    if (hint) html(&r->out, "h-%s%s", name, err ? " " : "");
    if (err) html(&r->out, "e-%s", name);
    html(&r->out, "\"");
  }
  html(&r->out, "><legend>%s", tr(r, &it->text));
  if (!it->required) html(&r->out, " <span class=\"optional\">(%s)</span>", _("optional"));
  html(&r->out, "</legend>");
  if (hint) {
    html(&r->out, "<p class=\"hint\" id=\"h-%s\">", name);
    if (it->hint.en) html(&r->out, "%s ", tr(r, &it->hint));
    if (it->type == Q_SCALE && it->min_label.en) html(&r->out, "%s. ", tr(r, &it->min_label));
    if (it->type == Q_SCALE && it->max_label.en) html(&r->out, "%s.", tr(r, &it->max_label));
    html(&r->out, "</p>");
  }
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", name, err);
  int n = it->type == Q_SCALE ? it->max - it->min + 1 : it->noptions;
  for (int k = 0; k < n; k++) {
    const char *v, *label;
    if (it->type == Q_SCALE) {
      v = arena_printf(r->a, "%d", it->min + k);
      label = v;
      if (k == 0 && it->min_label.en) label = tr(r, &it->min_label);
      if (k == n - 1 && it->max_label.en) label = tr(r, &it->max_label);
    } else {
      v = it->options[k].value;
      label = tr(r, &it->options[k].label);
    }
    /* the first radio carries the field's id, so the error summary's link lands in the group */
    const char *id = k == 0 ? arena_printf(r->a, "f-%s", name) : arena_printf(r->a, "f-%s-%d", name, k);
    html(&r->out, "<div class=\"check\"><input type=\"radio\" id=\"%s\" name=\"%s\" value=\"%s\"", id, name, v);
    if (!strcmp(value, v)) html(&r->out, " checked");
    if (it->required) html(&r->out, " required");
    if (err) html(&r->out, " aria-invalid=\"true\"");
    html(&r->out, "><label for=\"%s\">%s</label></div>", id, label);
  }
  html(&r->out, "</fieldset>");
}

static int render_form(Req *r, int64_t tid, Grounds g, const Questionnaire *q, int status) {
  int rc = case_page_begin(r, tid, g, tr(r, &q->title));
  if (rc != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", tr(r, &q->title));
  trajectory_subnav(r, tid, g, "assessments");
  if (q->intro.en) html(&r->out, "<p>%s</p>", tr(r, &q->intro));
  if (g == GROUNDS_COACH)
    html(&r->out, "<p class=\"hint\">%s</p>", _("You are entering the answers on behalf of the participant."));
  html(&r->out, "<section class=\"card narrow\">");
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/assessments", (long long)tid), NULL);
  html(&r->out, "<input type=\"hidden\" name=\"q\" value=\"%s\">", q->id);
  for (int i = 0; i < q->nitems; i++) {
    const QItem *it = &q->items[i];
    const char *name = field_name(r, it);
    if (it->type == Q_TEXT)
      field_textarea(r, &(Field){.name = name, .label = tr(r, &it->text), .value = form_str(r, name),
                                 .hint = it->hint.en ? tr(r, &it->hint) : NULL, .required = it->required,
                                 .maxlength = it->maxlength},
                     3);
    else
      radio_group(r, it, name, form_str(r, name));
  }
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button>"
                "<a href=\"/t/%lld/assessments\">%s</a></div>",
       _("Save answers"), (long long)tid, _("Cancel"));
  form_end(r);
  html(&r->out, "</section>");
  /* the source is an English citation for professionals: not shown to the participant */
  if (!plain_reader(r)) html(&r->out, "<p class=\"meta\">%s %s</p>", _("Source:"), q->source);
  page_end(r);
  return status;
}

/* Opens the door for filling in: the participant themselves or an assigned coach. Others get the same 404
 * as for a trajectory that does not exist, logged as denied. */
static int fill_door(Req *r, const char *action, Grounds *g, int64_t *pid) {
  return case_door(r, OWNER_ITEM, 0, "assessment", action, policy_may_fill_questionnaire, g, pid);
}

static int get_new(Req *r) {
  Grounds g;
  int64_t pid;
  int s = fill_door(r, "view", &g, &pid);
  if (s) return s;
  QSet *set = arena_alloc(r->a, sizeof *set);
  qset_load(r, set);
  const Questionnaire *q = qset_find(set, query_str(r, "q"));
  if (!q) return http_error(r, 404, _("There is no such questionnaire."));
  int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = r->ids[0],
                                        .item = arena_printf(r->a, "assessment-form:%s", q->id), .action = "view",
                                        .outcome = "ok", .grounds = grounds_name(g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return render_form(r, r->ids[0], g, q, 200);
}

/* The message shown beside an item for a refused answer. */
static const char *answer_error(const QItem *it, QAnswerError e) {
  switch (e) {
  case QA_MISSING: return it->type == Q_TEXT ? _("Please fill this in.") : _("Please choose an answer.");
  case QA_RANGE: return _("Choose one of the numbers shown.");
  case QA_OPTION: return _("Choose one of the answers shown.");
  case QA_TOO_LONG: return _("This answer is too long.");
  default: return _("This answer holds characters that cannot be stored.");
  }
}

static int post_assessment(Req *r) {
  Grounds g;
  int64_t pid;
  int s = fill_door(r, "create", &g, &pid);
  if (s) return s;
  int64_t tid = r->ids[0];
  QSet *set = arena_alloc(r->a, sizeof *set);
  qset_load(r, set);
  const Questionnaire *q = qset_find(set, form_str(r, "q"));
  if (!q) return http_error(r, 400, _("There is no such questionnaire."));
  const char **values = arena_alloc(r->a, sizeof *values * (size_t)q->nitems);
  QAnswerError *errs = arena_alloc(r->a, sizeof *errs * (size_t)q->nitems);
  QScore scores[Q_SCALES_MAX];
  for (int i = 0; i < q->nitems; i++) values[i] = form_str(r, field_name(r, &q->items[i]));
  char err[200];
  if (questionnaire_score(q, values, errs, scores, err, sizeof err)) {
    for (int i = 0; i < q->nitems; i++)
      if (errs[i] != QA_OK) form_error(r, field_name(r, &q->items[i]), answer_error(&q->items[i], errs[i]));
    int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                          .item = arena_printf(r->a, "assessment-form:%s", q->id), .action = "view",
                                          .outcome = "ok", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return render_form(r, tid, g, q, 400);
  }
  const char *answers = questionnaire_answers_json(r->a, q, values);
  const char *scores_json = questionnaire_scores_json(r->a, q, scores);
  int64_t now = (int64_t)time(NULL);
  /* a coach enters the answers on the participant's behalf: the log names the participant's account */
  int64_t behalf = 0;
  int rc;
  if (g == GROUNDS_COACH && (rc = participant_of(r, pid, &behalf, NULL)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = assessment_create(r->db, &(AssessmentNew){.trajectory_id = tid, .author_id = r->user->id, .created_at = now,
                                                 .version = q->version, .questionnaire = q->id, .title = q->title.en,
                                                 .category = q->category, .answers = answers, .scores = scores_json,
                                                 .filled_by = g == GROUNDS_SELF ? "participant" : "coach"},
                         &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done_for(r, pid, tid, arena_printf(r->a, "assessment:%lld", (long long)id), "create", g, behalf,
                                    arena_printf(r->a, "/t/%lld/assessments/%lld", (long long)tid, (long long)id));
}

/* The answer to one item as text for the result page. */
static const char *answer_text(Req *r, const QItem *it, const char *v) {
  if (!v || !*v) return _("(no answer)");
  if (it->type == Q_CHOICE)
    for (int k = 0; k < it->noptions; k++)
      if (!strcmp(it->options[k].value, v)) return tr(r, &it->options[k].label);
  return v;
}

static int get_one(Req *r) {
  Grounds g;
  int64_t pid;
  int64_t tid = r->ids[0], aid = r->ids[1];
  const char *item = arena_printf(r->a, "assessment:%lld", (long long)aid);
  int s = object_door(r, OWNER_ITEM, aid, item, "view", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  char today[11];
  date_format(date_today(), today);
  Grounds ig;
  int64_t consent;
  int rc = policy_item(r->db, r->user, aid, today, &ig, &consent, NULL);
  if (rc != DB_OK) return http_db_error(r, rc);
  Result res = {0};
  if (ig != GROUNDS_NONE) {
    Assessment row;
    rc = assessment_get(r->db, r->a, r->user, tid, aid, &row);
    if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
    if (rc == DB_ROW) res = result_of(&row);
  }
  if (!res.id) return object_refused(r, OWNER_ITEM, aid, item, "view", grounds_name(g)); /* on the item's own file */
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "view",
                                    .outcome = "ok", .grounds = grounds_name(ig), .consent_id = consent});
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *pname;
  if ((rc = participant_of(r, pid, NULL, &pname)) != DB_OK) return http_db_error(r, rc);

  QSet *set = arena_alloc(r->a, sizeof *set);
  qset_load(r, set);
  const Questionnaire *q = qset_find(set, res.questionnaire);
  if ((rc = case_page_begin(r, tid, g, q ? tr(r, &q->title) : _("Questionnaire"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", q ? tr(r, &q->title) : res.questionnaire);
  trajectory_subnav(r, tid, g, "assessments");
  html(&r->out, "<p class=\"meta\">%s · %s</p>", moment_of(r, res.created_at), filled_by_label(r, &res, pname));
  if (!q) {
    html(&r->out, "<p>%s</p>", _("This questionnaire is no longer shipped; its answers are kept as they were."));
    page_end(r);
    return 200;
  }
  result_scores(q, &res);
  if (q->nscales) {
    table_begin(r, NULL, _("Scores"));
    html(&r->out, "<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
         _("Scale"), _("Score"), _("Possible range"));
    for (int k = 0; k < q->nscales; k++) {
      if (!res.has[k]) continue;
      html(&r->out, "<tr><th scope=\"row\">%s</th><td>", tr(r, &q->scales[k].title));
      score_cell(r, &q->scales[k], &res.sc[k]);
      html(&r->out, "</td><td>%s–%s</td></tr>", score_text(r, q->scales[k].min10), score_text(r, q->scales[k].max10));
    }
    html(&r->out, "</tbody>");
    table_end(r);
  }
  const char **values = arena_alloc(r->a, sizeof *values * (size_t)q->nitems);
  char err[200];
  if (!questionnaire_answers_from_json(r->a, q, res.answers, strlen(res.answers), values, err, sizeof err))
    for (int i = 0; i < q->nitems; i++) values[i] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"answers\"><h2 id=\"answers\">%s</h2><dl>", _("Answers"));
  for (int i = 0; i < q->nitems; i++)
    html(&r->out, "<dt>%s</dt><dd>%s</dd>", tr(r, &q->items[i].text), answer_text(r, &q->items[i], values[i]));
  html(&r->out, "</dl></section>");
  if (!plain_reader(r)) html(&r->out, "<p class=\"meta\">%s %s</p>", _("Source:"), q->source);
  html(&r->out, "<p><a href=\"/t/%lld/assessments\">%s</a></p>", (long long)tid, _("All questionnaires"));
  page_end(r);
  return 200;
}


const Route assessment_routes[] = {
    {"GET", "/t/{id}/assessments", ROLES_CASE, R_CASE, get_list},
    {"GET", "/t/{id}/assessments/new", ROLES_CASE, R_CASE, get_new},
    {"POST", "/t/{id}/assessments", ROLES_CASE, R_CASE, post_assessment},
    {"GET", "/t/{id}/assessments/{aid}", ROLES_CASE, R_CASE, get_one},
    {0},
};

/*
 * questionnaire.c — parsing and validation of questionnaire definitions (JSON, with jansson) and the
 * scoring of answers. See questionnaire.h for the format and the rules; doc/QUESTIONNAIRES.md for the
 * shipped instruments. Every input here may come from outside (a definition file, a form, a stored row), so
 * every field is checked before it is used and every failure comes back as a message, never an abort.
 */
#include "assess/questionnaire.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* Writes a formatted message into err (if any room) and returns false. */
__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return false;
}

/* Parsing context: where we are, for messages. */
typedef struct Ctx {
  Arena *a;
  char *err;
  size_t errlen;
  char where[96];
} Ctx;

#define FAIL(c, ...) fail_at((c), __VA_ARGS__)
__attribute__((format(printf, 2, 3))) static bool fail_at(Ctx *c, const char *fmt, ...) {
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fail(c->err, c->errlen, "%s%s%s", c->where, *c->where ? ": " : "", msg);
}

static bool valid_id(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > Q_ID_MAX) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return false;
  }
  return true;
}

/* Refuses keys of obj that are not in the NULL-terminated list (a typo must not pass silently). */
static bool only_keys(Ctx *c, json_t *obj, const char *const *allowed) {
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    bool ok = false;
    for (int i = 0; allowed[i] && !ok; i++) ok = strcmp(key, allowed[i]) == 0;
    if (!ok) return FAIL(c, "unknown field \"%.40s\"", key);
  }
  return true;
}

/* A string field: copied into the arena; max_chars 0 for an id. */
static bool get_string(Ctx *c, json_t *obj, const char *key, bool required, size_t max_chars, const char **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v)) return required ? FAIL(c, "\"%s\" is missing", key) : true;
  if (!json_is_string(v)) return FAIL(c, "\"%s\" must be a string", key);
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (strlen(s) != n || !text_valid(s, n)) return FAIL(c, "\"%s\" holds characters that are not allowed", key);
  if (max_chars == 0) {
    if (!valid_id(s)) return FAIL(c, "\"%s\" must be 1 to %d letters, digits, '_' or '-'", key, Q_ID_MAX);
  } else if (text_chars(s) > max_chars) {
    return FAIL(c, "\"%s\" is too long (at most %zu characters)", key, max_chars);
  }
  *out = arena_strndup(c->a, s, n);
  return true;
}

/* A text in both languages: {"en": "...", "nl": "..."}; en required when the text is. */
static bool get_text(Ctx *c, json_t *obj, const char *key, bool required, QText *out) {
  json_t *v = json_object_get(obj, key);
  *out = (QText){0};
  if (!v || json_is_null(v)) return required ? FAIL(c, "\"%s\" is missing", key) : true;
  if (!json_is_object(v)) return FAIL(c, "\"%s\" must be an object with \"en\" and \"nl\" texts", key);
  static const char *const langs[] = {"en", "nl", NULL};
  if (!only_keys(c, v, langs)) return false;
  if (!get_string(c, v, "en", true, Q_TEXT_MAX, &out->en) || !get_string(c, v, "nl", false, Q_TEXT_MAX, &out->nl))
    return FAIL(c, "in \"%s\": each language must be a text of at most %d characters, English required", key,
                Q_TEXT_MAX);
  if (!*out->en) return FAIL(c, "\"%s\" has an empty English text", key);
  return true;
}

static bool get_int(Ctx *c, json_t *obj, const char *key, bool required, int def, int lo, int hi, int *out) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v) return required ? FAIL(c, "\"%s\" is missing", key) : true;
  if (!json_is_integer(v)) return FAIL(c, "\"%s\" must be a whole number", key);
  json_int_t x = json_integer_value(v);
  if (x < lo || x > hi) return FAIL(c, "\"%s\" must lie from %d to %d", key, lo, hi);
  *out = (int)x;
  return true;
}

/* A band bound: a number with at most one decimal, within the score limit, into tenths. */
static bool get_tenths(Ctx *c, json_t *obj, const char *key, int *out) {
  json_t *v = json_object_get(obj, key);
  if (!v) return FAIL(c, "\"%s\" is missing", key);
  if (!json_is_number(v)) return FAIL(c, "\"%s\" must be a number", key);
  double x = json_number_value(v) * 10.0;
  if (!(x >= -10.0 * Q_SCORE_LIMIT * Q_ITEMS_MAX && x <= 10.0 * Q_SCORE_LIMIT * Q_ITEMS_MAX))
    return FAIL(c, "\"%s\" is out of range", key);
  long long r = x >= 0 ? (long long)(x + 0.5) : -(long long)(-x + 0.5); /* no libm */
  double diff = x - (double)r;
  if (diff > 1e-6 || diff < -1e-6) return FAIL(c, "\"%s\" may have at most one decimal", key);
  *out = (int)r;
  return true;
}

static bool get_bool(Ctx *c, json_t *obj, const char *key, bool def, bool *out) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v) return true;
  if (!json_is_boolean(v)) return FAIL(c, "\"%s\" must be true or false", key);
  *out = json_is_true(v);
  return true;
}

static bool is_category(const char *s) {
  static const char *const cats[] = {"health", "capacity", "work", "plan", "practical", NULL};
  for (int i = 0; cats[i]; i++)
    if (!strcmp(s, cats[i])) return true;
  return false;
}

int questionnaire_item(const Questionnaire *q, const char *id) {
  for (int i = 0; i < q->nitems; i++)
    if (!strcmp(q->items[i].id, id)) return i;
  return -1;
}

static bool parse_option(Ctx *c, json_t *o, QOption *opt) {
  static const char *const keys[] = {"value", "label", "score", NULL};
  if (!json_is_object(o)) return FAIL(c, "an option must be an object");
  return only_keys(c, o, keys) && get_string(c, o, "value", true, 0, &opt->value) &&
         get_text(c, o, "label", true, &opt->label) &&
         get_int(c, o, "score", false, 0, -Q_SCORE_LIMIT, Q_SCORE_LIMIT, &opt->score);
}

static bool parse_item(Ctx *c, json_t *o, QItem *it) {
  static const char *const keys[] = {"id", "type", "text", "hint", "min", "max", "anchors", "options",
                                     "required", "maxlength", NULL};
  if (!json_is_object(o)) return FAIL(c, "must be an object");
  const char *type;
  if (!only_keys(c, o, keys) || !get_string(c, o, "id", true, 0, &it->id)) return false;
  snprintf(c->where + strlen(c->where), sizeof c->where - strlen(c->where), " (%s)", it->id);
  if (!get_string(c, o, "type", true, 0, &type) || !get_text(c, o, "text", true, &it->text) ||
      !get_text(c, o, "hint", false, &it->hint) || !get_bool(c, o, "required", true, &it->required))
    return false;
  if (!strcmp(type, "scale")) {
    it->type = Q_SCALE;
    if (!get_int(c, o, "min", true, 0, -Q_SCORE_LIMIT, Q_SCORE_LIMIT, &it->min) ||
        !get_int(c, o, "max", true, 0, -Q_SCORE_LIMIT, Q_SCORE_LIMIT, &it->max))
      return false;
    if (it->min >= it->max) return FAIL(c, "\"min\" must be less than \"max\"");
    if (it->max - it->min > 100) return FAIL(c, "a scale has at most 101 points");
    json_t *an = json_object_get(o, "anchors");
    if (an) {
      static const char *const akeys[] = {"min", "max", NULL};
      if (!json_is_object(an)) return FAIL(c, "\"anchors\" must be an object with \"min\" and \"max\"");
      if (!only_keys(c, an, akeys) || !get_text(c, an, "min", false, &it->min_label) ||
          !get_text(c, an, "max", false, &it->max_label))
        return false;
    }
  } else if (!strcmp(type, "choice")) {
    it->type = Q_CHOICE;
    json_t *opts = json_object_get(o, "options");
    if (!json_is_array(opts) || json_array_size(opts) < 2 || json_array_size(opts) > Q_OPTIONS_MAX)
      return FAIL(c, "\"options\" must be a list of 2 to %d options", Q_OPTIONS_MAX);
    it->noptions = (int)json_array_size(opts);
    it->options = arena_alloc(c->a, sizeof *it->options * (size_t)it->noptions);
    for (int k = 0; k < it->noptions; k++) {
      if (!parse_option(c, json_array_get(opts, (size_t)k), &it->options[k])) return false;
      for (int j = 0; j < k; j++)
        if (!strcmp(it->options[j].value, it->options[k].value))
          return FAIL(c, "option value \"%s\" appears twice", it->options[k].value);
      if (k == 0 || it->options[k].score < it->min) it->min = it->options[k].score;
      if (k == 0 || it->options[k].score > it->max) it->max = it->options[k].score;
    }
  } else if (!strcmp(type, "text")) {
    it->type = Q_TEXT;
    if (!get_int(c, o, "maxlength", false, 2000, 1, Q_ANSWER_MAX, &it->maxlength)) return false;
  } else {
    return FAIL(c, "\"type\" must be scale, choice or text");
  }
  if (it->type != Q_SCALE && json_object_get(o, "anchors")) return FAIL(c, "only a scale item has \"anchors\"");
  if (it->type != Q_CHOICE && json_object_get(o, "options")) return FAIL(c, "only a choice item has \"options\"");
  if (it->type != Q_SCALE && (json_object_get(o, "min") || json_object_get(o, "max")))
    return FAIL(c, "only a scale item has \"min\" and \"max\"");
  if (it->type != Q_TEXT && json_object_get(o, "maxlength")) return FAIL(c, "only a text item has \"maxlength\"");
  return true;
}

/* Rounds x / n (n > 0) half away from zero. */
static int div_round(long long x, long long n) {
  return x >= 0 ? (int)((2 * x + n) / (2 * n)) : -(int)((-2 * x + n) / (2 * n));
}

static bool parse_scale(Ctx *c, Questionnaire *q, json_t *o, QScale *s) {
  static const char *const keys[] = {"id", "title", "items", "scoring", "reverse", "bands", NULL};
  if (!json_is_object(o)) return FAIL(c, "must be an object");
  const char *scoring;
  if (!only_keys(c, o, keys) || !get_string(c, o, "id", true, 0, &s->id)) return false;
  snprintf(c->where + strlen(c->where), sizeof c->where - strlen(c->where), " (%s)", s->id);
  if (!get_text(c, o, "title", true, &s->title) || !get_string(c, o, "scoring", true, 0, &scoring)) return false;
  if (strcmp(scoring, "sum") && strcmp(scoring, "mean")) return FAIL(c, "\"scoring\" must be sum or mean");
  s->mean = !strcmp(scoring, "mean");
  json_t *items = json_object_get(o, "items");
  if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > Q_ITEMS_MAX)
    return FAIL(c, "\"items\" must be a list of item ids");
  s->nitems = (int)json_array_size(items);
  s->items = arena_alloc(c->a, sizeof *s->items * (size_t)s->nitems);
  s->reverse = arena_alloc(c->a, sizeof *s->reverse * (size_t)s->nitems);
  long long lo = 0, hi = 0;
  for (int k = 0; k < s->nitems; k++) {
    json_t *v = json_array_get(items, (size_t)k);
    if (!json_is_string(v)) return FAIL(c, "\"items\" must be a list of item ids");
    int idx = questionnaire_item(q, json_string_value(v));
    if (idx < 0) return FAIL(c, "item \"%.40s\" does not exist", json_string_value(v));
    if (q->items[idx].type == Q_TEXT) return FAIL(c, "item \"%s\" is free text and cannot be scored", q->items[idx].id);
    for (int j = 0; j < k; j++)
      if (s->items[j] == idx) return FAIL(c, "item \"%s\" appears twice", q->items[idx].id);
    s->items[k] = idx;
    q->items[idx].scored = true;
    q->items[idx].required = true;
    lo += q->items[idx].min;
    hi += q->items[idx].max;
  }
  json_t *rev = json_object_get(o, "reverse");
  if (rev) {
    if (!json_is_array(rev)) return FAIL(c, "\"reverse\" must be a list of item ids");
    for (size_t k = 0; k < json_array_size(rev); k++) {
      json_t *v = json_array_get(rev, k);
      int found = -1;
      for (int j = 0; json_is_string(v) && j < s->nitems; j++)
        if (!strcmp(q->items[s->items[j]].id, json_string_value(v))) found = j;
      if (found < 0) return FAIL(c, "a reverse-scored item must be one of the scale's items");
      if (s->reverse[found]) return FAIL(c, "item \"%s\" is reversed twice", q->items[s->items[found]].id);
      s->reverse[found] = true;
    }
  }
  s->min10 = s->mean ? div_round(lo * 10, s->nitems) : (int)(lo * 10);
  s->max10 = s->mean ? div_round(hi * 10, s->nitems) : (int)(hi * 10);
  int step = s->mean ? 1 : 10;

  json_t *bands = json_object_get(o, "bands");
  if (!json_is_array(bands) || json_array_size(bands) < 1 || json_array_size(bands) > Q_BANDS_MAX)
    return FAIL(c, "\"bands\" must be a list of 1 to %d interpretation bands", Q_BANDS_MAX);
  s->nbands = (int)json_array_size(bands);
  char range_lo[16], range_hi[16];
  qscore_format(s->min10, range_lo, sizeof range_lo);
  qscore_format(s->max10, range_hi, sizeof range_hi);
  for (int k = 0; k < s->nbands; k++) {
    static const char *const bkeys[] = {"min", "max", "label", "level", NULL};
    json_t *b = json_array_get(bands, (size_t)k);
    QBand *band = &s->bands[k];
    if (!json_is_object(b)) return FAIL(c, "band %d must be an object", k + 1);
    if (!only_keys(c, b, bkeys) || !get_tenths(c, b, "min", &band->min10) || !get_tenths(c, b, "max", &band->max10) ||
        !get_text(c, b, "label", true, &band->label) || !get_string(c, b, "level", false, 0, &band->level))
      return false;
    if (!s->mean && (band->min10 % 10 || band->max10 % 10))
      return FAIL(c, "band %d: a summed score is a whole number, so are its band bounds", k + 1);
    if (band->min10 > band->max10) return FAIL(c, "band %d: \"min\" is greater than \"max\"", k + 1);
    int want = k == 0 ? s->min10 : s->bands[k - 1].max10 + step;
    if (band->min10 != want) {
      char w[16];
      qscore_format(want, w, sizeof w);
      return FAIL(c, "band %d must start at %s so that the bands cover %s to %s without gap or overlap", k + 1, w,
                  range_lo, range_hi);
    }
  }
  if (s->bands[s->nbands - 1].max10 != s->max10)
    return FAIL(c, "the last band must end at %s, the highest possible score", range_hi);
  return true;
}

bool questionnaire_parse(Arena *a, const char *json, size_t len, Questionnaire *q, char *err, size_t errlen) {
  Ctx c = {.a = a, .err = err, .errlen = errlen};
  if (err && errlen) *err = 0;
  memset(q, 0, sizeof *q);
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return fail(err, errlen, "not valid JSON (line %d): %.120s", je.line, je.text);
  bool ok = false;
  static const char *const keys[] = {"id", "version", "category", "title", "intro", "source", "licence",
                                     "items", "scales", NULL};
  if (!json_is_object(root)) {
    fail(err, errlen, "a definition must be a JSON object");
    goto out;
  }
  if (!only_keys(&c, root, keys) || !get_string(&c, root, "id", true, 0, &q->id) ||
      !get_int(&c, root, "version", true, 1, 1, 1000000, &q->version) ||
      !get_string(&c, root, "category", true, 0, &q->category) || !get_text(&c, root, "title", true, &q->title) ||
      !get_text(&c, root, "intro", false, &q->intro) || !get_string(&c, root, "source", true, Q_TEXT_MAX, &q->source) ||
      !get_string(&c, root, "licence", true, Q_TEXT_MAX, &q->licence))
    goto out;
  if (!is_category(q->category)) {
    fail(err, errlen, "\"category\" must be health, capacity, work, plan or practical");
    goto out;
  }
  json_t *items = json_object_get(root, "items");
  if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > Q_ITEMS_MAX) {
    fail(err, errlen, "\"items\" must be a list of 1 to %d items", Q_ITEMS_MAX);
    goto out;
  }
  q->nitems = (int)json_array_size(items);
  q->items = arena_alloc(a, sizeof *q->items * (size_t)q->nitems);
  for (int i = 0; i < q->nitems; i++) {
    snprintf(c.where, sizeof c.where, "item %d", i + 1);
    if (!parse_item(&c, json_array_get(items, (size_t)i), &q->items[i])) goto out;
    for (int j = 0; j < i; j++)
      if (!strcmp(q->items[j].id, q->items[i].id)) {
        FAIL(&c, "the id \"%s\" is used twice", q->items[i].id);
        goto out;
      }
  }
  json_t *scales = json_object_get(root, "scales");
  if (scales && (!json_is_array(scales) || json_array_size(scales) > Q_SCALES_MAX)) {
    fail(err, errlen, "\"scales\" must be a list of at most %d scales", Q_SCALES_MAX);
    goto out;
  }
  q->nscales = scales ? (int)json_array_size(scales) : 0;
  for (int k = 0; k < q->nscales; k++) {
    snprintf(c.where, sizeof c.where, "scale %d", k + 1);
    if (!parse_scale(&c, q, json_array_get(scales, (size_t)k), &q->scales[k])) goto out;
    for (int j = 0; j < k; j++)
      if (!strcmp(q->scales[j].id, q->scales[k].id)) {
        FAIL(&c, "the id \"%s\" is used twice", q->scales[k].id);
        goto out;
      }
  }
  ok = true;
out:
  json_decref(root);
  return ok;
}

const char *qtext(const QText *t, const char *lang) {
  if (lang && !strcmp(lang, "nl") && t->nl && *t->nl) return t->nl;
  return t->en ? t->en : "";
}

int qscale_band(const QScale *s, int score10) {
  for (int k = 0; k < s->nbands; k++)
    if (score10 >= s->bands[k].min10 && score10 <= s->bands[k].max10) return k;
  return -1;
}

void qscore_format(int score10, char *out, size_t outlen) {
  int whole = score10 / 10, tenth = score10 % 10;
  if (tenth == 0) snprintf(out, outlen, "%d", whole);
  else snprintf(out, outlen, "%s%d.%d", score10 < 0 && whole == 0 ? "-" : "", whole, tenth < 0 ? -tenth : tenth);
}

/* A whole number written plainly: optional '-', 1 to 6 digits, nothing else. */
static bool parse_whole(const char *s, int *out) {
  const char *p = s;
  bool neg = *p == '-';
  if (neg) p++;
  size_t n = strspn(p, "0123456789");
  if (n == 0 || n > 6 || p[n]) return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (p[i] - '0');
  *out = neg ? -v : v;
  return true;
}

int questionnaire_score(const Questionnaire *q, const char *const *values, QAnswerError *errs, QScore *scores,
                        char *err, size_t errlen) {
  int nerr = 0;
  if (err && errlen) *err = 0;
  int item_score[Q_ITEMS_MAX];
  for (int i = 0; i < q->nitems; i++) {
    const QItem *it = &q->items[i];
    const char *v = values[i];
    QAnswerError e = QA_OK;
    item_score[i] = 0;
    if (!v || !*v) {
      e = it->required ? QA_MISSING : QA_OK;
    } else if (!text_valid(v, strlen(v))) {
      e = QA_INVALID;
    } else if (it->type == Q_SCALE) {
      if (!parse_whole(v, &item_score[i]) || item_score[i] < it->min || item_score[i] > it->max) e = QA_RANGE;
    } else if (it->type == Q_CHOICE) {
      e = QA_OPTION;
      for (int k = 0; k < it->noptions; k++)
        if (!strcmp(it->options[k].value, v)) {
          e = QA_OK;
          item_score[i] = it->options[k].score;
        }
    } else if (text_chars(v) > (size_t)it->maxlength) {
      e = QA_TOO_LONG;
    }
    errs[i] = e;
    if (e == QA_OK) continue;
    if (nerr++ == 0 && err && errlen) {
      switch (e) {
      case QA_MISSING: fail(err, errlen, "item %s: no answer", it->id); break;
      case QA_RANGE: fail(err, errlen, "item %s: the answer must be a whole number from %d to %d", it->id, it->min, it->max); break;
      case QA_OPTION: fail(err, errlen, "item %s: the answer is not one of the options", it->id); break;
      case QA_TOO_LONG: fail(err, errlen, "item %s: the answer is longer than %d characters", it->id, it->maxlength); break;
      default: fail(err, errlen, "item %s: the answer holds characters that are not allowed", it->id); break;
      }
    }
  }
  if (nerr) return nerr;
  for (int k = 0; k < q->nscales; k++) {
    const QScale *s = &q->scales[k];
    long long sum = 0;
    for (int j = 0; j < s->nitems; j++) {
      const QItem *it = &q->items[s->items[j]];
      int v = item_score[s->items[j]];
      sum += s->reverse[j] ? it->min + it->max - v : v;
    }
    scores[k].score10 = s->mean ? div_round(sum * 10, s->nitems) : (int)(sum * 10);
    scores[k].band = qscale_band(s, scores[k].score10);
  }
  return 0;
}

bool questionnaire_answers_from_json(Arena *a, const Questionnaire *q, const char *json, size_t len,
                                     const char **values, char *err, size_t errlen) {
  for (int i = 0; i < q->nitems; i++) values[i] = NULL;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return fail(err, errlen, "answers are not valid JSON (line %d): %.120s", je.line, je.text);
  bool ok = false;
  if (!json_is_object(root)) {
    fail(err, errlen, "answers must be a JSON object");
    goto out;
  }
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    int i = questionnaire_item(q, key);
    if (i < 0) {
      fail(err, errlen, "answer to an unknown item \"%.40s\"", key);
      goto out;
    }
    if (json_is_null(v)) continue;
    if (json_is_string(v)) {
      size_t n = json_string_length(v);
      if (n > 4 * (size_t)Q_ANSWER_MAX || strlen(json_string_value(v)) != n) {
        fail(err, errlen, "item %s: the answer is too long or holds a NUL", q->items[i].id);
        goto out;
      }
      values[i] = arena_strndup(a, json_string_value(v), n);
    } else if (json_is_integer(v) && q->items[i].type == Q_SCALE) {
      json_int_t x = json_integer_value(v);
      if (x < -1000000 || x > 1000000) {
        fail(err, errlen, "item %s: the answer is out of range", q->items[i].id);
        goto out;
      }
      values[i] = arena_printf(a, "%lld", (long long)x);
    } else {
      fail(err, errlen, "item %s: the answer must be a text", q->items[i].id);
      goto out;
    }
  }
  ok = true;
out:
  json_decref(root);
  return ok;
}

/* json_dumps into the arena; frees the JSON value. */
static char *dump(Arena *a, json_t *v) {
  char *s = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(v);
  char *copy = arena_strdup(a, s ? s : "null");
  free(s);
  return copy;
}

char *questionnaire_answers_json(Arena *a, const Questionnaire *q, const char *const *values) {
  json_t *o = json_object();
  for (int i = 0; o && i < q->nitems; i++)
    if (values[i] && *values[i]) {
      json_t *s = json_string(values[i]); /* NULL for invalid UTF-8: left out */
      if (s) json_object_set_new(o, q->items[i].id, s);
    }
  return dump(a, o);
}

char *questionnaire_scores_json(Arena *a, const Questionnaire *q, const QScore *scores) {
  json_t *arr = json_array();
  for (int k = 0; arr && k < q->nscales; k++) {
    int s10 = scores[k].score10;
    json_t *score = s10 % 10 == 0 ? json_integer(s10 / 10) : json_real(s10 / 10.0);
    json_array_append_new(arr, json_pack("{s:s, s:o, s:i}", "scale", q->scales[k].id, "score", score, "band",
                                         scores[k].band));
  }
  return dump(a, arr);
}

/*
 * fuzz_questionnaire.c — fuzz target for the questionnaire engine: questionnaire_parse (definitions),
 * questionnaire_answers_from_json and questionnaire_score (answers), and the JSON the engine writes back.
 *
 * Input: a definition, optionally followed by a NUL byte and an answers object. Without a NUL byte the input
 * is also tried as answers to the shipped K10 definition, so both parsers see every input.
 *
 * Properties: no read outside the given bytes (neither part is NUL-terminated for the parser); every error
 * message is a terminated, non-empty string; an accepted definition has unique item ids, scales whose items
 * exist and are scored, and bands that give every reachable score (whole numbers for a sum, tenths for a mean) exactly one band; scoring either refuses
 * with a message and a verdict for at least one item, or gives every scale a score inside its range with a
 * band; answers written as JSON read back to the same values; answering every scored item with its lowest
 * and highest value is always accepted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/questionnaire.h"
#include "core/embed.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

extern const EmbeddedFile questionnaires[];

static void check_definition(const Questionnaire *q) {
  CHECK(q->nitems >= 1 && q->nitems <= Q_ITEMS_MAX);
  for (int i = 0; i < q->nitems; i++) {
    CHECK(questionnaire_item(q, q->items[i].id) == i);
    CHECK(q->items[i].text.en && *q->items[i].text.en);
    if (q->items[i].type == Q_SCALE) CHECK(q->items[i].min < q->items[i].max);
  }
  for (int k = 0; k < q->nscales; k++) {
    const QScale *s = &q->scales[k];
    CHECK(s->nitems >= 1 && s->nbands >= 1 && s->min10 <= s->max10);
    for (int j = 0; j < s->nitems; j++) CHECK(q->items[s->items[j]].scored && q->items[s->items[j]].type != Q_TEXT);
    if ((long)s->max10 - s->min10 <= 20000)
      for (int v = s->min10; v <= s->max10; v += s->mean ? 1 : 10) { /* a sum is a whole number */
        int hits = 0;
        for (int b = 0; b < s->nbands; b++) hits += v >= s->bands[b].min10 && v <= s->bands[b].max10;
        CHECK(hits == 1 && qscale_band(s, v) >= 0);
      }
  }
}

/* Scores values; on acceptance checks ranges and the JSON round trip. Returns the number of refusals. */
static int score_and_check(Arena *a, const Questionnaire *q, const char **values) {
  QAnswerError errs[Q_ITEMS_MAX];
  QScore scores[Q_SCALES_MAX];
  char err[200];
  memset(err, 'x', sizeof err);
  int nerr = questionnaire_score(q, values, errs, scores, err, sizeof err);
  if (nerr) {
    CHECK(memchr(err, 0, sizeof err) && *err);
    int seen = 0;
    for (int i = 0; i < q->nitems; i++) seen += errs[i] != QA_OK;
    CHECK(seen == nerr);
    return nerr;
  }
  for (int k = 0; k < q->nscales; k++) {
    CHECK(scores[k].score10 >= q->scales[k].min10 && scores[k].score10 <= q->scales[k].max10);
    CHECK(scores[k].band >= 0 && scores[k].band < q->scales[k].nbands);
  }
  char *sj = questionnaire_scores_json(a, q, scores);
  CHECK(sj && sj[0] == '[');
  char *aj = questionnaire_answers_json(a, q, values);
  const char *back[Q_ITEMS_MAX];
  CHECK(questionnaire_answers_from_json(a, q, aj, strlen(aj), back, err, sizeof err));
  for (int i = 0; i < q->nitems; i++) {
    bool had = values[i] && *values[i];
    CHECK(had == (back[i] != NULL));
    if (had) CHECK(strcmp(values[i], back[i]) == 0);
  }
  return 0;
}

static void extremes(Arena *a, const Questionnaire *q, bool high) {
  const char *values[Q_ITEMS_MAX];
  for (int i = 0; i < q->nitems; i++) {
    const QItem *it = &q->items[i];
    values[i] = NULL;
    if (it->type == Q_SCALE) values[i] = arena_printf(a, "%d", high ? it->max : it->min);
    else if (it->type == Q_CHOICE) values[i] = it->options[high ? it->noptions - 1 : 0].value;
    else if (it->required) values[i] = "x";
  }
  CHECK(score_and_check(a, q, values) == 0);
}

static void answers(Arena *a, const Questionnaire *q, const char *data, size_t size) {
  const char *values[Q_ITEMS_MAX];
  char err[200];
  memset(err, 'x', sizeof err);
  if (questionnaire_answers_from_json(a, q, data, size, values, err, sizeof err)) score_and_check(a, q, values);
  else CHECK(memchr(err, 0, sizeof err) && *err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena *a = arena_new();
  const char *text = (const char *)data;
  const char *nul = memchr(text, 0, size);
  size_t deflen = nul ? (size_t)(nul - text) : size;
  /* a private copy of exactly deflen bytes, so that a read past the end is caught */
  char *def = malloc(deflen ? deflen : 1);
  memcpy(def, text, deflen);
  Questionnaire q;
  char err[256];
  memset(err, 'x', sizeof err);
  if (questionnaire_parse(a, def, deflen, &q, err, sizeof err)) {
    check_definition(&q);
    extremes(a, &q, false);
    extremes(a, &q, true);
    if (nul) {
      size_t alen = size - deflen - 1;
      char *ans = malloc(alen ? alen : 1);
      memcpy(ans, nul + 1, alen);
      answers(a, &q, ans, alen);
      free(ans);
    }
  } else {
    CHECK(memchr(err, 0, sizeof err) && *err);
    static Arena *ka; /* the shipped K10, parsed once and kept for the whole run */
    static Questionnaire kq;
    if (!ka) {
      const EmbeddedFile *k10 = embed_find(questionnaires, "k10.json");
      ka = arena_new();
      CHECK(k10 && questionnaire_parse(ka, (const char *)k10->data, k10->len, &kq, err, sizeof err));
    }
    answers(a, &kq, def, deflen);
  }
  free(def);
  arena_free(a);
  return 0;
}

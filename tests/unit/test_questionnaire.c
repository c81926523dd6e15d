/*
 * test_questionnaire.c — unit tests for the questionnaire engine (src/assess/questionnaire.c): the shipped
 * definitions parse; K10, work ability and strengths scores computed by hand (sum, mean with rounding to
 * one decimal, reverse-scored items) and their bands; missing, out-of-range, unknown and too long answers
 * are refused item by item; every kind of broken definition is refused with a message naming the problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "assess/questionnaire.h"
#include "core/embed.h"

extern const EmbeddedFile questionnaires[];

static Arena *A;
static char err[256];

static int setup(void **state) {
  A = arena_new();
  return 0;
}
static int teardown(void **state) {
  arena_free(A);
  return 0;
}

static Questionnaire shipped(const char *file) {
  const EmbeddedFile *f = embed_find(questionnaires, file);
  assert_non_null(f);
  Questionnaire q;
  bool ok = questionnaire_parse(A, (const char *)f->data, f->len, &q, err, sizeof err);
  if (!ok) fail_msg("%s: %s", file, err);
  return q;
}

/* Answers by item order from a list of strings (NULL: unanswered). */
static int score(const Questionnaire *q, const char *const *values, QAnswerError *errs, QScore *scores) {
  return questionnaire_score(q, values, errs, scores, err, sizeof err);
}

static void test_shipped_definitions_parse(void **state) {
  int n = 0;
  for (const EmbeddedFile *f = questionnaires; f->name; f++, n++) {
    Questionnaire q;
    if (!questionnaire_parse(A, (const char *)f->data, f->len, &q, err, sizeof err)) fail_msg("%s: %s", f->name, err);
    assert_non_null(q.source);
    assert_non_null(q.licence);
    assert_non_null(q.title.nl);
  }
  assert_int_equal(n, 4);
  Questionnaire k10 = shipped("k10.json");
  assert_string_equal(k10.category, "health");
  assert_int_equal(k10.nitems, 10);
  assert_int_equal(k10.scales[0].min10, 100);
  assert_int_equal(k10.scales[0].max10, 500);
  assert_string_equal(shipped("work-ability.json").category, "capacity");
  assert_string_equal(shipped("strengths.json").category, "capacity");
  assert_string_equal(shipped("work-situation.json").category, "work");
  assert_int_equal(shipped("work-situation.json").nscales, 0);
}

static void test_k10_sum_and_bands(void **state) {
  Questionnaire q = shipped("k10.json");
  QAnswerError errs[Q_ITEMS_MAX];
  QScore sc[Q_SCALES_MAX];
  /* 3+3+2+2+3+2+3+2+2+2 = 24: high (22-29) */
  const char *v24[] = {"3", "3", "2", "2", "3", "2", "3", "2", "2", "2"};
  assert_int_equal(score(&q, v24, errs, sc), 0);
  assert_int_equal(sc[0].score10, 240);
  assert_string_equal(q.scales[0].bands[sc[0].band].label.en, "high");
  assert_string_equal(q.scales[0].bands[sc[0].band].label.nl, "hoog");
  /* the band edges: 10 low, 15 low, 16 moderate, 21 moderate, 22 high, 29 high, 30 very high, 50 very high */
  const char *edge[][10] = {
      {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}, {"2", "2", "2", "2", "2", "1", "1", "1", "1", "1"},
      {"2", "2", "2", "2", "2", "2", "1", "1", "1", "1"}, {"3", "3", "3", "3", "3", "2", "1", "1", "1", "1"},
      {"3", "3", "3", "3", "3", "2", "1", "1", "1", "2"}, {"3", "3", "3", "3", "3", "3", "3", "3", "3", "2"},
      {"3", "3", "3", "3", "3", "3", "3", "3", "3", "3"}, {"5", "5", "5", "5", "5", "5", "5", "5", "5", "5"},
  };
  const int sums[] = {10, 15, 16, 21, 22, 29, 30, 50};
  const char *bands[] = {"low", "low", "moderate", "moderate", "high", "high", "very high", "very high"};
  for (int i = 0; i < 8; i++) {
    assert_int_equal(score(&q, edge[i], errs, sc), 0);
    assert_int_equal(sc[0].score10, sums[i] * 10);
    assert_string_equal(q.scales[0].bands[sc[0].band].label.en, bands[i]);
  }
  char *json = questionnaire_scores_json(A, &q, (QScore[]){{240, 2}});
  assert_string_equal(json, "[{\"scale\":\"total\",\"score\":24,\"band\":2}]");
}

static void test_missing_item_is_named(void **state) {
  Questionnaire q = shipped("k10.json");
  QAnswerError errs[Q_ITEMS_MAX];
  QScore sc[Q_SCALES_MAX];
  const char *v[] = {"3", "3", "2", "2", "3", "2", NULL, "2", "2", ""};
  assert_int_equal(score(&q, v, errs, sc), 2);
  assert_int_equal(errs[6], QA_MISSING);
  assert_int_equal(errs[9], QA_MISSING);
  assert_int_equal(errs[0], QA_OK);
  assert_non_null(strstr(err, "item k7"));
  assert_non_null(strstr(err, "no answer"));
}

static void test_out_of_range_is_refused(void **state) {
  Questionnaire was = shipped("work-ability.json");
  QAnswerError errs[Q_ITEMS_MAX];
  QScore sc[Q_SCALES_MAX];
  static const char *const bad[] = {"11", "-1", "7.5", "7 ", "+7", "seven", "0x7", "0000007"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *v[] = {bad[i]};
    assert_int_equal(score(&was, v, errs, sc), 1);
    assert_int_equal(errs[0], QA_RANGE);
  }
  assert_non_null(strstr(err, "from 0 to 10"));
  const char *ok[] = {"0"}, *six[] = {"6"}, *ten[] = {"10"};
  assert_int_equal(score(&was, ok, errs, sc), 0);
  assert_string_equal(was.scales[0].bands[sc[0].band].label.en, "poor");
  assert_int_equal(score(&was, six, errs, sc), 0);
  assert_string_equal(was.scales[0].bands[sc[0].band].label.en, "moderate");
  assert_int_equal(score(&was, ten, errs, sc), 0);
  assert_int_equal(sc[0].score10, 100);
  assert_string_equal(was.scales[0].bands[sc[0].band].label.en, "excellent");

  Questionnaire k10 = shipped("k10.json");
  const char *v[] = {"3", "3", "2", "2", "3", "2", "6", "2", "2", "0"};
  assert_int_equal(score(&k10, v, errs, sc), 2);
  assert_int_equal(errs[6], QA_OPTION);
  assert_int_equal(errs[9], QA_OPTION);
  assert_non_null(strstr(err, "item k7"));
}

static void test_strengths_mean_and_reverse(void **state) {
  Questionnaire q = shipped("strengths.json");
  QAnswerError errs[Q_ITEMS_MAX];
  QScore sc[Q_SCALES_MAX];
  /* social 4, 5, 2 (reversed: 4) -> 13/3 = 4.33 -> 4.3 strength
   * practical 3, 3, 4 -> 10/3 = 3.33 -> 3.3 present
   * learning 2, 3, 3 -> 8/3 = 2.67 -> 2.7 present
   * resilience 2, 3, 5 (reversed: 1) -> 6/3 = 2.0 developing */
  const char *v[] = {"4", "5", "2", "3", "3", "4", "2", "3", "3", "2", "3", "5"};
  assert_int_equal(q.nitems, 12);
  assert_int_equal(score(&q, v, errs, sc), 0);
  const int want[] = {43, 33, 27, 20};
  const char *bands[] = {"a clear strength", "present", "present", "still developing"};
  for (int k = 0; k < 4; k++) {
    assert_int_equal(sc[k].score10, want[k]);
    assert_string_equal(q.scales[k].bands[sc[k].band].label.en, bands[k]);
  }
  char buf[16];
  qscore_format(43, buf, sizeof buf);
  assert_string_equal(buf, "4.3");
  qscore_format(-5, buf, sizeof buf);
  assert_string_equal(buf, "-0.5");
  assert_string_equal(questionnaire_scores_json(A, &q, sc),
                      "[{\"scale\":\"social\",\"score\":4.3,\"band\":2},{\"scale\":\"practical\",\"score\":3.3,\"band\":1},"
                      "{\"scale\":\"learning\",\"score\":2.7,\"band\":1},{\"scale\":\"resilience\",\"score\":2,\"band\":0}]");
}

#define DEF(items, scales)                                                                                    \
  "{\"id\":\"t\",\"version\":1,\"category\":\"capacity\",\"title\":{\"en\":\"T\"},\"source\":\"s\",\"licence\":\"l\"," \
  "\"items\":[" items "],\"scales\":[" scales "]}"
#define SCALE(id) "{\"id\":\"" id "\",\"type\":\"scale\",\"min\":1,\"max\":5,\"text\":{\"en\":\"Q\"}}"

static bool parse(const char *json, Questionnaire *q) { return questionnaire_parse(A, json, strlen(json), q, err, sizeof err); }

static void test_mean_rounds_half_up(void **state) {
  Questionnaire q;
  const char *def = DEF(SCALE("a") "," SCALE("b"),
                        "{\"id\":\"m\",\"title\":{\"en\":\"M\"},\"items\":[\"a\",\"b\"],\"scoring\":\"mean\","
                        "\"reverse\":[\"b\"],\"bands\":[{\"min\":1,\"max\":2.9,\"label\":{\"en\":\"low\"}},"
                        "{\"min\":3,\"max\":5,\"label\":{\"en\":\"high\"}}]}");
  if (!parse(def, &q)) fail_msg("%s", err);
  QAnswerError errs[2];
  QScore sc[1];
  /* a = 1, b = 4 reversed to 2: (1 + 2) / 2 = 1.5 */
  const char *v[] = {"1", "4"};
  assert_int_equal(score(&q, v, errs, sc), 0);
  assert_int_equal(sc[0].score10, 15);
  assert_string_equal(q.scales[0].bands[sc[0].band].label.en, "low");
  /* a = 5, b = 1 reversed to 5: 5.0 */
  const char *w[] = {"5", "1"};
  assert_int_equal(score(&q, w, errs, sc), 0);
  assert_int_equal(sc[0].score10, 50);
  assert_string_equal(q.scales[0].bands[sc[0].band].label.en, "high");
}

static void test_text_answers(void **state) {
  Questionnaire q = shipped("work-situation.json");
  QAnswerError errs[Q_ITEMS_MAX];
  const char *v[Q_ITEMS_MAX] = {0};
  int tasks = questionnaire_item(&q, "tasks"), workload = questionnaire_item(&q, "workload"),
      adj = questionnaire_item(&q, "adjustments"), worries = questionnaire_item(&q, "employer_worries");
  assert_true(tasks >= 0 && workload >= 0 && adj >= 0 && worries >= 0);
  assert_int_equal(score(&q, v, errs, NULL), 3); /* tasks, workload, adjustments are required */
  v[tasks] = "Planning, Überstunden, metselen";
  v[workload] = "high";
  v[adj] = "maybe";
  assert_int_equal(score(&q, v, errs, NULL), 1);
  assert_int_equal(errs[adj], QA_OPTION);
  v[adj] = "partly";
  char *longtext = arena_alloc(A, 2002);
  memset(longtext, 'a', 2001);
  v[worries] = longtext;
  assert_int_equal(score(&q, v, errs, NULL), 1);
  assert_int_equal(errs[worries], QA_TOO_LONG);
  v[worries] = "bad\x01text";
  assert_int_equal(score(&q, v, errs, NULL), 1);
  assert_int_equal(errs[worries], QA_INVALID);
  v[worries] = "Luc vreest een tweede uitval.";
  assert_int_equal(score(&q, v, errs, NULL), 0);
  /* round trip through JSON */
  char *json = questionnaire_answers_json(A, &q, v);
  const char *back[Q_ITEMS_MAX];
  assert_true(questionnaire_answers_from_json(A, &q, json, strlen(json), back, err, sizeof err));
  for (int i = 0; i < q.nitems; i++) {
    if (v[i]) assert_string_equal(back[i], v[i]);
    else assert_null(back[i]);
  }
  assert_false(questionnaire_answers_from_json(A, &q, "{\"nope\":\"1\"}", 12, back, err, sizeof err));
  assert_non_null(strstr(err, "unknown item"));
  assert_false(questionnaire_answers_from_json(A, &q, "[1]", 3, back, err, sizeof err));
  assert_false(questionnaire_answers_from_json(A, &q, "{\"tasks\":[]}", 12, back, err, sizeof err));
}

/* Each broken definition is refused with a message holding the expected words. */
static void test_broken_definitions(void **state) {
#define S1(items, extra, bands) \
  "{\"id\":\"s\",\"title\":{\"en\":\"S\"},\"items\":" items ",\"scoring\":\"sum\"" extra ",\"bands\":" bands "}"
#define B(lo, hi) "{\"min\":" #lo ",\"max\":" #hi ",\"label\":{\"en\":\"x\"}}"
  static const struct { const char *json, *want; } cases[] = {
      {"{", "not valid JSON"},
      {"[]", "must be a JSON object"},
      {DEF(SCALE("a") "," SCALE("a"), ""), "used twice"},
      {DEF("{\"id\":\"a\",\"type\":\"scale\",\"min\":5,\"max\":5,\"text\":{\"en\":\"Q\"}}", ""), "less than"},
      {DEF(SCALE("a"), S1("[\"b\"]", "", "[" B(1, 5) "]")), "\"b\" does not exist"},
      {DEF(SCALE("a"), S1("[\"a\"]", "", "[" B(1, 2) "," B(4, 5) "]")), "band 2 must start at 3"},
      {DEF(SCALE("a"), S1("[\"a\"]", "", "[" B(1, 3) "," B(3, 5) "]")), "band 2 must start at 4"},
      {DEF(SCALE("a"), S1("[\"a\"]", "", "[" B(1, 4) "]")), "last band must end at 5"},
      {DEF(SCALE("a"), S1("[\"a\"]", "", "[" B(0, 5) "]")), "band 1 must start at 1"},
      {DEF(SCALE("a"), S1("[\"a\"]", "", "[" B(1, 2.5) "," B(3, 5) "]")), "whole number"},
      {DEF(SCALE("a"), S1("[\"a\"]", ",\"reverse\":[\"z\"]", "[" B(1, 5) "]")), "reverse-scored"},
      {DEF("{\"id\":\"a\",\"type\":\"text\",\"text\":{\"en\":\"Q\"}}", S1("[\"a\"]", "", "[" B(1, 5) "]")),
       "free text"},
      {DEF(SCALE("a"), S1("[\"a\"]", ",\"colour\":1", "[" B(1, 5) "]")), "unknown field \"colour\""},
      {DEF("{\"id\":\"a\",\"type\":\"slider\",\"text\":{\"en\":\"Q\"}}", ""), "scale, choice or text"},
      {DEF("{\"id\":\"a b\",\"type\":\"text\",\"text\":{\"en\":\"Q\"}}", ""), "letters, digits"},
      {DEF("{\"id\":\"a\",\"type\":\"text\",\"text\":{\"nl\":\"V\"}}", ""), "English required"},
      {DEF("{\"id\":\"a\",\"type\":\"choice\",\"text\":{\"en\":\"Q\"},\"options\":[{\"value\":\"x\",\"label\":{\"en\":"
           "\"X\"}},{\"value\":\"x\",\"label\":{\"en\":\"Y\"}}]}",
           ""),
       "appears twice"},
      {DEF(SCALE("a"), S1("[\"a\",\"a\"]", "", "[" B(2, 10) "]")), "appears twice"},
      {"{\"id\":\"t\",\"version\":1,\"category\":\"secret\",\"title\":{\"en\":\"T\"},\"source\":\"s\",\"licence\":\"l\","
       "\"items\":[" SCALE("a") "]}",
       "category"},
      {"{\"id\":\"t\",\"id\":\"u\"}", "not valid JSON"},
      {"{\"id\":\"t\",\"version\":1,\"category\":\"work\",\"title\":{\"en\":\"T\"},\"source\":\"s\",\"items\":[]}",
       "licence"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Questionnaire q;
    if (parse(cases[i].json, &q)) fail_msg("case %zu was accepted", i);
    if (!strstr(err, cases[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
  }
  /* the same shapes, fixed, are accepted */
  Questionnaire q;
  if (!parse(DEF(SCALE("a"), S1("[\"a\"]", ",\"reverse\":[\"a\"]", "[" B(1, 2) "," B(3, 5) "]")), &q)) fail_msg("%s", err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_definitions_parse), cmocka_unit_test(test_k10_sum_and_bands),
      cmocka_unit_test(test_missing_item_is_named),    cmocka_unit_test(test_out_of_range_is_refused),
      cmocka_unit_test(test_strengths_mean_and_reverse), cmocka_unit_test(test_mean_rounds_half_up),
      cmocka_unit_test(test_text_answers),             cmocka_unit_test(test_broken_definitions),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

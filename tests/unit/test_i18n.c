/*
 * test_i18n.c — unit tests for the .mo reader (src/i18n/i18n.c): plural forms chosen by the catalogue's
 * Plural-Forms rule in the shipped Dutch catalogue and in English, fallback to the English singular or
 * plural for unknown messages and languages, catalogues built here with malformed plural entries (no crash,
 * English instead), and the refusal of a Plural-Forms rule the reader does not support.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "i18n/i18n.h"

/* One entry of a catalogue built by build_mo: original and translation with their lengths (a plural
 * entry's strings hold inner NULs, so the length is given, not taken from strlen). */
typedef struct MoEntry {
  const char *orig;
  size_t olen;
  const char *trans;
  size_t tlen;
} MoEntry;
#define S(lit) lit, sizeof lit - 1

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* Writes a little-endian GNU .mo file with the entries (already sorted by original) into out; returns
 * its length. */
static size_t build_mo(const MoEntry *e, uint32_t n, unsigned char *out, size_t cap) {
  uint32_t orig = 28, trans = orig + 8 * n, at = trans + 8 * n;
  memset(out, 0, cap);
  put32(out, 0x950412de);
  put32(out + 8, n);
  put32(out + 12, orig);
  put32(out + 16, trans);
  put32(out + 24, at);
  for (uint32_t i = 0; i < n; i++) {
    assert_true(at + e[i].olen + 1 + e[i].tlen + 1 <= cap);
    put32(out + orig + 8 * i, (uint32_t)e[i].olen);
    put32(out + orig + 8 * i + 4, at);
    memcpy(out + at, e[i].orig, e[i].olen);
    at += (uint32_t)e[i].olen + 1;
    put32(out + trans + 8 * i, (uint32_t)e[i].tlen);
    put32(out + trans + 8 * i + 4, at);
    memcpy(out + at, e[i].trans, e[i].tlen);
    at += (uint32_t)e[i].tlen + 1;
  }
  return at;
}

/* Catalogue data must outlive the program. */
static unsigned char mo_xx[2048], mo_fr[1024], mo_nh[1024], mo_lv[1024], mo_long[1024];

static void test_init(void **state) {
  (void)state;
  assert_true(i18n_init());
  assert_true(i18n_known("nl"));
  assert_true(i18n_known("en"));
}

static const char *fmt(char *buf, size_t cap, const char *f, unsigned long n) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  snprintf(buf, cap, f, (long long)n);
#pragma GCC diagnostic pop
  return buf;
}

/* The shipped catalogue: "%lld note" / "%lld notes" (notes.c), nl and en, n = 0, 1, 2, 21. */
static void test_plural_nl_en(void **state) {
  (void)state;
  static const struct {
    unsigned long n;
    const char *nl, *en;
  } cases[] = {
      {0, "0 notities", "0 notes"},
      {1, "1 notitie", "1 note"},
      {2, "2 notities", "2 notes"},
      {21, "21 notities", "21 notes"},
  };
  char buf[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    unsigned long n = cases[i].n;
    assert_string_equal(fmt(buf, sizeof buf, i18n_ntr_in("nl", "%lld note", "%lld notes", n), n), cases[i].nl);
    assert_string_equal(fmt(buf, sizeof buf, i18n_ntr_in("en", "%lld note", "%lld notes", n), n), cases[i].en);
    /* the thread's language, through the macro */
    i18n_use("nl");
    assert_string_equal(fmt(buf, sizeof buf, P_("%lld note", "%lld notes", n), n), cases[i].nl);
    i18n_use("en");
    assert_string_equal(fmt(buf, sizeof buf, P_("%lld note", "%lld notes", n), n), cases[i].en);
  }
  /* a plural without a number in it (frame.c's error summary) */
  assert_string_equal(i18n_ntr_in("nl", "Please correct this:", "Please correct these:", 1), "Pas dit nog aan:");
  assert_string_equal(i18n_ntr_in("nl", "Please correct this:", "Please correct these:", 3),
                      "Pas deze punten nog aan:");
  assert_string_equal(i18n_ntr_in("en", "Please correct this:", "Please correct these:", 3), "Please correct these:");
  i18n_use(NULL);
}

static void test_unknown_falls_back_to_english(void **state) {
  (void)state;
  static const char s[] = "%d unheard-of thing", p[] = "%d unheard-of things";
  for (int k = 0; k < 3; k++) {
    const char *lang = (const char *[]){"nl", "en", "tlh"}[k];
    assert_ptr_equal(i18n_ntr_in(lang, s, p, 1), s);
    assert_ptr_equal(i18n_ntr_in(lang, s, p, 0), p);
    assert_ptr_equal(i18n_ntr_in(lang, s, p, 2), p);
    assert_ptr_equal(i18n_ntr_in(lang, s, p, 21), p);
  }
  i18n_use("nl");
  assert_ptr_equal(i18n_ntr(s, p, 1), s);
  assert_ptr_equal(i18n_ntr(s, p, 5), p);
  i18n_use(NULL);
  /* NULL arguments do not crash */
  assert_null(i18n_ntr_in("nl", NULL, NULL, 1));
  assert_ptr_equal(i18n_ntr_in("nl", s, NULL, 2), s);
}

/* A catalogue with good and malformed plural entries (sorted by original; the header first). */
static void test_malformed_plural_entries(void **state) {
  (void)state;
  static const MoEntry e[] = {
      {S(""), S("Content-Type: text/plain; charset=UTF-8\nPlural-Forms:  nplurals=2;  plural=(n != 1);\n")},
      {S("apple\0apples"), S("appel\0appels")},
      {S("empty\0empties"), S("leeg\0")},         /* msgstr[1] empty */
      {S("gone\0gones"), S("")},                  /* both empty */
      {S("one\0ones"), S("een")},                 /* msgstr[1] missing */
      {S("single"), S("enkel")},                  /* not a plural entry */
      {S("three\0threes"), S("drie\0drieen\0x")}, /* more forms than the rule has */
  };
  size_t len = build_mo(e, sizeof e / sizeof e[0], mo_xx, sizeof mo_xx);
  assert_true(i18n_add_catalogue("xx", mo_xx, len));
  assert_string_equal(i18n_ntr_in("xx", "apple", "apples", 1), "appel");
  assert_string_equal(i18n_ntr_in("xx", "apple", "apples", 0), "appels");
  assert_string_equal(i18n_ntr_in("xx", "apple", "apples", 21), "appels");
  assert_string_equal(i18n_tr_in("xx", "apple"), "appel"); /* _() finds a plural entry by its singular */
  assert_string_equal(i18n_ntr_in("xx", "empty", "empties", 1), "leeg");
  assert_string_equal(i18n_ntr_in("xx", "empty", "empties", 2), "empties");
  assert_string_equal(i18n_ntr_in("xx", "gone", "gones", 1), "gone");
  assert_string_equal(i18n_ntr_in("xx", "gone", "gones", 2), "gones");
  assert_string_equal(i18n_ntr_in("xx", "one", "ones", 1), "een");
  assert_string_equal(i18n_ntr_in("xx", "one", "ones", 2), "ones");
  assert_string_equal(i18n_ntr_in("xx", "single", "singles", 1), "single");
  assert_string_equal(i18n_ntr_in("xx", "single", "singles", 2), "singles");
  assert_string_equal(i18n_tr_in("xx", "single"), "enkel");
  assert_string_equal(i18n_ntr_in("xx", "three", "threes", 1), "drie");
  assert_string_equal(i18n_ntr_in("xx", "three", "threes", 2), "drieen");
  /* a prefix or extension of a plural msgid is another message */
  assert_string_equal(i18n_ntr_in("xx", "appl", "appls", 2), "appls");
  assert_string_equal(i18n_ntr_in("xx", "apples", "appless", 1), "apples");
  /* a plural entry's translation pointing past the end of the data is refused with the catalogue */
  static unsigned char broken[512];
  static const MoEntry b[] = {{S("apple\0apples"), S("appel\0appels")}};
  size_t blen = build_mo(b, 1, broken, sizeof broken);
  put32(broken + 28 + 8 + 4, (uint32_t)blen); /* translation offset */
  assert_false(i18n_add_catalogue("br", broken, blen));
  assert_false(i18n_known("br"));
  assert_string_equal(i18n_ntr_in("br", "apple", "apples", 2), "apples");
}

/* Other rules in the table: n > 1 (0 is singular) and a missing header (gettext's default, n != 1). */
static void test_other_supported_rules(void **state) {
  (void)state;
  static const MoEntry fr[] = {
      {S(""), S("Plural-Forms: nplurals=2; plural=n>1;\nLanguage: fr\n")},
      {S("%d note\0%d notes"), S("%d note\0%d notes (fr)")},
  };
  assert_true(i18n_add_catalogue("fr", mo_fr, build_mo(fr, 2, mo_fr, sizeof mo_fr)));
  assert_string_equal(i18n_ntr_in("fr", "%d note", "%d notes", 0), "%d note");
  assert_string_equal(i18n_ntr_in("fr", "%d note", "%d notes", 1), "%d note");
  assert_string_equal(i18n_ntr_in("fr", "%d note", "%d notes", 2), "%d notes (fr)");
  static const MoEntry nh[] = {{S("%d note\0%d notes"), S("%d notitie\0%d notities")}};
  assert_true(i18n_add_catalogue("nh", mo_nh, build_mo(nh, 1, mo_nh, sizeof mo_nh)));
  assert_string_equal(i18n_ntr_in("nh", "%d note", "%d notes", 0), "%d notities");
  assert_string_equal(i18n_ntr_in("nh", "%d note", "%d notes", 1), "%d notitie");
}

/* A rule outside the table is refused, not guessed: the language falls back to English entirely. */
static void test_unsupported_rule_is_refused(void **state) {
  (void)state;
  static const MoEntry lv[] = {
      {S(""), S("Language: lv\nPlural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);\n")},
      {S("%d note\0%d notes"), S("%d piezime\0%d piezimes\0%d piezimju")},
      {S("Save"), S("Saglabat")},
  };
  assert_false(i18n_add_catalogue("lv", mo_lv, build_mo(lv, 3, mo_lv, sizeof mo_lv)));
  assert_false(i18n_known("lv"));
  assert_string_equal(i18n_ntr_in("lv", "%d note", "%d notes", 1), "%d note");
  assert_string_equal(i18n_ntr_in("lv", "%d note", "%d notes", 2), "%d notes");
  assert_string_equal(i18n_tr_in("lv", "Save"), "Save");
  i18n_use("lv");
  assert_string_equal(i18n_lang(), "en");
  i18n_use(NULL);
  /* longer than any known rule, and a rule with the right words but a different count */
  static const MoEntry lg[] = {
      {S(""), S("Plural-Forms: nplurals=2; plural=(n != 1 && n != 2 && n != 3 && n != 4 && n != 5 && n != 6);\n")}};
  assert_false(i18n_add_catalogue("lg", mo_long, build_mo(lg, 1, mo_long, sizeof mo_long)));
  static unsigned char mo_n3[512];
  static const MoEntry n3[] = {{S(""), S("Plural-Forms: nplurals=3; plural=(n != 1);")}};
  assert_false(i18n_add_catalogue("n3", mo_n3, build_mo(n3, 1, mo_n3, sizeof mo_n3)));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_init),
      cmocka_unit_test(test_plural_nl_en),
      cmocka_unit_test(test_unknown_falls_back_to_english),
      cmocka_unit_test(test_malformed_plural_entries),
      cmocka_unit_test(test_other_supported_rules),
      cmocka_unit_test(test_unsupported_rule_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

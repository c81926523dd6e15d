/*
 * test_html.c — unit tests for the escaping HTML writer (src/html/html.c): escaping in element text and
 * attributes, URL argument encoding, the numeric directives of html() and trusted markup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "html/html.h"

/* Runs a writer call into a fresh Buf and compares the whole output. */
#define EXPECT_OUT(want, ...)                      \
  do {                                             \
    Buf b_ = {0};                                  \
    Buf *h = &b_;                                  \
    __VA_ARGS__;                                   \
    assert_string_equal(b_.p ? b_.p : "", (want)); \
    buf_free(&b_);                                 \
  } while (0)

static void test_text_escapes_each_special(void **state) {
  (void)state;
  EXPECT_OUT("&amp;", html_text(h, "&"));
  EXPECT_OUT("&lt;", html_text(h, "<"));
  EXPECT_OUT("&gt;", html_text(h, ">"));
  EXPECT_OUT("&quot;", html_text(h, "\""));
  EXPECT_OUT("&#39;", html_text(h, "'"));
  EXPECT_OUT("O&#39;Brien &amp; Zn. &lt;b&gt;&quot;x&quot;&lt;/b&gt;", html_text(h, "O'Brien & Zn. <b>\"x\"</b>"));
}

static void test_text_leaves_other_text(void **state) {
  (void)state;
  EXPECT_OUT("Renée € 😀 a=b/c?d#e", html_text(h, "Renée € 😀 a=b/c?d#e"));
  EXPECT_OUT("", html_text(h, ""));
  EXPECT_OUT("", html_text(h, NULL));
  /* Already escaped text is escaped again: the writer never guesses. */
  EXPECT_OUT("&amp;amp;", html_text(h, "&amp;"));
}

static void test_text_n_counts_bytes(void **state) {
  (void)state;
  EXPECT_OUT("a&lt;", html_text_n(h, "a<b>", 2));
  Buf b = {0};
  html_text_n(&b, "x\0<", 3);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.p, "x\0&lt;", 6);
  buf_free(&b);
}

static void test_fmt_escapes_in_text_and_attribute(void **state) {
  (void)state;
  EXPECT_OUT("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", html(h, "<p>%s</p>", "<script>alert(1)</script>"));
  EXPECT_OUT("<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">x</a>",
             html(h, "<a title=\"%s\">x</a>", "\"><img src=x onerror=alert(1)>"));
  EXPECT_OUT("<input value='&#39; onfocus=&#39;x'>", html(h, "<input value='%s'>", "' onfocus='x"));
  EXPECT_OUT("<p>&amp;&lt;&gt;&quot;&#39;</p>", html(h, "<p>%s</p>", "&<>\"'"));
}

static void test_fmt_null_string_prints_nothing(void **state) {
  (void)state;
  const char *none = NULL;
  EXPECT_OUT("<p></p>", html(h, "<p>%s</p>", none));
  EXPECT_OUT("ab", html(h, "a%sb", none));
}

static void test_fmt_numbers(void **state) {
  (void)state;
  EXPECT_OUT("-42", html(h, "%d", -42));
  EXPECT_OUT("7", html(h, "%i", 7));
  EXPECT_OUT("9223372036854775807", html(h, "%lld", (long long)INT64_MAX));
  EXPECT_OUT("-9223372036854775808", html(h, "%lld", (long long)INT64_MIN));
  EXPECT_OUT("18446744073709551615", html(h, "%zu", SIZE_MAX));
  EXPECT_OUT("00042", html(h, "%05d", 42));
  EXPECT_OUT("-0042", html(h, "%05d", -42));
  EXPECT_OUT("07:05", html(h, "%02d:%02d", 7, 5));
  EXPECT_OUT("4294967295", html(h, "%u", 4294967295u));
  EXPECT_OUT("ff", html(h, "%x", 255u));
  EXPECT_OUT("123456789012", html(h, "%ld", 123456789012L));
  EXPECT_OUT("  7|", html(h, "%3d|", 7));
  EXPECT_OUT("100%", html(h, "%d%%", 100));
  EXPECT_OUT("<td>3</td><td>a&amp;b</td><td>12</td>", html(h, "<td>%d</td><td>%s</td><td>%zu</td>", 3, "a&b", (size_t)12));
}

static void test_fmt_literal_passes_through(void **state) {
  (void)state;
  EXPECT_OUT("<div class=\"x\">'&amp;'</div>", html(h, "<div class=\"x\">'&amp;'</div>"));
}

static void test_urlarg(void **state) {
  (void)state;
  EXPECT_OUT("a%20b", html_urlarg(h, "a b"));
  EXPECT_OUT("caf%C3%A9", html_urlarg(h, "café"));
  EXPECT_OUT("%E2%82%AC", html_urlarg(h, "€"));
  EXPECT_OUT("%26%3D%3F%23", html_urlarg(h, "&=?#"));
  EXPECT_OUT("%2F%2B%25%22%3C%27", html_urlarg(h, "/+%\"<'"));
  EXPECT_OUT("AZaz09-_.~", html_urlarg(h, "AZaz09-_.~"));
  EXPECT_OUT("", html_urlarg(h, ""));
  EXPECT_OUT("", html_urlarg(h, NULL));
  EXPECT_OUT("<a href=\"/search?q=", html(h, "<a href=\"/search?q="));
}

static void test_urlarg_inside_attribute(void **state) {
  (void)state;
  Buf b = {0};
  html(&b, "<a href=\"/t/%d/notes?q=", 5);
  html_urlarg(&b, "x&y \"z\"");
  html(&b, "\">%s</a>", "x&y");
  assert_string_equal(b.p, "<a href=\"/t/5/notes?q=x%26y%20%22z%22\">x&amp;y</a>");
  buf_free(&b);
}

static void test_markup(void **state) {
  (void)state;
  EXPECT_OUT("<b>bold</b> & <i>'x'</i>", html_markup(h, MARKUP("<b>bold</b> & <i>'x'</i>")));
  EXPECT_OUT("<em>r</em>", html_markup(h, markup_from_renderer_("<em>r</em>")));
  EXPECT_OUT("", html_markup(h, (Markup){NULL}));
}

static void test_escape_into_arena(void **state) {
  (void)state;
  Arena *a = arena_new();
  assert_string_equal(html_escape(a, "<a href='x'>&</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
  assert_string_equal(html_escape(a, ""), "");
  assert_string_equal(html_escape(a, NULL), "");
  arena_free(a);
}

static void test_appends_to_existing_output(void **state) {
  (void)state;
  Buf b = {0};
  buf_puts(&b, "<ul>");
  for (int i = 1; i <= 3; i++) html(&b, "<li>%d: %s</li>", i, i == 2 ? "<two>" : "x");
  html_markup(&b, MARKUP("</ul>"));
  assert_string_equal(b.p, "<ul><li>1: x</li><li>2: &lt;two&gt;</li><li>3: x</li></ul>");
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_escapes_each_special),
      cmocka_unit_test(test_text_leaves_other_text),
      cmocka_unit_test(test_text_n_counts_bytes),
      cmocka_unit_test(test_fmt_escapes_in_text_and_attribute),
      cmocka_unit_test(test_fmt_null_string_prints_nothing),
      cmocka_unit_test(test_fmt_numbers),
      cmocka_unit_test(test_fmt_literal_passes_through),
      cmocka_unit_test(test_urlarg),
      cmocka_unit_test(test_urlarg_inside_attribute),
      cmocka_unit_test(test_markup),
      cmocka_unit_test(test_escape_into_arena),
      cmocka_unit_test(test_appends_to_existing_output),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

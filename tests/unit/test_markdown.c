/*
 * test_markdown.c — notes render as Markdown with everything an attacker could slip in made inert:
 * raw HTML is text, script-bearing link schemes become '#', images only from this site.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "render/markdown.h"

static const char *md(Arena *a, const char *text) { return markdown_render(a, text, strlen(text)).s; }

static void formatting(void **state) {
  (void)state;
  Arena *a = arena_new();
  assert_non_null(strstr(md(a, "**vet** en _schuin_"), "<strong>vet</strong>"));
  assert_non_null(strstr(md(a, "- een\n- twee\n"), "<li>twee</li>"));
  assert_non_null(strstr(md(a, "| a | b |\n|---|---|\n| 1 | 2 |\n"), "<table>"));
  assert_string_equal(md(a, ""), "");
  arena_free(a);
}

static void raw_html_is_text(void **state) {
  (void)state;
  Arena *a = arena_new();
  const char *out = md(a, "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> and <b onclick=x>b</b>");
  assert_null(strstr(out, "<script"));
  assert_null(strstr(out, "<img"));
  assert_null(strstr(out, "<b "));
  assert_non_null(strstr(out, "&lt;script&gt;"));
  arena_free(a);
}

static void link_schemes(void **state) {
  (void)state;
  Arena *a = arena_new();
  const char *bad[] = {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](jav&#x61;script:alert(1))",
                       "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox)", "[x](//evil.example/x)",
                       "<javascript:alert(1)>", "[x]( javascript:alert(1))"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *out = md(a, bad[i]);
    /* the link survives as a link to nowhere; its target never reaches an attribute */
    assert_non_null(strstr(out, "href=\"#\""));
    assert_null(strstr(out, "href=\"j"));
    assert_null(strstr(out, "href=\"J"));
    assert_null(strstr(out, "href=\"data"));
    assert_null(strstr(out, "href=\"vb"));
    assert_null(strstr(out, "href=\"//"));
  }
  assert_non_null(strstr(md(a, "[site](https://example.org/a?b=1)"), "href=\"https://example.org/a?b=1\""));
  assert_non_null(strstr(md(a, "[mail](mailto:coach@example.org)"), "href=\"mailto:coach@example.org\""));
  assert_non_null(strstr(md(a, "[plan](/t/1/notes)"), "href=\"/t/1/notes\""));
  /* images only from this site */
  assert_non_null(strstr(md(a, "![x](https://tracker.example/p.png)"), "src=\"#\""));
  assert_non_null(strstr(md(a, "![x](/static/favicon.svg)"), "src=\"/static/favicon.svg\""));
  /* attribute breakers stay inside the attribute */
  const char *out = md(a, "[x](https://example.org/\"onmouseover=\"alert(1))");
  assert_null(strstr(out, "\"onmouseover"));
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(formatting),
      cmocka_unit_test(raw_html_is_text),
      cmocka_unit_test(link_schemes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

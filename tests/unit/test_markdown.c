/*
 * test_markdown.c — notes render as Markdown with everything an attacker could slip in made inert:
 * raw HTML is text, script-bearing link schemes become '#', images only from the portal's static assets.
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
  /* images only from the portal's static assets; another site's image is its alt text */
  assert_string_equal(md(a, "![x](https://tracker.example/p.png)"), "<p>x</p>\n");
  assert_non_null(strstr(md(a, "![x](/static/favicon.svg)"), "src=\"/static/favicon.svg\""));
  /* attribute breakers stay inside the attribute */
  const char *out = md(a, "[x](https://example.org/\"onmouseover=\"alert(1))");
  assert_null(strstr(out, "\"onmouseover"));
  arena_free(a);
}

/* Reading a note must not make the reader's browser fetch anything: an image of a case page would be an
 * access-log entry in the reader's name (or a refusal on another participant's file). Only static assets
 * load; every other image is written as its alt text, or as its address when it has none. */
static void images_load_nothing_but_static_assets(void **state) {
  (void)state;
  Arena *a = arena_new();
  assert_string_equal(md(a, "![](/t/2/notes/1)"), "<p>/t/2/notes/1</p>\n");
  assert_string_equal(md(a, "![verslag](/t/3 \"titel\")"), "<p>verslag</p>\n");
  assert_string_equal(md(a, "![a \"b\" <c>](/t/1/plan/4?compare=1)"), "<p>a &quot;b&quot; &lt;c&gt;</p>\n");
  const char *refused[] = {"![x](/t/2)", "![x](/static/../t/2)", "![x](/static/%2e%2e/t/2)", "![x](/STATIC/favicon.svg)",
                           "![x](/static//evil.example/x)", "![x](/static/favicon.svg?v=1)", "![x](#)", "![x]()",
                           "![x](//evil.example/p.png)", "![x](/\\t/2)", "[r]: /t/2\n\n![x][r]",
                           "| a |\n|---|\n| ![x](/t/2/notes/1) |\n"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    const char *out = md(a, refused[i]);
    assert_null(strstr(out, "<img"));
    assert_null(strstr(out, "src="));
    assert_non_null(strstr(out, "x"));
  }
  /* a link around an image stays a link (a click), its image becomes text */
  assert_string_equal(md(a, "[![binnen](/t/2/notes/1)](/t/2/notes/1)"), "<p><a href=\"/t/2/notes/1\">binnen</a></p>\n");
  assert_string_equal(md(a, "![logo](/static/favicon.svg \"t\")"),
                      "<p><img src=\"/static/favicon.svg\" alt=\"logo\" title=\"t\"></p>\n");
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(formatting),
      cmocka_unit_test(raw_html_is_text),
      cmocka_unit_test(link_schemes),
      cmocka_unit_test(images_load_nothing_but_static_assets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

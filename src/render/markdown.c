/*
 * markdown.c — see markdown.h. md4c-html escapes text and attribute values itself; this file adds the
 * link/image scheme whitelist by rewriting href="..." and src="..." values in md4c's output.
 */
#include "render/markdown.h"

#include <md4c-html.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static void collect(const MD_CHAR *text, MD_SIZE size, void *userdata) { buf_append(userdata, text, size); }

static bool safe_href(const char *v, size_t n) {
  static const char *const ok[] = {"http://", "https://", "mailto:"};
  if (n == 0) return false;
  if (v[0] == '#') return true;
  if (v[0] == '/' && (n == 1 || (v[1] != '/' && v[1] != '\\'))) return true;
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    size_t k = strlen(ok[i]);
    if (n > k && strncasecmp(v, ok[i], k) == 0) return true;
  }
  return false;
}

static bool safe_src(const char *v, size_t n) { return n > 1 && v[0] == '/' && v[1] != '/' && v[1] != '\\'; }

/* Copies html into out, replacing unsafe attribute values of href= and src=. */
static void filter_urls(const char *html, size_t len, Buf *out) {
  size_t i = 0;
  while (i < len) {
    const char *h = NULL;
    bool is_src = false;
    for (size_t j = i; j + 6 <= len; j++) {
      if (j + 7 <= len && memcmp(html + j, " href=\"", 7) == 0) { h = html + j; break; }
      if (memcmp(html + j, " src=\"", 6) == 0) { h = html + j; is_src = true; break; }
    }
    if (!h) {
      buf_append(out, html + i, len - i);
      return;
    }
    size_t attr = (size_t)(h - html) + (is_src ? 6 : 7);
    buf_append(out, html + i, attr - i);
    const char *end = memchr(html + attr, '"', len - attr);
    size_t vlen = end ? (size_t)(end - (html + attr)) : len - attr;
    bool ok = is_src ? safe_src(html + attr, vlen) : safe_href(html + attr, vlen);
    if (ok) buf_append(out, html + attr, vlen);
    else buf_puts(out, "#");
    i = attr + vlen;
  }
}

Markup markdown_render(Arena *a, const char *text, size_t len) {
  Buf raw = {0}, out = {0};
  unsigned flags = MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
                   MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEEMAILAUTOLINKS;
  /* md4c 0.4.8 reads the byte after the text when an inline link runs to its end (found by
   * fuzz/fuzz_markdown.c: "[](J"); a NUL-terminated copy keeps that read in bounds and harmless */
  const char *copy = arena_strndup(a, text, len);
  int rc = md_html(copy, (MD_SIZE)len, collect, &raw, flags, 0);
  if (rc != 0) {
    buf_free(&raw);
    char *esc = html_escape(a, arena_strndup(a, text, len));
    return markup_from_renderer_(arena_printf(a, "<p>%s</p>", esc));
  }
  filter_urls(raw.p ? raw.p : "", raw.len, &out);
  char *res = arena_strndup(a, out.p ? out.p : "", out.len);
  buf_free(&raw);
  buf_free(&out);
  return markup_from_renderer_(res);
}

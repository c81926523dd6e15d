/*
 * fuzz_html.c — fuzz target for the escaping HTML writer.
 *
 * Properties:
 *  - html_text_n of arbitrary bytes writes no '<', '>', '"' or '\'', every '&' starts one of the five
 *    entities the writer uses, and decoding those entities gives back the input byte for byte;
 *  - html_text, html() with %s and html_escape all produce that same escaping for a string;
 *  - html_urlarg writes only unreserved characters and %XX escapes, and decoding gives back the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "html/html.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const struct {
  const char *ent;
  char c;
} entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};

/* Checks escaped text and decodes it into out (at least len bytes); returns the decoded length. */
static size_t check_escaped(const char *p, size_t len, char *out) {
  size_t j = 0;
  for (size_t i = 0; i < len;) {
    char c = p[i];
    CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
    if (c == '&') {
      size_t k = 0, n = sizeof entities / sizeof *entities;
      while (k < n) {
        size_t el = strlen(entities[k].ent);
        if (len - i >= el && memcmp(p + i, entities[k].ent, el) == 0) break;
        k++;
      }
      CHECK(k < n);
      out[j++] = entities[k].c;
      i += strlen(entities[k].ent);
    } else {
      out[j++] = c;
      i++;
    }
  }
  return j;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1; /* the writer uses upper-case hex only */
}

static bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *in = (const char *)data;
  Buf h = {0};
  html_text_n(&h, in, size);
  CHECK(h.len >= size);
  char *dec = xmalloc(h.len + 1);
  size_t dl = check_escaped(h.p ? h.p : "", h.len, dec);
  CHECK(dl == size && memcmp(dec, in, size) == 0);
  free(dec);

  /* The string forms, up to the first NUL. */
  char *s = xmalloc(size + 1);
  memcpy(s, in, size);
  s[size] = 0;
  size_t sl = strlen(s);
  Buf ref = {0}, b = {0};
  html_text_n(&ref, s, sl);
  const char *refp = ref.p ? ref.p : "";
  html_text(&b, s);
  CHECK(b.len == ref.len && memcmp(b.p ? b.p : "", refp, ref.len) == 0);
  buf_reset(&b);
  html(&b, "<p title=\"%s\">%s</p>", s, s);
  Buf want = {0};
  buf_puts(&want, "<p title=\"");
  buf_append(&want, refp, ref.len);
  buf_puts(&want, "\">");
  buf_append(&want, refp, ref.len);
  buf_puts(&want, "</p>");
  CHECK(b.len == want.len && memcmp(b.p, want.p, want.len) == 0);
  Arena *a = arena_new();
  char *esc = html_escape(a, s);
  CHECK(strlen(esc) == ref.len && memcmp(esc, refp, ref.len) == 0);
  arena_free(a);

  /* URL arguments. */
  buf_reset(&b);
  html_urlarg(&b, s);
  const char *u = b.p ? b.p : "";
  char *back = xmalloc(b.len + 1);
  size_t bl = 0;
  for (size_t i = 0; i < b.len;) {
    if (u[i] == '%') {
      CHECK(b.len - i >= 3 && hexval(u[i + 1]) >= 0 && hexval(u[i + 2]) >= 0);
      back[bl++] = (char)(hexval(u[i + 1]) * 16 + hexval(u[i + 2]));
      i += 3;
    } else {
      CHECK(unreserved(u[i]));
      back[bl++] = u[i++];
    }
  }
  CHECK(bl == sl && memcmp(back, s, sl) == 0);
  free(back);

  buf_free(&h);
  buf_free(&want);
  buf_free(&b);
  buf_free(&ref);
  free(s);
  return 0;
}

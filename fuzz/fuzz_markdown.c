/*
 * fuzz_markdown.c — fuzz target for markdown_render (notes: md4c, raw HTML off, link schemes whitelisted).
 *
 * The input bytes go to markdown_render as they are: any length, NUL bytes and invalid UTF-8 included
 * (the notes page passes strlen(body) of text that the form parser already checked to be valid UTF-8, so
 * the fuzzer covers more than the server can send). md4c does not validate UTF-8: it decodes leniently
 * for its whitespace/punctuation tests and copies the bytes to the output unchanged (escaped), a NUL
 * becomes U+FFFD; invalid UTF-8 in gives invalid UTF-8 out, but never markup.
 *
 * The output is parsed as HTML and must satisfy:
 *  - it never fails to render, never crashes and never reads past the input: the text is followed by
 *    a single ')' and then the end of its heap block, so a read of text[len] changes the result and a
 *    read beyond that is caught by AddressSanitizer;
 *  - every '<' starts a tag of the small set md4c emits for the enabled dialect (p, h1-h6, ul, ol, li,
 *    blockquote, pre, code, hr, br, table parts, em, strong, del, a, img) — so no <script, <iframe,
 *    <svg, <style; there is no raw '>' or '"' in text;
 *  - attributes are only the ones md4c writes (a: href, title; img: src, alt, title; ol: start;
 *    th/td: align; code: class), always double-quoted, never on…=;
 *  - every '&' starts &amp; &lt; &gt; or &quot; (md4c decodes the note's entities and re-escapes);
 *  - an href, after decoding those entities and removing what browsers strip from URLs (tab, LF, CR,
 *    leading/trailing C0 controls and spaces), starts with http://, https://, mailto: (any case), '#'
 *    or '/' — and a '/' is not followed by '/' or '\' (protocol-relative, another host);
 *  - an img src is one of the portal's static assets: "/static/" followed only by letters, digits, '.',
 *    '_', '-' and '/', never ".." or "//" — nothing else loads when a note is read (markdown.c writes any other
 *    image as its alt text), so a note cannot make the reader's browser request a case page.
 * A violation aborts, and libFuzzer records the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "render/markdown.h"

#define CHECK(cond)                                                                                  \
  do {                                                                                               \
    if (!(cond)) {                                                                                   \
      fprintf(stderr, "fuzz_markdown: property failed: %s (line %d)\n", #cond, __LINE__);           \
      abort();                                                                                       \
    }                                                                                                \
  } while (0)

static const char *const tags[] = {"p",     "h1",    "h2",    "h3", "h4", "h5", "h6",     "ul",  "ol",
                                   "li",    "pre",   "code",  "hr", "br", "em", "strong", "del", "a",
                                   "img",   "table", "thead", "tbody", "tr", "th", "td", "blockquote"};

/* Attributes md4c writes, per tag. */
static bool attr_allowed(const char *tag, const char *attr) {
  if (strcmp(tag, "a") == 0) return strcmp(attr, "href") == 0 || strcmp(attr, "title") == 0;
  if (strcmp(tag, "img") == 0) return strcmp(attr, "src") == 0 || strcmp(attr, "alt") == 0 || strcmp(attr, "title") == 0;
  if (strcmp(tag, "ol") == 0) return strcmp(attr, "start") == 0;
  if (strcmp(tag, "th") == 0 || strcmp(tag, "td") == 0) return strcmp(attr, "align") == 0;
  if (strcmp(tag, "code") == 0) return strcmp(attr, "class") == 0;
  return false;
}

static bool tag_known(const char *name) {
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
    if (strcmp(tags[i], name) == 0) return true;
  return false;
}

/* Length of the entity at p (one of the four md4c writes), or 0. */
static size_t entity_len(const char *p, size_t n, char *decoded) {
  static const struct {
    const char *e;
    char c;
  } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
  for (size_t k = 0; k < sizeof ents / sizeof *ents; k++) {
    size_t l = strlen(ents[k].e);
    if (n >= l && memcmp(p, ents[k].e, l) == 0) {
      *decoded = ents[k].c;
      return l;
    }
  }
  return 0;
}

/* The URL a browser would see: entities decoded, tab/LF/CR removed, C0 controls and spaces trimmed. */
static size_t browser_url(const char *v, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    char c = v[i];
    if (c == '&') {
      size_t l = entity_len(v + i, n - i, &c);
      CHECK(l > 0);
      i += l;
    } else {
      i++;
    }
    if (c == '\t' || c == '\n' || c == '\r') continue;
    out[o++] = c;
  }
  size_t s = 0;
  while (s < o && (unsigned char)out[s] <= 0x20) s++;
  while (o > s && (unsigned char)out[o - 1] <= 0x20) o--;
  memmove(out, out + s, o - s);
  return o - s;
}

static bool local_path(const char *u, size_t n) { return n >= 1 && u[0] == '/' && (n == 1 || (u[1] != '/' && u[1] != '\\')); }

/* "/static/" and a plain file path (letters, digits, '.', '_', '-', '/'), with no ".." or "//". */
static bool static_asset(const char *u, size_t n) {
  if (n <= 8 || memcmp(u, "/static/", 8) != 0) return false;
  for (size_t i = 8; i < n; i++) {
    char c = u[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-' || c == '/'))
      return false;
    if ((c == '.' || c == '/') && u[i - 1] == c) return false;
  }
  return true;
}

static bool prefix_ci(const char *u, size_t n, const char *p) {
  size_t l = strlen(p);
  return n >= l && strncasecmp(u, p, l) == 0;
}

static void check_url(const char *attr, const char *v, size_t n) {
  char *u = xmalloc(n + 1);
  size_t un = browser_url(v, n, u);
  if (strcmp(attr, "src") == 0) {
    CHECK(static_asset(u, un));
  } else {
    CHECK((un >= 1 && u[0] == '#') || local_path(u, un) || prefix_ci(u, un, "http://") ||
          prefix_ci(u, un, "https://") || prefix_ci(u, un, "mailto:"));
  }
  free(u);
}

/* Parses the tag at h[i] == '<'; returns the index after its '>'. */
static size_t check_tag(const char *h, size_t len, size_t i) {
  i++;
  if (i < len && h[i] == '/') i++;
  char name[16];
  size_t nl = 0;
  while (i < len && ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9'))) {
    CHECK(nl + 1 < sizeof name);
    name[nl++] = h[i++];
  }
  name[nl] = 0;
  CHECK(tag_known(name));
  for (;;) {
    CHECK(i < len);
    if (h[i] == '>') return i + 1;
    CHECK(h[i] == ' ');
    i++;
    char attr[16];
    size_t al = 0;
    while (i < len && h[i] >= 'a' && h[i] <= 'z') {
      CHECK(al + 1 < sizeof attr);
      attr[al++] = h[i++];
    }
    attr[al] = 0;
    CHECK(al > 0);
    CHECK(strncasecmp(attr, "on", 2) != 0);
    CHECK(attr_allowed(name, attr));
    CHECK(len - i >= 2 && h[i] == '=' && h[i + 1] == '"');
    i += 2;
    const char *q = memchr(h + i, '"', len - i);
    CHECK(q != NULL);
    size_t vl = (size_t)(q - (h + i));
    CHECK(memchr(h + i, '<', vl) == NULL && memchr(h + i, '>', vl) == NULL);
    for (size_t k = 0; k < vl; k++) {
      char d;
      if (h[i + k] == '&') CHECK(entity_len(h + i + k, vl - k, &d) > 0);
    }
    if (strcmp(attr, "href") == 0 || strcmp(attr, "src") == 0) check_url(attr, h + i, vl);
    i += vl + 1;
  }
}

static void check_html(const char *h, size_t len) {
  for (size_t i = 0; i + 7 <= len; i++) CHECK(strncasecmp(h + i, "<script", 7) != 0);
  for (size_t i = 0; i < len;) {
    char c = h[i];
    if (c == '<') {
      i = check_tag(h, len, i);
      continue;
    }
    CHECK(c != '>' && c != '"');
    if (c == '&') {
      char d;
      size_t l = entity_len(h + i, len - i, &d);
      CHECK(l > 0);
      i += l;
      continue;
    }
    i++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* The text is followed by one ')' and then the end of the allocation: markdown_render must not look at
   * text[len]. md4c 0.4.8 does, for an inline link whose destination runs to the end of the text
   * ("[x](y"): it takes a ')' there as the end of the link and goes on past it (see README, Fuzzing). */
  char *text = xmalloc(size + 1);
  memcpy(text, data, size);
  text[size] = ')';
  Arena *a = arena_new();
  Markup m = markdown_render(a, text, size);
  const char *out = m.s;
  CHECK(out != NULL);
  check_html(out, strlen(out));
  arena_free(a);
  free(text);
  return 0;
}

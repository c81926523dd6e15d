/*
 * markdown.c — see markdown.h. md4c-html escapes text and attribute values itself; this file adds the
 * link scheme whitelist and the image rule by rewriting md4c's output, whose shape is fixed: raw HTML is
 * off, so every '<' of a note is written as "&lt;" and the only tags are md4c's own. md4c-html has no hook
 * per span (md_html renders the whole document), so the rule is applied to the two tags it writes with a
 * URL: <a href="..."> and <img src="..." alt="..."[ title="..."]>, whose values md4c has escaped (no raw
 * '"' inside).
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

/* An image a note may load: one of the portal's own static assets ("/static/" and a plain file path:
 * letters, digits, '.', '_', '-', '/', never ".." or "//"). Anything else a browser would fetch on its own when
 * the note is read — a case page of this portal (an access-log entry in the reader's name, or a refusal
 * that alarms a participant), another site (a tracker) — is not loaded. */
static bool safe_src(const char *v, size_t n) {
  static const char prefix[] = "/static/";
  size_t k = sizeof prefix - 1;
  if (n <= k || memcmp(v, prefix, k) != 0) return false;
  for (size_t i = k; i < n; i++) {
    char c = v[i];
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-' || c == '/';
    if (!plain) return false;
    if ((c == '.' || c == '/') && v[i - 1] == c) return false; /* ".." or "//", also right after the prefix */
  }
  return true;
}

/* Whether html[i..len) starts with s. */
static bool at(const char *html, size_t len, size_t i, const char *s) {
  size_t k = strlen(s);
  return len - i >= k && memcmp(html + i, s, k) == 0;
}

/* The length of the attribute value starting at html[i] (up to the closing '"', which md4c always writes). */
static size_t value_len(const char *html, size_t len, size_t i) {
  const char *end = memchr(html + i, '"', len - i);
  return end ? (size_t)(end - (html + i)) : len - i;
}

/* An <img> tag of md4c at html[i]: <img src="S" alt="A"[ title="T"]>. When S is a static asset the tag is
 * copied; otherwise the image is replaced by its alt text (already escaped by md4c), or by its address as
 * text when it has none, so the reader sees that the note holds an image that was not loaded. Returns the
 * index after the tag, or 0 when the text at i is not such a tag (it is then copied as it is). */
static size_t filter_img(const char *html, size_t len, size_t i, Buf *out) {
  size_t p = i + strlen("<img src=\"");
  size_t src = p, srclen = value_len(html, len, p);
  p += srclen;
  if (!at(html, len, p, "\" alt=\"")) return 0;
  p += strlen("\" alt=\"");
  size_t alt = p, altlen = value_len(html, len, p);
  p += altlen;
  if (at(html, len, p, "\" title=\"")) {
    p += strlen("\" title=\"");
    p += value_len(html, len, p);
  }
  if (!at(html, len, p, "\">")) return 0;
  p += 2;
  if (safe_src(html + src, srclen)) buf_append(out, html + i, p - i);
  else if (altlen) buf_append(out, html + alt, altlen);
  else buf_append(out, html + src, srclen);
  return p;
}

/* Copies md4c's html into out: an href that is not safe becomes "#", an image that is not a static asset
 * becomes text (filter_img). */
static void filter_urls(const char *html, size_t len, Buf *out) {
  size_t i = 0, copied = 0;
  while (i < len) {
    if (html[i] == '<' && at(html, len, i, "<img src=\"")) {
      buf_append(out, html + copied, i - copied);
      size_t next = filter_img(html, len, i, out);
      if (!next) { /* not the shape md4c writes (never seen): the tag is dropped up to its '>' (attribute
                    * values hold no raw '>'), so nothing of it can load */
        const char *gt = memchr(html + i, '>', len - i);
        next = gt ? (size_t)(gt - html) + 1 : len;
      }
      i = copied = next;
      continue;
    }
    if (html[i] == ' ' && at(html, len, i, " href=\"")) {
      size_t attr = i + strlen(" href=\"");
      buf_append(out, html + copied, attr - copied);
      size_t vlen = value_len(html, len, attr);
      if (safe_href(html + attr, vlen)) buf_append(out, html + attr, vlen);
      else buf_puts(out, "#");
      i = copied = attr + vlen;
      continue;
    }
    i++;
  }
  buf_append(out, html + copied, len - copied);
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

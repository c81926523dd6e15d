/*
 * html.c — the escaping writer. See html.h for the contract.
 *
 * The formatter walks the format itself rather than calling vsnprintf on the whole string, so that %s
 * can be escaped; numeric directives (with their flags and width) are handed to snprintf one at a time.
 */
#include "html/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters that need an entity; a table lookup per byte, and runs of plain text are copied at once. */
static const char *const entity[256] = {['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
                                        ['\''] = "&#39;"};

void html_text_n(Buf *h, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = entity[u[i]];
    if (!rep) continue;
    buf_append(h, s + start, i - start);
    buf_puts(h, rep);
    start = i + 1;
  }
  buf_append(h, s + start, n - start);
}

void html_text(Buf *h, const char *s) {
  if (s) html_text_n(h, s, strlen(s));
}

void html_text_lines(Buf *h, const char *s) {
  while (s && *s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    if (n && s[n - 1] == '\r') n--;
    html_text_n(h, s, n);
    if (!nl) break;
    buf_puts(h, "<br>");
    s = nl + 1;
  }
}

void html_urlarg(Buf *h, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  if (!s) return;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      buf_putc(h, (char)c);
    } else {
      char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
      buf_append(h, enc, 3);
    }
  }
}

void html_markup(Buf *h, Markup m) {
  if (m.s) buf_puts(h, m.s);
}

char *html_escape(Arena *a, const char *s) {
  Buf b = {0};
  html_text(&b, s ? s : "");
  char *r = arena_strndup(a, b.p ? b.p : "", b.len);
  buf_free(&b);
  return r;
}

Markup markup_from_renderer_(const char *rendered) { return (Markup){rendered}; }

/* The numeric directives are re-issued one at a time with their own spec, which the compiler checked
 * as part of the caller's literal format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void html_fmt_(Buf *h, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *p = fmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      buf_puts(h, p);
      break;
    }
    buf_append(h, p, (size_t)(pct - p));
    const char *q = pct + 1;
    if (*q == '%') {
      buf_putc(h, '%');
      p = q + 1;
      continue;
    }
    /* flags, width, precision, length */
    while (*q == '-' || *q == '0' || *q == '+' || *q == ' ' || *q == '#') q++;
    while (*q >= '0' && *q <= '9') q++;
    if (*q == '.') {
      q++;
      while (*q >= '0' && *q <= '9') q++;
    }
    int longs = 0, size_t_ = 0, shorts = 0;
    while (*q == 'h') { shorts++; q++; }
    while (*q == 'l') { longs++; q++; }
    if (*q == 'z') { size_t_ = 1; q++; }
    char spec[32];
    size_t slen = (size_t)(q - pct) + 1;
    if (slen >= sizeof spec) abort(); /* a format the writer does not know: fail loudly, never shift arguments */
    memcpy(spec, pct, slen);
    spec[slen] = 0;
    char num[64];
    switch (*q) {
      case 's':
        if (slen != 2) abort(); /* no width or precision on text: it would be cut or padded unescaped */
        html_text(h, va_arg(ap, const char *));
        break;
      case 'c': {
        char c = (char)va_arg(ap, int);
        html_text_n(h, &c, 1);
        break;
      }
      case 'd': case 'i':
        if (!shorts && q == pct + 1 + longs + size_t_) { /* plain %d / %ld / %lld: by hand, the common case */
          long long v = longs >= 2 ? va_arg(ap, long long) : longs == 1 ? va_arg(ap, long)
                      : size_t_ ? (long long)va_arg(ap, ptrdiff_t) : va_arg(ap, int);
          unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
          char *e = num + sizeof num, *d = e;
          do *--d = (char)('0' + u % 10); while (u /= 10);
          if (v < 0) *--d = '-';
          buf_append(h, d, (size_t)(e - d));
          break;
        }
        if (longs >= 2) snprintf(num, sizeof num, spec, va_arg(ap, long long));
        else if (longs == 1) snprintf(num, sizeof num, spec, va_arg(ap, long));
        else if (size_t_) snprintf(num, sizeof num, spec, va_arg(ap, ptrdiff_t));
        else snprintf(num, sizeof num, spec, va_arg(ap, int)); /* h and hh arrive promoted to int */
        buf_puts(h, num);
        break;
      case 'u': case 'x': case 'X':
        if (longs >= 2) snprintf(num, sizeof num, spec, va_arg(ap, unsigned long long));
        else if (longs == 1) snprintf(num, sizeof num, spec, va_arg(ap, unsigned long));
        else if (size_t_) snprintf(num, sizeof num, spec, va_arg(ap, size_t));
        else snprintf(num, sizeof num, spec, va_arg(ap, unsigned));
        buf_puts(h, num);
        break;
      default:
        /* %f, %p, %n and the rest have no place in a page: stop rather than misread the arguments */
        abort();
    }
    (void)shorts;
    p = q + 1;
  }
  va_end(ap);
}
#pragma GCC diagnostic pop

/*
 * html.h — the only way text reaches an HTML page.
 *
 * html() takes a printf-style format that must be a string literal (the macro concatenates it with "",
 * so anything else fails to compile). Every %s argument is HTML-escaped (& < > " ' become entities), so
 * a value is safe in element text and in a quoted attribute alike (%s takes no width or precision). %c is
 * escaped too. Numbers (%d %i %u %x %X with h, l, ll or z, flags, widths and precision) print as usual;
 * any other directive aborts, so that a misread argument can never reach a page. There is no directive for raw markup: markup that did not
 * come from a literal travels as a Markup value, which only the writer's own functions, the Markdown
 * renderer and MARKUP("literal") can create, and is written with html_markup().
 *
 * None of these functions fail: output grows in a Buf whose allocation aborts on out-of-memory.
 */
#ifndef ZW_HTML_H
#define ZW_HTML_H

#include <stddef.h>

#include "core/mem.h"

/* Trusted markup. Create only with MARKUP("literal") or from a renderer that escapes its input. */
typedef struct Markup {
  const char *s;
} Markup;
#define MARKUP(lit) ((Markup){"" lit ""})

/* The format must be a literal: html(h, "<p>%s</p>", name). */
#define html(h, fmt, ...) html_fmt_((h), "" fmt "", ##__VA_ARGS__)
void html_fmt_(Buf *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void html_text(Buf *h, const char *s);             /* escaped; NULL writes nothing */
void html_text_n(Buf *h, const char *s, size_t n); /* escaped, n bytes */
void html_text_lines(Buf *h, const char *s);      /* escaped, line breaks kept as <br>; NULL writes nothing */
void html_urlarg(Buf *h, const char *s);           /* percent-encoded for a query value or path part */
void html_markup(Buf *h, Markup m);                /* trusted markup as is */

/* Escapes s into a new arena string (for building Markup in renderers). */
char *html_escape(Arena *a, const char *s);

/* For renderers that escape their own input (Markdown, SVG): wraps their output. Do not pass request text. */
Markup markup_from_renderer_(const char *rendered);

#endif

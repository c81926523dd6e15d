/*
 * markdown.h — notes are written in Markdown and rendered to HTML with md4c (CommonMark plus tables and
 * strikethrough). Raw HTML is disabled, so every '<' in a note is text. Link targets are kept only when
 * they are http(s):, mailto: or local (starting with '/' or '#'); anything else (javascript:, data:,
 * vbscript:, entity tricks) becomes '#'. Images may only come from this site.
 */
#ifndef ZW_MARKDOWN_H
#define ZW_MARKDOWN_H

#include <stddef.h>

#include "core/mem.h"
#include "html/html.h"

/* Renders text[0..len) into arena memory. Never fails: on a parser error the text is shown escaped. */
Markup markdown_render(Arena *a, const char *text, size_t len);

#endif

/*
 * markdown.h — notes are written in Markdown and rendered to HTML with md4c (CommonMark plus tables and
 * strikethrough). Raw HTML is disabled, so every '<' in a note is text. Link targets are kept only when
 * they are http(s):, mailto: or local (starting with '/' or '#'); anything else (javascript:, data:,
 * vbscript:, entity tricks) becomes '#'. A link is only followed when the reader clicks it; nothing in a
 * note loads by itself: an image is shown only when it is one of the portal's static assets (/static/...);
 * any other image — a case page of this portal, whose request would be an access-log entry in the
 * reader's name, or another site — is written as its alt text (its address as text when it has none).
 */
#ifndef ZW_MARKDOWN_H
#define ZW_MARKDOWN_H

#include <stddef.h>

#include "core/mem.h"
#include "html/html.h"

/* Renders text[0..len) into arena memory. Never fails: on a parser error the text is shown escaped. */
Markup markdown_render(Arena *a, const char *text, size_t len);

#endif

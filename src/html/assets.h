/*
 * assets.h — the embedded assets (assets/, compiled in by tools/embed) as pages link and serve them: each
 * with a strong ETag (a hash of its bytes) and a cache-busting URL "/static/NAME?v=ETAG", so that a new
 * version is a new URL and the old one may be cached for a year. Filled once at start, read-only after.
 */
#ifndef ZW_ASSETS_H
#define ZW_ASSETS_H

#include "core/embed.h"

/* Computes every asset's ETag and URL. Call once at start, before any thread serves. Cannot fail. */
void assets_init(void);

/* "/static/NAME?v=ETAG" for the asset called name, or "/static/missing" if there is none. Static storage. */
const char *assets_url(const char *name);

/* The asset called name, or NULL; *etag (when etag is not NULL) gets its ETag (hex, unquoted, static
 * storage). */
const EmbeddedFile *assets_find(const char *name, const char **etag);

#endif

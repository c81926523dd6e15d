/*
 * static.c — the embedded assets (html/assets.h) served with their strong ETags and a year of caching
 * (URLs carry ?v=ETAG, so a new version is a new URL), and /healthz for load balancers.
 */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "html/assets.h"
#include "pages/pages.h"

static const char *mime(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot) return "application/octet-stream";
  if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
  if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
  if (!strcmp(dot, ".svg")) return "image/svg+xml";
  if (!strcmp(dot, ".png")) return "image/png";
  if (!strcmp(dot, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

static int get_static(Req *r) {
  const char *etag;
  const EmbeddedFile *f = assets_find(r->rest, &etag);
  if (f && strcmp(f->name, "common-passwords.txt") != 0) { /* the password list is the server's, not a page's */
    char tag[24];
    snprintf(tag, sizeof tag, "\"%s\"", etag);
    http_header(r, "ETag", tag);
    http_header(r, "Cache-Control", "public, max-age=31536000, immutable");
    r->cacheable = true;
    r->content_type = mime(f->name);
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strcmp(inm, tag) == 0) return 304;
    buf_append(&r->out, f->data, f->len); /* raw: asset bytes, not HTML */
    return 200;
  }
  r->content_type = "text/plain; charset=utf-8";
  buf_puts(&r->out, "not found\n"); /* raw: text/plain */
  return 404;
}

static int get_health(Req *r) {
  r->content_type = "text/plain; charset=utf-8";
  Db *db = db_thread();
  int version = 0;
  if (!db || db_schema_version(db, &version) != DB_OK) {
    buf_puts(&r->out, "database unavailable\n"); /* raw: text/plain */
    return 503;
  }
  buf_printf(&r->out, "ok schema %d\n", version); /* raw: text/plain */
  return 200;
}

const Route static_routes[] = {
    {"GET", "/static/{*name}", 0, R_PUBLIC | R_NOFRAME, get_static},
    {"GET", "/healthz", 0, R_PUBLIC | R_NOFRAME, get_health},
    {0},
};

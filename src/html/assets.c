/*
 * assets.c — see assets.h.
 */
#include "html/assets.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

extern const EmbeddedFile assets[];

enum { MAX_ASSETS = 32 };
static char etags[MAX_ASSETS][20];
static char urls[MAX_ASSETS][96];

void assets_init(void) {
  int i = 0;
  for (const EmbeddedFile *f = assets; f->name && i < MAX_ASSETS; f++, i++) {
    unsigned char h[8];
    crypto_generichash(h, sizeof h, f->data, f->len, NULL, 0);
    sodium_bin2hex(etags[i], sizeof etags[i], h, sizeof h);
    snprintf(urls[i], sizeof urls[i], "/static/%s?v=%s", f->name, etags[i]);
  }
}

/* Index of the asset called name, or -1. */
static int asset_index(const char *name) {
  int i = 0;
  for (const EmbeddedFile *f = assets; f->name && i < MAX_ASSETS; f++, i++)
    if (strcmp(f->name, name) == 0) return i;
  return -1;
}

const char *assets_url(const char *name) {
  int i = asset_index(name);
  return i < 0 ? "/static/missing" : urls[i];
}

const EmbeddedFile *assets_find(const char *name, const char **etag) {
  int i = asset_index(name);
  if (i < 0) return NULL;
  if (etag) *etag = etags[i];
  return &assets[i];
}

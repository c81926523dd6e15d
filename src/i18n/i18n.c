/*
 * i18n.c — a reader for GNU .mo catalogues (see i18n.h). The original strings in a .mo file are sorted,
 * so lookup is a binary search over the original table.
 */
#include "i18n/i18n.h"

#include <stdint.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"

extern const EmbeddedFile translations[];

typedef struct Catalogue {
  char lang[8];
  const unsigned char *data;
  size_t len;
  uint32_t n, orig, trans;
} Catalogue;

enum { MAX_CATALOGUES = 8 };
static Catalogue cats[MAX_CATALOGUES];
static int ncats;
static _Thread_local const Catalogue *current;
static _Thread_local const char *current_lang = "en";

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* String i of a table at offset tab; NULL if it lies outside the data or is not NUL-terminated. */
static const char *entry(const Catalogue *c, uint32_t tab, uint32_t i, uint32_t *len) {
  uint64_t at = (uint64_t)tab + (uint64_t)i * 8;
  if (at + 8 > c->len) return NULL;
  uint32_t l = rd32(c->data + at), off = rd32(c->data + at + 4);
  if ((uint64_t)off + l + 1 > c->len || c->data[off + l] != 0) return NULL;
  *len = l;
  return (const char *)c->data + off;
}

bool i18n_add_catalogue(const char *lang, const unsigned char *data, size_t len) {
  if (ncats >= MAX_CATALOGUES || len < 28 || strlen(lang) >= sizeof cats[0].lang) return false;
  if (rd32(data) != 0x950412de) return false; /* only little-endian catalogues are produced here */
  Catalogue c = {.data = data, .len = len, .n = rd32(data + 8), .orig = rd32(data + 12), .trans = rd32(data + 16)};
  strcpy(c.lang, lang);
  for (uint32_t i = 0; i < c.n; i++) {
    uint32_t l;
    if (!entry(&c, c.orig, i, &l) || !entry(&c, c.trans, i, &l)) return false;
  }
  cats[ncats++] = c;
  return true;
}

bool i18n_init(void) {
  for (const EmbeddedFile *f = translations; f->name; f++) {
    char lang[8];
    size_t n = strcspn(f->name, ".");
    if (n == 0 || n >= sizeof lang) continue;
    memcpy(lang, f->name, n);
    lang[n] = 0;
    if (!i18n_add_catalogue(lang, f->data, f->len)) {
      log_error("i18n: catalogue %s is malformed", f->name);
      return false;
    }
  }
  return true;
}

static const Catalogue *find(const char *lang) {
  for (int i = 0; i < ncats; i++)
    if (strcmp(cats[i].lang, lang) == 0) return &cats[i];
  return NULL;
}

bool i18n_known(const char *lang) { return lang && (strcmp(lang, "en") == 0 || find(lang)); }

void i18n_use(const char *lang) {
  current = lang ? find(lang) : NULL;
  current_lang = current ? current->lang : "en";
}

const char *i18n_lang(void) { return current_lang; }

static const char *lookup(const Catalogue *c, const char *msgid) {
  if (!c || !msgid) return msgid;
  uint32_t lo = 0, hi = c->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2, l;
    const char *o = entry(c, c->orig, mid, &l);
    int cmp = strcmp(msgid, o);
    if (cmp == 0) {
      const char *t = entry(c, c->trans, mid, &l);
      return t && *t ? t : msgid;
    }
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return msgid;
}

const char *i18n_tr(const char *msgid) { return lookup(current, msgid); }

const char *i18n_tr_in(const char *lang, const char *msgid) { return lookup(find(lang), msgid); }

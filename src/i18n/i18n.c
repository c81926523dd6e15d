/*
 * i18n.c — a reader for GNU .mo catalogues (see i18n.h). The original strings in a .mo file are sorted,
 * so lookup is a binary search over the original table. A plural entry's original is "singular\0plural"
 * (its length counts both) and its translation "form0\0form1..."; the comparison stops at the first NUL,
 * so the same search finds it by its singular. The form for n comes from the catalogue's Plural-Forms
 * rule, read once at load and kept as one of the rules in `rules` below.
 */
#include "i18n/i18n.h"

#include <stdint.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"

extern const EmbeddedFile translations[];

/* The Plural-Forms rules understood, as written in a .po header with all white space removed and a final
 * ';'. Anything else is refused rather than evaluated. */
typedef enum PluralRule { RULE_NOT_ONE, RULE_MORE_THAN_ONE, RULE_ONE_FORM } PluralRule;
static const struct {
  const char *text;
  PluralRule rule;
} rules[] = {
    {"nplurals=2;plural=(n!=1);", RULE_NOT_ONE}, /* nl, en, de, ...: gettext's default */
    {"nplurals=2;plural=n!=1;", RULE_NOT_ONE},
    {"nplurals=2;plural=(n>1);", RULE_MORE_THAN_ONE}, /* fr, pt_BR: 0 and 1 singular */
    {"nplurals=2;plural=n>1;", RULE_MORE_THAN_ONE},
    {"nplurals=1;plural=0;", RULE_ONE_FORM},
};

typedef struct Catalogue {
  char lang[8];
  const unsigned char *data;
  size_t len;
  uint32_t n, orig, trans;
  PluralRule rule;
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

/* Reads the Plural-Forms line of the header (the translation of msgid "", which sorts first) into
 * c->rule. Returns false if the line is there and names a rule not in `rules`. No header, or none of
 * that line, means gettext's default (n != 1). */
static bool read_plural_rule(Catalogue *c) {
  static const char key[] = "Plural-Forms:";
  c->rule = RULE_NOT_ONE;
  uint32_t l;
  const char *o = c->n ? entry(c, c->orig, 0, &l) : NULL;
  if (!o || l != 0) return true;
  const char *h = entry(c, c->trans, 0, &l);
  if (!h) return true;
  const char *line = h;
  while (line && strncmp(line, key, sizeof key - 1) != 0) {
    line = strchr(line, '\n');
    if (line) line++;
  }
  if (!line) return true;
  line += sizeof key - 1;
  char rule[48];
  size_t k = 0;
  for (const char *p = line; *p && *p != '\n'; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\r') continue;
    if (k + 2 >= sizeof rule) return false; /* longer than any rule we know */
    rule[k++] = *p;
  }
  if (k == 0 || rule[k - 1] != ';') rule[k++] = ';';
  rule[k] = 0;
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (strcmp(rule, rules[i].text) == 0) {
      c->rule = rules[i].rule;
      return true;
    }
  return false;
}

/* Outcome of add: ADD_PLURALS is a well-formed catalogue refused for its Plural-Forms rule. */
enum { ADD_OK, ADD_MALFORMED, ADD_PLURALS };

static int add(const char *lang, const unsigned char *data, size_t len) {
  if (ncats >= MAX_CATALOGUES || len < 28 || strlen(lang) >= sizeof cats[0].lang) return ADD_MALFORMED;
  if (rd32(data) != 0x950412de) return ADD_MALFORMED; /* only little-endian catalogues are produced here */
  Catalogue c = {.data = data, .len = len, .n = rd32(data + 8), .orig = rd32(data + 12), .trans = rd32(data + 16)};
  strcpy(c.lang, lang);
  for (uint32_t i = 0; i < c.n; i++) {
    uint32_t l;
    if (!entry(&c, c.orig, i, &l) || !entry(&c, c.trans, i, &l)) return ADD_MALFORMED;
  }
  if (!read_plural_rule(&c)) {
    log_error("i18n: catalogue %s has a Plural-Forms rule this reader does not support; it is not used "
              "and the language falls back to English", lang);
    return ADD_PLURALS;
  }
  cats[ncats++] = c;
  return ADD_OK;
}

bool i18n_add_catalogue(const char *lang, const unsigned char *data, size_t len) {
  return add(lang, data, len) == ADD_OK;
}

bool i18n_init(void) {
  for (const EmbeddedFile *f = translations; f->name; f++) {
    char lang[8];
    size_t n = strcspn(f->name, ".");
    if (n == 0 || n >= sizeof lang) continue;
    memcpy(lang, f->name, n);
    lang[n] = 0;
    int rc = add(lang, f->data, f->len);
    if (rc == ADD_MALFORMED) {
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

/* Index of the entry whose original starts with msgid (up to its first NUL), or -1. */
static int64_t search(const Catalogue *c, const char *msgid) {
  uint32_t lo = 0, hi = c->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2, l;
    const char *o = entry(c, c->orig, mid, &l);
    int cmp = strcmp(msgid, o);
    if (cmp == 0) return mid;
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

/* Each thread remembers where it last found a msgid, keyed by the msgid's address (they are literals):
 * a page asks for the same few hundred strings on every request. A hit is confirmed by comparing the
 * text, so a reused address can never return another string's translation. */
enum { SEEN = 512 };
static _Thread_local struct {
  const char *msgid;
  const Catalogue *c;
  uint32_t i;
} seen[SEEN];

static const char *lookup(const Catalogue *c, const char *msgid) {
  if (!c || !msgid) return msgid;
  uintptr_t a = (uintptr_t)msgid;
  size_t k = (size_t)((a >> 3) ^ (a >> 12)) & (SEEN - 1);
  uint32_t l;
  int64_t i = -1;
  if (seen[k].msgid == msgid && seen[k].c == c) {
    const char *o = entry(c, c->orig, seen[k].i, &l);
    if (o && strcmp(o, msgid) == 0) i = seen[k].i;
  }
  if (i < 0) {
    i = search(c, msgid);
    if (i < 0) return msgid;
    seen[k].msgid = msgid;
    seen[k].c = c;
    seen[k].i = (uint32_t)i;
  }
  const char *t = entry(c, c->trans, (uint32_t)i, &l);
  return t && *t ? t : msgid;
}

const char *i18n_tr(const char *msgid) { return lookup(current, msgid); }

const char *i18n_tr_in(const char *lang, const char *msgid) { return lookup(find(lang), msgid); }

static unsigned long plural_index(PluralRule rule, unsigned long n) {
  switch (rule) {
  case RULE_MORE_THAN_ONE: return n > 1;
  case RULE_ONE_FORM: return 0;
  default: return n != 1;
  }
}

static const char *plural_lookup(const Catalogue *c, const char *singular, const char *plural, unsigned long n) {
  const char *english = n == 1 || !plural ? singular : plural;
  if (!c || !singular) return english;
  int64_t i = search(c, singular);
  if (i < 0) return english;
  uint32_t ol, tl;
  const char *o = entry(c, c->orig, (uint32_t)i, &ol);
  if (strlen(o) == ol) return english; /* not a plural entry */
  const char *t = entry(c, c->trans, (uint32_t)i, &tl);
  if (!t) return english;
  /* forms are separated by NUL; the last one ends at t[tl], which entry() checked is NUL */
  const char *form = t, *end = t + tl;
  for (unsigned long k = plural_index(c->rule, n); k > 0; k--) {
    const char *z = memchr(form, 0, (size_t)(end - form));
    if (!z) return english; /* fewer forms than the rule needs */
    form = z + 1;
  }
  return *form ? form : english;
}

const char *i18n_ntr(const char *singular, const char *plural, unsigned long n) {
  return plural_lookup(current, singular, plural, n);
}

const char *i18n_ntr_in(const char *lang, const char *singular, const char *plural, unsigned long n) {
  return plural_lookup(find(lang), singular, plural, n);
}

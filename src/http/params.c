/*
 * params.c — see params.h.
 */
#include "http/params.h"

#include <string.h>

#include "core/text.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes s[0..n) ('+' is a space, %XX a byte) into a new arena string; *outlen gets its length. */
static char *decode(Arena *a, const char *s, size_t n, size_t *outlen) {
  char *d = arena_alloc(a, n + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') d[j++] = ' ';
    else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      d[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else d[j++] = s[i];
  }
  d[j] = 0;
  *outlen = j;
  return d;
}

static void push(Arena *a, Params *out, const char *k, const char *v) {
  if (out->n % 16 == 0) {
    Param *nv = arena_alloc(a, sizeof(Param) * (size_t)(out->n + 16));
    if (out->n) memcpy(nv, out->v, sizeof(Param) * (size_t)out->n);
    out->v = nv;
  }
  out->v[out->n].key = k;
  out->v[out->n].val = v;
  out->n++;
}

int params_parse_urlencoded(Arena *a, const char *s, size_t len, Params *out) {
  out->v = NULL;
  out->n = 0;
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && s[end] != '&' && s[end] != ';') end++;
    if (end > i) {
      const char *eq = memchr(s + i, '=', end - i);
      size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
      size_t kl, vl = 0;
      char *k = decode(a, s + i, klen, &kl);
      char *v = eq ? decode(a, eq + 1, (size_t)(s + end - eq - 1), &vl) : arena_strdup(a, "");
      if (!text_valid(k, kl) || !text_valid(v, vl)) return PARAMS_BAD_TEXT;
      if (out->n >= PARAMS_MAX) return PARAMS_TOO_MANY;
      push(a, out, k, v);
    }
    i = end + 1;
  }
  return PARAMS_OK;
}

int params_parse_cookies(Arena *a, const char *h, Params *out) {
  out->v = NULL;
  out->n = 0;
  if (!h) return PARAMS_OK;
  const char *p = h;
  while (*p) {
    while (*p == ' ' || *p == ';' || *p == '\t') p++;
    if (!*p) break;
    const char *end = strchr(p, ';');
    if (!end) end = p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (eq && eq > p) {
      const char *ke = eq;
      while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t')) ke--;
      const char *vs = eq + 1, *ve = end;
      while (vs < ve && (*vs == ' ' || *vs == '\t')) vs++;
      while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') { vs++; ve--; }
      char *k = arena_strndup(a, p, (size_t)(ke - p));
      char *v = arena_strndup(a, vs, (size_t)(ve - vs));
      if (!text_valid(k, strlen(k)) || !text_valid(v, strlen(v))) return PARAMS_BAD_TEXT;
      if (out->n >= PARAMS_MAX) return PARAMS_TOO_MANY;
      push(a, out, k, v);
    }
    p = end;
  }
  return PARAMS_OK;
}

const char *params_get(const Params *p, const char *key) {
  for (int i = 0; i < p->n; i++)
    if (strcmp(p->v[i].key, key) == 0) return p->v[i].val;
  return NULL;
}

int params_count(const Params *p, const char *key) {
  int n = 0;
  for (int i = 0; i < p->n; i++)
    if (strcmp(p->v[i].key, key) == 0) n++;
  return n;
}

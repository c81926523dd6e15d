/*
 * router.c — matches requests against the route tables it is given (the portal's: pages/routes.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* Matches one pattern; fills ids/rest on success. */
static bool match(const char *pat, const char *path, int64_t ids[REQ_MAX_IDS], int *nids, const char **rest,
                  Arena *a) {
  *nids = 0;
  *rest = NULL;
  const char *p = pat, *s = path;
  while (*p) {
    if (*p == '{') {
      const char *close = strchr(p, '}');
      if (!close) return false;
      if (p[1] == '*') {
        if (!*s) return false;
        *rest = a ? arena_strdup(a, s) : s;
        return close[1] == 0;
      }
      /* positive integer, no leading zero, at most 18 digits */
      if (*s < '1' || *s > '9') return false;
      int64_t v = 0;
      int digits = 0;
      while (*s >= '0' && *s <= '9') {
        if (++digits > 18) return false;
        v = v * 10 + (*s - '0');
        s++;
      }
      if (*nids >= REQ_MAX_IDS) return false;
      ids[(*nids)++] = v;
      p = close + 1;
      continue;
    }
    if (*p != *s) return false;
    p++;
    s++;
  }
  return *s == 0;
}

const Route *router_match(const Route *const *tables, const char *method, const char *path,
                          int64_t ids[REQ_MAX_IDS], int *nids, const char **rest, Arena *a, int *status) {
  bool path_known = false;
  for (int t = 0; tables[t]; t++) {
    for (const Route *rt = tables[t]; rt->pattern; rt++) {
      if (!match(rt->pattern, path, ids, nids, rest, a)) continue;
      if (strcmp(rt->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
        *status = 200;
        return rt;
      }
      path_known = true;
    }
  }
  *status = path_known ? 405 : 404;
  return NULL;
}

static void roles_str(unsigned roles, char *out, size_t n) {
  out[0] = 0;
  if (roles == ROLE_ANY) {
    snprintf(out, n, "any");
    return;
  }
  for (unsigned bit = 1; bit; bit <<= 1) {
    const char *code = (roles & bit) ? role_code(bit) : NULL;
    if (!code) continue;
    if (out[0]) strncat(out, ",", n - strlen(out) - 1);
    strncat(out, code, n - strlen(out) - 1);
  }
  if (!out[0]) snprintf(out, n, "-");
}

void router_print(const Route *const *tables) {
  for (int t = 0; tables[t]; t++)
    for (const Route *rt = tables[t]; rt->pattern; rt++) {
      char roles[128];
      roles_str(rt->roles, roles, sizeof roles);
      printf("%s\t%s\t%s\t%s%s%s%s\n", rt->method, rt->pattern, roles, rt->flags & R_PUBLIC ? "public " : "",
             rt->flags & R_PRE_MFA ? "pre-mfa " : "", rt->flags & R_CASE ? "case " : "",
             rt->flags & R_NOFRAME ? "noframe" : "");
    }
}

/*
 * fuzz_router.c — fuzz target for router_match over the real route tables (pages/routes.c).
 *
 * The input is "METHOD\nPATH"; without a newline the first byte picks a common method and the rest is the
 * path. Both are cut at their first NUL, as the server hands them over. Properties: never a crash; a match
 * has status 200, the asked method (or GET for HEAD), as many ids as the pattern has {name} parts, each
 * positive, and a non-empty rest only for a {*name} pattern; no match has status 404 or 405. The same
 * answer comes back with and without an arena.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "http/http.h"
#include "pages/routes.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int count_ids(const char *pattern) {
  int n = 0;
  for (const char *p = pattern; (p = strchr(p, '{')) != NULL; p++)
    if (p[1] != '*') n++;
  return n;
}

static void check(const char *method, const char *path, Arena *a, const Route **route_out, int *status_out) {
  int64_t ids[REQ_MAX_IDS];
  int nids = -1, status = 0;
  const char *rest = NULL;
  const Route *rt = router_match(route_tables, method, path, ids, &nids, &rest, a, &status);
  if (rt) {
    CHECK(status == 200);
    CHECK(rt->pattern && rt->method && rt->handler);
    CHECK(strcmp(rt->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0));
    CHECK(nids >= 0 && nids <= REQ_MAX_IDS);
    CHECK(nids == count_ids(rt->pattern));
    for (int i = 0; i < nids; i++) CHECK(ids[i] > 0);
    if (strstr(rt->pattern, "{*")) {
      CHECK(rest && *rest);
      size_t rl = strlen(rest), pl = strlen(path);
      CHECK(rl <= pl && strcmp(path + pl - rl, rest) == 0); /* the rest is the tail of the path */
      if (!a) CHECK(rest >= path && rest < path + pl);
    } else {
      CHECK(rest == NULL);
    }
  } else {
    CHECK(status == 404 || status == 405);
  }
  *route_out = rt;
  *status_out = status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", ""};
  char *buf = xmalloc(size + 1);
  memcpy(buf, data, size);
  buf[size] = 0;
  const char *method, *path;
  char *nl = memchr(buf, '\n', size);
  if (nl) {
    *nl = 0;
    method = buf;
    path = nl + 1;
  } else {
    method = methods[size ? data[0] % (sizeof methods / sizeof *methods) : 0];
    path = size ? buf + 1 : buf;
  }
  Arena *a = arena_new();
  const Route *r1, *r2;
  int s1, s2;
  check(method, path, a, &r1, &s1);
  check(method, path, NULL, &r2, &s2);
  CHECK(r1 == r2 && s1 == s2);
  arena_free(a);
  free(buf);
  return 0;
}

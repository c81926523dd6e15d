/*
 * fuzz_cookies.c — fuzz target for params_parse_cookies (the Cookie request header).
 *
 * The header reaches the parser as a NUL-terminated string, so the input is copied into an exact-size
 * buffer with a NUL added (and cut at its first NUL, as libmicrohttpd would). Properties: no read past the
 * string; on success at most PARAMS_MAX pairs, every name non-empty, without ';', '=' or surrounding
 * blanks, every value without ';', and every pair is valid text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "http/params.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static bool blank(char c) { return c == ' ' || c == '\t'; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *h = xmalloc(size + 1);
  memcpy(h, data, size);
  h[size] = 0;
  Arena *a = arena_new();
  Params p;
  int rc = params_parse_cookies(a, h, &p);
  CHECK(rc == PARAMS_OK || rc == PARAMS_BAD_TEXT || rc == PARAMS_TOO_MANY);
  if (rc == PARAMS_OK) {
    CHECK(p.n >= 0 && p.n <= PARAMS_MAX);
    for (int i = 0; i < p.n; i++) {
      const char *k = p.v[i].key, *v = p.v[i].val;
      size_t kl = strlen(k);
      CHECK(kl > 0);
      CHECK(!strchr(k, ';') && !strchr(k, '=') && !strchr(v, ';'));
      CHECK(!blank(k[0]) && !blank(k[kl - 1]));
      CHECK(text_valid(k, kl) && text_valid(v, strlen(v)));
      CHECK(params_get(&p, k) != NULL);
    }
  }
  /* A NULL header is "no cookies". */
  CHECK(params_parse_cookies(a, NULL, &p) == PARAMS_OK && p.n == 0);
  arena_free(a);
  free(h);
  return 0;
}

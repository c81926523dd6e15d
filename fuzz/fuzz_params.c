/*
 * fuzz_params.c — fuzz target for params_parse_urlencoded (query strings and form bodies).
 *
 * Properties checked on every input: the parser never reads outside the given bytes (the input is not
 * NUL-terminated), never returns more than PARAMS_MAX pairs, and every key and value it hands back is valid
 * text (UTF-8 without control characters) that params_get and params_count can find again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "http/params.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena *a = arena_new();
  Params p;
  int rc = params_parse_urlencoded(a, (const char *)data, size, &p);
  CHECK(rc == PARAMS_OK || rc == PARAMS_BAD_TEXT || rc == PARAMS_TOO_MANY);
  if (rc == PARAMS_OK) {
    CHECK(p.n >= 0 && p.n <= PARAMS_MAX);
    CHECK(p.n == 0 || p.v != NULL);
    /* Every pair came from a non-empty stretch between separators, so there are at most that many. */
    size_t pieces = 1;
    for (size_t i = 0; i < size; i++)
      if (data[i] == '&' || data[i] == ';') pieces++;
    CHECK((size_t)p.n <= pieces);
    for (int i = 0; i < p.n; i++) {
      const char *k = p.v[i].key, *v = p.v[i].val;
      CHECK(k && v);
      CHECK(text_valid(k, strlen(k)) && text_valid(v, strlen(v)));
      CHECK(params_get(&p, k) != NULL);
      CHECK(params_count(&p, k) >= 1);
    }
  }
  arena_free(a);
  return 0;
}

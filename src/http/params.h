/*
 * params.h — parsers for outside input: application/x-www-form-urlencoded (query strings and form
 * bodies) and the Cookie header. Results live in the caller's arena.
 */
#ifndef ZW_PARAMS_H
#define ZW_PARAMS_H

#include <stddef.h>

#include "core/mem.h"

typedef struct Param {
  const char *key, *val;
} Param;

typedef struct Params {
  Param *v;
  int n;
} Params;

enum {
  PARAMS_OK = 0,
  PARAMS_BAD_TEXT,  /* a key or value is not valid UTF-8 or holds control characters */
  PARAMS_TOO_MANY,  /* more than PARAMS_MAX pairs */
};
enum { PARAMS_MAX = 256 };

/* Parses "a=1&b=x+y%21". Keys without '=' get the value "". Empty pairs are skipped. */
int params_parse_urlencoded(Arena *a, const char *s, size_t len, Params *out);
/* Parses "name=value; other=value". Values are not percent-decoded. */
int params_parse_cookies(Arena *a, const char *header, Params *out);
/* First value for key, or NULL. */
const char *params_get(const Params *p, const char *key);
/* Number of values for key (a repeated form field). */
int params_count(const Params *p, const char *key);

#endif

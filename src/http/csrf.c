/*
 * csrf.c — see csrf.h.
 */
#include "http/csrf.h"

#include <string.h>

#include "core/config.h"
#include "core/text.h"

bool csrf_origin_ok(const char *fetch_site, const char *origin, const char *host) {
  if (fetch_site && strcmp(fetch_site, "same-origin") != 0 && strcmp(fetch_site, "none") != 0) return false;
  if (!origin) return true;
  if (strcmp(origin, "null") == 0) return fetch_site && strcmp(fetch_site, "same-origin") == 0;
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return strlen(origin) == n && strncmp(origin, cfg.base_url, n) == 0;
  }
  if (!host) return false;
  const char *scheme = cfg.tls ? "https://" : "http://";
  size_t n = strlen(scheme);
  return strncmp(origin, scheme, n) == 0 && strcmp(origin + n, host) == 0;
}

bool csrf_token_ok(const char *sent, const char *want) { return sent && want && *want && text_equal_ct(sent, want); }

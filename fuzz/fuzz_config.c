/*
 * fuzz_config.c — fuzz target for config_parse (the config file).
 *
 * Properties: no read outside the given bytes (the text is not NUL-terminated); the error message is
 * always a terminated string that names a line; whatever the input, every setting stays within its
 * documented range and every string field stays terminated inside its array, also after a failed parse
 * (which may have applied the lines before the bad one).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define TERMINATED(field) CHECK(memchr((field), 0, sizeof(field)) != NULL)
#define IN_RANGE(v, lo, hi) CHECK((v) >= (lo) && (v) <= (hi))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull) devnull = fopen("/dev/null", "w");
  Config c;
  config_defaults(&c);
  char err[256];
  memset(err, 'x', sizeof err);
  bool ok = config_parse(&c, (const char *)data, size, err, sizeof err);
  if (!ok) {
    TERMINATED(err);
    CHECK(strncmp(err, "line ", 5) == 0);
  }
  TERMINATED(c.listen);
  TERMINATED(c.db);
  TERMINATED(c.base_url);
  TERMINATED(c.lang);
  IN_RANGE(c.threads, 0, 256);
  IN_RANGE(c.conn_timeout, 1, 3600);
  IN_RANGE(c.request_deadline_s, 5, 600);
  IN_RANGE(c.conn_limit, 1, 100000);
  IN_RANGE(c.per_ip_limit, 1, 10000);
  IN_RANGE(c.conn_memory_kib, 16, 65536);
  IN_RANGE(c.max_body_kib, 1, 1048576);
  IN_RANGE(c.session_idle, 60, 86400);
  IN_RANGE(c.session_absolute, 300, 604800);
  IN_RANGE(c.login_delay_after, 1, 1000);
  IN_RANGE(c.login_delay_ms, 0, 600000);
  IN_RANGE(c.login_delay_max_ms, 0, 3600000);
  IN_RANGE(c.lock_after, 1, 100000);
  IN_RANGE(c.reset_link_hours, 1, 720);
  IN_RANGE(c.page_size, 5, 500);
  if (devnull) config_print(&c, devnull);
  return 0;
}

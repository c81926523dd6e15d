/*
 * throttle.c — the rules of throttle.h. The counts themselves are kept by account/throttle.c.
 */
#include "auth/throttle.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/config.h"

int64_t throttle_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void throttle_key_hash(const char *key, char out[THROTTLE_HASH_HEX + 1]) {
  unsigned char k[THROTTLE_HASH_HEX / 2];
  crypto_generichash(k, sizeof k, (const unsigned char *)key, strlen(key), NULL, 0);
  sodium_bin2hex(out, THROTTLE_HASH_HEX + 1, k, sizeof k);
}

int32_t throttle_live_failures(int32_t failures, int64_t last_ms, int64_t now_ms) {
  return failures > 0 && now_ms - last_ms <= THROTTLE_FORGET_MS ? failures : 0;
}

static int64_t delay_for(int32_t failures) {
  if (failures < cfg.login_delay_after) return 0;
  int64_t d = cfg.login_delay_ms;
  for (int32_t i = cfg.login_delay_after; i < failures && d < cfg.login_delay_max_ms; i++) d *= 2;
  return d > cfg.login_delay_max_ms ? cfg.login_delay_max_ms : d;
}

int64_t throttle_wait_left(int32_t failures, int64_t last_ms, int64_t now_ms) {
  if (failures <= 0) return 0;
  int64_t until = last_ms + delay_for(failures);
  return until > now_ms ? until - now_ms : 0;
}

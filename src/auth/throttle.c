/*
 * throttle.c — see throttle.h. Keys are stored as a 16-byte BLAKE2b hash, so the table holds no
 * e-mail addresses.
 */
#include "auth/throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/config.h"

enum { SLOTS = 8192 };

typedef struct Slot {
  unsigned char key[16];
  int32_t failures;
  int64_t last_ms;
} Slot;

static Slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int64_t throttle_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void hash_key(const char *key, unsigned char out[16]) {
  crypto_generichash(out, 16, (const unsigned char *)key, strlen(key), NULL, 0);
}

/* A key whose last failure is older than this starts again from nothing: the failures of a shared
 * address (an office behind one NAT) do not add up over months. */
enum { FORGET_MS = 24 * 3600 * 1000 };

/* Finds key's live slot (failures counted, the last within FORGET_MS of now_ms); with create, takes a free,
 * stale or the oldest slot among the probed ones. */
static Slot *find(const unsigned char k[16], int create, int64_t now_ms) {
  uint32_t h;
  memcpy(&h, k, sizeof h);
  Slot *oldest = NULL;
  for (int i = 0; i < 8; i++) {
    Slot *s = &slots[(h + (uint32_t)i) % SLOTS];
    if (s->failures && now_ms - s->last_ms > FORGET_MS) s->failures = 0;
    if (memcmp(s->key, k, 16) == 0 && s->failures) return s;
    if (!oldest || s->failures == 0 || (oldest->failures && s->last_ms < oldest->last_ms)) oldest = s;
  }
  if (!create) return NULL;
  memcpy(oldest->key, k, 16);
  oldest->failures = 0;
  oldest->last_ms = 0;
  return oldest;
}

static int64_t delay_for(int32_t failures) {
  if (failures < cfg.login_delay_after) return 0;
  int64_t d = cfg.login_delay_ms;
  for (int32_t i = cfg.login_delay_after; i < failures && d < cfg.login_delay_max_ms; i++) d *= 2;
  return d > cfg.login_delay_max_ms ? cfg.login_delay_max_ms : d;
}

/* How long the key of slot s (NULL: none) must still wait at now_ms. Under the lock. */
static int64_t wait_left(const Slot *s, int64_t now_ms) {
  if (!s) return 0;
  int64_t until = s->last_ms + delay_for(s->failures);
  return until > now_ms ? until - now_ms : 0;
}

/* Counts a failure of key k at now_ms in slot s, found before; s NULL: in k's live slot or a new one. Under
 * the lock. */
static void count_failure(Slot *s, const unsigned char k[16], int64_t now_ms) {
  if (!s) s = find(k, 1, now_ms);
  s->failures++;
  s->last_ms = now_ms;
}

/* Hashes key into k, takes the lock (the caller releases it) and finds key's live slot (NULL: none). */
static Slot *lock_find(const char *key, unsigned char k[16], int64_t now_ms) {
  hash_key(key, k);
  pthread_mutex_lock(&lock);
  return find(k, 0, now_ms);
}

int64_t throttle_wait_ms(const char *key, int64_t now_ms) {
  unsigned char k[16];
  int64_t wait = wait_left(lock_find(key, k, now_ms), now_ms);
  pthread_mutex_unlock(&lock);
  return wait;
}

int32_t throttle_failures(const char *key) {
  unsigned char k[16];
  Slot *s = lock_find(key, k, throttle_now_ms());
  int32_t n = s ? s->failures : 0;
  pthread_mutex_unlock(&lock);
  return n;
}

int64_t throttle_take(const char *key, int64_t now_ms) {
  unsigned char k[16];
  Slot *s = lock_find(key, k, now_ms);
  int64_t wait = wait_left(s, now_ms);
  if (wait == 0) count_failure(s, k, now_ms);
  pthread_mutex_unlock(&lock);
  return wait;
}

void throttle_forgive(const char *key) {
  unsigned char k[16];
  Slot *s = lock_find(key, k, throttle_now_ms());
  if (s && s->failures > 0) s->failures--;
  pthread_mutex_unlock(&lock);
}

void throttle_fail(const char *key, int64_t now_ms) {
  unsigned char k[16];
  count_failure(lock_find(key, k, now_ms), k, now_ms);
  pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key) {
  unsigned char k[16];
  Slot *s = lock_find(key, k, throttle_now_ms());
  if (s) s->failures = 0;
  pthread_mutex_unlock(&lock);
}

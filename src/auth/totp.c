/*
 * totp.c — the second factor: TOTP codes (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps) through liboath,
 * the otpauth:// enrolment URI and its QR code as SVG (libqrencode), and one-time recovery codes
 * (libsodium randomness, BLAKE2b hashes so that only hashes are stored).
 *
 * liboath and libsodium are initialised once, on first use, with pthread_once. No other state.
 */
#include "auth/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

enum {
  TOTP_STEP = 30,
  TOTP_DIGITS = 6,
  TOTP_SECRET_BYTES = 20, /* 160 bits, the RFC 4226 recommendation; 32 base32 characters */
  QR_QUIET = 4,           /* quiet zone in modules, as ISO/IEC 18004 asks */
  QR_PX = 4,              /* default rendered pixels per module */
};

static const char B32_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/* Lowercase letters and digits without the look-alikes 0/o, 1/l/i. */
static const char RECOVERY_ALPHABET[] = "abcdefghjkmnpqrstuvwxyz23456789";
/* Domain separation for recovery code hashes (BLAKE2b key). */
static const char RECOVERY_KEY[] = "zorgwerk recovery code v1";

_Static_assert(TOTP_SECRET_B32 == TOTP_SECRET_BYTES * 8 / 5 + 1, "secret size and buffer disagree");
_Static_assert(RECOVERY_CODE_LEN == 12, "recovery codes are written as three groups of four");

static pthread_once_t totp_once = PTHREAD_ONCE_INIT;
static bool totp_ok;

/* Initialises liboath and libsodium; records the outcome in totp_ok and logs a failure. */
static void totp_init_once(void) {
  bool sodium = sodium_init() >= 0;
  int rc = oath_init();
  totp_ok = sodium && rc == OATH_OK;
  if (!totp_ok) log_error("totp: library initialisation failed (sodium %d, oath %d)", sodium, rc);
}

/* Makes sure the libraries are initialised. False if they could not be. */
static bool totp_ready(void) {
  pthread_once(&totp_once, totp_init_once);
  return totp_ok;
}

/* Decodes a base32 secret. On success *key holds a malloc'ed key of *len > 0 bytes that the caller
 * must release with totp_key_free. False for invalid base32 or an empty secret. */
static bool totp_key_decode(const char *b32secret, char **key, size_t *len) {
  *key = NULL;
  *len = 0;
  if (!b32secret || !totp_ready()) return false;
  if (oath_base32_decode(b32secret, strlen(b32secret), key, len) != OATH_OK) return false;
  if (*len == 0) {
    free(*key);
    *key = NULL;
    return false;
  }
  return true;
}

/* Wipes and frees a key from totp_key_decode. key may be NULL. */
static void totp_key_free(char *key, size_t len) {
  if (!key) return;
  sodium_memzero(key, len);
  free(key);
}

/* The code of one time step for a decoded key into out. False only if liboath refuses. */
static bool totp_code_at_step(const char *key, size_t len, int64_t step, char out[TOTP_DIGITS + 1]) {
  return oath_totp_generate(key, len, (time_t)(step * TOTP_STEP), TOTP_STEP, 0, TOTP_DIGITS, out) == OATH_OK;
}

/* Floor division of a unix time into its 30-second step (also right for times before 1970). */
static int64_t totp_step_of(int64_t now) {
  int64_t s = now / TOTP_STEP;
  return (now % TOTP_STEP < 0) ? s - 1 : s;
}

/* Writes 160 random bits as 32 base32 characters and a NUL. Aborts only if libsodium cannot be
 * initialised (there is no safe secret to return then). Does not allocate. */
void totp_secret_new(char out[TOTP_SECRET_B32]) {
  unsigned char key[TOTP_SECRET_BYTES];
  if (!totp_ready()) abort(); /* without a working random source there is nothing safe to return */
  randombytes_buf(key, sizeof key);
  /* RFC 4648 base32: 160 bits are exactly 32 groups of 5, no padding. */
  size_t o = 0;
  unsigned buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < sizeof key; i++) {
    buffer = (buffer << 8) | key[i];
    bits += 8;
    while (bits >= 5) {
      out[o++] = B32_ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  out[o] = '\0';
  sodium_memzero(key, sizeof key);
}

/* Writes the 6-digit code of now's step. False for a NULL, empty or invalid base32 secret. Allocates
 * the decoded key briefly (liboath) and wipes it. */
bool totp_code(const char *b32secret, int64_t now, char out[7]) {
  char *key;
  size_t len;
  if (!totp_key_decode(b32secret, &key, &len)) return false;
  bool ok = totp_code_at_step(key, len, totp_step_of(now), out);
  totp_key_free(key, len);
  return ok;
}

/* Checks code against the steps now-1, now and now+1 that are later than last_step; *step (if not
 * NULL) gets the matched step, and is untouched on failure. False for a bad code syntax, an invalid
 * secret or no match. Allocates the decoded key briefly and wipes it. */
bool totp_verify(const char *b32secret, const char *code, int64_t now, int64_t last_step, int64_t *step) {
  if (!code) return false;
  char typed[TOTP_DIGITS + 1];
  size_t n = 0;
  for (const char *p = code; *p; p++) {
    if (*p == ' ') continue;
    if (*p < '0' || *p > '9' || n == TOTP_DIGITS) return false;
    typed[n++] = *p;
  }
  if (n != TOTP_DIGITS) return false;
  typed[n] = '\0';

  char *key;
  size_t len;
  if (!totp_key_decode(b32secret, &key, &len)) return false;
  int64_t current = totp_step_of(now);
  bool found = false;
  int64_t matched = 0;
  /* All three windows are computed and compared in constant time; the earliest match wins. */
  for (int64_t s = current - 1; s <= current + 1; s++) {
    char want[TOTP_DIGITS + 1];
    if (!totp_code_at_step(key, len, s, want)) continue;
    bool same = sodium_memcmp(want, typed, TOTP_DIGITS) == 0;
    if (same && s > last_step && !found) {
      found = true;
      matched = s;
    }
  }
  totp_key_free(key, len);
  if (found && step) *step = matched;
  return found;
}

/* Appends s percent-encoded (RFC 3986: only unreserved characters pass) to b. Cannot fail. */
static void totp_pct(Buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    unsigned char c = *p;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      buf_putc(b, (char)c);
    } else {
      buf_putc(b, '%');
      buf_putc(b, hex[c >> 4]);
      buf_putc(b, hex[c & 15]);
    }
  }
}

/* Builds the otpauth URI in the arena; the working buffer is freed. Never NULL (allocation aborts). */
char *totp_uri(Arena *a, const char *issuer, const char *account, const char *b32secret) {
  Buf b = {0};
  buf_puts(&b, "otpauth://totp/");
  totp_pct(&b, issuer);
  buf_putc(&b, ':');
  totp_pct(&b, account);
  buf_puts(&b, "?secret=");
  totp_pct(&b, b32secret);
  buf_puts(&b, "&issuer=");
  totp_pct(&b, issuer);
  buf_puts(&b, "&algorithm=SHA1&digits=6&period=30");
  char *r = arena_strndup(a, b.p, b.len);
  sodium_memzero(b.p, b.cap); /* the buffer held the secret */
  buf_free(&b);
  return r;
}

/* Renders text as a QR code (error correction M, 8-bit mode) into an SVG string in the arena: a white
 * square with a quiet zone of four modules and one black path whose data is built from numbers and the
 * letters M h v z only, so nothing of text appears in the output. Horizontal runs of dark modules
 * become one rectangle each. If text cannot be encoded (too long, out of memory) the result is an empty
 * string, which callers can test with m.s[0] == '\0'. */
Markup qr_svg(Arena *a, const char *text) {
  QRcode *qr = text ? QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
  if (!qr) return markup_from_renderer_(arena_strdup(a, ""));
  const int w = qr->width, size = w + 2 * QR_QUIET;
  Buf b = {0};
  buf_printf(&b,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
             " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
             "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
             size, size, size * QR_PX, size * QR_PX, size, size);
  for (int y = 0; y < w; y++) {
    const unsigned char *row = qr->data + (size_t)y * (size_t)w;
    for (int x = 0; x < w;) {
      if (!(row[x] & 1)) {
        x++;
        continue;
      }
      int run = 1;
      while (x + run < w && (row[x + run] & 1)) run++;
      buf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
      x += run;
    }
  }
  buf_puts(&b, "\"/></svg>");
  QRcode_free(qr);
  char *r = arena_strndup(a, b.p, b.len);
  buf_free(&b);
  return markup_from_renderer_(r);
}

/* Fills codes with ten distinct random codes "xxxx-xxxx-xxxx" from RECOVERY_ALPHABET (about 59 bits
 * each). Aborts only if the random source cannot be initialised. */
void recovery_codes_new(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 3]) {
  if (!totp_ready()) abort();
  const uint32_t k = (uint32_t)(sizeof RECOVERY_ALPHABET - 1);
  for (int i = 0; i < RECOVERY_CODES; i++) {
    bool dup;
    do {
      size_t o = 0;
      for (int j = 0; j < RECOVERY_CODE_LEN; j++) {
        if (j && j % 4 == 0) codes[i][o++] = '-';
        codes[i][o++] = RECOVERY_ALPHABET[randombytes_uniform(k)];
      }
      codes[i][o] = '\0';
      dup = false;
      for (int j = 0; j < i; j++)
        if (strcmp(codes[i], codes[j]) == 0) dup = true;
    } while (dup);
  }
}

/* Hashes the typed code with keyed BLAKE2b-256 after dropping spaces, tabs and dashes and lowercasing
 * ASCII letters; writes 64 lowercase hex digits and a NUL. Does not allocate; cannot fail (a NULL
 * code hashes like the empty one). */
void recovery_code_hash(const char *typed, char out[65]) {
  (void)totp_ready();
  crypto_generichash_state st;
  crypto_generichash_init(&st, (const unsigned char *)RECOVERY_KEY, sizeof RECOVERY_KEY - 1, 32);
  unsigned char chunk[64];
  size_t n = 0;
  for (const char *p = typed ? typed : ""; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '\t' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
    chunk[n++] = c;
    if (n == sizeof chunk) {
      crypto_generichash_update(&st, chunk, n);
      n = 0;
    }
  }
  crypto_generichash_update(&st, chunk, n);
  unsigned char h[32];
  crypto_generichash_final(&st, h, sizeof h);
  sodium_bin2hex(out, 65, h, sizeof h);
  sodium_memzero(chunk, sizeof chunk);
}

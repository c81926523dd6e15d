/*
 * token.c — see token.h.
 */
#include "auth/token.h"

#include <sodium.h>
#include <string.h>

void token_new(char out[TOKEN_LEN + 1]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
  sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof h);
}

bool token_shape_ok(const char *s) {
  if (!s || strlen(s) != TOKEN_LEN) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return false;
  return true;
}

void token_short(char out[17]) {
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(out, 17, raw, sizeof raw);
}

/*
 * token.h — random secrets (session tokens, CSRF tokens, one-time links) and their stored hashes.
 * A token is 256 random bits in base64url without padding (43 characters). Only its hash is stored.
 */
#ifndef ZW_TOKEN_H
#define ZW_TOKEN_H

#include <stdbool.h>

enum { TOKEN_LEN = 43, TOKEN_HASH_LEN = 64 };

void token_new(char out[TOKEN_LEN + 1]);
/* BLAKE2b-256 of token as lowercase hex. */
void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);
/* True if s has the shape of a token (43 base64url characters). */
bool token_shape_ok(const char *s);
/* 8 random bytes as 16 hex characters (request ids). */
void token_short(char out[17]);

#endif
